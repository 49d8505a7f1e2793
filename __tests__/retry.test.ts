import { describe, expect, it } from '@jest/globals'
import { ApiError } from '../src/applivery/errors.js'
import { TransportError } from '../src/transport/errors.js'
import { parseRetryAfter, retryDelayMs, verdict } from '../src/transport/retry.js'

const api = (httpStatus: number, extra: Partial<ConstructorParameters<typeof ApiError>[0]> = {}) =>
  new ApiError({ operation: 'x', httpStatus, apiMessage: 'm', ...extra })
const net = (code: string, bodySent: boolean) => new TransportError('net', code, bodySent)

describe('retry verdicts', () => {
  it('retries reads, updates and deletes on every transient failure, never on other 4xx', () => {
    for (const status of [408, 429, 500, 502, 503, 504]) expect(verdict(api(status), true)).toBe('retry')
    for (const status of [400, 401, 403, 404, 409, 422]) expect(verdict(api(status), true)).toBe('fail')
    expect(verdict(api(200, { malformed: true }), true)).toBe('retry')
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN'])
      expect(verdict(net(code, true), true)).toBe('retry')
    expect(verdict(net('ABORT_ERR', false), true)).toBe('fail')
    expect(verdict(net('EREDIRECT', true), true)).toBe('fail')
  })

  it('repeats an upload only where it surely was not applied, and checks first where it may have been', () => {
    expect(verdict(net('ECONNREFUSED', false), false)).toBe('retry')
    expect(verdict(net('EAI_AGAIN', false), false)).toBe('retry')
    expect(verdict(net('ECONNRESET', false), false)).toBe('retry')
    expect(verdict(api(429), false)).toBe('retry')
    expect(verdict(api(503), false)).toBe('retry')
    expect(verdict(net('ECONNRESET', true), false)).toBe('check')
    expect(verdict(net('ETIMEDOUT', true), false)).toBe('check')
    for (const status of [500, 502, 504]) expect(verdict(api(status), false)).toBe('check')
    expect(verdict(api(200, { malformed: true }), false)).toBe('check')
    expect(verdict(api(400), false)).toBe('fail')
    expect(verdict(new Error('file changed'), false)).toBe('fail')
  })
})

describe('retry delays', () => {
  it('backs off exponentially with full jitter, capped at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map((attempt) => retryDelayMs(attempt, api(503), () => 1))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000
    ])
    expect(retryDelayMs(3, api(503), () => 0.5)).toBe(2000)
    expect(retryDelayMs(3, api(503), () => 0)).toBe(0)
  })

  it('honours Retry-After in seconds or as an HTTP date, capped, and ignores garbage', () => {
    const now = Date.parse('2026-11-24T10:00:00Z')
    expect(parseRetryAfter('3', now)).toBe(3000)
    expect(parseRetryAfter('Tue, 24 Nov 2026 10:00:05 GMT', now)).toBe(5000)
    expect(parseRetryAfter('Tue, 24 Nov 2026 09:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('86400', now)).toBe(120_000)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('-1', now)).toBeUndefined()
    expect(parseRetryAfter('1.5', now)).toBeUndefined()
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
    expect(retryDelayMs(1, api(429, { retryAfterMs: 2500 }))).toBe(2500)
  })
})

describe('the client under a policy of zero delays', () => {
  it('retries through faults in-process without waiting', async () => {
    const { startSandbox } = await import('../sandbox/index.js')
    const { AppliveryClient } = await import('../src/applivery/client.js')
    const { retryPolicy } = await import('../src/transport/retry.js')
    const { DEFAULT_TIMINGS } = await import('../src/transport/timings.js')
    const sandbox = await startSandbox()
    try {
      const seeded = sandbox.seedBuild({ status: 'processed' })
      sandbox.faults.add({ method: 'GET', times: 4, action: { kind: 'status', status: 503 } })
      const timings = { ...DEFAULT_TIMINGS, retryBaseMs: 0, retryMaxMs: 0 }
      const policy = retryPolicy(timings)
      const waits: number[] = []
      const client = new AppliveryClient({
        token: sandbox.tokens.app,
        scope: { kind: 'integrations' },
        apiUrl: new URL(sandbox.apiUrl),
        uploadUrl: new URL(sandbox.uploadUrl),
        retry: { ...policy, delayMs: (attempt, err) => (waits.push(policy.delayMs(attempt, err)), waits.at(-1)!) }
      })
      expect((await client.getBuild(seeded.id)).id).toBe(seeded.id)
      expect(sandbox.requests.map((r) => r.status)).toEqual([503, 503, 503, 503, 200])
      expect(waits).toEqual([0, 0, 0, 0])
    } finally {
      await sandbox.close()
    }
  })
})
