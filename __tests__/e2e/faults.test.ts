// Fault injection: every fault the sandbox can script, run against the built action. Each test checks the
// exit code, the message, how many requests arrived, that exactly the right builds exist (never a duplicate,
// never a lost one), the bytes that arrived, and that the token never shows in the log.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { startSandbox, type Sandbox } from '../../sandbox/index.js'
import { startRecorder, type Recorder } from '../../harness/recorder.js'
import { startThrottle } from '../../harness/throttle.js'
import { makeWorkspace, runAction, visibleLog, type ActionRun } from '../../harness/runner.js'
import { connectionInputs, sha256 } from '../../harness/helpers.js'
import { expectOneIntactBuild as expectOneBuildHolding } from '../../harness/jest.js'

let sandbox: Sandbox
let recorder: Recorder
// Larger than the loopback socket buffers, so a reset mid-body comes before the whole body was handed over.
const ipa = randomBytes(24 * 1024 * 1024 + 5)
const UPLOAD = /^\/v1\/integrations\/builds$/
// Windows has no signals to send a child process: the runner cancels there with a console Ctrl-Break, which a
// test cannot send to a process in another console. The handling is the same code on every platform.
const itWithSignals = process.platform === 'win32' ? it.skip : it
const describeWithSignals = process.platform === 'win32' ? describe.skip : describe
const ONE_BUILD = /^\/v1\/integrations\/builds\/\w+$/

beforeAll(async () => {
  sandbox = await startSandbox({ processingDelayMs: 300 })
  recorder = await startRecorder()
})
afterAll(async () => {
  await sandbox.close()
  await recorder.close()
})
beforeEach(() => sandbox.reset())

/** Shorter backoff and look windows (APPLIVERY_TEST_TIMINGS); the real ones are asserted in timings.test.ts. */
const timings = (overrides: Record<string, unknown> = {}): Record<string, string> => ({
  APPLIVERY_TEST_TIMINGS: JSON.stringify({ retryBaseMs: 100, verifyForMs: 2000, verifyGapsMs: [500], ...overrides })
})

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return { ...connectionInputs(sandbox), ...extra }
}

function upload(extra: Record<string, string> = {}, env: Record<string, string> = {}): Promise<ActionRun> {
  return runAction(inputs({ file: 'app.ipa', ...extra }), {
    workspace: makeWorkspace({ 'app.ipa': ipa }),
    env: { ...timings(), ...env },
    timeoutMs: 110_000
  })
}

const uploads = () => sandbox.requests.filter((r) => r.method === 'POST' && UPLOAD.test(r.path))
/** Reads of the newest builds: one before every upload, then one per look for an upload whose answer was lost. */
const lists = () => sandbox.requests.filter((r) => r.method === 'GET' && UPLOAD.test(r.path))

function log(run: ActionRun): string {
  const text = visibleLog(run)
  expect(text).not.toContain(sandbox.tokens.app)
  return text.replace(/%0A/g, '\n')
}

/** Exactly one build exists, it holds exactly the bytes of the file, and the outputs name it. */
function expectOneIntactBuild(run: ActionRun): void {
  expectOneBuildHolding(sandbox, run, ipa)
}

describe('uploads that surely were not applied are sent again', () => {
  it.each([
    ['503 with Retry-After in seconds', { kind: 'status', status: 503, headers: { 'retry-after': '1' } }],
    [
      '429 with Retry-After as an HTTP date',
      { kind: 'status', status: 429, headers: { 'retry-after': new Date(Date.now() + 1000).toUTCString() } }
    ],
    ['a reset before the body', { kind: 'reset-before-body' }],
    ['a reset after part of the body', { kind: 'reset-after-bytes', bytes: 200_000 }]
  ] as const)('%s', async (_name, action) => {
    sandbox.faults.add({ method: 'POST', path: UPLOAD, action })
    const run = await upload()
    expectOneIntactBuild(run)
    expect(uploads()).toHaveLength(2)
    expect(lists()).toHaveLength(1)
    expect(log(run)).toMatch(/Upload build: attempt 1 of 5 failed .*; retrying in \d+\.\ds/)
  })

  it('waits as long as Retry-After says', async () => {
    sandbox.faults.add({ method: 'POST', path: UPLOAD, action: { kind: 'status', status: 503, headers: { 'retry-after': '2' } } })
    const run = await upload()
    expectOneIntactBuild(run)
    expect(log(run)).toContain('retrying in 2.0s')
  })

  it('ignores a garbage Retry-After and backs off on its own', async () => {
    sandbox.faults.add({
      method: 'POST',
      path: UPLOAD,
      action: { kind: 'status', status: 503, headers: { 'retry-after': 'later, maybe' } }
    })
    const run = await upload()
    expectOneIntactBuild(run)
    expect(log(run)).toMatch(/retrying in [01]\.\ds/)
  })
})

