// One HTTP exchange with full control over the body, the time limits and the connection: node:http with
// an agent per route (direct or through a proxy, see agents.ts). Redirects are exchange.ts's.
import type * as http from 'node:http'
import type { Socket } from 'node:net'
import type { Writable } from 'node:stream'
import { routeFor } from './agents.js'
import { certificateFailure, TransportError } from './errors.js'
import { SinkClosedError } from './sink.js'
import { DEFAULT_TIMINGS, type Timings } from './timings.js'

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
  /** As received: a large answer is decoded once, by whoever reads it. */
  body: Buffer
}

export type TransportTimings = Pick<Timings, 'connectMs' | 'idleMs' | 'responseMs' | 'readMs' | 'keepAliveMs'>

/** An answer larger than this is not read to its end: Applivery's and GitHub's answers are JSON a fraction of it. */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024

export async function roundTrip(
  request: HttpRequest,
  timings: TransportTimings = DEFAULT_TIMINGS,
  signal?: AbortSignal
): Promise<HttpResponse> {
  const route = await routeFor(request.url, timings)
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
    const via = route.proxy ? ` (through the proxy ${route.proxy.label})` : ''
    let bodySent = false
    let settled = false
    const sendsFile = typeof body === 'object'
    /** A failure of the body itself (the file changed or could not be read) is not a network failure. */
    let sourceError: Error | undefined
    const fail = (err: Error & { code?: string }): void => {
      if (settled) return
      settled = true
      clearTimeout(connectTimer)
      clearTimeout(deadline)
      if (sourceError) return reject(sourceError)
      if (err instanceof TransportError) return reject(err)
      const code = err.code ?? (err.name === 'AbortError' ? 'ABORT_ERR' : undefined)
      reject(certificateFailure(err, where, url.hostname) ?? new TransportError(`${where}${via}: ${err.message}`, code, bodySent))
    }

    const req = route.request(url, { method, headers, agent: route.agent, signal })
    // The limit covers everything before the first byte can go: DNS, TCP, a proxy's CONNECT, the TLS handshake.
    // Failed here, not when the request reports it: a request still waiting for its socket reports only once
    // the agent hands one over.
    const connectTimer = setTimeout(() => {
      const timeout = new TransportError(`${where}${via}: no connection after ${timings.connectMs / 1000}s`, 'ETIMEDOUT', false)
      fail(timeout)
      req.destroy(timeout)
    }, timings.connectMs)
    const connected = (): void => clearTimeout(connectTimer)
    // Besides the idle limit, a limit on the whole answer: a server that sends a byte now and then resets the
    // idle limit forever. Without a file, it runs from the start; with one, from its last byte.
    const startDeadline = (ms: number, what: string): NodeJS.Timeout =>
      setTimeout(() => req.destroy(new TransportError(`${where}${via}: ${what}`, 'ETIMEDOUT', bodySent)), ms)
    let deadline = sendsFile ? undefined : startDeadline(timings.readMs, `no complete answer within ${timings.readMs / 1000}s`)
    req.setTimeout(timings.idleMs, () => {
      const awaited = bodySent && sendsFile
      const what = awaited ? `no answer ${timings.responseMs / 1000}s after the last byte` : `no progress for ${timings.idleMs / 1000}s`
      req.destroy(new TransportError(`${where}${via}: ${what}`, 'ETIMEDOUT', bodySent))
    })
    req.on('socket', (socket: Socket) => {
      // A server that is silent but alive answers keepalive probes; a vanished one is noticed within seconds.
      socket.setKeepAlive(true, timings.keepAliveMs)
      if (req.reusedSocket) connected()
      else if (url.protocol === 'https:') socket.once('secureConnect', connected)
      else if (socket.connecting) socket.once('connect', connected)
      else connected()
    })
    req.on('error', fail)
    req.on('finish', () => {
      bodySent = true
      // Applivery may take many minutes to answer an upload it has received in full.
      if (sendsFile) {
        req.setTimeout(timings.responseMs)
        deadline = startDeadline(timings.responseMs, `no complete answer ${timings.responseMs / 1000}s after the last byte`)
      }
    })
    req.on('response', (res) => {
      connected()
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > MAX_RESPONSE_BYTES) {
          req.destroy(
            new TransportError(`${where}: answer larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB; not read`, 'ERESPONSE', bodySent)
          )
          return
        }
        chunks.push(chunk)
      })
      res.on('error', fail)
      res.on('end', () => {
        if (settled) return
        settled = true
        clearTimeout(deadline)
        const received = Buffer.concat(chunks)
        chunks.length = 0
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: received })
        // An answer before the last byte (a refused token) ends the upload: nothing more needs sending.
        if (!bodySent) req.destroy()
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
        if (err instanceof SinkClosedError || settled) return
        sourceError ??= err
        req.destroy(err)
      }
    )
  })
}
