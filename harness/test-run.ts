// What a whole `npm test` run needs before its first test and after its last: a dist/ that is the source's, and
// a temp folder of its own, removed at the end whatever happened. Jest's global setup and teardown
// (harness/jest-global-setup.mjs, jest-global-teardown.mjs) call these; a test checks them too.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { DIST, ROOT } from './runner.js'

/** What dist/ is built from: a change in any of these means dist/ may no longer be what they build. */
const BUILD_INPUTS = ['src', 'stubs', 'scripts/build.ts', 'package.json', 'package-lock.json', 'tsconfig.json']

function newestChange(path: string): number {
  const stats = statSync(path)
  if (!stats.isDirectory()) return stats.mtimeMs
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))))
}

/** The build inputs changed since dist/index.js was written (none: dist/ is fresh). */
export function staleBecause(root: string = ROOT, dist: string = DIST): string[] {
  if (!existsSync(dist)) return ['dist/index.js is missing']
  const built = statSync(dist).mtimeMs
  return BUILD_INPUTS.map((input) => join(root, input))
    .filter((path) => existsSync(path) && newestChange(path) > built)
    .map((path) => relative(root, path))
}

/** Rebuilds dist/ (npm run build) when a build input is newer, so the end-to-end tests test the code as it is on disk. */
export function rebuildIfStale(log: (line: string) => void): void {
  const stale = staleBecause()
  if (stale.length === 0) return
  log(`dist/ is older than ${stale.join(', ')}: rebuilding it (npm run build) so the tests test the code on disk`)
  const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')
  const build = spawnSync(process.execPath, [tsx, join(ROOT, 'scripts', 'build.ts')], { cwd: ROOT, encoding: 'utf8' })
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`)
}

/** The temp folder of one test run, inside the system's. */
export interface RunTemp {
  dir: string
}

/** A temp folder for the run; TMPDIR, TEMP and TMP point into it, for the test workers and every process they start. */
export function openRunTemp(env: NodeJS.ProcessEnv = process.env): RunTemp {
  const dir = mkdtempSync(join(tmpdir(), 'applivery-tests-'))
  for (const name of ['TMPDIR', 'TEMP', 'TMP']) env[name] = dir
  return { dir }
}

/** Removes the run's temp folder, and whatever a test that failed half-way left in it. */
export function closeRunTemp(temp: RunTemp): void {
  rmSync(temp.dir, { recursive: true, force: true, maxRetries: 3 })
}
