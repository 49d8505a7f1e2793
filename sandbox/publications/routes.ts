// Which Publications API operation a request on the api host names, and what its token may reach.
import { callerFor, type ApiKind } from '../builds/routes.js'
import type { Store } from '../builds/store.js'
import { fail, isReply, notFound, type Reply } from '../transport/http.js'
import { storeIdsOf } from './app-stores.js'

export type PublicationOperation = 'list' | 'create' | 'details' | 'update' | 'delete' | 'stores' | 'store'

export type PublicationRoute =
  | { op: 'install'; slug: string }
  | { op: PublicationOperation; api: ApiKind; organizationId?: string; storeId?: string; publicationId?: string }

/** What a checked token reaches: the organization, and on the Integrations API its one app. */
export interface Access {
  api: ApiKind
  organizationId: string
  /** Integrations API only. */
  appId?: string
}

const COLLECTION: Partial<Record<string, PublicationOperation>> = { GET: 'list', POST: 'create' }
const ITEM: Partial<Record<string, PublicationOperation>> = { GET: 'details', PUT: 'update', DELETE: 'delete' }

/** The route, or undefined when the path and method name none of these (the caller answers its own 404). */
export function matchPublicationRoute(method: string, path: string): PublicationRoute | undefined {
  let segs: string[]
  try {
    segs = path.replace(/\/+$/, '').split('/').slice(1).map(decodeURIComponent)
  } catch {
    return undefined // malformed percent-encoding
  }
  if (segs.some((s) => s === '')) return undefined
  if (segs[0] === 'install' && segs.length === 2) return method === 'GET' ? { op: 'install', slug: segs[1] } : undefined
  if (segs[0] !== 'v1') return undefined
  if (segs[1] === 'integrations' && segs[2] === 'distributions') {
    const op = segs.length === 3 ? COLLECTION[method] : segs.length === 4 ? ITEM[method] : undefined
    return op && { op, api: 'integrations', publicationId: segs[3] }
  }
  if (segs[1] !== 'organizations' || segs[3] !== 'stores') return undefined
  const where = { api: 'workspace' as const, organizationId: segs[2], storeId: segs[4] }
  if (segs.length === 4) return method === 'GET' ? { op: 'stores', ...where } : undefined
  if (segs.length === 5) return method === 'GET' ? { op: 'store', ...where } : undefined
  if (segs[5] !== 'pubApps') return undefined
  const op = segs.length === 6 ? COLLECTION[method] : segs.length === 7 ? ITEM[method] : undefined
  return op && { op, ...where, publicationId: segs[6] }
}

/**
 * What the token may reach, or the error to answer: token errors as on the builds routes; on the Workspace API an
 * organization other than the token's, or a store not of it, is "not found".
 */
export function accessFor(store: Store, route: PublicationRoute, authorization: string | undefined, stores: number): Access | Reply {
  if (route.op === 'install') return fail(500, 500, 'Sandbox error: install pages need no access')
  const caller = callerFor(store, route.api, authorization)
  if (isReply(caller)) return caller
  if (caller.kind === 'app') {
    const app = store.app(caller.appId)
    return app ? { api: 'integrations', organizationId: app.organizationId, appId: app.id } : notFound()
  }
  if (caller.organizationId !== route.organizationId) return notFound()
  if (route.storeId !== undefined && !storeIdsOf(caller.organizationId, stores).includes(route.storeId)) return notFound()
  return { api: 'workspace', organizationId: caller.organizationId }
}
