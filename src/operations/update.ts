// operation: update — sends only the fields that are set; tags replace the build's tags.
import type { UpdateFields } from '../applivery/api.js'
import type { UpdateSettings } from '../settings/index.js'
import type { OperationContext } from './operation-context.js'

/** Each setting mapped to the API field it changes; a setting that is not set is not sent. */
export function updateBody(update: UpdateSettings): UpdateFields {
  const scripts = update.defaultScripts
  const fields: UpdateFields = {
    versionName: update.versionName,
    tags: update.tags,
    changelog: update.changelog,
    metadata: update.metadata,
    disabled: update.disabled,
    defaultScripts: scripts && {
      preInstall: scripts.preInstall,
      postInstall: scripts.postInstall,
      audit: scripts.audit,
      enforce: scripts.enforce,
      runner: scripts.runner
    }
  }
  return JSON.parse(JSON.stringify(fields)) as UpdateFields // drops what is not set
}

export async function update(ctx: OperationContext, buildId: string, settings: UpdateSettings): Promise<void> {
  const body = updateBody(settings)
  ctx.log.info(`Updating build ${buildId}: ${Object.keys(body).join(', ')}`)
  const written = await ctx.api.updateBuild(buildId, body)
  // A dry run reads the build, so a wrong build-id or token shows, and reports it unchanged.
  ctx.report.build = written.sent ? written.value : await ctx.api.getBuild(buildId)
}
