// Small HTTP helpers: the JSON envelope, and reading request bodies while counting their bytes.
import type { IncomingMessage } from 'node:http'
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream'

/** What a handler decides to answer; ../server.ts writes it (or lets a fault garble it). */
export interface Reply {
  status: number
  body: unknown
  /** Answered after an upload hold: when the client has gone by then, its recorded status stays 0. */
  held?: boolean
  /** Headers of the answer besides content-type and content-length (content-type may be replaced). */
  headers?: Record<string, string>
}

export function isReply(x: object): x is Reply {
  return 'status' in x && 'body' in x
}

export function ok(data: unknown): Reply {
  return { status: 200, body: { status: true, data } }
}

export function fail(status: number, code: number, message: string): Reply {
  return { status, body: { status: false, error: { code, message } } }
}

/** One entry of a validation error's `data.errors`, as Applivery's Joi gives it. */
export interface FieldError {
  /** The field's path: ['slug'], ['filter', 'value'], ['filter', 'builds', 0, 'id']. */
  field: (string | number)[]
  location: 'body'
  messages: string[]
  types: string[]
}

/** Applivery's answer to a body its validation refuses: 6002, with every broken field. */
export function validationFailed(errors: FieldError[]): Reply {
  return { status: 400, body: { status: false, error: { code: 6002, message: 'Body Validation Error', data: { errors } } } }
}

export const notFound = (): Reply => fail(404, 3001, 'Entity not found')
export const notProcessed = (): Reply => fail(400, 5014, 'Build Not Processed')
export const invalidFile = (): Reply => fail(400, 5006, 'Invalid file')

export interface MeterHooks {
  onBytes(n: number): void
  /** Consume at most `bytes` bytes, then call `drop` (the reset-after-bytes fault), so the count is exact. */
  dropAfter?: { bytes: number; drop: () => void }
  /** Keep a copy of a small body and hand it over, parsed, once it is complete (JSON requests). */
  onJson?: (value: unknown) => void
}

const KEEP_LIMIT = 1024 * 1024

/** Counts body bytes as they pass, whoever ends up reading the body. */
class BodyMeter extends Transform {
  private seen = 0
  private kept: Buffer[] | undefined

  constructor(private readonly hooks: MeterHooks) {
    super()
    if (hooks.onJson) this.kept = []
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    const limit = this.hooks.dropAfter?.bytes
    if (limit !== undefined && this.seen + chunk.length >= limit) {
      this.hooks.onBytes(limit - this.seen)
      this.seen = limit
      this.hooks.dropAfter?.drop()
      cb()
      return
    }
    this.seen += chunk.length
    this.hooks.onBytes(chunk.length)
    if (this.kept && this.seen <= KEEP_LIMIT) this.kept.push(chunk)
    else this.kept = undefined // too big to be a JSON update: don't hold on to it
    cb(null, chunk)
  }

  override _flush(cb: TransformCallback): void {
    if (this.kept && this.hooks.onJson) {
      try {
        this.hooks.onJson(JSON.parse(Buffer.concat(this.kept).toString('utf8')))
      } catch {
        // not JSON after all: nothing to record
      }
    }
    cb()
  }
}

/** The request body as a stream that counts bytes; errors (client aborts) surface on it. */
export function meteredBody(req: IncomingMessage, hooks: MeterHooks): Readable {
  const meter = new BodyMeter(hooks)
  pipeline(req, meter, () => {}) // errors are seen by whoever reads `meter`
  return meter
}

export function isJsonType(contentType: string | undefined): boolean {
  return /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(contentType ?? '')
}

/** Header names arrive lower-cased from node; repeated headers are joined. */
export function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

export function sleep(ms: number): Promise<void> {
  // unref: a pending delay must not keep a test process alive after close()
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}

/** Reads and discards whatever is left of a body. */
export function drain(body: Readable): Promise<void> {
  if (body.readableEnded || body.destroyed) return Promise.resolve()
  return new Promise((resolve, reject) => {
    body.on('end', resolve).on('error', reject).on('close', resolve).resume()
  })
}

/** Reads a small body whole (JSON updates); bodies past `max` bytes are drained and reported as too large. */
export async function readAll(body: Readable, max = 16 * 1024 * 1024): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size <= max) chunks.push(chunk)
  }
  return size <= max ? Buffer.concat(chunks) : undefined
}

/** A small JSON object body (updates, publications), or the 400 answer to anything else. */
export async function readJsonObject(body: Readable): Promise<Record<string, unknown> | Reply> {
  const raw = await readAll(body)
  let json: unknown
  try {
    json = JSON.parse(raw?.toString('utf8') ?? '')
  } catch {
    return fail(400, 400, 'Invalid JSON')
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail(400, 400, 'Invalid JSON')
  return json as Record<string, unknown>
}
