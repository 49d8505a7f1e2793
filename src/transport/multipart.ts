// A multipart/form-data body streamed from disk with an exact Content-Length, sent again whole per attempt.
import { randomBytes } from 'node:crypto'
import type { Stats } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import type { Writable } from 'node:stream'
import type { BodySource } from './http.js'
import { BufferRing, sendFileBytes, writeChunk, type ChunkWriter } from './sink.js'

/** A file as it was when it was checked. Where its stamp (mtime, inode, device) is given, a file changed, replaced or deleted since fails. */
export interface StampedFile {
  path: string
  size: number
  mtimeMs?: number
  ino?: number
  dev?: number
}

export interface FilePart {
  name: string
  filename: string
  file: StampedFile
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
  if ('file' in part) {
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
  if ('file' in part) return `${part.name}: ${JSON.stringify(part.filename)} (${part.file.size} bytes)`
  const value = JSON.stringify(part.value)
  return `${part.name}: ${value.length > MAX_SHOWN_VALUE ? `${value.slice(0, MAX_SHOWN_VALUE)}..." (${part.value.length} characters)` : value}`
}

export function multipartBody(parts: Part[], boundary = `----applivery${randomBytes(16).toString('hex')}`): MultipartBody {
  const heads = parts.map((part) => partHeader(boundary, part))
  const tail = Buffer.from(`--${boundary}--${CRLF}`, 'utf8')
  let contentLength = tail.length
  parts.forEach((part, i) => {
    contentLength += heads[i].length + ('file' in part ? part.file.size : Buffer.byteLength(part.value)) + CRLF.length
  })

  const crlf = Buffer.from(CRLF)
  const writeTo = async (sink: Writable, onProgress?: (sentBytes: number) => void): Promise<void> => {
    const ring = new BufferRing(sink)
    let sent = 0
    const counted = (chunk: Buffer, onFlushed?: () => void): Promise<void> => {
      sent += chunk.length
      onProgress?.(sent)
      return writeChunk(sink, chunk, onFlushed)
    }
    for (const [i, part] of parts.entries()) {
      await counted(heads[i])
      if ('file' in part) await sendFile(part.file, ring, counted)
      else await counted(Buffer.from(part.value, 'utf8'))
      await counted(crlf)
    }
    await counted(tail)
  }

  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength,
    verify: async () => {
      for (const part of parts) if ('file' in part) checkUnchanged(part.file, await statByPath(part.file))
    },
    writeTo,
    describe: () => parts.map(describePart)
  }
}

/**
 * Streams the file and fails if it does not hold exactly the bytes it had when the body was sized, or if the
 * path names another file by the end (replaced by a rename, or deleted): before the body's last byte, so the
 * server never gets a whole request from it.
 */
async function sendFile(file: StampedFile, ring: BufferRing, send: ChunkWriter): Promise<void> {
  const handle = await open(file.path, 'r')
  try {
    checkUnchanged(file, await handle.stat())
    const sent = await sendFileBytes(handle, file.size, ring, send)
    if (sent !== file.size) throw new FileChangedError(`${file.path} changed while it was being uploaded`)
    checkUnchanged(file, await handle.stat())
    checkUnchanged(file, await statByPath(file))
  } finally {
    await handle.close()
  }
}

async function statByPath(file: StampedFile): Promise<Stats> {
  try {
    return await stat(file.path)
  } catch (err) {
    const code = (err as { code?: string }).code
    const what = code === 'ENOENT' ? 'was deleted' : `could no longer be read (${code ?? String(err)})`
    throw new FileChangedError(`${file.path} ${what} while it was being uploaded; upload a file that nothing else is changing`)
  }
}

function checkUnchanged(file: StampedFile, now: Pick<Stats, 'size' | 'mtimeMs' | 'ino' | 'dev'>): void {
  const differs = (was: number | undefined, is: number): boolean => was !== undefined && was !== is
  if (differs(file.ino, now.ino) || differs(file.dev, now.dev)) {
    throw new FileChangedError(
      `${file.path} was replaced by another file while it was being uploaded; upload a file that nothing else is changing`
    )
  }
  if (now.size !== file.size || differs(file.mtimeMs, now.mtimeMs)) {
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
