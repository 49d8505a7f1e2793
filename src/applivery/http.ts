// One HTTP exchange with full control over the body, timeouts and redirects. @actions/http-client
// supplies the proxy-aware agent (HTTPS_PROXY, NO_PROXY); its own request path is not used because it
// replays consumed streams on redirects and hangs when a body stream fails.
import * as http from 'node:http'
import * as https from 'node:https'
import type { Writable } from 'node:stream'
import { HttpClient } from '@actions/http-client'
import { TransportError } from './errors.js'
import { SinkClosedError } from './sink.js'

/** A body that can be sent again from the start for every attempt. */
export interface BodySource {
  contentType: string
  contentLength: number
  /** Fails if the body can no longer be sent as sized (its file changed); called before every attempt. */
  verify(): Promise<void>
  /** Writes the whole body, honouring backpressure; reports the bytes written so far. */
  writeTo(sink: Writable, onProgress?: (sentBytes: number) => void): Promise<void>
}

export interface HttpRequest {
  method: string
  url: URL
  headers: Record<string, string>
  body?: string | BodySource
  /** Called with the number of body bytes handed to the socket so far. */
  onProgress?: (sentBytes: number) => void
}

export interface HttpResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

export interface HttpTimeouts {
  connectMs: number
  /** No bytes moving either way for this long fails the attempt (covers a stalled upload and a silent server). */
  idleMs: number
}

export const DEFAULT_TIMEOUTS: HttpTimeouts = { connectMs: 30_000, idleMs: 5 * 60_000 }

const MAX_RESPONSE_BYTES = 32 * 1024 * 1024
const agents = new HttpClient('applivery-builds-action', [], { keepAlive: true })

export function send(
  request: HttpRequest,
  timeouts: HttpTimeouts = DEFAULT_TIMEOUTS,
  signal?: AbortSignal
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const { method, url, body } = request
    const headers: Record<string, string> = { ...request.headers }
    if (typeof body === 'string') {
      headers['Content-Length'] = String(Buffer.byteLength(body))
    } else if (body) {
      headers['Content-Type'] = body.contentType
      headers['Content-Length'] = String(body.contentLength)
    }
    const where = `${method} ${url.origin}${url.pathname}`
    let bodySent = false
    let settled = false
    /** A failure of the body itself (the file changed or could not be read) is not a network failure. */
    let sourceError: Error | undefined
    const fail = (err: Error & { code?: string }): void => {
      if (settled) return
      settled = true
      clearTimeout(connectTimer)
      if (sourceError) {
        reject(sourceError)
        return
      }
      const code = err.code ?? (err.name === 'AbortError' ? 'ABORT_ERR' : undefined)
      reject(err instanceof TransportError ? err : new TransportError(`${where}: ${err.message}`, code, bodySent))
    }

    const transport = url.protocol === 'https:' ? https : http
    const req = transport.request(url, {
      method,
      headers,
      agent: agents.getAgent(url.href),
      timeout: timeouts.idleMs,
      signal
    })
    let connectTimer: NodeJS.Timeout | undefined
    req.on('socket', (socket) => {
      if (!socket.connecting) return
      connectTimer = setTimeout(() => {
        req.destroy(timeoutError(`${where}: no connection after ${timeouts.connectMs / 1000}s`, bodySent))
      }, timeouts.connectMs)
      socket.once('connect', () => clearTimeout(connectTimer))
    })
    req.on('timeout', () => {
      req.destroy(timeoutError(`${where}: no progress for ${timeouts.idleMs / 1000}s`, bodySent))
    })
    req.on('error', fail)
    req.on('finish', () => {
      bodySent = true
    })
    req.on('response', (res) => {
      clearTimeout(connectTimer)
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > MAX_RESPONSE_BYTES) {
          req.destroy(new TransportError(`${where}: response larger than ${MAX_RESPONSE_BYTES} bytes`, 'ERESPONSE', bodySent))
          return
        }
        chunks.push(chunk)
      })
      res.on('error', fail)
      res.on('end', () => {
        if (settled) return
        settled = true
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') })
      })
    })

    if (body === undefined || typeof body === 'string') {
      req.end(body)
      return
    }
    // A failing file must end the request now, not at the socket timeout.
    body.writeTo(req, request.onProgress).then(
      () => req.end(),
      (err: Error) => {
        if (err instanceof SinkClosedError) return
        sourceError ??= err
        req.destroy(err)
      }
    )
  })
}

function timeoutError(message: string, bodySent: boolean): TransportError {
  return new TransportError(message, 'ETIMEDOUT', bodySent)
}
