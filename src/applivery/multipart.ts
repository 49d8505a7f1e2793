// A multipart/form-data body streamed from disk with an exact Content-Length, sent again whole per attempt.
import { randomBytes } from 'node:crypto'
import { open, stat } from 'node:fs/promises'
import type { Writable } from 'node:stream'
import type { BodySource } from './http.js'
import { BufferRing, sendFileBytes, write, type Send } from './sink.js'

export interface FilePart {
  name: string
  path: string
  filename: string
  size: number
  /** When given, a file modified since is refused before and after it is streamed. */
  mtimeMs?: number
  contentType?: string
}

export type Part = { name: string; value: string } | FilePart

const CRLF = '\r\n'

/** Per the WHATWG form-data encoding: quotes and line breaks in names are percent-escaped. */
function escapeName(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function partHeader(boundary: string, part: Part): Buffer {
  let header = `--${boundary}${CRLF}Content-Disposition: form-data; name="${escapeName(part.name)}"`
  if ('path' in part) {
    header += `; filename="${escapeName(part.filename)}"${CRLF}`
    header += `Content-Type: ${part.contentType ?? 'application/octet-stream'}`
  }
  return Buffer.from(header + CRLF + CRLF, 'utf8')
}

export interface MultipartBody extends BodySource {
  /** One line per part, for dry runs: text fields with their values, files with their sizes. */
  describe(): string[]
}

const MAX_SHOWN_VALUE = 200

function describePart(part: Part): string {
  if ('path' in part) return `${part.name}: ${part.filename} (${part.size} bytes)`
  const value = JSON.stringify(part.value)
  return `${part.name}: ${value.length > MAX_SHOWN_VALUE ? `${value.slice(0, MAX_SHOWN_VALUE)}..." (${part.value.length} characters)` : value}`
}

export function multipartBody(parts: Part[], boundary = `----applivery${randomBytes(16).toString('hex')}`): MultipartBody {
  const heads = parts.map((part) => partHeader(boundary, part))
  const tail = Buffer.from(`--${boundary}--${CRLF}`, 'utf8')
  let contentLength = tail.length
  parts.forEach((part, i) => {
    contentLength += heads[i].length + ('path' in part ? part.size : Buffer.byteLength(part.value)) + CRLF.length
  })

  const crlf = Buffer.from(CRLF)
  const writeTo = async (sink: Writable, onProgress?: (sentBytes: number) => void): Promise<void> => {
    const ring = new BufferRing(sink)
    let sent = 0
    const counted = (chunk: Buffer, onFlushed?: () => void): Promise<void> => {
      sent += chunk.length
      onProgress?.(sent)
      return write(sink, chunk, onFlushed)
    }
    for (const [i, part] of parts.entries()) {
      await counted(heads[i])
      if ('path' in part) await sendFile(part, ring, counted)
      else await counted(Buffer.from(part.value, 'utf8'))
      await counted(crlf)
    }
    await counted(tail)
  }

  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength,
    verify: async () => {
      for (const part of parts) if ('path' in part) checkUnchanged(part, await stat(part.path))
    },
    writeTo,
    describe: () => parts.map(describePart)
  }
}

/** Streams the file and fails if it does not hold exactly the bytes it had when the body was sized. */
async function sendFile(file: FilePart, ring: BufferRing, send: Send): Promise<void> {
  const handle = await open(file.path, 'r')
  try {
    checkUnchanged(file, await handle.stat())
    const sent = await sendFileBytes(handle, file.size, ring, send)
    if (sent !== file.size) throw new FileChangedError(`${file.path} changed while it was being uploaded`)
    checkUnchanged(file, await handle.stat())
  } finally {
    await handle.close()
  }
}

function checkUnchanged(file: FilePart, now: { size: number; mtimeMs: number }): void {
  if (now.size !== file.size || (file.mtimeMs !== undefined && now.mtimeMs !== file.mtimeMs)) {
    throw new FileChangedError(
      `${file.path} changed while it was being uploaded (${file.size} bytes expected, ${now.size} found); ` +
        'upload a file that nothing else is writing'
    )
  }
}

export class FileChangedError extends Error {
  override name = 'FileChangedError'
  readonly code = 'EFILECHANGED'
}
