// Making a request until it succeeds, under a retry policy: waits between attempts, and for a write whose
// outcome is unknown (an upload whose answer was lost), a look for its effect before it is sent again.
import { setTimeout as sleep } from 'node:timers/promises'
import { ResponseError, TransportError } from './errors.js'
import { isUnreadable, type RetryPolicy } from './retry.js'

/** Looks for the effect of a write whose answer was lost; returns it if the write was applied. */
export type AppliedCheck<T> = () => Promise<T | undefined>

export interface Attempts<T> {
  /** Names the request in messages, e.g. "Upload build". */
  operation: string
  /** Reads, updates and deletes may be repeated freely; uploads and attachments may not. */
  idempotent: boolean
  /** One attempt. */
  attempt: () => Promise<T>
  /** Runs before every attempt: a body whose file changed fails here rather than be sent. */
  before?: () => Promise<void>
  /** For writes that are not idempotent: finds their effect when their answer was lost. */
  applied?: AppliedCheck<T>
  /** For a retried request: the value to return when `err` says its target is gone (a delete an earlier attempt applied). */
  whenGone?: (err: unknown) => T | undefined
}

export interface AttemptOptions {
  policy: RetryPolicy
  signal?: AbortSignal
  /** Receives a line for every failed attempt that is tried again, and for every look. */
  warn?: (line: string) => void
}

export async function withAttempts<T>(request: Attempts<T>, { policy, signal, warn }: AttemptOptions): Promise<T> {
  const { operation } = request
  for (let attempt = 1; ; attempt++) {
    await request.before?.()
    try {
      return await request.attempt()
    } catch (err) {
      const gone = attempt > 1 ? request.whenGone?.(err) : undefined
      if (gone !== undefined) return gone
      let next = policy.verdict(err, request.idempotent)
      if (next === 'check') {
        const found = request.applied ? await verifyApplied(request, err, request.applied, { policy, signal, warn }) : undefined
        if (found !== undefined) {
          warn?.(`${operation}: the answer was lost, but the request had been applied; not repeating it (${reason(err)})`)
          return found
        }
        // An answer that came whole but could not be read was the server's: its write is not sent again blindly.
        next = request.applied && !isUnreadable(err) ? 'retry' : 'fail'
      }
      if (next === 'fail' || attempt >= policy.maxAttempts) throw countAttempts(err, operation, attempt)
      const delay = policy.delayMs(attempt, err)
      warn?.(`${operation}: attempt ${attempt} of ${policy.maxAttempts} failed (${reason(err)}); retrying in ${(delay / 1000).toFixed(1)}s`)
      await sleep(delay, undefined, { signal }).catch(() => {
        throw countAttempts(new TransportError('cancelled', 'ABORT_ERR', false), operation, attempt)
      })
    }
  }
}

/** Looks for the effect of a write with an unknown outcome, for a while if the server may still be at it. */
async function verifyApplied<T>(
  request: Attempts<T>,
  err: unknown,
  applied: AppliedCheck<T>,
  options: AttemptOptions
): Promise<T | undefined> {
  const delays = options.policy.verifyDelaysMs(err)
  let verifyError: unknown
  for (const [i, delay] of delays.entries()) {
    if (delay > 0) {
      const why = verifyError === undefined ? `not found yet (${reason(err)})` : `could not look (${reason(verifyError)})`
      options.warn?.(`${request.operation}: ${why}; looking again in ${delay / 1000}s before sending it again`)
      await sleep(delay, undefined, { signal: options.signal })
    }
    try {
      const found = await applied()
      verifyError = undefined
      if (found !== undefined || i === delays.length - 1) return found
    } catch (checkError) {
      // A look that failed for a passing reason (the network is down a while) is tried again within the
      // window; only a look that succeeds may let the request be sent again.
      verifyError = checkError
      if (i < delays.length - 1 && options.policy.verdict(checkError, true) === 'retry') continue
      throw new Error(
        `${request.operation} failed (${reason(err)}), and checking whether Applivery had applied it failed too ` +
          `(${reason(checkError)}); not repeating it, so as not to create a duplicate`,
        { cause: checkError }
      )
    }
  }
  return undefined
}

export function reason(err: unknown): string {
  if (err instanceof ResponseError)
    return `HTTP ${err.httpStatus}${err.code !== undefined ? `, Applivery error ${err.code}` : ''}: ${err.apiMessage}`
  return err instanceof Error ? err.message : String(err)
}

function countAttempts(err: unknown, operation: string, attempts: number): unknown {
  if (err instanceof ResponseError) return err.withAttemptCount(attempts)
  if (err instanceof TransportError) return err.withAttemptCount(operation, attempts)
  return err
}
