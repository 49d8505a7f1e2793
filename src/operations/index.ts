// One small module per operation; this only routes settings to them, then comments on the pull request.
import { commentOnPullRequest } from '../github/pr-comment.js'
import type { PageSettings, Settings } from '../settings/index.js'
import { attach } from './attach.js'
import type { OperationContext } from './operation-context.js'
import { deleteBuild } from './delete.js'
import { get } from './get.js'
import { list } from './list.js'
import { prune } from './prune.js'
import { publish } from './publish.js'
import { unpublish } from './unpublish.js'
import { update } from './update.js'
import { upload } from './upload.js'

export async function runOperation(settings: Settings, ctx: OperationContext): Promise<void> {
  await operation(settings, ctx)
  if (settings.comment) await commentOnPullRequest(ctx, settings.comment, settings.dryRun)
}

/** A dry-run upload has no build: the page is planned all the same, unless it is to pin that build. */
async function planPublish(ctx: OperationContext, page: PageSettings): Promise<void> {
  if (page.filter.kind === 'build') ctx.log.info('Dry run: would publish the page, pinning the uploaded build')
  else await publish(ctx, page)
}

async function operation(settings: Settings, ctx: OperationContext): Promise<void> {
  switch (settings.operation) {
    case 'upload':
      await upload(ctx, settings.upload, settings.wait)
      // After the wait, if any: a page filtered by branch or tag serves only processed builds.
      if (settings.publish && ctx.report.build) await publish(ctx, settings.publish, ctx.report.build)
      else if (settings.publish && settings.dryRun) await planPublish(ctx, settings.publish)
      return
    case 'get':
      return get(ctx, settings.buildId, settings.wait, settings.page)
    case 'list':
      return list(ctx, settings.list)
    case 'update':
      return update(ctx, settings.buildId, settings.update)
    case 'delete':
      return deleteBuild(ctx, settings.buildId, settings.wait.timeoutMs)
    case 'attach':
      return attach(ctx, settings.buildId, settings.attach, settings.wait.timeoutMs)
    case 'prune':
      return prune(ctx, settings.prune)
    case 'publish':
      return publish(ctx, settings.publish)
    case 'unpublish':
      return unpublish(ctx, settings.page)
  }
}