describe('uploads that may have been applied are looked for before being sent again', () => {
  it('the build was created but the connection dropped before the answer: no second upload', async () => {
    sandbox.faults.add({ method: 'POST', path: UPLOAD, action: { kind: 'apply-then-drop' } })
    const run = await upload()
    expectOneIntactBuild(run)
    expect(uploads()).toHaveLength(1)
    expect(lists()).toHaveLength(2)
    expect(log(run)).toContain('the answer was lost, but the request had been applied; not repeating it')
  })

  it('the build was created but the answer was truncated: no second upload', async () => {
    sandbox.faults.add({ method: 'POST', path: UPLOAD, action: { kind: 'truncated' } })
    const run = await upload()
    expectOneIntactBuild(run)
    expect(uploads()).toHaveLength(1)
  })

  it('a 500 (the server is done with the request) and no build: one look, then uploaded once more', async () => {
    sandbox.faults.add({ method: 'POST', path: UPLOAD, action: { kind: 'status', status: 500 } })
    const run = await upload()
    expectOneIntactBuild(run)
    expect(uploads()).toHaveLength(2)
    expect(lists()).toHaveLength(2)
  })

  it('a 504 from a gateway and no build: looks for a while, then uploads once more', async () => {
    sandbox.faults.add({ method: 'POST', path: UPLOAD, action: { kind: 'html', status: 504 } })
    const run = await upload()
    expectOneIntactBuild(run)
    expect(uploads()).toHaveLength(2)
    // The one before the upload, then looks at 0, 0.5, 1, 1.5 and 2 s: a window of 2 s in this test.
    expect(lists()).toHaveLength(6)
    expect(log(run)).toContain(
      'not found yet (HTTP 504: The answer was not JSON: 504 Gateway Timeout 504 Gateway Timeout nginx); looking again in 0.5s'
    )
  })

  it('an HTML 502 while the server creates the build late: a later look finds it, no second upload', async () => {
    sandbox.faults.add({ method: 'POST', path: UPLOAD, action: { kind: 'apply-late', status: 502, ms: 3000 } })
    const run = await upload({}, timings({ verifyForMs: 6000 }))
    expectOneIntactBuild(run)
    expect(uploads()).toHaveLength(1)
    expect(lists().length).toBeGreaterThanOrEqual(2)
    expect(log(run)).toContain('the answer was lost, but the request had been applied; not repeating it')
  }, 60_000)

  it('keeps looking when a look fails for a passing reason, and finds the build', async () => {
    sandbox.faults.add({ method: 'POST', path: UPLOAD, action: { kind: 'apply-then-drop' } })
    sandbox.faults.add({ method: 'GET', path: UPLOAD, action: { kind: 'delay', ms: 0 } }) // the read before the upload
    sandbox.faults.add({ method: 'GET', path: UPLOAD, times: 5, action: { kind: 'html', status: 502 } }) // the whole first look
    const run = await upload()
    expectOneIntactBuild(run)
    expect(uploads()).toHaveLength(1)
    expect(lists()).toHaveLength(7)
    expect(log(run)).toMatch(
      /Upload build: could not look \(HTTP 502: The answer was not JSON: 502 Bad Gateway.*\); looking again in 0\.5s/
    )
  })

  it('gives up without a duplicate when it cannot tell whether the upload was applied', async () => {
    sandbox.faults.add({ method: 'POST', path: UPLOAD, action: { kind: 'status', status: 500 } })
    sandbox.faults.add({ method: 'GET', path: UPLOAD, action: { kind: 'delay', ms: 0 } }) // the read before the upload
    sandbox.faults.add({
      method: 'GET',
      path: UPLOAD,
      times: 5,
      action: { kind: 'status', status: 401, body: '{"status":false,"error":{"code":4004,"message":"Invalid token"}}' }
    })
    const run = await upload()
    expect(run.code).toBe(1)
    expect(log(run)).toMatch(/Upload build failed \(HTTP 500.*checking whether Applivery had applied it failed too .*not repeating it/)
    expect(uploads()).toHaveLength(1)
  })
})

describe('reads, updates and deletes', () => {
  it('retries a read through 502 pages, truncated bodies and resets', async () => {
    const build = sandbox.seedBuild({ status: 'processed' })
    sandbox.faults.add({ method: 'GET', path: ONE_BUILD, action: { kind: 'html', status: 502 } })
    sandbox.faults.add({ method: 'GET', path: ONE_BUILD, action: { kind: 'truncated' } })
    sandbox.faults.add({ method: 'GET', path: ONE_BUILD, action: { kind: 'reset-before-body' } })
    const run = await runAction(inputs({ operation: 'get', 'build-id': build.id }))
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ 'build-id': build.id, status: 'processed' })
    expect(sandbox.requests).toHaveLength(4)
    expect(log(run).match(/attempt \d of 5 failed/g)).toHaveLength(3)
  })

  it('stops after 5 attempts, naming the attempts, status, code and message', async () => {
    const build = sandbox.seedBuild({ status: 'processed' })
    const body = '{"status":false,"error":{"code":500,"message":"Database unavailable"}}'
    sandbox.faults.add({ method: 'GET', times: 5, action: { kind: 'status', status: 503, body, headers: { 'retry-after': '0' } } })
    const run = await runAction(inputs({ operation: 'get', 'build-id': build.id }))
    expect(run.code).toBe(1)
    expect(log(run)).toContain(
      `::error::Get build ${build.id} failed after 5 attempts (HTTP 503). Applivery error 500: Database unavailable`
    )
    expect(sandbox.requests).toHaveLength(5)
  })

  it('never retries other 4xx answers', async () => {
    sandbox.faults.add({
      method: 'PUT',
      action: { kind: 'status', status: 422, body: '{"status":false,"error":{"code":422,"message":"Bad tags"}}' }
    })
    const build = sandbox.seedBuild({ status: 'processed' })
    const run = await runAction(inputs({ operation: 'update', 'build-id': build.id, tags: 'x' }))
    expect(run.code).toBe(1)
    expect(log(run)).toContain(`Update build ${build.id} failed (HTTP 422). Applivery error 422: Bad tags`)
    expect(sandbox.requests).toHaveLength(1)
  })

  it('counts a retried delete that finds the build gone as done', async () => {
    const build = sandbox.seedBuild({ status: 'processed' })
    sandbox.faults.add({ method: 'DELETE', action: { kind: 'apply-then-drop' } })
    const run = await runAction(inputs({ operation: 'delete', 'build-id': build.id }))
    expect(run.code).toBe(0)
    expect(run.outputs.deleted).toBe('true')
    // After the one read of the app's install pages (none pins it).
    expect(sandbox.requests.map((r) => [r.method, r.status])).toEqual([
      ['GET', 200],
      ['DELETE', 0],
      ['DELETE', 404]
    ])
    expect(sandbox.builds()).toHaveLength(0)
  })

  it("does not take a proxy's HTML 404 for a deleted build", async () => {
    const build = sandbox.seedBuild({ status: 'processed' })
    sandbox.faults.add({ method: 'DELETE', times: 5, action: { kind: 'html', status: 404 } })
    const run = await runAction(inputs({ operation: 'delete', 'build-id': build.id }))
    expect(run.code).toBe(1)
    expect(run.outputs.deleted).toBeUndefined()
    expect(sandbox.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1)
    expect(sandbox.builds()).toHaveLength(1)
  })

  it('never repeats an upload refused by a proxy with an HTML 413', async () => {
    sandbox.faults.add({ method: 'POST', action: { kind: 'html', status: 413 } })
    const run = await upload()
    expect(run.code).toBe(1)
    expect(log(run)).toContain('Upload build failed (HTTP 413). The answer was not JSON: 413 Payload Too Large')
    expect(uploads()).toHaveLength(1)
    expect(sandbox.requests).toHaveLength(2)
  })

  it('looks for an upload answered without a build, and sends it again only once it is sure it was not made', async () => {
    sandbox.faults.add({ method: 'POST', action: { kind: 'status', status: 200, body: '{"status":true}' } })
    const run = await upload()
    expectOneBuildHolding(sandbox, run, ipa)
    expect(log(run)).toContain('The answer holds no build with an id (data: undefined)')
    expect(uploads()).toHaveLength(2)
  })

  it('does not attach a file twice when the answer to the attachment was lost', async () => {
    const build = sandbox.seedBuild({ status: 'processed' })
    sandbox.faults.add({ method: 'POST', path: /\/files$/, action: { kind: 'apply-then-drop' } })
    const run = await runAction(inputs({ operation: 'attach', 'build-id': build.id, file: 'App.dSYM.zip' }), {
      workspace: makeWorkspace({ 'App.dSYM.zip': ipa })
    })
    expect(run.code).toBe(0)
    const files = sandbox.builds()[0].files as { file: { checksum: string } }[]
    expect(files).toHaveLength(1)
    expect(files[0].file.checksum).toBe(sha256(ipa))
    expect(JSON.parse(run.outputs.files)).toHaveLength(1)
  })
})

