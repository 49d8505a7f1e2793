// What every test run relies on: the end-to-end harness leaves the temp folder as it found it, and a dist/ older
// than the source is noticed (and rebuilt by the global setup) so the tests test the code on disk.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../harness/runner.js'
import { closeRunTemp, openRunTemp, staleBecause } from '../harness/test-run.js'

describe('the temp folder', () => {
  let own: string
  beforeEach(() => {
    // A folder of this test's own: other test files write to the run's temp folder at the same time.
    own = mkdtempSync(join(tmpdir(), 'applivery-temp-check-'))
  })
  afterEach(() => rmSync(own, { recursive: true, force: true }))

  it('is as it was after a workspace and a run of the action, also one that failed', () => {
    // In a process of its own, whose temp folder is `own` (a test's process.env does not reach os.tmpdir()).
    const script = [
      "import { readdirSync } from 'node:fs'",
      "import { makeWorkspace, removeWorkspaces, runAction } from './harness/runner.ts'",
      'void (async () => {',
      "  const workspace = makeWorkspace({ 'app.ipa': 'ipa' })",
      "  const run = await runAction({ token: 'app-token', file: 'app.ipa', 'api-url': 'http://127.0.0.1:9' }, { workspace })",
      '  const during = readdirSync(process.env.TMPDIR)',
      '  removeWorkspaces()',
      '  console.log(JSON.stringify({ code: run.code, during, after: readdirSync(process.env.TMPDIR) }))',
      '})()'
    ].join('\n')
    const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')
    const child = spawnSync(process.execPath, [tsx, '--eval', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, TMPDIR: own, TEMP: own, TMP: own }
    })
    if (child.status !== 0) throw new Error(child.stderr)
    const seen = JSON.parse(child.stdout) as { code: number; during: string[]; after: string[] }
    // tsx's compile cache (tsx-<uid>), which this check's own process makes, is reused by every run: not counted.
    const made = (names: string[]): string[] => names.filter((name) => !name.startsWith('tsx-'))
    expect(seen.code).toBe(1)
    expect(made(seen.during)).toEqual([expect.stringMatching(/^e2e-workspace-/)])
    expect(made(seen.after)).toEqual([])
  })

  it("a run's temp folder is where temp files go, and goes with everything in it", () => {
    const env: NodeJS.ProcessEnv = {}
    const temp = openRunTemp(env)
    expect(env.TMPDIR).toBe(temp.dir)
    expect(env.TEMP).toBe(temp.dir)
    mkdirSync(join(temp.dir, 'left-by-a-failed-test'))
    closeRunTemp(temp)
    expect(readdirSync(own)).toEqual([])
    expect(existsSync(temp.dir)).toBe(false)
  })
})

describe('a stale dist/', () => {
  it('is noticed when a source file is newer than dist/index.js', () => {
    const root = mkdtempSync(join(tmpdir(), 'applivery-stale-'))
    try {
      mkdirSync(join(root, 'src'))
      mkdirSync(join(root, 'dist'))
      writeFileSync(join(root, 'src', 'main.ts'), 'export {}')
      writeFileSync(join(root, 'dist', 'index.js'), '')
      const dist = join(root, 'dist', 'index.js')
      const past = new Date(Date.now() - 60_000)
      utimesSync(join(root, 'src', 'main.ts'), past, past)
      utimesSync(join(root, 'src'), past, past)
      expect(staleBecause(root, dist)).toEqual([])
      writeFileSync(join(root, 'src', 'main.ts'), 'export const edited = true')
      expect(staleBecause(root, dist)).toEqual(['src'])
      rmSync(dist)
      expect(staleBecause(root, dist)).toEqual(['dist/index.js is missing'])
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
