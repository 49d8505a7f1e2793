// Polls the build-details endpoint until processing ends, backing off so a long wait stays cheap.
import { setTimeout as sleep } from 'node:timers/promises'
import { isFinished, type Build } from '../applivery/types.js'
import { formatDuration } from '../output/format.js'
import type { OperationContext } from './operation-context.js'
import { inline } from '../output/log.js'

export class ProcessingFailedError extends Error {
  constructor(readonly build: Build) {
    const code = build.errorCode ? ` (error code ${build.errorCode})` : ''
    const logs =
      Array.isArray(build.processLogs) && build.processLogs.length > 0
        ? `\nProcessing log:\n${build.processLogs.map((line) => `  ${typeof line === 'string' ? line : JSON.stringify(line)}`).join('\n')}`
        : ''
    super(`Applivery could not process build ${build.id}${code}: ${build.error || 'no error message'}${logs}`)
    this.name = 'ProcessingFailedError'
  }
}

export class WaitTimeoutError extends Error {
  constructor(build: Build, timeoutMs: number) {
    super(
      `Build ${build.id} was still '${build.status}' after waiting ${formatDuration(timeoutMs)} (wait-timeout). ` +
        'Raise wait-timeout, or look the build up later with operation: get.'
    )
    this.name = 'WaitTimeoutError'
  }
}

/**
 * Returns the build once it is processed; throws when it ends in error or the timeout passes.
 * `known` is the build as last seen (an upload's answer), so no request is spent re-reading it.
 */
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
    interval = Math.min(interval * 2, ctx.timings.pollMaxMs)
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
