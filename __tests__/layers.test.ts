// The folders of src/ are layers: a file imports only from its own folder and from the layers below it, never
// from one above, not even a type. Each folder also stays small enough to take in at a glance.
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { ROOT } from '../harness/runner.js'

/** Lowest first. Folders on one step may not import from each other. */
const LAYERS: string[][] = [
  ['output'], // the way out to the log, secrets, formats
  ['transport'], // HTTP, proxies, time limits, retries, streaming bodies
  ['applivery'], // Applivery's APIs
  ['github'], // GitHub's API and the run's context
  ['report', 'settings'], // what the step reports; the inputs, parsed
  ['install-pages', 'release-notes'], // what an install page says, and finding it; release notes made from the run
  ['operations'], // one module per operation
  ['.'] // index.ts and main.ts
]
const MAX_FILES_PER_FOLDER = 15
const SRC = join(ROOT, 'src')

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : name.endsWith('.ts') ? [path] : []
  })
}

/** The folder of src/ a file is in ('.' for src/ itself). */
function folderOf(path: string): string {
  return relative(SRC, dirname(path)).split(sep)[0] || '.'
}

function layerOf(folder: string): number {
  const layer = LAYERS.findIndex((folders) => folders.includes(folder))
  if (layer < 0) throw new Error(`src/${folder} is in no layer: add it to LAYERS in __tests__/layers.test.ts`)
  return layer
}

/** Every relative import of a file, static, dynamic or type-only, with the file it names. */
function importsOf(path: string): { specifier: string; target: string }[] {
  const text = readFileSync(path, 'utf8')
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1])
  return specifiers.map((specifier) => ({ specifier, target: resolve(dirname(path), specifier) }))
}

describe('the layers of src/', () => {
  const files = filesUnder(SRC)

  it('every import goes to the same folder or a layer below, never up nor across', () => {
    const wrong: string[] = []
    for (const file of files) {
      const from = folderOf(file)
      for (const { specifier, target } of importsOf(file)) {
        if (!target.startsWith(SRC)) continue
        const to = folderOf(target)
        if (to !== from && layerOf(to) >= layerOf(from)) wrong.push(`${relative(ROOT, file)} imports ${specifier}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('holds code in folders only, but for the entry and run()', () => {
    expect(readdirSync(SRC).filter((name) => name.endsWith('.ts'))).toEqual(['index.ts', 'main.ts'])
  })

  it(`has no folder of more than ${MAX_FILES_PER_FOLDER} files, in src/ nor in sandbox/`, () => {
    const crowded: string[] = []
    for (const top of ['src', 'sandbox']) {
      const count = new Map<string, number>()
      for (const file of filesUnder(join(ROOT, top))) count.set(dirname(file), (count.get(dirname(file)) ?? 0) + 1)
      for (const [dir, n] of count) if (n > MAX_FILES_PER_FOLDER) crowded.push(`${relative(ROOT, dir)}: ${n} files`)
    }
    expect(crowded).toEqual([])
  })
})
