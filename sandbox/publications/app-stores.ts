// The workspaces' App Stores: derived from the `stores` setting on every read, so configure() changes them at once.
import type { Behaviour } from '../behaviour.js'
import { pageData, pageRequest } from '../builds/paging.js'
import { isReply, notFound, ok, type Reply } from '../transport/http.js'
import type { AppStore } from './types.js'

/** When the sandbox's stores were "made": a constant, so answers compare across runs. */
const STORES_CREATED = '2024-01-01T00:00:00.000Z'

/** org-1 has store-1..store-N (N = the `stores` setting); org-2 always has store-org-2; other organizations none. */
export function storeIdsOf(organizationId: string, stores: number): string[] {
  if (organizationId === 'org-1') return Array.from({ length: stores }, (_, i) => `store-${i + 1}`)
  if (organizationId === 'org-2') return ['store-org-2']
  return []
}

/** Where a publication made through the Integrations API goes: the organization's first store, if it has one. */
export function defaultStoreOf(organizationId: string, stores: number): string {
  return storeIdsOf(organizationId, stores)[0] ?? ''
}

function appStore(id: string, organization: string): AppStore {
  return {
    id,
    organization,
    security: 'logged',
    customDomain: '',
    branding: { buttonColor: '#000000' },
    configuration: { allowPublicPubApps: true },
    createdAt: STORES_CREATED,
    updatedAt: STORES_CREATED
  }
}

/** `GET /v1/organizations/{org}/stores`: paged like the Workspace API's other lists. */
export function listStores(organizationId: string, query: Record<string, string>, behaviour: Behaviour): Reply {
  const paging = pageRequest(query, behaviour.maxPageSize)
  if (isReply(paging)) return paging
  const stores = storeIdsOf(organizationId, behaviour.stores).map((id) => appStore(id, organizationId))
  return ok(pageData(stores, paging, 'paginated'))
}

/** `GET /v1/organizations/{org}/stores/{storeId}`. */
export function storeDetails(organizationId: string, storeId: string, behaviour: Behaviour): Reply {
  return storeIdsOf(organizationId, behaviour.stores).includes(storeId) ? ok(appStore(storeId, organizationId)) : notFound()
}
