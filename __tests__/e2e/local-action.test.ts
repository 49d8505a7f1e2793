// `npm run local-action`: the action's source under GitHub's local-action, from the committed .env.example,
// against the sandbox. local-action exits 0 even when the action fails, so the sandbox is what is asserted on.
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSandbox, type Sandbox } from '../../sandbox/index.js'
import { ROOT } from '../../harness/runner.js'

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ fixedTokens: true, processingDelayMs: 200 })
})
afterAll(() => sandbox.close())

it('runs src/main.ts from .env.example, and the build reaches the sandbox', async () => {
  const example = readFileSync(join(ROOT, '.env.example'), 'utf8')
  // The example expects the sandbox on ports 4010 and 4011; this one listens where it could.
  const env = example.replace('http://127.0.0.1:4010', sandbox.apiUrl).replace('http://127.0.0.1:4011', sandbox.uploadUrl)
  expect(env).toContain(`INPUT_TOKEN=${sandbox.tokens.app}`)
  const envFile = join(mkdtempSync(join(tmpdir(), 'local-action-')), '.env')
  writeFileSync(envFile, env)

  const bin = join(ROOT, 'node_modules', '@github', 'local-action', 'bin', 'local-action.js')
  const child = spawn(process.execPath, [bin, 'run', ROOT, 'src/main.ts', envFile], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), SystemRoot: process.env.SystemRoot ?? '' }
  })
  let log = ''
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()))
  await new Promise((resolve) => child.on('close', resolve))

  const fixture = readFileSync(join(ROOT, '__fixtures__', 'app-release.apk'))
  const builds = sandbox.builds()
  if (builds.length !== 1) throw new Error(`expected one build in the sandbox; local-action printed:\n${log}`)
  expect(builds[0]).toMatchObject({
    status: 'processed',
    versionName: 'local-action',
    tags: ['local', 'debugging'],
    checksum: createHash('sha256').update(fixture).digest('hex')
  })
  expect(sandbox.requests.filter((r) => r.method === 'POST').map((r) => r.headers.authorization)).toEqual([`Bearer ${sandbox.tokens.app}`])
  // The outputs reached local-action's own @actions/core.
  expect(log).toContain(`build-id::${builds[0].id}`)
}, 120_000)
