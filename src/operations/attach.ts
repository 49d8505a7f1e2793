// operation: attach — one request per file; each answer is the build with its attached files.
import { multipartBody, type Part } from '../transport/multipart.js'
import type { AttachedFile, Build } from '../applivery/types.js'
import type { FileRef } from '../settings/files.js'
import { formatBytes } from '../output/format.js'
import type { AttachSettings } from '../settings/index.js'
import type { OperationContext } from './operation-context.js'
import { actWhenProcessed } from './wait.js'
import { inline } from '../output/log.js'

function isSameFile(record: AttachedFile, file: FileRef, description: string | undefined): boolean {
  return record.file?.originalName === file.name && record.file?.size === file.size && (record.description ?? '') === (description ?? '')
}

/** A record of this file that was not on the build before the attempt: the attachment was applied. */
function findAttached(ctx: OperationContext, buildId: string, file: FileRef, description: string | undefined, before: Set<string>) {
  return async (): Promise<Build | undefined> => {
    const build = await ctx.api.getBuild(buildId)
    const added = (build.files ?? []).some((record) => !before.has(record.id) && isSameFile(record, file, description))
    return added ? build : undefined
  }
}

export async function attach(ctx: OperationContext, buildId: string, settings: AttachSettings, waitTimeoutMs: number): Promise<void> {
  if (settings.files.length === 0) {
    ctx.log.warning('No files to attach')
    return
  }
  // The files already on the build tell a lost answer of an applied attachment from a failed one.
  let build = await ctx.api.getBuild(buildId)
  ctx.report.build = build
  for (const file of settings.files) {
    const parts: Part[] = []
    if (settings.description !== undefined) parts.push({ name: 'description', value: settings.description })
    parts.push({ name: 'file', filename: file.name, file })
    ctx.log.info(`Attaching ${inline(file.name)} (${formatBytes(file.size)}) to build ${buildId}`)
    const before = new Set((build.files ?? []).map((record) => record.id))
    const body = multipartBody(parts)
    const attached = await actWhenProcessed(ctx, buildId, waitTimeoutMs, () =>
      ctx.api.attachFile(buildId, file.name, body, findAttached(ctx, buildId, file, settings.description, before))
    )
    if (!attached.sent) continue
    build = attached.value
    ctx.report.build = build
    ctx.report.files = build.files ?? []
    // The network may have taken the file's last bytes before it changed: its path is checked once more.
    await body.verify().catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.message : String(err)}. Build ${buildId} holds the file as it was read`, { cause: err })
    })
  }
}