describe('redirects', () => {
  it('follows a same-origin 307 on an upload by streaming the file again', async () => {
    sandbox.faults.add({ method: 'POST', path: UPLOAD, action: { kind: 'redirect', status: 307, location: '/v1/integrations/builds' } })
    const run = await upload()
    expectOneIntactBuild(run)
    expect(uploads().map((r) => r.status)).toEqual([307, 200])
  })

  it.each([
    ['a read', 'GET', { operation: 'get', 'build-id': 'b1' }],
    ['an upload', 'POST', {}]
  ] as const)('refuses a redirect of %s to another origin, and sends nothing there', async (_name, method, extra) => {
    sandbox.faults.add({ method, action: { kind: 'redirect', status: 302, location: `${recorder.url}/steal` } })
    const run = method === 'POST' ? await upload(extra) : await runAction(inputs(extra))
    expect(run.code).toBe(1)
    expect(log(run)).toContain(
      `Applivery redirected to ${recorder.url}/steal: another origin; not followed, so the token is not sent there`
    )
    expect(recorder.requests).toHaveLength(0)
    // An upload is preceded by its read of the newest builds.
    expect(sandbox.requests).toHaveLength(method === 'POST' ? 2 : 1)
    expect(sandbox.requests.filter((r) => r.method === method)).toHaveLength(1)
    expect(sandbox.builds()).toHaveLength(0)
  })
})

