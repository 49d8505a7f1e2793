// operation: delete — permanently removes a build, waiting first if it is still being processed.
import type { OperationContext } from './context.js'
import { whenProcessed } from './processed.js'

export async function deleteBuild(ctx: OperationContext, buildId: string, waitTimeoutMs: number): Promise<void> {
  if (ctx.dryRun) {
    ctx.report.build = await ctx.client.getBuild(buildId)
    await ctx.client.deleteBuild(buildId)
    return
  }
  await whenProcessed(ctx, buildId, waitTimeoutMs, () => ctx.client.deleteBuild(buildId), { failedIsFinished: true })
  ctx.report.buildId = buildId
  ctx.report.status = 'deleted'
  ctx.report.deleted = true
  ctx.log.info(`Deleted build ${buildId}`)
}
