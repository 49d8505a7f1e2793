// When to try a request again, and how long to wait first. Reads, updates and deletes are retried on any
// transient failure; uploads only where the request surely was not applied, and otherwise only after
// checking that it was not (see attempts.ts).
import { ResponseError, TransportError } from './errors.js'
import { DEFAULT_TIMINGS, type Timings } from './timings.js'

export const MAX_ATTEMPTS = 5

const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504])
/** Answers that say the request was not applied: throttled, overloaded, or the body never fully arrived. */
const NOT_APPLIED_STATUSES = new Set([408, 429, 503])
/** Network failures where nothing reached the server. */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'])

/**
 * The waits before each look for a write whose outcome is unknown: at once, then after the gaps (the last
 * one repeating) until the looks span `verifyForMs`. A server still working on it (behind a gateway that gave
 * up with 504, or past the client's patience) creates it late.
 */
export function verifyDelaysMs(timings: Pick<Timings, 'verifyForMs' | 'verifyGapsMs'>): number[] {
  const delays = [0]
  for (let elapsed = 0, i = 0; elapsed < timings.verifyForMs; i++) {
    const gap = Math.max(1, timings.verifyGapsMs[Math.min(i, timings.verifyGapsMs.length - 1)])
    delays.push(gap)
    elapsed += gap
  }
  return delays
}

/** Failures after which the server has finished with the request, so one look is enough. */
export function finishedByServer(err: unknown): boolean {
  if (isUnreadable(err)) return true
  return err instanceof ResponseError && (err.httpStatus === 500 || (err.malformed && err.httpStatus < 400))
}

/**
 * - `retry`: try again.
 * - `check`: the request may have been applied; look before trying again (uploads only).
 * - `fail`: stop.
 */
export type Verdict = 'retry' | 'check' | 'fail'

export function isAbort(err: unknown): boolean {
  return err instanceof TransportError && err.code === 'ABORT_ERR'
}

/** An answer that arrived whole but past the bounds the action reads (too large, nested too deep). */
export function isUnreadable(err: unknown): boolean {
  return (err instanceof TransportError && err.code === 'ERESPONSE') || (err instanceof ResponseError && err.unreadable)
}

export function verdict(err: unknown, idempotent: boolean): Verdict {
  // The same answer would come again; a write it answered may have been applied.
  if (isUnreadable(err)) return idempotent ? 'fail' : 'check'
  if (err instanceof TransportError) {
    if (err.final || isAbort(err)) return 'fail'
    if (idempotent) return 'retry'
    // A body that was not fully sent cannot have been applied.
    return NOT_CONNECTED_CODES.has(err.code ?? '') || !err.bodySent ? 'retry' : 'check'
  }
  if (err instanceof ResponseError) {
    // A 2xx that is not an envelope (truncated) may have been applied; a 4xx page (413, a WAF's 403) is final.
    const malformedSuccess = err.malformed && err.httpStatus < 400
    if (!RETRYABLE_STATUSES.has(err.httpStatus) && !malformedSuccess) return 'fail'
    if (malformedSuccess) return idempotent ? 'retry' : 'check'
    return idempotent || NOT_APPLIED_STATUSES.has(err.httpStatus) ? 'retry' : 'check'
  }
  return 'fail'
}

/** Exponential backoff with full jitter, unless the server said how long to wait. */
export function retryDelayMs(
  attempt: number,
  err: unknown,
  random: () => number = Math.random,
  timings: Pick<Timings, 'retryBaseMs' | 'retryMaxMs' | 'retryAfterMaxMs'> = DEFAULT_TIMINGS
): number {
  if (err instanceof ResponseError && err.retryAfterMs !== undefined) return Math.min(err.retryAfterMs, timings.retryAfterMaxMs)
  return Math.round(random() * Math.min(timings.retryMaxMs, timings.retryBaseMs * 2 ** (attempt - 1)))
}

/** Retry-After as seconds or an HTTP date, capped; anything else is ignored. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  let ms: number
  if (/^\d+$/.test(text)) ms = Number(text) * 1000
  else if (/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text) && !Number.isNaN(Date.parse(text))) {
    ms = Date.parse(text) - now
  } else return undefined
  return Math.min(Math.max(ms, 0), DEFAULT_TIMINGS.retryAfterMaxMs)
}

/** The retry policy as one object: how many attempts, which failures are tried again, and the waits. */
export interface RetryPolicy {
  maxAttempts: number
  verdict(err: unknown, idempotent: boolean): Verdict
  /** The wait after failed attempt number `attempt`. */
  delayMs(attempt: number, err: unknown): number
  /** The waits before each look for a write whose outcome is unknown after `err`. */
  verifyDelaysMs(err: unknown): number[]
}

/** The action's policy, with its time limits; a test may pass timings of zero and so never wait. */
export function retryPolicy(timings: Timings = DEFAULT_TIMINGS, random: () => number = Math.random): RetryPolicy {
  return {
    maxAttempts: MAX_ATTEMPTS,
    verdict,
    delayMs: (attempt, err) => retryDelayMs(attempt, err, random, timings),
    verifyDelaysMs: (err) => (finishedByServer(err) ? [0] : verifyDelaysMs(timings))
  }
}
