// Polls the build-details endpoint until processing ends, backing off so a long wait stays cheap; and delete and
// attach, which need a processed build: on 5014 they wait for processing (within wait-timeout), then act once more.
import { setTimeout as sleep } from 'node:timers/promises'
import { ApiError } from '../applivery/errors.js'
import { isFinished, type Build } from '../applivery/types.js'
import { formatDuration } from '../output/format.js'
import type { Timings } from '../transport/timings.js'
import type { OperationContext } from './operation-context.js'
import { inline } from '../output/log.js'

/** A failed build's processing log is quoted up to this many lines (its last). */
const MAX_LOG_LINES = 20

export class ProcessingFailedError extends Error {
  constructor(readonly build: Build) {
    // Applivery's text, quoted: a few lines of it, each cut short.
    const code = build.errorCode ? ` (error code ${inline(build.errorCode, 40)})` : ''
    const lines = Array.isArray(build.processLogs) ? build.processLogs : []
    const shown = lines.slice(-MAX_LOG_LINES).map((line) => `  ${inline(typeof line === 'string' ? line : JSON.stringify(line), 300)}`)
    const more = lines.length > MAX_LOG_LINES ? [`  (the last ${MAX_LOG_LINES} of ${lines.length} lines)`] : []
    const logs = shown.length > 0 ? `\nProcessing log:\n${[...shown, ...more].join('\n')}` : ''
    super(`Applivery could not process build ${build.id}${code}: ${inline(build.error || 'no error message', 300)}${logs}`)
    this.name = 'ProcessingFailedError'
  }
}

export class WaitTimeoutError extends Error {
  constructor(build: Build, timeoutMs: number) {
    super(
      `Build ${build.id} was still '${inline(build.status, 40)}' after waiting ${formatDuration(timeoutMs)} (wait-timeout). ` +
        'Raise wait-timeout, or look the build up later with operation: get.'
    )
    this.name = 'WaitTimeoutError'
  }
}

/**
 * Returns the build once it is processed; throws when it ends in error or the timeout passes.
 * `known` is the build as last seen (an upload's answer), so no request is spent re-reading it.
 */
export type PollTimings = Pick<Timings, 'pollFirstMs' | 'pollEarlyMaxMs' | 'pollEarlyForMs' | 'pollMaxMs'>

/** The gap before the next poll, `elapsedMs` into the wait: twice the last, up to the cap of the wait's age. */
export function nextPollMs(previousMs: number, elapsedMs: number, timings: PollTimings): number {
  const cap = elapsedMs < timings.pollEarlyForMs ? Math.min(timings.pollEarlyMaxMs, timings.pollMaxMs) : timings.pollMaxMs
  return Math.min(previousMs * 2, cap)
}

export async function waitForProcessing(ctx: OperationContext, buildId: string, timeoutMs: number, known?: Build): Promise<Build> {
  const started = Date.now()
  const deadline = started + timeoutMs
  let build = known ?? (await ctx.api.getBuild(buildId))
  ctx.report.build = build
  ctx.log.info(`Build ${buildId} is '${inline(build.status, 40)}'`)
  let interval = ctx.timings.pollFirstMs
  while (!isFinished(build.status)) {
    const remaining = deadline - Date.now()
    if (remaining <= 0) throw new WaitTimeoutError(build, timeoutMs)
    await sleep(Math.min(interval, remaining), undefined, { signal: ctx.signal })
    interval = nextPollMs(interval, Date.now() - started, ctx.timings)
    const previous = build.status
    build = await ctx.api.getBuild(buildId)
    ctx.report.build = build
    if (build.status !== previous) {
      ctx.log.info(
        `Build ${buildId}: '${inline(previous, 40)}' -> '${inline(build.status, 40)}' after ${formatDuration(Date.now() - started)}`
      )
    }
  }
  if (build.status === 'error') throw new ProcessingFailedError(build)
  return build
}

export const BUILD_NOT_PROCESSED = 5014

/**
 * Runs `act`; when Applivery answers that the build is still being processed, waits for processing and runs it
 * once more. With `evenIfFailed` (what to log), a build whose processing failed is acted on all the same.
 */
export async function actWhenProcessed<T>(
  ctx: OperationContext,
  buildId: string,
  timeoutMs: number,
  act: () => Promise<T>,
  { evenIfFailed }: { evenIfFailed?: string } = {}
): Promise<T> {
  try {
    return await act()
  } catch (err) {
    if (!(err instanceof ApiError) || Number(err.code) !== BUILD_NOT_PROCESSED) throw err
  }
  ctx.log.info(`Build ${buildId} is still being processed; waiting up to ${formatDuration(timeoutMs)} (wait-timeout)`)
  try {
    await waitForProcessing(ctx, buildId, timeoutMs)
  } catch (err) {
    if (!(evenIfFailed && err instanceof ProcessingFailedError)) throw err
    ctx.log.info(`Build ${buildId} failed processing; ${evenIfFailed}`)
  }
  return act()
}
