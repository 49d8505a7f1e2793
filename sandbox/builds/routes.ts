// Which Builds API operation a request names, on which host, and whether its token may perform it (the token
// checks the Publications API shares).
import { fail, isReply, type Reply } from '../transport/http.js'
import type { HostName, RecordedHost, RecordedRequest } from '../types.js'
import type { Store } from './store.js'

/** Integrations API (app token, app implied) or Workspace API (service account, app in the path). */
export type ApiKind = 'integrations' | 'workspace'
export type Operation = 'list' | 'details' | 'update' | 'delete' | 'upload' | 'attach'

export interface Route {
  api: ApiKind
  op: Operation
  organizationId?: string
  applicationId?: string
  buildId?: string
}

type Shape = 'builds' | 'build' | 'files'

const OPERATIONS: Record<HostName, Partial<Record<string, Operation>>> = {
  api: { 'GET builds': 'list', 'GET build': 'details', 'PUT build': 'update', 'DELETE build': 'delete' },
  upload: { 'POST builds': 'upload', 'POST files': 'attach' }
}

export function matchRoute(method: string, host: HostName, path: string): Route | Reply {
  const parsed = parsePath(path)
  const op = parsed && OPERATIONS[host][`${method} ${parsed.shape}`]
  if (!parsed || !op) return fail(404, 3001, `Route not found on the ${host} host`)
  return { ...parsed.where, op }
}

function parsePath(path: string): { where: Omit<Route, 'op'>; shape: Shape } | undefined {
  let segs: string[]
  try {
    segs = path.replace(/\/+$/, '').split('/').slice(1).map(decodeURIComponent)
  } catch {
    return undefined // malformed percent-encoding
  }
  let api: ApiKind
  let ids: Pick<Route, 'organizationId' | 'applicationId'> = {}
  let rest: string[]
  if (segs[0] === 'v1' && segs[1] === 'integrations' && segs[2] === 'builds') {
    api = 'integrations'
    rest = segs.slice(3)
  } else if (segs[0] === 'v1' && segs[1] === 'organizations' && segs[3] === 'apps' && segs[5] === 'builds' && segs[2] && segs[4]) {
    api = 'workspace'
    ids = { organizationId: segs[2], applicationId: segs[4] }
    rest = segs.slice(6)
  } else {
    return undefined
  }
  if (rest.length === 0) return { where: { api, ...ids }, shape: 'builds' }
  if (!rest[0]) return undefined
  if (rest.length === 1) return { where: { api, ...ids, buildId: rest[0] }, shape: 'build' }
  if (rest.length === 2 && rest[1] === 'files') return { where: { api, ...ids, buildId: rest[0] }, shape: 'files' }
  return undefined
}

/** Who a token speaks for, once it is known to be allowed on `api`. */
export type Caller = { kind: 'app'; appId: string } | { kind: 'serviceAccount'; organizationId: string }

/** The caller a token grants on `api` (app tokens on Integrations, service accounts on Workspace), or the error to answer. */
export function callerFor(store: Store, api: ApiKind, authorization: string | undefined): Caller | Reply {
  if (!authorization) return fail(401, 4002, 'No auth token')
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1]
  const grant = token === undefined ? undefined : store.grant(token)
  if (!grant) return fail(401, 4004, 'Invalid token')
  if (grant.kind === 'expired') return fail(401, 3002, 'Token Expired')
  return grant.kind === (api === 'integrations' ? 'app' : 'serviceAccount') ? grant : fail(401, 4004, 'Invalid token')
}

/** The app the request acts on, or the error to answer. */
export function authorize(store: Store, route: Route, authorization: string | undefined): { appId: string } | Reply {
  const caller = callerFor(store, route.api, authorization)
  if (isReply(caller)) return caller
  if (caller.kind === 'app') return { appId: caller.appId }
  const app = store.app(route.applicationId ?? '')
  if (!app || app.organizationId !== route.organizationId || caller.organizationId !== route.organizationId) {
    return fail(404, 3001, 'Entity not found')
  }
  return { appId: app.id }
}

/**
 * The refusal of an upload or attach request whose token is not accepted; undefined for anything else. With the
 * rejectEarly setting, the upload host answers it before reading the body, as Applivery's does.
 */
export function refusedUpload(
  store: Store,
  host: RecordedHost,
  rec: RecordedRequest,
  authorization: string | undefined
): Reply | undefined {
  if (host !== 'upload') return undefined
  const route = matchRoute(rec.method, host, rec.path)
  if (isReply(route)) return undefined // not an upload route: answered the usual way
  const auth = authorize(store, route, authorization)
  return isReply(auth) ? auth : undefined
}
