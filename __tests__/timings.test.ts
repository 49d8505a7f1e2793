// The real time limits, and the test-only variable that shortens them.
import { describe, expect, it } from '@jest/globals'
import { verifyDelaysMs } from '../src/transport/retry.js'
import { DEFAULT_TIMINGS, timingsFromEnv } from '../src/transport/timings.js'

const MINUTE = 60_000

describe('the defaults the action runs with', () => {
  it('connects within 30 s, waits 30 minutes for the answer to an upload and 5 minutes on a silent connection otherwise', () => {
    expect(DEFAULT_TIMINGS).toMatchObject({ connectMs: 30_000, responseMs: 30 * MINUTE, idleMs: 5 * MINUTE })
  })

  it('probes an idle connection after 30 s, so a dead one is noticed within a minute', () => {
    expect(DEFAULT_TIMINGS.keepAliveMs).toBe(30_000)
  })

  it('looks for an upload with an unknown outcome for 15 minutes before sending it again', () => {
    const delays = verifyDelaysMs(DEFAULT_TIMINGS)
    expect(delays.slice(0, 6)).toEqual([0, 5_000, 10_000, 15_000, 30_000, 60_000])
    expect(delays.reduce((sum, delay) => sum + delay, 0)).toBeGreaterThanOrEqual(15 * MINUTE)
    expect(delays.reduce((sum, delay) => sum + delay, 0)).toBeLessThan(16 * MINUTE)
    expect(delays).toHaveLength(19)
  })

  it('backs off from 1 s to at most 30 s, and honours Retry-After up to 2 minutes', () => {
    expect(DEFAULT_TIMINGS).toMatchObject({ retryBaseMs: 1000, retryMaxMs: 30_000, retryAfterMaxMs: 120_000 })
  })

  it('are what the action uses when the test-only variable is not set', () => {
    expect(timingsFromEnv({})).toEqual(DEFAULT_TIMINGS)
  })
})

describe("APPLIVERY_TEST_TIMINGS (for the action's own tests)", () => {
  it('replaces the timings it names', () => {
    const timings = timingsFromEnv({ APPLIVERY_TEST_TIMINGS: '{"responseMs": 2000, "verifyGapsMs": [100, 200]}' })
    expect(timings).toEqual({ ...DEFAULT_TIMINGS, responseMs: 2000, verifyGapsMs: [100, 200] })
    expect(verifyDelaysMs({ ...timings, verifyForMs: 1000 })).toEqual([0, 100, 200, 200, 200, 200, 200])
    expect(verifyDelaysMs({ ...timings, verifyForMs: 0 })).toEqual([0])
  })

  it('refuses what it does not understand', () => {
    expect(() => timingsFromEnv({ APPLIVERY_TEST_TIMINGS: 'fast' })).toThrow(/is not JSON/)
    expect(() => timingsFromEnv({ APPLIVERY_TEST_TIMINGS: '{"speed": 2}' })).toThrow(/unknown timing 'speed'/)
    expect(() => timingsFromEnv({ APPLIVERY_TEST_TIMINGS: '{"idleMs": "1s"}' })).toThrow(/'idleMs' must be milliseconds/)
    expect(() => timingsFromEnv({ APPLIVERY_TEST_TIMINGS: '{"verifyGapsMs": []}' })).toThrow(/must be a list of milliseconds/)
  })
})

describe('the wait for processing', () => {
  it('polls at most 8 s apart for its first 15 minutes, then backs off to 40 s', async () => {
    const { nextPollMs } = await import('../src/operations/wait.js')
    const offsets: number[] = []
    for (let at = 0, gap = DEFAULT_TIMINGS.pollFirstMs; at < 30 * 60_000; gap = nextPollMs(gap, at, DEFAULT_TIMINGS)) {
      at += gap
      offsets.push(at)
    }
    const gaps = offsets.map((at, i) => at - (offsets[i - 1] ?? 0))
    const early = offsets.filter((at) => at <= 15 * 60_000)
    expect(gaps.slice(0, 5)).toEqual([1000, 2000, 4000, 8000, 8000])
    expect(Math.max(...gaps.slice(0, early.length))).toBe(8000)
    expect(early.length + 1).toBeLessThanOrEqual(120)
    expect(Math.max(...gaps)).toBe(40_000)
  })
})
