// operation: upload — streams the build with its metadata, then optionally waits for processing.
import { multipartBody, type Part } from '../transport/multipart.js'
import type { Build, DeployerInfo } from '../applivery/types.js'
import { deployerInfo } from '../github/run.js'
import { releaseNotesText } from '../release-notes/index.js'
import { formatBytes } from '../output/format.js'
import { progressLogger } from '../output/progress.js'
import type { UploadSettings, WaitSettings } from '../settings/index.js'
import type { OperationContext } from './operation-context.js'
import { earlierAttemptsUpload, findUploaded, platformOfFile, recentBuilds } from './find-upload.js'
import { waitForProcessing } from './wait.js'
import { inline } from '../output/log.js'

/** The multipart fields, named as Applivery names them; only what is set is sent; the build file last. */
export function uploadParts(upload: UploadSettings, deployer: DeployerInfo, changelog: string | undefined): Part[] {
  const parts: Part[] = []
  const field = (name: string, value: string | boolean | undefined): void => {
    if (value !== undefined) parts.push({ name, value: String(value) })
  }
  field('versionName', upload.versionName)
  field('tags', upload.tags?.join(','))
  field('changelog', changelog)
  field('notifyCollaborators', upload.notify.collaborators)
  field('notifyEmployees', upload.notify.employees)
  field('notifyMessage', upload.notify.message)
  field('notifyLanguage', upload.notify.language)
  upload.notify.groups?.forEach((clause, i) => clause.forEach((group, j) => field(`filter[${i}][${j}]`, group)))
  field('buildPlatform', upload.package.buildPlatform)
  field('packageName', upload.package.packageName)
  field('packageVersion', upload.package.packageVersion)
  field('deployer.name', upload.deployerName)
  for (const [key, value] of Object.entries(deployer)) field(`deployer.info.${key}`, value)
  const icon = upload.package.packageIcon
  if (icon) {
    const contentType = /\.png$/i.test(icon.name) ? 'image/png' : 'image/jpeg'
    parts.push({ name: 'packageIcon', filename: icon.name, file: icon, contentType })
  }
  const { file } = upload
  parts.push({ name: 'build', filename: file.name, file })
  return parts
}

/**
 * On a re-run (on-rerun: reuse): the build an earlier attempt of this run uploaded from this file becomes this
 * step's, so the file is not uploaded (nor testers notified) twice. True when it was found.
 */
function reuseEarlierAttempts(ctx: OperationContext, settings: UploadSettings, deployer: DeployerInfo, recent: Build[]): boolean {
  const attempt = ctx.run.runAttempt ?? 1
  if (settings.onRerun !== 'reuse' || attempt <= 1) return false
  const { file } = settings
  const platform = platformOfFile(file.name, settings.package.buildPlatform)
  const earlier = earlierAttemptsUpload(recent, deployer, attempt, { name: file.name, size: file.size, platform })
  if (!earlier) {
    ctx.log.info(`Re-run (attempt ${attempt}): no earlier attempt of this run uploaded ${inline(file.name)}; uploading it`)
    return false
  }
  const by = earlier.attempt === undefined ? 'an earlier attempt' : `attempt ${earlier.attempt}`
  ctx.report.build = earlier.build
  ctx.report.reused = true
  ctx.log.notice(
    `Re-run (attempt ${attempt}): ${inline(file.name)} was uploaded by ${by} of this run as build ${earlier.build.id}; ` +
      'going on from it, not uploading it again (on-rerun: upload uploads anyway)'
  )
  return true
}

/** The step was cancelled while the file was being sent: its build may still appear in Applivery. */
export class UploadCancelledError extends Error {
  override name = 'UploadCancelledError'

  constructor(
    /** The deployer triggerTimestamp by which the build can be found if it appears. */
    readonly triggerTimestamp: string | undefined,
    cause: unknown
  ) {
    super(`the upload was cancelled; its build may still appear, with deployer triggerTimestamp ${triggerTimestamp}`, { cause })
  }
}

export async function upload(ctx: OperationContext, settings: UploadSettings, wait: WaitSettings): Promise<void> {
  const { file } = settings
  const deployer = deployerInfo(ctx.run, ctx.startedAtMs)
  // Before any byte of the file: checks the token and the app, and notes which builds already exist.
  const recent = await recentBuilds(ctx).catch((err: unknown) => {
    const reason = err instanceof Error ? err.message : String(err)
    throw new Error(`Upload ${inline(file.name)}: the check before sending it failed: ${reason}`, { cause: err })
  })
  if (reuseEarlierAttempts(ctx, settings, deployer, recent)) {
    if (wait.enabled) await waitForProcessing(ctx, ctx.report.build!.id, wait.timeoutMs, ctx.report.build)
    return
  }
  ctx.report.reused = false
  // Made only for a build that is sent: a reused one keeps the notes it was uploaded with.
  const changelog = await releaseNotesText(ctx, settings.changelog)
  const body = multipartBody(uploadParts(settings, deployer, changelog))
  const before = new Set(recent.map((build) => build.id))
  ctx.log.info(`Uploading ${inline(file.name)} (${formatBytes(file.size)})`)
  const progress = progressLogger(ctx.log, `Uploading ${inline(file.name)}`, body.contentLength)
  const written = await ctx.api.uploadBuild(body, findUploaded(ctx, deployer, file.size, before), progress).catch((err: unknown) => {
    throw ctx.signal?.aborted ? new UploadCancelledError(deployer.triggerTimestamp, err) : err
  })
  if (!written.sent) return
  const build = written.value
  if (!build?.id) throw new Error('Upload build: Applivery answered without the build it created')
  ctx.report.build = build
  // The network may have taken the file's last bytes before it changed: its path is checked once more.
  await body.verify().catch((err: unknown) => {
    throw new Error(
      `${err instanceof Error ? err.message : String(err)}. Build ${build.id} was made from the file as it was read: ` +
        'check it, or delete it with operation: delete',
      { cause: err }
    )
  })
  ctx.log.notice(
    `Uploaded ${inline(file.name)} to Applivery as build ${build.id}${settings.versionName ? ` (${inline(settings.versionName)})` : ''}`
  )
  ctx.log.info(`Uploaded build ${build.id} (status '${inline(build.status, 40)}')`)
  if (wait.enabled) await waitForProcessing(ctx, build.id, wait.timeoutMs, build)
}
