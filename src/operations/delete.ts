// operation: delete — permanently removes a build, waiting first if it is still being processed. A build an install
// page pins is kept (the page could serve nothing), unless force says to delete it anyway.
import { reason } from '../transport/attempts.js'
import { appInstallPages, pagesPinning } from '../install-pages/serving.js'
import { inline } from '../output/log.js'
import type { OperationContext } from './operation-context.js'
import { actWhenProcessed } from './wait.js'

export async function deleteBuild(ctx: OperationContext, buildId: string, waitTimeoutMs: number, force = false): Promise<void> {
  await checkNoPagePins(ctx, buildId, force)
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

/** Refuses to delete a build that an install page pins; with force, names each such page in a warning. */
async function checkNoPagePins(ctx: OperationContext, buildId: string, force: boolean): Promise<void> {
  let pages
  try {
    pages = await appInstallPages(ctx)
  } catch (err) {
    if (force)
      return ctx.log.warning(`Could not read the app's install pages (${inline(reason(err), 300)}); deleting build ${buildId} (force)`)
    throw new Error(
      `Could not read the app's install pages to check that none pins build ${buildId} (${reason(err)}); ` +
        'not deleting it. Set force: true to delete it without this check',
      { cause: err }
    )
  }
  const pinning = pagesPinning(pages, buildId)
  if (pinning.length === 0) return
  const named = pinning.map((page) => `${inline(page.slug)}${page.distributionUrl ? ` (${inline(page.distributionUrl)})` : ''}`).join(', ')
  if (!force) {
    throw new Error(
      `Build ${buildId} is pinned by the install page${pinning.length > 1 ? 's' : ''} ${named}: deleting it would leave ` +
        'testers nothing to install there. Pin another build first (publish), or set force: true to delete it anyway'
    )
  }
  for (const page of pinning) {
    ctx.log.warning(`Deleting build ${buildId}, pinned by the install page ${inline(page.slug)} (force): the page can no longer serve it`)
  }
}
