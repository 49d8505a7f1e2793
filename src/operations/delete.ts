// operation: delete — permanently removes a build, waiting first if it is still being processed.
import type { OperationContext } from './operation-context.js'
import { actWhenProcessed } from './wait.js'

export async function deleteBuild(ctx: OperationContext, buildId: string, waitTimeoutMs: number): Promise<void> {
  // A build that failed processing can still be deleted: that is often why it is being deleted.
  const deletion = await actWhenProcessed(ctx, buildId, waitTimeoutMs, () => ctx.api.deleteBuild(buildId), {
    evenIfFailed: 'deleting it anyway'
  })
  if (!deletion.sent) {
    // A dry run reads the build, so a wrong build-id or token shows, and reports it as it is.
    ctx.report.build = await ctx.api.getBuild(buildId)
    return
  }
  ctx.report.buildId = buildId
  ctx.report.status = 'deleted'
  ctx.report.deleted = true
  ctx.log.info(`Deleted build ${buildId}${deletion.value.alreadyGone ? ' (an earlier attempt had deleted it)' : ''}`)
}
