// One small module per operation; this only routes settings to them, then comments on the pull request. The
// routing table must name every operation, or it does not compile.
import type { Operation, Settings } from '../settings/index.js'
import { attach } from './attach.js'
import { deleteBuild } from './delete.js'
import { get } from './get.js'
import { list } from './list.js'
import type { OperationContext } from './operation-context.js'
import { commentOnPullRequest } from './pr-comment.js'
import { prune } from './prune.js'
import { publish, publishUploaded } from './publish.js'
import { unpublish } from './unpublish.js'
import { update } from './update.js'
import { upload } from './upload.js'

type Route<K extends Operation> = (settings: Extract<Settings, { operation: K }>, ctx: OperationContext) => Promise<void>

const ROUTES: { [K in Operation]: Route<K> } = {
  upload: async (settings, ctx) => {
    await upload(ctx, settings.upload, settings.wait)
    // After the wait, if any: a page filtered by branch or tag serves only processed builds.
    if (settings.publish) await publishUploaded(ctx, settings.publish, ctx.report.build)
  },
  get: (settings, ctx) => get(ctx, settings.buildId, settings.wait, settings.installPage),
  list: (settings, ctx) => list(ctx, settings.list),
  update: (settings, ctx) => update(ctx, settings.buildId, settings.update),
  delete: (settings, ctx) => deleteBuild(ctx, settings.buildId, settings.wait.timeoutMs, settings.force),
  attach: (settings, ctx) => attach(ctx, settings.buildId, settings.attach, settings.wait.timeoutMs),
  prune: (settings, ctx) => prune(ctx, settings.prune),
  publish: (settings, ctx) => publish(ctx, settings.publish),
  unpublish: (settings, ctx) => unpublish(ctx, settings.installPage)
}

export async function runOperation(settings: Settings, ctx: OperationContext): Promise<void> {
  const route = ROUTES[settings.operation] as Route<Operation>
  await route(settings as Extract<Settings, { operation: Operation }>, ctx)
  if (settings.comment) await commentOnPullRequest(ctx, settings.comment, settings.dryRun)
}
