// operation: get — reports a build as it is, or waits until it is processed.
import type { WaitSettings } from '../settings/index.js'
import type { OperationContext } from './operation-context.js'
import { waitForProcessing } from './wait.js'

export async function get(ctx: OperationContext, buildId: string, wait: WaitSettings): Promise<void> {
  if (wait.enabled) {
    await waitForProcessing(ctx, buildId, wait.timeoutMs)
    return
  }
  const build = await ctx.api.getBuild(buildId)
  ctx.report.build = build
  ctx.log.info(`Build ${build.id} is '${build.status}'`)
}
