// Delete and attach need a processed build: on 5014 they wait for processing (within wait-timeout), then act once more.
import { ApiError } from '../applivery/errors.js'
import { formatDuration, waitForProcessing } from './wait.js'
import type { OperationContext } from './context.js'

export const BUILD_NOT_PROCESSED = 5014

export async function whenProcessed<T>(
  ctx: OperationContext,
  buildId: string,
  timeoutMs: number,
  act: () => Promise<T>
): Promise<T> {
  try {
    return await act()
  } catch (err) {
    if (!(err instanceof ApiError) || Number(err.code) !== BUILD_NOT_PROCESSED) throw err
  }
  ctx.log.info(`Build ${buildId} is still being processed; waiting up to ${formatDuration(timeoutMs)} (wait-timeout)`)
  await waitForProcessing(ctx, buildId, timeoutMs)
  return act()
}
