// The Builds API over HTTP: one method per endpoint. The scope decides the path, the endpoint decides the host
// (uploads and attachments go to the upload host). A dry run is decided here, once, for every write.
import type { AppliedCheck, BuildsApi, Deletion, UpdateFields, Written, WritePlan } from './api.js'
import { reason, withAttempts, type Attempts } from './attempts.js'
import { unwrap } from './envelope.js'
import { ApiError } from './errors.js'
import { exchange } from './exchange.js'
import type { MultipartBody } from './multipart.js'
import { retryPolicy, type RetryPolicy } from './retry.js'
import { DEFAULT_TIMINGS, type Timings } from './timings.js'
import type { ApiScope, Build, ListPage, ListQuery } from './types.js'

export interface ClientOptions {
  token: string
  scope: ApiScope
  apiUrl: URL
  uploadUrl: URL
  timings?: Timings
  /** Defaults to the action's policy with `timings`. */
  retry?: RetryPolicy
  signal?: AbortSignal
  /** Receives one line per request (method, URL, status, time); never headers. */
  trace?: (line: string) => void
  /** Receives a line for every failed attempt that is tried again. */
  warn?: (line: string) => void
  /** Make the reads; plan the writes instead of sending them. */
  dryRun?: boolean
  /** Told of every write a dry run plans. */
  onPlanned?: (plan: WritePlan) => void
}

interface Endpoint {
  operation: string
  host: 'api' | 'upload'
  method: string
  suffix?: string
  query?: ListQuery
  json?: unknown
  body?: MultipartBody
  onProgress?: (sentBytes: number) => void
}

/** What a retried delete that finds the build gone answers in place of Applivery. */
const GONE = Symbol('gone')
/** Smaller page sizes to ask for when Applivery refuses a larger one. */
const FALLBACK_PAGE_SIZES = [100, 20]

export class AppliveryClient implements BuildsApi {
  private readonly timings: Timings
  private readonly policy: RetryPolicy
  /** The largest page size Applivery accepted, once it refused a larger one; kept for the rest of the step. */
  private pageSizeCap = Infinity

  constructor(private readonly options: ClientOptions) {
    this.timings = options.timings ?? { ...DEFAULT_TIMINGS }
    this.policy = options.retry ?? retryPolicy(this.timings)
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

  url(host: 'api' | 'upload', suffix = '', query?: ListQuery): URL {
    const base = host === 'api' ? this.options.apiUrl : this.options.uploadUrl
    const url = new URL(base.href.replace(/\/+$/, '') + this.buildsPath(suffix))
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(key, String(value))
    }
    return url
  }

  getBuild(buildId: string): Promise<Build> {
    return this.call<Build>({ operation: `Get build ${buildId}`, host: 'api', method: 'GET', suffix: buildSuffix(buildId) })
  }

  async listPage(query: ListQuery, { fallback = false } = {}): Promise<ListPage> {
    for (;;) {
      const limit = fallback && query.limit !== undefined ? Math.min(query.limit, this.pageSizeCap) : query.limit
      try {
        const data = await this.call<unknown>({ operation: 'List builds', host: 'api', method: 'GET', query: { ...query, limit } })
        return listPageOf(data)
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
    const endpoint = {
      operation: `Update build ${buildId}`,
      host: 'api',
      method: 'PUT',
      suffix: buildSuffix(buildId),
      json: fields
    } as const
    return this.write(endpoint, () => this.call<Build>(endpoint))
  }

  deleteBuild(buildId: string): Promise<Written<Deletion>> {
    const endpoint = { operation: `Delete build ${buildId}`, host: 'api', method: 'DELETE', suffix: buildSuffix(buildId) } as const
    return this.write(endpoint, async () => {
      const answer = await this.call<unknown>(endpoint, { whenGone: () => GONE })
      return { alreadyGone: answer === GONE }
    })
  }

  uploadBuild(body: MultipartBody, applied: AppliedCheck<Build>, onProgress?: (sentBytes: number) => void): Promise<Written<Build>> {
    const endpoint = { operation: 'Upload build', host: 'upload', method: 'POST', body, onProgress } as const
    return this.write(endpoint, () => this.call<Build>(endpoint, { applied }))
  }

  attachFile(buildId: string, fileName: string, body: MultipartBody, applied: AppliedCheck<Build>): Promise<Written<Build>> {
    const suffix = `${buildSuffix(buildId)}/files`
    const endpoint = { operation: `Attach ${fileName} to build ${buildId}`, host: 'upload', method: 'POST', suffix, body } as const
    return this.write(endpoint, () => this.call<Build>(endpoint, { applied }))
  }

  /** The one place a dry run is decided: a write is either sent, or planned and reported. */
  private async write<T>(endpoint: Endpoint, send: () => Promise<T>): Promise<Written<T>> {
    if (!this.options.dryRun) return { sent: true, value: await send() }
    const body = endpoint.body?.describe() ?? (endpoint.json === undefined ? [] : JSON.stringify(endpoint.json, null, 2).split('\n'))
    const plan: WritePlan = { method: endpoint.method, url: this.url(endpoint.host, endpoint.suffix, endpoint.query).href, body }
    this.options.onPlanned?.(plan)
    return { sent: false, plan }
  }

  private call<T>(endpoint: Endpoint, extra: Pick<Attempts<T>, 'applied' | 'whenGone'> = {}): Promise<T> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.options.token}`,
      Accept: 'application/json',
      'User-Agent': 'applivery-builds-action'
    }
    let body: string | MultipartBody | undefined = endpoint.body
    if (endpoint.json !== undefined) {
      headers['Content-Type'] = 'application/json'
      body = JSON.stringify(endpoint.json)
    }
    const { timings, options } = this
    const request = {
      method: endpoint.method,
      url: this.url(endpoint.host, endpoint.suffix, endpoint.query),
      headers,
      body,
      onProgress: endpoint.onProgress
    }
    return withAttempts<T>(
      {
        operation: endpoint.operation,
        idempotent: endpoint.method !== 'POST',
        before: endpoint.body ? () => endpoint.body!.verify() : undefined,
        attempt: async () =>
          unwrap<T>(endpoint.operation, await exchange(request, { timings, signal: options.signal, trace: options.trace })),
        ...extra
      },
      { policy: this.policy, signal: options.signal, warn: options.warn }
    )
  }
}

/** The list answer: `items`, and the pagination fields Applivery's other lists send, where present. */
function listPageOf(data: unknown): ListPage {
  const fields = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>
  if (!Array.isArray(fields.items)) {
    throw new ApiError({ operation: 'List builds', httpStatus: 200, apiMessage: 'The answer has no items list', malformed: true })
  }
  const page: ListPage = { items: fields.items as Build[] }
  if (typeof fields.hasNextPage === 'boolean') page.hasNextPage = fields.hasNextPage
  for (const key of ['totalDocs', 'totalPages', 'page', 'limit', 'nextPage'] as const) {
    const value = fields[key]
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) page[key] = value
  }
  return page
}

function refusesPageSize(err: unknown): boolean {
  return err instanceof ApiError && (err.httpStatus === 400 || err.httpStatus === 422)
}

function buildSuffix(buildId: string): string {
  return `/${encodeURIComponent(buildId)}`
}
