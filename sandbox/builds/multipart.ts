// Streams a multipart body through busboy; every file part is hashed and counted, never buffered.
import { createHash } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import busboy from 'busboy'
import type { RecordedFile } from '../types.js'

export interface MultipartResult {
  fields: Record<string, string>
  files: RecordedFile[]
}

/** The body was not multipart, or not well-formed multipart. */
export class MultipartError extends Error {
  override name = 'MultipartError'
}

const FIELD_SIZE_LIMIT = 16 * 1024 * 1024

/**
 * Parses `body` into `into` as parts arrive (so a request that fails half-way still shows
 * what was received). Resolves once every part, files included, has been fully read.
 */
export function parseMultipart(body: Readable, headers: IncomingHttpHeaders, into: MultipartResult): Promise<MultipartResult> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({ headers, limits: { fieldSize: FIELD_SIZE_LIMIT } })
    } catch (err) {
      reject(new MultipartError((err as Error).message))
      return
    }
    const fileDone: Promise<void>[] = []
    let settled = false
    const fail = (err: Error): void => {
      if (settled) return
      settled = true
      body.unpipe(parser)
      reject(err)
    }

    parser.on('field', (name, value) => {
      into.fields[name] = value
    })
    parser.on('file', (field, stream, info) => {
      fileDone.push(
        new Promise((done) => {
          const hash = createHash('sha256')
          let size = 0
          stream.on('data', (chunk: Buffer) => {
            hash.update(chunk)
            size += chunk.length
          })
          stream.on('end', () => {
            into.files.push({ field, filename: info.filename ?? '', contentType: info.mimeType, size, sha256: hash.digest('hex') })
            done()
          })
          // A broken part also fails the parser, which rejects the whole parse.
          stream.on('error', () => done())
        })
      )
    })
    parser.on('close', () => {
      void Promise.all(fileDone).then(() => {
        if (settled) return
        settled = true
        resolve(into)
      })
    })
    parser.on('error', (err: Error) => fail(new MultipartError(err.message)))
    body.on('error', fail) // the client went away: not a MultipartError, nobody to answer
    body.pipe(parser)
  })
}
