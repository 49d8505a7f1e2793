// Applivery as its own clients have seen it: answers held for minutes after an upload, builds that appear
// late, deployer fields stored in another form than sent, a token refused in the middle of a large upload,
// page sizes clamped or refused, and 'success' for a processed build. Time limits are shortened through
// APPLIVERY_TEST_TIMINGS; their real values are asserted in timings.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { startSandbox, type Sandbox } from '../../sandbox/index.js'
import { makeWorkspace, runAction, visibleLog, type ActionRun } from '../../harness/runner.js'
import { connectionInputs, sha256 } from '../../harness/helpers.js'
import { expectOneIntactBuild } from '../../harness/jest.js'

let sandbox: Sandbox
const ipa = randomBytes(2 * 1024 * 1024)
const BUILDS = '/v1/integrations/builds'

beforeAll(async () => {
  sandbox = await startSandbox({ processingDelayMs: 200 })
})
afterAll(() => sandbox.close())
beforeEach(() => sandbox.reset())

const inputs = (extra: Record<string, string> = {}) => ({ ...connectionInputs(sandbox), ...extra })
const timings = (overrides: Record<string, unknown> = {}) => ({
  APPLIVERY_TEST_TIMINGS: JSON.stringify({ retryBaseMs: 50, ...overrides }),
  RUNNER_DEBUG: '1'
})
const posts = () => sandbox.requests.filter((r) => r.method === 'POST' && r.path === BUILDS)
const lists = () => sandbox.requests.filter((r) => r.method === 'GET' && r.path === BUILDS)

function upload(env: Record<string, string>, file: Buffer = ipa): Promise<ActionRun> {
  return runAction(inputs({ file: 'app.ipa' }), { workspace: makeWorkspace({ 'app.ipa': file }), env, timeoutMs: 60_000 })
}

function log(run: ActionRun): string {
  const text = visibleLog(run).replace(/%0A/g, '\n')
  expect(text).not.toContain(sandbox.tokens.app)
  return text
}

/** Exactly one build, holding the file, named by the step's build-id, and the file sent once. */
function expectExactlyOneBuild(run: ActionRun): void {
  expectOneIntactBuild(sandbox, run, ipa)
  expect(posts()).toHaveLength(1)
}

describe('an upload answered slowly', () => {
  it('waits for an answer that comes long after the last byte, past the limit for a silent connection', async () => {
    sandbox.configure({ uploadHold: { ms: 2500, visible: 'end' } })
    const run = await upload(timings({ idleMs: 1000 }))
    expectExactlyOneBuild(run)
    expect(lists()).toHaveLength(1) // the read before the upload; no look was needed
    expect(run.elapsedMs).toBeGreaterThan(2500)
  })

  it.each([
    ['visible while the server works on it', 'start' as const],
    ['created only at the end', 'end' as const]
  ])('looks for a build whose answer did not come in time, %s, and does not send it again', async (_name, visible) => {
    sandbox.configure({ uploadHold: { ms: 3000, visible } })
    const run = await upload(timings({ responseMs: 1000, verifyForMs: 8000, verifyGapsMs: [400] }))
    expectExactlyOneBuild(run)
    const text = log(run)
    expect(text).toMatch(/no answer 1s after the last byte/)
    expect(text).toContain('Upload build: the answer was lost, but the request had been applied; not repeating it')
    if (visible === 'end') expect(text).toMatch(/not found yet .*; looking again in 0\.4s before sending it again/)
  })

  it('sends the file again only once the look window has passed without the build', async () => {
    sandbox.faults.add({ method: 'POST', path: /builds$/, action: { kind: 'stall' } })
    const run = await upload(timings({ responseMs: 500, verifyForMs: 1200, verifyGapsMs: [400] }))
    expect(run.code).toBe(0)
    expect(posts()).toHaveLength(2)
    // The read before the upload, then looks at 0, 0.4, 0.8 and 1.2 s.
    expect(lists()).toHaveLength(5)
    expect(sandbox.builds()).toHaveLength(1)
  })
})

