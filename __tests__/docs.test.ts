// The README's input and output tables are what users read: they must match action.yml.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { declaredInputs, ROOT } from '../sandbox/runner.js'

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
const actionYml = readFileSync(join(ROOT, 'action.yml'), 'utf8')

function tableRows(marker: string): string[][] {
  const block = readme.slice(readme.indexOf(`<!-- ${marker}:start -->`), readme.indexOf(`<!-- ${marker}:end -->`))
  return block
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()))
}

describe('README', () => {
  it('lists every input of action.yml, in order, with its default', () => {
    const rows = tableRows('inputs')
    const declared = [...declaredInputs()]
    expect(rows.map((row) => row[0].replace(/`/g, ''))).toEqual(declared.map(([name]) => name))
    for (const [name, fallback] of declared) {
      const row = rows.find((r) => r[0] === `\`${name}\``)!
      const shown = row[1].replace(/`/g, '')
      expect([name, shown]).toEqual([name, name === 'token' ? '(required)' : fallback])
    }
  })

  it('lists every output of action.yml, in order', () => {
    const outputs = [...actionYml.slice(actionYml.indexOf('\noutputs:')).matchAll(/^ {2}([a-z-]+):\s*$/gm)].map((m) => m[1])
    expect(tableRows('outputs').map((row) => row[0].replace(/`/g, ''))).toEqual(outputs)
  })

  it('describes every input and output in action.yml', () => {
    const entries = actionYml.split(/\n {2}(?=[a-z-]+:\s*\n)/).slice(1)
    expect(entries).toHaveLength(declaredInputs().size + tableRows('outputs').length)
    for (const entry of entries) expect(entry).toMatch(/\n {4}description: \S/)
  })
})
