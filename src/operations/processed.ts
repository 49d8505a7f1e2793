// Delete and attach need a processed build: on 5014 they wait for processing (within wait-timeout), then act once more.
import { ApiError } from '../applivery/errors.js'
import { formatDuration, ProcessingFailedError, waitForProcessing } from './wait.js'
import type { OperationContext } from './context.js'

export const BUILD_NOT_PROCESSED = 5014

export async function whenProcessed<T>(
  ctx: OperationContext,
  buildId: string,
  timeoutMs: number,
  act: () => Promise<T>,
  { failedIsFinished = false } = {}
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
    // A build that failed processing can still be deleted: that is often why it is being deleted.
    if (!(failedIsFinished && err instanceof ProcessingFailedError)) throw err
    ctx.log.info(`Build ${buildId} failed processing; deleting it anyway`)
  }
  return act()
}
