// One small module per operation; this only routes settings to them, then comments on the pull request.
import { commentOnPullRequest } from '../github/pr-comment.js'
import type { Settings } from '../settings/index.js'
import { attach } from './attach.js'
import type { OperationContext } from './operation-context.js'
import { deleteBuild } from './delete.js'
import { get } from './get.js'
import { list } from './list.js'
import { prune } from './prune.js'
import { publish, publishUploaded } from './publish.js'
import { unpublish } from './unpublish.js'
import { update } from './update.js'
import { upload } from './upload.js'

export async function runOperation(settings: Settings, ctx: OperationContext): Promise<void> {
  await operation(settings, ctx)
  if (settings.comment) await commentOnPullRequest(ctx, settings.comment, settings.dryRun)
}

async function operation(settings: Settings, ctx: OperationContext): Promise<void> {
  switch (settings.operation) {
    case 'upload':
      await upload(ctx, settings.upload, settings.wait)
      // After the wait, if any: a page filtered by branch or tag serves only processed builds.
      if (settings.publish) await publishUploaded(ctx, settings.publish, ctx.report.build)
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