describe('the file, the network and cancellation', () => {
  it('fails an upload whose file changes between attempts, and makes no build', async () => {
    const workspace = makeWorkspace({ 'app.ipa': ipa })
    sandbox.faults.add({ method: 'POST', path: UPLOAD, action: { kind: 'status', status: 503, headers: { 'retry-after': '2' } } })
    const grow = setInterval(() => {
      if (uploads().length > 0) {
        appendFileSync(join(workspace, 'app.ipa'), 'more bytes')
        clearInterval(grow)
      }
    }, 20)
    const run = await runAction(inputs({ file: 'app.ipa' }), { workspace })
    clearInterval(grow)
    expect(run.code).toBe(1)
    expect(log(run)).toMatch(/app\.ipa changed while it was being uploaded/)
    expect(uploads()).toHaveLength(1)
    expect(sandbox.builds()).toHaveLength(0)
  })

  it('an upload whose check before sending fails names the upload, and sends nothing', async () => {
    const run = await upload({ token: 'not-a-token' })
    expect(run.code).toBe(1)
    expect(log(run)).toContain('Upload app.ipa: the check before sending it failed: List builds failed (HTTP 401). Applivery error 4004')
    expect(uploads()).toHaveLength(0)
  })

  it('fails after 5 attempts when nothing listens, naming the error', async () => {
    const run = await runAction(inputs({ file: 'app.ipa', 'upload-url': 'http://127.0.0.1:9' }), {
      workspace: makeWorkspace({ 'app.ipa': ipa })
    })
    expect(run.code).toBe(1)
    expect(log(run)).toMatch(
      /::error::Upload build failed after 5 attempts: POST http:\/\/127\.0\.0\.1:9\/v1\/integrations\/builds: connect ECONNREFUSED/
    )
  }, 90_000)

  it('uploads a large file intact through a sliced, bandwidth-limited connection', async () => {
    const large = randomBytes(48 * 1024 * 1024)
    const throttle = await startThrottle(sandbox.uploadUrl, { sliceBytes: 7919, bytesPerSecond: 24 * 1024 * 1024 })
    try {
      const run = await runAction(inputs({ file: 'big.aab', 'upload-url': throttle.url }), {
        workspace: makeWorkspace({ 'big.aab': large })
      })
      expect(run.code).toBe(0)
      expect(sandbox.builds()[0].checksum).toBe(sha256(large))
      expect(run.elapsedMs).toBeGreaterThan(1500)
    } finally {
      await throttle.close()
    }
  })

  itWithSignals('stops within 5 seconds when the workflow is cancelled, naming the build already uploaded', async () => {
    sandbox.setProcessingDelay(120_000)
    sandbox.faults.add({ method: 'GET', path: ONE_BUILD, times: 10, action: { kind: 'stall' } })
    let pid = 0
    const running = runAction(inputs({ file: 'app.ipa', wait: 'true' }), {
      workspace: makeWorkspace({ 'app.ipa': ipa }),
      onSpawn: (spawned) => (pid = spawned)
    })
    // Cancel once the build exists and the action is waiting on a stalled poll.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (sandbox.requests.some((r) => r.method === 'GET' && ONE_BUILD.test(r.path))) {
          clearInterval(poll)
          resolve()
        }
      }, 20)
    })
    const signalledAt = Date.now()
    process.kill(pid, 'SIGTERM')
    const run = await running
    expect(Date.now() - signalledAt).toBeLessThan(5000)
    expect(run.code).not.toBe(0)
    const buildId = sandbox.builds()[0].id
    expect(log(run)).toContain(`::error::Cancelled by SIGTERM. Build ${buildId} (status 'pending') is in Applivery.`)
    expect(run.outputs['build-id']).toBe(buildId)
  })
})

