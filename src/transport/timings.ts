// Every time limit of the transport and the retry policy, in one place. The defaults are what the action
// runs with; APPLIVERY_TEST_TIMINGS (test-only, documented as such) shortens them for the project's own tests.

export interface Timings {
  /** Reaching the server: TCP connect, a proxy's CONNECT and the TLS handshake together. */
  connectMs: number
  /** No bytes moving either way while a request is sent, or while a request without a file waits for its answer. */
  idleMs: number
  /** How long the answer to a file sent in full may take, all of it: Applivery may work on an upload for many minutes. */
  responseMs: number
  /** How long a request without a file may take, from sending it to the last byte of its answer: a trickle ends here. */
  readMs: number
  /** Idle time on a connection before TCP keepalive probes start; a dead peer is noticed about 10 s later. */
  keepAliveMs: number
  /** How long to look for an upload or attachment whose outcome is unknown before sending it again. */
  verifyForMs: number
  /** Gaps between those looks, from the first (made at once); the last gap repeats. */
  verifyGapsMs: number[]
  /** Backoff between attempts: full jitter up to base * 2^(attempt - 1), capped at max. */
  retryBaseMs: number
  retryMaxMs: number
  /** The longest Retry-After honoured. */
  retryAfterMaxMs: number
  /**
   * How long after writing an install page or a pull request's comment it is read back, to see that another job
   * did not write over it from an older read: longer than a job takes from reading to writing.
   */
  rereadMs: number
  /** How long a glob in a file input may walk the file system. */
  globMs: number
  /**
   * A wait for processing polls after pollFirstMs, then twice as long each time: up to pollEarlyMaxMs while the
   * wait is younger than pollEarlyForMs (most builds finish then, and testers should not wait for a slow poll),
   * then up to pollMaxMs.
   */
  pollFirstMs: number
  pollEarlyMaxMs: number
  pollEarlyForMs: number
  pollMaxMs: number
}

export const DEFAULT_TIMINGS: Readonly<Timings> = Object.freeze({
  connectMs: 30_000,
  idleMs: 5 * 60_000,
  responseMs: 30 * 60_000,
  readMs: 2 * 60_000,
  keepAliveMs: 30_000,
  verifyForMs: 15 * 60_000,
  verifyGapsMs: [5_000, 10_000, 15_000, 30_000, 60_000],
  retryBaseMs: 1_000,
  retryMaxMs: 30_000,
  retryAfterMaxMs: 120_000,
  globMs: 60_000,
  rereadMs: 2_000,
  pollFirstMs: 1_000,
  // A processed build is seen within 8 s for the first 15 minutes, in at most 120 requests.
  pollEarlyMaxMs: 8_000,
  pollEarlyForMs: 15 * 60_000,
  // After that, a long wait stays cheap: a request every 40 s.
  pollMaxMs: 40_000
})

export const TEST_TIMINGS_VARIABLE = 'APPLIVERY_TEST_TIMINGS'

/** The defaults, with any of them replaced by the test-only variable (a JSON object of the fields above). */
export function timingsFromEnv(env: NodeJS.ProcessEnv): Timings {
  const text = env[TEST_TIMINGS_VARIABLE]
  const timings: Timings = { ...DEFAULT_TIMINGS, verifyGapsMs: [...DEFAULT_TIMINGS.verifyGapsMs] }
  if (!text) return timings
  let overrides: unknown
  try {
    overrides = JSON.parse(text)
  } catch {
    throw new Error(`${TEST_TIMINGS_VARIABLE} (for the action's own tests) is not JSON`)
  }
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new Error(`${TEST_TIMINGS_VARIABLE} (for the action's own tests) must be a JSON object`)
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in timings)) throw new Error(`${TEST_TIMINGS_VARIABLE}: unknown timing '${key}'`)
    const valid = key === 'verifyGapsMs' ? isDurations(value) && value.length > 0 : isDuration(value)
    if (!valid) throw new Error(`${TEST_TIMINGS_VARIABLE}: '${key}' must be ${key === 'verifyGapsMs' ? 'a list of ' : ''}milliseconds`)
    Object.assign(timings, { [key]: value })
  }
  return timings
}

function isDuration(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}

function isDurations(value: unknown): value is number[] {
  return Array.isArray(value) && value.every(isDuration)
}
