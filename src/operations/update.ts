// operation: update — sends only the fields that are set (settings/update.ts); tags replace the build's tags.
import { releaseNotesText } from '../release-notes/index.js'
import type { UpdateSettings } from '../settings/index.js'
import type { OperationContext } from './operation-context.js'

export async function update(ctx: OperationContext, buildId: string, settings: UpdateSettings): Promise<void> {
  const changelog = settings.autoChangelog ? await releaseNotesText({ ...ctx, buildId }, 'auto') : undefined
  const fields = changelog === undefined ? settings.fields : { ...settings.fields, changelog }
  if (Object.keys(fields).length === 0) {
    ctx.log.info(`Build ${buildId}: nothing to change`)
    ctx.report.build = await ctx.api.getBuild(buildId)
    return
  }
  ctx.log.info(`Updating build ${buildId}: ${Object.keys(fields).join(', ')}`)
  const written = await ctx.api.updateBuild(buildId, fields)
  // A dry run reads the build, so a wrong build-id or token shows, and reports it unchanged.
  ctx.report.build = written.sent ? written.value : await ctx.api.getBuild(buildId)
}
