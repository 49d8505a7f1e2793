// Install pages ("publications", Applivery's distributions): the Integrations API keeps them per app, the
// Workspace API per App Store. Lists are walked and matched here, since a list may ignore its filters.
import type { Deletion, PublicationBody, PublicationsApi, Written } from './api.js'
import { isLastPage, pageOf } from './envelope.js'
import type { AppliveryRequests, Endpoint, Query } from './requests.js'
import type { AppStore, Publication } from './types.js'

/** Pages walked at most: a list that never ends (one that ignores `page`) fails here rather than loop. */
const MAX_PAGES = 200

/** Every item of a paginated list, page by page, until a page is empty, repeats, or says it is the last. */
async function walk<T extends { id: string }>(requests: AppliveryRequests, operation: string, path: string, query: Query): Promise<T[]> {
  const found = new Map<string, T>()
  for (let page = 1; ; page++) {
    if (page > MAX_PAGES) throw new Error(`${operation}: the list went on past ${MAX_PAGES} pages; stopped there`)
    const data = await requests.call<unknown>({ operation, host: 'api', method: 'GET', path, query: { ...query, page } })
    const result = pageOf<T>(operation, data)
    const fresh = result.items.filter((item) => !found.has(item.id))
    for (const item of fresh) found.set(item.id, item)
    if (fresh.length === 0 || isLastPage(result, page, found.size)) break
  }
  return [...found.values()]
}

/** The Workspace API's App Stores of the organization. */
export function listStores(requests: AppliveryRequests): Promise<AppStore[]> {
  const { scope } = requests.options
  if (scope.kind !== 'workspace') throw new Error('App Stores are read through the Workspace API')
  return walk<AppStore>(requests, 'List App Stores', `/v1/organizations/${encodeURIComponent(scope.organizationId)}/stores`, {})
}

export class PublicationsClient implements PublicationsApi {
  constructor(
    private readonly requests: AppliveryRequests,
    private readonly storeId: string | undefined
  ) {}

  private path(suffix = ''): string {
    const { scope } = this.requests.options
    if (scope.kind === 'integrations') return `/v1/integrations/distributions${suffix}`
    if (this.storeId === undefined) throw new Error('The Workspace API keeps publications in an App Store: its id is needed')
    const org = encodeURIComponent(scope.organizationId)
    return `/v1/organizations/${org}/stores/${encodeURIComponent(this.storeId)}/pubApps${suffix}`
  }

  async findPublication(slug: string): Promise<Publication | undefined> {
    const items = await walk<Publication>(this.requests, `Find publication ${slug}`, this.path(), { slug })
    return items.find((item) => typeof item.slug === 'string' && item.slug.toLowerCase() === slug.toLowerCase())
  }

  getPublication(id: string): Promise<Publication> {
    return this.requests.call<Publication>({
      operation: `Read publication ${id}`,
      host: 'api',
      method: 'GET',
      path: this.path(`/${encodeURIComponent(id)}`)
    })
  }

  createPublication(body: PublicationBody, shown: PublicationBody): Promise<Written<Publication>> {
    // Safe to repeat after a lost answer: slugs are unique, so a second create of an applied one is refused
    // as a clash, which publish resolves by reading it.
    const endpoint: Endpoint = {
      operation: `Create publication ${body.slug}`,
      host: 'api',
      method: 'POST',
      path: this.path(),
      json: body,
      shownJson: shown,
      idempotent: true
    }
    return this.requests.send<Publication>(endpoint)
  }

  replacePublication(id: string, body: PublicationBody, shown: PublicationBody): Promise<Written<Publication>> {
    const endpoint: Endpoint = {
      operation: `Update publication ${body.slug}`,
      host: 'api',
      method: 'PUT',
      path: this.path(`/${encodeURIComponent(id)}`),
      json: body,
      shownJson: shown
    }
    return this.requests.send<Publication>(endpoint)
  }

  deletePublication(id: string): Promise<Written<Deletion>> {
    return this.requests.remove({
      operation: `Delete publication ${id}`,
      host: 'api',
      method: 'DELETE',
      path: this.path(`/${encodeURIComponent(id)}`)
    })
  }
}
