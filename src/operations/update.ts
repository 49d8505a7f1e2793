// operation: update — sends only the fields that are set; tags replace the build's tags.
import type { UpdateSettings } from '../settings.js'
import type { OperationContext } from './context.js'

export function updateBody(update: UpdateSettings): Record<string, unknown> {
  return Object.fromEntries(Object.entries(update).filter(([, value]) => value !== undefined))
}

export async function update(ctx: OperationContext, buildId: string, settings: UpdateSettings): Promise<void> {
  const body = updateBody(settings)
  ctx.log.info(`Updating build ${buildId}: ${Object.keys(body).join(', ')}`)
  // A dry run reads the build, so a wrong build-id or token shows, and reports it unchanged.
  ctx.report.build = (await ctx.client.updateBuild(buildId, body)) ?? (await ctx.client.getBuild(buildId))
}
