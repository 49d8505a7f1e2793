// One request and its answer, as the server and the faults write it (at times before the body was read): recorded as it goes.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import type { RecordedRequest } from '../types.js'
import { fail } from './http.js'

/** How long the connection stays open after an early answer, so the client can read it (nginx's lingering close). */
export const LINGER_MS = 50

export class Exchange {
  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    /** The request body as it arrives, counted into `rec`. */
    readonly body: Readable,
    readonly rec: RecordedRequest
  ) {}

  /** Ends the connection without an answer. */
  drop(): void {
    this.req.socket.destroy()
  }

  /** The client went away (gave up): there is nobody to answer. */
  get clientGone(): boolean {
    return this.req.socket.destroyed || !this.req.socket.writable
  }

  answer(status: number, text: string, headers: Record<string, string> = {}): void {
    this.rec.status = status
    this.rec.response ??= parseOrUndefined(text)
    const extra = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
    this.res.writeHead(status, { 'content-type': 'application/json', ...extra, 'content-length': String(Buffer.byteLength(text)) })
    this.res.end(text)
  }

  /** Answers one byte every `everyMs`: each byte resets a client's idle limit, so only a limit on the whole answer ends it. */
  trickle(status: number, text: string, everyMs: number): void {
    this.rec.status = status
    this.rec.response ??= parseOrUndefined(text)
    this.res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) })
    const bytes = Buffer.from(text)
    let at = 0
    const timer = setInterval(() => {
      if (this.res.destroyed || at >= bytes.length) {
        clearInterval(timer)
        if (!this.res.destroyed) this.res.end()
        return
      }
      this.res.write(bytes.subarray(at, ++at))
    }, everyMs)
    this.res.once('close', () => clearInterval(timer))
  }

  /** What a reverse proxy in front of the API answers when the backend is unwell. */
  answerHtml(status: number): void {
    this.answer(status, htmlPage(status), { 'content-type': 'text/html; charset=utf-8' })
  }

  /**
   * Answers before the body has been read, then closes the connection mid-body: what Applivery's upload host does
   * with a bad token in the middle of a large upload (the client sees the answer, then EPIPE or a reset while still
   * sending). The socket is destroyed LINGER_MS after the answer was sent.
   */
  answerEarly(status: number, text: string): Promise<void> {
    const { req, res } = this
    this.rec.status = status
    this.rec.response = parseOrUndefined(text)
    req.unpipe() // stop reading: node then stops taking the body off the socket, and the client's sends back up
    res.writeHead(status, { 'content-type': 'application/json', connection: 'close', 'content-length': String(Buffer.byteLength(text)) })
    return new Promise((resolve) => {
      res.once('close', () => resolve())
      // write(), not end(): at end() node would either read and discard the rest of the body or close at once.
      res.write(text, () => {
        setTimeout(() => req.socket.destroy(), LINGER_MS).unref()
      })
    })
  }
}

/** The error envelope for a status, for answers that have no body of their own. */
export function envelopeFor(status: number): string {
  return JSON.stringify(fail(status, status, STATUS_CODES[status] ?? 'Error').body)
}

export function htmlPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`
  return (
    `<!DOCTYPE html>\n<html><head><title>${title}</title></head>` +
    `<body><center><h1>${title}</h1></center><hr><center>nginx</center></body></html>\n`
  )
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
