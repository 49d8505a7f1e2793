// HTTP front of the sandbox's three hosts (api, upload, github): records every request, applies faults, routes to the handlers.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer, Server as HttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { Readable } from 'node:stream'
import type { Behaviour } from './behaviour.js'
import { discard } from './builds/discard.js'
import { handle } from './builds/handlers.js'
import { authorize, matchRoute, refusedUpload } from './builds/routes.js'
import type { Store } from './builds/store.js'
import { githubReply } from './github/handlers.js'
import type { GithubStore } from './github/store.js'
import { handlePublication } from './publications/handlers.js'
import { matchPublicationRoute } from './publications/routes.js'
import type { Publications } from './publications/store.js'
import { Exchange } from './transport/exchange.js'
import { phasesOf, type FaultList } from './transport/faults.js'
import { drain, fail, flatHeaders, isJsonType, isReply, meteredBody, type Reply } from './transport/http.js'
import type { SharedReads } from './transport/shared-reads.js'
import type { TlsMaterial } from './transport/tls.js'
import type { RecordedHost, RecordedRequest } from './types.js'

export interface SandboxState {
  store: Store
  faults: FaultList
  requests: RecordedRequest[]
  /** The api host's own base URL: publications' distributionUrl opens its install pages. */
  apiUrl: string
  uploadUrl: string
  publications: Publications
  github: GithubStore
  /** The GitHub host's requests, apart from Applivery's. */
  githubRequests: RecordedRequest[]
  /** Changed in place by configure(). */
  behaviour: Behaviour
  /** Reads of install pages and comments held back (behaviour.readDelayMs, readTogether). */
  sharedReads: SharedReads
  discard: boolean
}

export type HostServer = Server | HttpsServer

/** An HTTP server, or an HTTPS one when given a certificate; the same handler either way. */
export function createHostServer(host: RecordedHost, state: SandboxState, tls?: TlsMaterial): HostServer {
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

async function serve(host: RecordedHost, state: SandboxState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET'
  const url = new URL(req.url ?? '/', 'http://sandbox')
  const requests = host === 'github' ? state.githubRequests : state.requests
  const rec: RecordedRequest = {
    seq: requests.length + 1,
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
  requests.push(rec)
  state.store.advance()
  const fault = state.faults.take(method, host, rec.path)
  if (fault) rec.fault = fault.kind
  const phases = phasesOf(fault)
  if (phases.dropAfterBytes === 0) return void req.socket.destroy()
  const body = meteredBody(req, {
    onBytes: (n) => {
      rec.bodyBytes += n
    },
    dropAfter: phases.dropAfterBytes === undefined ? undefined : { bytes: phases.dropAfterBytes, drop: () => req.socket.destroy() },
    onJson: isJsonType(req.headers['content-type'])
      ? (value) => {
          rec.json = value
        }
      : undefined
  })
  const exchange = new Exchange(req, res, body, rec)

  try {
    if (phases.instead) return await phases.instead(exchange)
    await phases.before?.()
    const refusal = state.behaviour.rejectEarly ? refusedUpload(state.store, host, rec, req.headers.authorization) : undefined
    if (refusal) return await exchange.answerEarly(refusal.status, JSON.stringify(refusal.body))

    const reply = await dispatch(host, state, req, body, rec)
    await drain(body) // answer only once the whole request body has been read
    if (state.behaviour.readDelayMs > 0 && isSharedRead(host, rec)) await state.sharedReads.hold(state.behaviour)
    const text = JSON.stringify(reply.body)
    rec.response = JSON.parse(text) // a snapshot, even when a fault keeps it from the client
    if (reply.held && exchange.clientGone) return // gave up during the hold: the work is done, nobody to answer
    if (phases.after) return phases.after(exchange, text, state.store)
    exchange.answer(reply.status, text, reply.headers)
  } catch (err) {
    if (req.socket.destroyed || res.headersSent) return // the client went away: nobody to answer
    const reply = fail(500, 500, `Sandbox error: ${(err as Error).message}`)
    rec.response = reply.body
    exchange.answer(500, JSON.stringify(reply.body))
  }
}

/** A read of what several jobs may write at once: an install page, or a pull request's comments. */
function isSharedRead(host: RecordedHost, rec: RecordedRequest): boolean {
  if (rec.method !== 'GET') return false
  return host === 'github' ? /\/comments(\/\d+)?$/.test(rec.path) : /\/(distributions|pubApps)(\/|$)/.test(rec.path)
}

async function dispatch(
  host: RecordedHost,
  state: SandboxState,
  req: IncomingMessage,
  body: Readable,
  rec: RecordedRequest
): Promise<Reply> {
  if (host === 'github') return githubReply(state.github, rec, req.headers.authorization, body)
  const route = matchRoute(rec.method, host, rec.path)
  if (isReply(route)) {
    const publication = host === 'api' ? matchPublicationRoute(rec.method, rec.path) : undefined
    if (!publication) return route
    const { store, publications, apiUrl, behaviour } = state
    return handlePublication({
      store,
      publications,
      route: publication,
      authorization: req.headers.authorization,
      body,
      query: rec.query,
      apiUrl,
      behaviour
    })
  }
  const auth = authorize(state.store, route, req.headers.authorization)
  if (isReply(auth)) return auth
  // The benchmark's mode takes file bodies past the handlers: counted, never parsed.
  const handler = state.discard && (route.op === 'upload' || route.op === 'attach') ? discard : handle
  return handler({
    store: state.store,
    route,
    appId: auth.appId,
    body,
    headers: req.headers,
    rec,
    uploadUrl: state.uploadUrl,
    behaviour: state.behaviour
  })
}
