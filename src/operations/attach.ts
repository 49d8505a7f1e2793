// operation: attach — one request per file; each answer is the build with its attached files.
import { multipartBody, type Part } from '../applivery/multipart.js'
import { formatBytes } from '../progress.js'
import type { AttachSettings } from '../settings.js'
import type { OperationContext } from './context.js'
import { whenProcessed } from './processed.js'

export async function attach(ctx: OperationContext, buildId: string, settings: AttachSettings, waitTimeoutMs: number): Promise<void> {
  if (settings.files.length === 0) {
    ctx.log.warning('No files to attach')
    return
  }
  for (const file of settings.files) {
    const parts: Part[] = []
    if (settings.description !== undefined) parts.push({ name: 'description', value: settings.description })
    parts.push({ name: 'file', path: file.path, filename: file.name, size: file.size })
    ctx.log.info(`Attaching ${file.name} (${formatBytes(file.size)}) to build ${buildId}`)
    const build = await whenProcessed(ctx, buildId, waitTimeoutMs, () =>
      ctx.client.attachFile(buildId, file.name, multipartBody(parts))
    )
    ctx.report.build = build
    ctx.report.files = build.files ?? []
  }
}
