// HTTP front of the sandbox: records every request, applies faults, routes to the handlers.
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer, Server as HttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { Readable } from 'node:stream'
import type { Behaviour } from './behaviour.js'
import { answerEarly, refusedUpload } from './early.js'
import { htmlPage, type FaultAction, type FaultList } from './faults.js'
import { handle } from './handlers.js'
import { drain, fail, flatHeaders, isJsonType, meteredBody, sleep, type Reply } from './http.js'
import { authorize, isReply, matchRoute } from './routes.js'
import type { Store } from './store.js'
import type { TlsMaterial } from './tls.js'
import type { HostName, RecordedRequest } from './types.js'

export interface SandboxState {
  store: Store
  faults: FaultList
  requests: RecordedRequest[]
  uploadUrl: string
  /** Changed in place by configure(). */
  behaviour: Behaviour
  discard: boolean
}

export type HostServer = Server | HttpsServer

/** An HTTP server, or an HTTPS one when given a certificate; the same handler either way. */
export function createHostServer(host: HostName, state: SandboxState, tls?: TlsMaterial): HostServer {
  const handler = (req: IncomingMessage, res: ServerResponse): void => void serve(host, state, req, res)
  const server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, handler) : createServer(handler)
  server.requestTimeout = 0 // a multi-GB upload may take longer than node's 5-minute default
  return server
}

export async function listen(server: HostServer, host: string, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port: bound } = server.address() as AddressInfo
  const scheme = server instanceof HttpsServer ? 'https' : 'http'
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${bound}`
}

export function closeServer(server: HostServer): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections() // includes stalled and keep-alive sockets
    server.close(() => resolve())
  })
}

function write(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const extra = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
  res.writeHead(status, { 'content-type': 'application/json', ...extra, 'content-length': String(Buffer.byteLength(text)) })
  res.end(text)
}

/** The error envelope for a status, for faults that give no body of their own. */
function envelopeFor(status: number): string {
  return JSON.stringify(fail(status, status, STATUS_CODES[status] ?? 'Error').body)
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

async function serve(host: HostName, state: SandboxState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET'
  const url = new URL(req.url ?? '/', 'http://sandbox')
  const rec: RecordedRequest = {
    seq: state.requests.length + 1,
    host,
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: flatHeaders(req),
    bodyBytes: 0,
    fields: {},
    files: [],
    status: 0
  }
  state.requests.push(rec)
  const fault = state.faults.take(method, host, rec.path)
  if (fault) rec.fault = fault.kind
  const drop = (): void => {
    req.socket.destroy()
  }
  if (fault?.kind === 'reset-before-body') return drop()
  const dropAfter = fault?.kind === 'reset-after-bytes' ? { bytes: fault.bytes, drop } : undefined
  const body = meteredBody(req, {
    onBytes: (n) => { rec.bodyBytes += n },
    dropAfter,
    onJson: isJsonType(req.headers['content-type']) ? (value) => { rec.json = value } : undefined
  })

  try {
    if (fault?.kind === 'reset-after-bytes') {
      await drain(body)
      return drop() // the body was shorter than the threshold: drop at its end all the same
    }
    if (await answeredByFault(fault, req, body, res, rec)) return
    if (fault?.kind === 'delay') await sleep(fault.ms)
    const refusal = state.behaviour.rejectEarly ? refusedUpload(state.store, host, rec, req.headers.authorization) : undefined
    if (refusal) return await earlyReply(req, res, rec, refusal.status, JSON.stringify(refusal.body))

    const reply = await dispatch(host, state, req, body, rec)
    await drain(body) // answer only once the whole request body has been read
    const text = JSON.stringify(reply.body)
    rec.response = JSON.parse(text) // a snapshot, even when a fault keeps it from the client
    if (reply.held && clientGone(req)) return // gave up during the hold: the work is done, nobody to answer
    if (fault?.kind === 'apply-then-drop') return drop()
    if (fault?.kind === 'apply-late') {
      const created = (reply.body as { data?: { id?: string } }).data?.id
      if (created) state.store.hide(created, fault.ms)
      rec.status = fault.status
      return write(res, fault.status, htmlPage(fault.status), { 'content-type': 'text/html; charset=utf-8' })
    }
    if (fault?.kind === 'truncated') {
      rec.status = 200
      return write(res, 200, text.slice(0, Math.floor(text.length / 2)))
    }
    rec.status = reply.status
    write(res, reply.status, text)
  } catch (err) {
    if (req.socket.destroyed || res.headersSent) return // the client went away: nobody to answer
    const reply = fail(500, 500, `Sandbox error: ${(err as Error).message}`)
    rec.status = 500
    rec.response = reply.body
    write(res, 500, JSON.stringify(reply.body))
  }
}

function clientGone(req: IncomingMessage): boolean {
  return req.socket.destroyed || !req.socket.writable
}

function earlyReply(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest, status: number, text: string): Promise<void> {
  rec.status = status
  rec.response = parseOrUndefined(text)
  return answerEarly(req, res, status, text)
}

/** Faults that replace handling entirely. True when the request needs nothing more. */
async function answeredByFault(fault: FaultAction | undefined, req: IncomingMessage, body: Readable, res: ServerResponse, rec: RecordedRequest): Promise<boolean> {
  switch (fault?.kind) {
    case 'early-answer':
      await earlyReply(req, res, rec, fault.status, fault.body ?? envelopeFor(fault.status))
      return true
    case 'status': {
      await drain(body)
      const text = fault.body ?? envelopeFor(fault.status)
      rec.status = fault.status
      rec.response = parseOrUndefined(text)
      write(res, fault.status, text, fault.headers)
      return true
    }
    case 'html': {
      await drain(body)
      rec.status = fault.status ?? 502
      write(res, rec.status, htmlPage(rec.status), { 'content-type': 'text/html; charset=utf-8' })
      return true
    }
    case 'redirect': {
      await drain(body)
      const text = envelopeFor(fault.status)
      rec.status = fault.status
      rec.response = JSON.parse(text)
      write(res, fault.status, text, { location: fault.location })
      return true
    }
    case 'stall':
      await drain(body)
      return true // never answered; close() or the client ends the socket
    default:
      return false
  }
}

async function dispatch(host: HostName, state: SandboxState, req: IncomingMessage, body: Readable, rec: RecordedRequest): Promise<Reply> {
  const route = matchRoute(rec.method, host, rec.path)
  if (isReply(route)) return route
  const auth = authorize(state.store, route, req.headers.authorization)
  if (isReply(auth)) return auth
  return handle({
    store: state.store,
    route,
    appId: auth.appId,
    body,
    headers: req.headers,
    rec,
    uploadUrl: state.uploadUrl,
    behaviour: state.behaviour,
    discard: state.discard
  })
}
