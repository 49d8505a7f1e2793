// Delete and attach need a processed build: on 5014 they wait for processing (within wait-timeout), then act once more.
import { ApiError } from '../applivery/errors.js'
import { formatDuration } from '../output/format.js'
import type { OperationContext } from './operation-context.js'
import { ProcessingFailedError, waitForProcessing } from './wait.js'

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
