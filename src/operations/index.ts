// One small module per operation; this only routes settings to them.
import type { Settings } from '../settings/index.js'
import { attach } from './attach.js'
import type { OperationContext } from './operation-context.js'
import { deleteBuild } from './delete.js'
import { get } from './get.js'
import { list } from './list.js'
import { prune } from './prune.js'
import { update } from './update.js'
import { upload } from './upload.js'

export async function runOperation(settings: Settings, ctx: OperationContext): Promise<void> {
  switch (settings.operation) {
    case 'upload':
      return upload(ctx, settings.upload, settings.wait)
    case 'get':
      return get(ctx, settings.buildId, settings.wait)
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
  }
}
