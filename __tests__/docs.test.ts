// The README's input and output tables are what users read: they must match action.yml. The README stays short,
// its quick start a complete workflow; the rest of the reference is in docs/ (links.test.ts checks the links), and
// every example there passes only inputs action.yml declares.
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { InputError } from '../src/settings/inputs.js'
import { INPUT_DEFAULTS } from '../src/settings/defaults.js'
import { PUSH_RUN } from '../__fixtures__/run.js'
import { OPERATIONS, parseSettings } from '../src/settings/index.js'
import { declaredInputs, ROOT } from '../harness/runner.js'

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
const actionYml = readFileSync(join(ROOT, 'action.yml'), 'utf8')

function tableRows(marker: string): string[][] {
  const block = readme.slice(readme.indexOf(`<!-- ${marker}:start -->`), readme.indexOf(`<!-- ${marker}:end -->`))
  return block
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.trim())
    )
}

describe('README', () => {
  it('stays a five-minute read: at most 450 lines, the rest in docs/', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(450)
  })

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

/** The YAML code blocks of a Markdown file, parsed. */
function yamlExamples(file: string): unknown[] {
  const markdown = readFileSync(join(ROOT, file), 'utf8')
  return [...markdown.matchAll(/^```yaml\n([\s\S]*?)^```/gm)].map((match) => parseYaml(match[1]) as unknown)
}

/** Every step of an example that uses this action, wherever it sits (a workflow, a job, a list of steps). */
function actionSteps(example: unknown): { uses: string; with?: Record<string, unknown> }[] {
  if (Array.isArray(example)) return example.flatMap(actionSteps)
  if (example === null || typeof example !== 'object') return []
  const step = example as { uses?: unknown; with?: Record<string, unknown> }
  const own = typeof step.uses === 'string' && step.uses.startsWith('applivery/applivery-builds-action@') ? [step as { uses: string }] : []
  return [...own, ...Object.values(example).flatMap(actionSteps)]
}

describe('the examples', () => {
  const files = [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`)
  ]

  it.each(files)('in %s parse and pass only declared inputs, with a known operation', (file) => {
    const declared = declaredInputs()
    for (const step of yamlExamples(file).flatMap(actionSteps)) {
      for (const input of Object.keys(step.with ?? {})) expect([input, declared.has(input)]).toEqual([input, true])
      const operation = step.with?.operation
      if (operation !== undefined) expect(OPERATIONS).toContain(operation)
    }
  })

  it("README's quick start is one complete pull-request workflow: checkout, build, upload, wait, install page, comment", () => {
    const [quickStart] = yamlExamples('README.md') as {
      on: unknown
      permissions: Record<string, string>
      jobs: Record<string, { steps: { uses?: string; run?: string }[] }>
    }[]
    expect(quickStart.on).toBe('pull_request')
    expect(quickStart.permissions['pull-requests']).toBe('write')
    const steps = Object.values(quickStart.jobs).flatMap((job) => job.steps)
    expect(steps[0].uses).toMatch(/^actions\/checkout@/)
    expect(steps.some((step) => step.run !== undefined)).toBe(true)
    const [upload] = actionSteps(quickStart)
    expect(upload.with).toMatchObject({ wait: true, publish: true, 'pr-comment': true })
    expect(upload.with).toHaveProperty('token')
    expect(upload.with).toHaveProperty('file')
  })
})

describe('action.yml says what the code does', () => {
  const action = parseYaml(actionYml) as { description: string; inputs: Record<string, { description: string }> }
  const dir = mkdtempSync(join(tmpdir(), 'docs-'))
  writeFileSync(join(dir, 'app.ipa'), 'ipa')
  /** What each operation needs, apart from the input under test. */
  const NEEDS: Record<string, Record<string, string>> = {
    upload: { file: 'app.ipa' },
    get: { 'build-id': 'b1' },
    list: {},
    update: { 'build-id': 'b1', 'version-name': '1.0' },
    delete: { 'build-id': 'b1' },
    attach: { 'build-id': 'b1', file: 'app.ipa' },
    prune: { keep: '1' },
    publish: {},
    unpublish: {}
  }
  /** The operations that fail, naming `input`, when it is left out. */
  function requiring(input: string): string[] {
    return OPERATIONS.filter((operation) => {
      const inputs: Record<string, string> = { token: 't', operation, ...NEEDS[operation] }
      delete inputs[input]
      try {
        parseSettings((name) => inputs[name] ?? '', { cwd: dir, warn: () => {}, run: PUSH_RUN })
        return false
      } catch (err) {
        return err instanceof InputError && err.input === input
      }
    })
  }
  /** "Required for get, update, delete and attach: ..." -> the operations named. */
  function saidRequired(input: string): string[] {
    const said = /^Required for (.+?)[:;]/.exec(action.inputs[input].description)?.[1] ?? ''
    return said
      .replace(/\(the default operation\)/, '')
      .split(/,| and /)
      .map((word) => word.trim())
      .filter(Boolean)
  }

  it("names every operation in the action's description", () => {
    for (const operation of OPERATIONS)
      expect(action.description.toLowerCase()).toContain(operation === 'attach' ? 'attach files to' : operation)
  })

  it.each(['file', 'build-id'])('says for which operations %s is required, and what happens without it', (input) => {
    expect(requiring(input).length).toBeGreaterThan(0)
    expect(saidRequired(input).sort()).toEqual(requiring(input).sort())
    expect(action.inputs[input].description).toContain('without it they fail before any request')
  })

  it('says api-url is used by every operation', () => {
    for (const operation of OPERATIONS) expect(action.inputs['api-url'].description).toContain(operation)
  })
})

describe('defaults', () => {
  it('are the ones action.yml declares, for every input that has one the runner does not compute', () => {
    // An expression default (github-token's ${{ github.token }}) only means something to the runner.
    const declared = Object.fromEntries([...declaredInputs()].filter(([, fallback]) => fallback !== '' && !fallback.startsWith('${{')))
    expect(INPUT_DEFAULTS).toEqual(declared)
  })
})
