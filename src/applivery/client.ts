// The Builds API over HTTP: one method per endpoint. The scope decides the path, the endpoint decides the host
// (uploads and attachments go to the upload host). Install pages (publications) share its requests.
import type { AppliedCheck, BuildsApi, Deletion, PublicationsAccess, UpdateFields, Written } from './api.js'
import { reason } from '../transport/attempts.js'
import { BUILD, buildOf } from './decode.js'
import { pageOf } from './envelope.js'
import { TransportError } from '../transport/errors.js'
import { ApiError } from './errors.js'
import type { MultipartBody } from '../transport/multipart.js'
import { listStores, PublicationsClient } from './publications.js'
import { AppliveryRequests, type ClientOptions, type Endpoint } from './requests.js'
import type { AppStore, Build, ListPage, ListQuery } from './types.js'

export type { ClientOptions } from './requests.js'

/** Smaller page sizes to ask for when Applivery refuses a larger one. */
const FALLBACK_PAGE_SIZES = [100, 20]

export class AppliveryClient implements BuildsApi, PublicationsAccess {
  private readonly requests: AppliveryRequests
  /** The largest page size Applivery accepted, once it refused a larger one; kept for the rest of the step. */
  private pageSizeCap = Infinity

  constructor(private readonly options: ClientOptions) {
    this.requests = new AppliveryRequests(options)
  }

  /** Builds path for the client's scope; every id is URL-encoded so no input can change the path. */
  buildsPath(suffix = ''): string {
    const { scope } = this.options
    const prefix =
      scope.kind === 'integrations'
        ? '/v1/integrations/builds'
        : `/v1/organizations/${encodeURIComponent(scope.organizationId)}/apps/${encodeURIComponent(scope.appId)}/builds`
    return prefix + suffix
  }

  getBuild(buildId: string): Promise<Build> {
    return this.requests.perform<Build>(
      { operation: `Get build ${buildId}`, host: 'api', method: 'GET', path: this.buildsPath(buildSuffix(buildId)) },
      { decode: BUILD }
    )
  }

  async listPage(query: ListQuery, { fallback = false } = {}): Promise<ListPage> {
    for (;;) {
      const limit = fallback && query.limit !== undefined ? Math.min(query.limit, this.pageSizeCap) : query.limit
      try {
        const endpoint = {
          operation: 'List builds',
          host: 'api',
          method: 'GET',
          path: this.buildsPath(),
          query: { ...query, limit }
        } as const
        let bytes = 0
        const data = await this.requests.perform<unknown>(endpoint, { onBody: (size) => (bytes = size) })
        return { ...pageOf('List builds', data, buildOf), bytes }
      } catch (err) {
        const smaller =
          fallback && limit !== undefined && refusesPageSize(err) ? FALLBACK_PAGE_SIZES.find((size) => size < limit) : undefined
        if (smaller === undefined) throw err
        this.options.trace?.(
          `List builds: Applivery refused pages of ${limit} (${reason(err)}); asking for pages of ${smaller} from now on`
        )
        this.pageSizeCap = smaller
      }
    }
  }

  updateBuild(buildId: string, fields: UpdateFields): Promise<Written<Build>> {
    const endpoint: Endpoint = {
      operation: `Update build ${buildId}`,
      host: 'api',
      method: 'PUT',
      path: this.buildsPath(buildSuffix(buildId)),
      json: fields
    }
    return this.requests.write<Build>(endpoint, { decode: BUILD })
  }

  deleteBuild(buildId: string): Promise<Written<Deletion>> {
    return this.requests.remove({
      operation: `Delete build ${buildId}`,
      host: 'api',
      method: 'DELETE',
      path: this.buildsPath(buildSuffix(buildId))
    })
  }

  uploadBuild(body: MultipartBody, applied: AppliedCheck<Build>, onProgress?: (sentBytes: number) => void): Promise<Written<Build>> {
    const endpoint: Endpoint = { operation: 'Upload build', host: 'upload', method: 'POST', path: this.buildsPath(), body, onProgress }
    return this.requests.write<Build>(endpoint, { applied, decode: BUILD })
  }

  attachFile(buildId: string, fileName: string, body: MultipartBody, applied: AppliedCheck<Build>): Promise<Written<Build>> {
    const path = this.buildsPath(`${buildSuffix(buildId)}/files`)
    const endpoint: Endpoint = { operation: `Attach ${fileName} to build ${buildId}`, host: 'upload', method: 'POST', path, body }
    return this.requests.write<Build>(endpoint, { applied, decode: BUILD })
  }

  listStores(): Promise<AppStore[]> {
    return listStores(this.requests)
  }

  publicationsAt(storeId: string | undefined): PublicationsClient {
    return new PublicationsClient(this.requests, storeId)
  }
}

/** A page size refused (400, 422), or a page too large to read: asked again smaller. */
function refusesPageSize(err: unknown): boolean {
  if (err instanceof TransportError) return err.code === 'ERESPONSE'
  return err instanceof ApiError && (err.httpStatus === 400 || err.httpStatus === 422)
}

function buildSuffix(buildId: string): string {
  return `/${encodeURIComponent(buildId)}`
}