describe('deployer fields stored in another form than sent', () => {
  it.each(['number', 'iso', 'string'] as const)('finds its build when triggerTimestamp is kept as %s', async (form) => {
    sandbox.configure({ triggerTimestampAs: form })
    sandbox.faults.add({ method: 'POST', path: /builds$/, action: { kind: 'apply-then-drop' } })
    const run = await upload(timings())
    expectExactlyOneBuild(run)
    const stored = sandbox.builds()[0].deployer as { info: { triggerTimestamp: unknown } }
    expect(typeof stored.info.triggerTimestamp).toBe(form === 'number' ? 'number' : 'string')
    if (form === 'iso') expect(stored.info.triggerTimestamp).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it('does not take a build another pipeline created meanwhile for its own', async () => {
    sandbox.faults.add({ method: 'POST', path: /builds$/, action: { kind: 'stall' } })
    const other = () =>
      sandbox.seedBuild({
        deployer: { name: 'Bitrise', info: { commit: 'ffff', triggerTimestamp: String(Date.now()), buildUrl: 'https://ci/1' } }
      })
    const seeding = setInterval(() => posts().length > 0 && other(), 200)
    const run = await upload(timings({ responseMs: 500, verifyForMs: 800, verifyGapsMs: [400] }))
    clearInterval(seeding)
    expect(run.code).toBe(0)
    expect(posts()).toHaveLength(2)
    const ours = sandbox.builds().filter((build) => build.checksum === sha256(ipa))
    expect(ours).toHaveLength(1)
    expect(run.outputs['build-id']).toBe(ours[0].id)
  })
})

describe('a token refused during a large upload', () => {
  const large = randomBytes(48 * 1024 * 1024)

  it('fails within seconds with the 4004 hint when the server answers before reading the body and closes', async () => {
    sandbox.faults.add({
      method: 'POST',
      path: /builds$/,
      action: { kind: 'early-answer', status: 401, body: '{"status":false,"error":{"code":4004,"message":"Invalid token"}}' }
    })
    const run = await upload(timings(), large)
    expect(run.code).toBe(1)
    expect(log(run)).toContain(
      '::error::Upload build failed (HTTP 401). Applivery error 4004: Invalid token%0AHint: Applivery rejected the token'.replace(
        '%0A',
        '\n'
      )
    )
    expect(posts()).toHaveLength(1)
    expect(posts()[0].bodyBytes).toBeLessThan(large.length / 2)
    expect(run.elapsedMs).toBeLessThan(5000)
    expect(sandbox.builds()).toHaveLength(0)
  })

  it('fails before sending a byte of the file when the token is wrong from the start', async () => {
    sandbox.configure({ rejectEarly: true })
    const run = await runAction(inputs({ token: 'not-a-token', file: 'app.ipa' }), {
      workspace: makeWorkspace({ 'app.ipa': large }),
      env: timings()
    })
    expect(run.code).toBe(1)
    expect(visibleLog(run)).toContain('Applivery error 4004: Invalid token')
    expect(posts()).toHaveLength(0)
    expect(run.elapsedMs).toBeLessThan(5000)
  })
})

describe('page sizes', () => {
  const seed = (count: number): void => {
    const start = Date.parse('2026-01-01T00:00:00Z')
    for (let i = 0; i < count; i++) sandbox.seedBuild({ status: 'processed', createdAt: new Date(start + i * 60_000) })
  }
  const limits = () => lists().map((r) => [r.query.limit, r.query.page])

  it.each([400, 422] as const)('walks on with pages of 100 when Applivery refuses a larger page with %i, and says so', async (status) => {
    sandbox.configure({ refuseLimitAbove: 100, refuseLimitStatus: status })
    seed(300)
    const run = await runAction(inputs({ operation: 'list', limit: '250' }), { env: timings() })
    expect(run.code).toBe(0)
    expect(run.outputs.count).toBe('250')
    expect(new Set(JSON.parse(run.outputs['build-ids'])).size).toBe(250)
    expect(limits()).toEqual([
      ['250', '1'],
      ['100', '1'],
      ['100', '2'],
      ['100', '3']
    ])
    expect(log(run)).toMatch(
      new RegExp(`::debug::List builds: Applivery refused pages of 250 \\(HTTP ${status}.*\\); asking for pages of 100 from now on`)
    )
  })

  it('walks a list that silently clamps the page size', async () => {
    sandbox.configure({ maxPageSize: 100 })
    seed(300)
    const run = await runAction(inputs({ operation: 'list', limit: '250' }), { env: timings() })
    expect(run.outputs.count).toBe('250')
    expect(limits()).toEqual([
      ['250', '1'],
      ['250', '2'],
      ['250', '3']
    ])
  })

  it.each([
    ['refuses pages over 100', { refuseLimitAbove: 100 }],
    ['clamps pages to 100', { maxPageSize: 100 }],
    ['refuses pages over 20', { refuseLimitAbove: 20 }]
  ])(
    'prunes 600 builds from an API that %s',
    async (_name, behaviour) => {
      sandbox.configure(behaviour)
      seed(600)
      const run = await runAction(inputs({ operation: 'prune', keep: '10' }), { env: timings(), timeoutMs: 120_000 })
      expect(run.code).toBe(0)
      expect(run.outputs.count).toBe('590')
      expect(sandbox.builds()).toHaveLength(10)
      expect(sandbox.builds().map((build) => build.createdAt)).toEqual(
        Array.from({ length: 10 }, (_, i) => new Date(Date.parse('2026-01-01T00:00:00Z') + (599 - i) * 60_000).toISOString())
      )
    },
    120_000
  )

  it('stops where the pagination fields say the list ends', async () => {
    seed(250)
    sandbox.configure({ listForm: 'paginated', maxPageSize: 100 })
    const paginated = await runAction(inputs({ operation: 'list', limit: '1000' }), { env: timings() })
    expect(paginated.outputs.count).toBe('250')
    expect(limits()).toEqual([
      ['1000', '1'],
      ['1000', '2'],
      ['1000', '3']
    ])
    sandbox.requests.length = 0
    sandbox.configure({ listForm: 'items' })
    const bare = await runAction(inputs({ operation: 'list', limit: '1000' }), { env: timings() })
    expect(bare.outputs.count).toBe('250')
    // Without the fields, only an empty page says the list has ended.
    expect(limits()).toEqual([
      ['1000', '1'],
      ['1000', '2'],
      ['1000', '3'],
      ['1000', '4']
    ])
  })
})

describe("'success' for a processed build", () => {
  it('reports it as processed, waits no longer for it, and deletes and attaches at once', async () => {
    const build = sandbox.seedBuild({ status: 'success' })
    const got = await runAction(inputs({ operation: 'get', 'build-id': build.id, wait: 'true' }), { env: timings() })
    expect(got.code).toBe(0)
    expect(got.outputs.status).toBe('processed')
    expect(JSON.parse(got.outputs.build).status).toBe('success')
    expect(sandbox.requests).toHaveLength(1)
    const attached = await runAction(inputs({ operation: 'attach', 'build-id': build.id, file: 'notes.txt' }), {
      workspace: makeWorkspace({ 'notes.txt': 'notes' }),
      env: timings()
    })
    expect(attached.code).toBe(0)
    expect(attached.outputs.status).toBe('processed')
    const deleted = await runAction(inputs({ operation: 'delete', 'build-id': build.id }), { env: timings() })
    expect(deleted.outputs.deleted).toBe('true')
    expect(sandbox.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1)
  })
})