describeWithSignals('cancelled during the upload', () => {
  it("says the build may still appear, with the upload's triggerTimestamp", async () => {
    sandbox.faults.add({ method: 'POST', path: UPLOAD, action: { kind: 'stall' } })
    let pid = 0
    const running = runAction(inputs({ file: 'app.ipa' }), { workspace: makeWorkspace({ 'app.ipa': ipa }), onSpawn: (p) => (pid = p) })
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if ((uploads()[0]?.bodyBytes ?? 0) > ipa.length) {
          clearInterval(poll)
          resolve()
        }
      }, 20)
    })
    process.kill(pid, 'SIGINT')
    const run = await running
    expect(run.code).not.toBe(0)
    expect(log(run)).toMatch(
      /::error::Cancelled by SIGINT during the upload\. The build may still appear in Applivery: its deployer triggerTimestamp is \d{13}\./
    )
  })
})

describe('the token', () => {
  it('never appears in the log, debug logging included, nor is Authorization logged', async () => {
    const run = await upload({ wait: 'true' }, { RUNNER_DEBUG: '1' })
    expectOneIntactBuild(run)
    const text = log(run)
    expect(text).toMatch(/::debug::POST http:\/\/127\.0\.0\.1:\d+\/v1\/integrations\/builds -> 200 \(\d+ ms\)/)
    expect(text).not.toMatch(/authorization|bearer/i)
    expect(run.stdout).toContain(`::add-mask::${sandbox.tokens.app}`)
  })
})
