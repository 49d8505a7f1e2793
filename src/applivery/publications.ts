// Install pages ("publications", Applivery's distributions): the Integrations API keeps them per app, the
// Workspace API per App Store. Lists are walked and matched here, since a list may ignore its filters.
import type { Deletion, PublicationBody, PublicationsApi, Written } from './api.js'
import { PUBLICATION, publicationOf, withIdOf } from './decode.js'
import { isLastPage, pageOf } from './envelope.js'
import type { AppliveryRequests, Endpoint, Query } from './requests.js'
import type { AppStore, Publication } from './types.js'
import { WalkBudget } from '../transport/walk-budget.js'

/**
 * The items of a paginated list that `keep` wants, page by page, until a page is empty, repeats, or says it is
 * the last; within the walk's bounds (a list that ignores `page` never ends).
 */
async function walk<T extends { id: string }>(
  requests: AppliveryRequests,
  operation: string,
  path: string,
  query: Query,
  item: (value: unknown) => T | undefined,
  keep: (item: T) => boolean = () => true
): Promise<T[]> {
  const budget = new WalkBudget(operation)
  const seen = new Set<string>()
  const kept: T[] = []
  for (let page = 1; ; page++) {
    budget.page()
    const endpoint = { operation, host: 'api', method: 'GET', path, query: { ...query, page } } as const
    const data = await requests.perform<unknown>(endpoint, { onBody: (bytes) => budget.read(bytes) })
    const result = pageOf(operation, data, item)
    const fresh = result.items.filter((entry) => !seen.has(entry.id))
    for (const entry of fresh) {
      seen.add(entry.id)
      if (!keep(entry)) continue
      budget.keep(entry)
      kept.push(entry)
    }
    if (fresh.length === 0 || isLastPage(result, page, seen.size)) break
  }
  return kept
}

/** The Workspace API's App Stores of the organization. */
export function listStores(requests: AppliveryRequests): Promise<AppStore[]> {
  const { scope } = requests.options
  if (scope.kind !== 'workspace') throw new Error('App Stores are read through the Workspace API')
  return walk<AppStore>(requests, 'List App Stores', `/v1/organizations/${encodeURIComponent(scope.organizationId)}/stores`, {}, withIdOf)
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
    const same = (item: Publication): boolean => item.slug.toLowerCase() === slug.toLowerCase()
    const items = await walk(this.requests, `Find publication ${slug}`, this.path(), { slug }, publicationOf, same)
    return items[0]
  }

  listPublications(): Promise<Publication[]> {
    return walk(this.requests, 'List publications', this.path(), {}, publicationOf)
  }

  getPublication(id: string): Promise<Publication> {
    return this.requests.perform<Publication>(
      { operation: `Read publication ${id}`, host: 'api', method: 'GET', path: this.path(`/${encodeURIComponent(id)}`) },
      { decode: PUBLICATION }
    )
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
    return this.requests.write<Publication>(endpoint, { decode: PUBLICATION })
  }

  /** Its answer is not established: the page when it holds one, else undefined (the page is then as sent). */
  async replacePublication(id: string, body: PublicationBody, shown: PublicationBody): Promise<Written<Publication | undefined>> {
    const endpoint: Endpoint = {
      operation: `Update publication ${body.slug}`,
      host: 'api',
      method: 'PUT',
      path: this.path(`/${encodeURIComponent(id)}`),
      json: body,
      shownJson: shown,
      once: true
    }
    const written = await this.requests.write<unknown>(endpoint)
    return written.sent ? { sent: true, value: publicationOf(written.value) } : written
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
