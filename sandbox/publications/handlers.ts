// The Publications API (install pages) on both APIs, and the Workspace API's stores, once the route is known.
import type { Readable } from 'node:stream'
import type { Behaviour } from '../behaviour.js'
import { pageData, pageRequest } from '../builds/paging.js'
import { newId, type Store } from '../builds/store.js'
import { fail, isReply, notFound, ok, readJsonObject, validationFailed, type Reply } from '../transport/http.js'
import { defaultStoreOf, listStores, storeDetails } from './app-stores.js'
import { pinnedBuilds, publicationFrom, validatePublication } from './body.js'
import { installPage } from './install.js'
import { accessFor, type Access, type PublicationRoute } from './routes.js'
import { installUrl, publicAnswer, type PublicationRecord, type Publications } from './store.js'
import type { StoredPublication } from './types.js'

export interface PublicationContext {
  store: Store
  publications: Publications
  route: PublicationRoute
  authorization: string | undefined
  body: Readable
  query: Record<string, string>
  apiUrl: string
  /** Live: configure() changes it in place. */
  behaviour: Behaviour
}

type Json = Record<string, unknown>
type Scoped = PublicationContext & { access: Access }

/** Query filters a list honours (unless publicationListFilters is 'ignored'), by the publication field they test. */
const LIST_FILTERS = ['slug', 'security', 'visibility', 'application'] as const

export async function handlePublication(ctx: PublicationContext): Promise<Reply> {
  const { route } = ctx
  if (route.op === 'install') return installPage(ctx.store, ctx.publications, route.slug, ctx.query)
  const access = accessFor(ctx.store, route, ctx.authorization, ctx.behaviour.stores)
  if (isReply(access)) return access
  const scoped = { ...ctx, access }
  switch (route.op) {
    case 'stores':
      return listStores(access.organizationId, ctx.query, ctx.behaviour)
    case 'store':
      return storeDetails(access.organizationId, route.storeId ?? '', ctx.behaviour)
    case 'list':
      return list(scoped)
    case 'details': {
      const rec = reachable(scoped)
      return rec ? ok(publicAnswer(rec.pub)) : notFound()
    }
    case 'create':
      return write(scoped, undefined)
    case 'update':
      return write(scoped, reachable(scoped) ?? null)
    case 'delete':
      return remove(scoped)
  }
}

/** The publications the caller sees: its app's (Integrations), or every app's in the store of the path (Workspace). */
function visible({ publications, access, route }: Scoped): PublicationRecord[] {
  return publications
    .all()
    .filter((r) =>
      access.api === 'integrations'
        ? r.organizationId === access.organizationId && r.pub.application === access.appId
        : r.organizationId === access.organizationId && 'storeId' in route && r.storeId === route.storeId
    )
}

/** What a list may answer of each page: enough to find it, not enough to write it back. */
function summaryOf(pub: StoredPublication): Record<string, unknown> {
  const { id, slug, distributionUrl, security, visibility, filter, createdAt, updatedAt } = pub
  return { id, slug, distributionUrl, security, visibility, filter, createdAt, updatedAt }
}

function reachable(ctx: Scoped): PublicationRecord | undefined {
  const id = 'publicationId' in ctx.route ? ctx.route.publicationId : undefined
  return visible(ctx).find((r) => r.pub.id === id)
}

function list(ctx: Scoped): Reply {
  const { query, behaviour } = ctx
  const paging = pageRequest(query, behaviour.maxPageSize)
  if (isReply(paging)) return paging
  const honoured = behaviour.publicationListFilters === 'honoured'
  // An empty filter value means "no filter", as the builds list treats it.
  const items = visible(ctx).filter((r) => !honoured || LIST_FILTERS.every((key) => !query[key] || query[key] === r.pub[key]))
  return ok(
    pageData(
      items.map((r) => (behaviour.publicationListItems === 'summary' ? summaryOf(r.pub) : publicAnswer(r.pub))),
      paging,
      'paginated'
    )
  )
}

/** Create (`existing` undefined) or full replacement (`existing` the publication, null when unknown). */
async function write(ctx: Scoped, existing: PublicationRecord | null | undefined): Promise<Reply> {
  const { store, publications, access, behaviour } = ctx
  const body = await readJsonObject(ctx.body)
  if (isReply(body)) return body
  const errors = validatePublication(body, access.api, access.appId, existing === undefined && behaviour.integrationsNeedApplication)
  if (errors.length > 0) return validationFailed(errors)
  if (existing === null) return notFound()
  const application = access.appId ?? (body.application as string)
  if (store.app(application)?.organizationId !== access.organizationId) return notFound()
  if (pinnedBuilds(body.filter as Json).some((pin) => !store.get(application, pin.id))) return notFound()
  const slug = body.slug as string
  if (publications.slugTaken(access.organizationId, slug, existing?.pub.id)) {
    const { status, code, message } = behaviour.slugClash
    return fail(status, code, message)
  }
  const now = new Date(store.nextTimestamp()).toISOString()
  const pub = publicationFrom(body, {
    id: existing?.pub.id ?? newId(),
    application,
    distributionUrl: installUrl(ctx.apiUrl, slug),
    createdAt: existing?.pub.createdAt ?? now,
    updatedAt: now
  })
  if (existing) {
    existing.pub = pub
    return ok(publicAnswer(pub))
  }
  const storeId = 'storeId' in ctx.route && ctx.route.storeId ? ctx.route.storeId : defaultStoreOf(access.organizationId, behaviour.stores)
  publications.add(access.organizationId, storeId, pub)
  return { status: behaviour.createStatus, body: { status: true, data: publicAnswer(pub) } }
}

function remove(ctx: Scoped): Reply {
  const rec = reachable(ctx)
  if (!rec) return notFound()
  const { pub } = rec
  // The Workspace API keeps every app on at least one page that follows its newest build.
  const lastOfItsKind =
    pub.filter.type === 'last' &&
    !ctx.publications.all().some((r) => r !== rec && r.pub.application === pub.application && r.pub.filter.type === 'last')
  if (ctx.access.api === 'workspace' && lastOfItsKind) {
    return fail(400, 6003, 'Cannot delete the last publication with the latest build filter')
  }
  ctx.publications.remove(pub.id)
  return ok({ delete: 'OK' })
}
