// The one place that talks to Applivery: one method per Builds API endpoint. The scope decides the path,
// the endpoint decides the host (uploads and attachments go to the upload host). Retries, redirects and
// the error envelope are handled here, once for every endpoint.
import { setTimeout as sleep } from 'node:timers/promises'
import { ApiError, isGone, TransportError } from './errors.js'
import { send, type HttpResponse } from './http.js'
import type { MultipartBody } from './multipart.js'
import { finishedByServer, lookDelaysMs, MAX_ATTEMPTS, parseRetryAfter, retryDelayMs, verdict } from './retry.js'
import { DEFAULT_TIMINGS, type Timings } from './timings.js'
import type { ApiScope, Build, Envelope, ListPage, ListQuery } from './types.js'

export interface ClientOptions {
  token: string
  scope: ApiScope
  apiUrl: URL
  uploadUrl: URL
  timings?: Timings
  signal?: AbortSignal
  /** Receives one line per request (method, URL, status, time); never headers. */
  trace?: (line: string) => void
  /** Receives a line for every failed attempt that is tried again. */
  warn?: (line: string) => void
  /** For tests of the retry schedule. */
  random?: () => number
  /** Dry run: writes are handed here instead of being sent, and resolve to undefined. */
  planWrite?: (plan: WritePlan) => void
}

/** A write a dry run would have made. */
export interface WritePlan {
  method: string
  url: string
  /** The body, one line per field or file; never headers. */
  body: string[]
}

export type UpdateFields = Record<string, unknown>

/** Looks for the effect of a write whose answer was lost; returns it if the write was applied. */
export type AppliedCheck<T> = () => Promise<T | undefined>

interface Call<T> {
  operation: string
  host: 'api' | 'upload'
  method: string
  suffix?: string
  query?: ListQuery
  json?: unknown
  body?: MultipartBody
  onProgress?: (sentBytes: number) => void
  /** Writes that are not idempotent (uploads, attachments) are only repeated after this finds nothing. */
  applied?: AppliedCheck<T>
  /** A retried DELETE that finds nothing has succeeded. */
  goneMeansDone?: boolean
}

const MAX_REDIRECTS = 5
/** Smaller page sizes to ask for when Applivery refuses a larger one. */
const FALLBACK_PAGE_SIZES = [100, 20]

export class AppliveryClient {
  private readonly timings: Timings
  /** The largest page size Applivery accepted, once it refused a larger one; kept for the rest of the step. */
  private pageSizeCap = Infinity

  constructor(private readonly options: ClientOptions) {
    this.timings = options.timings ?? { ...DEFAULT_TIMINGS }
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

  /**
   * One page of builds. With `fallback`, a page size Applivery refuses (400 or 422) is asked again smaller
   * (100, then 20), and the smaller size is used for every later page of the step.
   */
  async listPage(query: ListQuery, { fallback = false } = {}): Promise<ListPage> {
    for (;;) {
      const limit = fallback && query.limit !== undefined ? Math.min(query.limit, this.pageSizeCap) : query.limit
      try {
        const data = await this.call<unknown>({ operation: 'List builds', host: 'api', method: 'GET', query: { ...query, limit } })
        return listPageOf(data)
      } catch (err) {
        const smaller = fallback && limit !== undefined && refusesPageSize(err) ? FALLBACK_PAGE_SIZES.find((size) => size < limit) : undefined
        if (smaller === undefined) throw err
        this.options.trace?.(`List builds: Applivery refused pages of ${limit} (${reason(err)}); asking for pages of ${smaller} from now on`)
        this.pageSizeCap = smaller
      }
    }
  }

  updateBuild(buildId: string, fields: UpdateFields): Promise<Build | undefined> {
    return this.call<Build | undefined>({
      operation: `Update build ${buildId}`,
      host: 'api',
      method: 'PUT',
      suffix: buildSuffix(buildId),
      json: fields
    })
  }

  async deleteBuild(buildId: string): Promise<void> {
    await this.call({
      operation: `Delete build ${buildId}`,
      host: 'api',
      method: 'DELETE',
      suffix: buildSuffix(buildId),
      goneMeansDone: true
    })
  }

  uploadBuild(body: MultipartBody, applied: AppliedCheck<Build>, onProgress?: (sentBytes: number) => void): Promise<Build | undefined> {
    return this.call<Build | undefined>({ operation: 'Upload build', host: 'upload', method: 'POST', body, onProgress, applied })
  }

  attachFile(buildId: string, fileName: string, body: MultipartBody, applied: AppliedCheck<Build>): Promise<Build | undefined> {
    return this.call<Build | undefined>({
      operation: `Attach ${fileName} to build ${buildId}`,
      host: 'upload',
      method: 'POST',
      suffix: `${buildSuffix(buildId)}/files`,
      body,
      applied
    })
  }

  private async call<T>(call: Call<T>): Promise<T> {
    if (this.options.planWrite && call.method !== 'GET') {
      const body = call.body?.describe() ?? (call.json === undefined ? [] : JSON.stringify(call.json, null, 2).split('\n'))
      this.options.planWrite({ method: call.method, url: this.url(call.host, call.suffix, call.query).href, body })
      return undefined as T
    }
    const idempotent = call.method !== 'POST'
    for (let attempt = 1; ; attempt++) {
      await call.body?.verify()
      try {
        return unwrap<T>(call.operation, await this.exchange(call))
      } catch (err) {
        if (call.goneMeansDone && attempt > 1 && isGone(err)) {
          return undefined as T
        }
        let next = verdict(err, idempotent)
        if (next === 'check') {
          if (!call.applied) next = 'fail'
          else {
            const found = await this.lookForApplied(call, err, call.applied)
            if (found !== undefined) {
              this.options.warn?.(`${call.operation}: the answer was lost, but the request had been applied; not repeating it (${reason(err)})`)
              return found
            }
            next = 'retry'
          }
        }
        if (next === 'fail' || attempt >= MAX_ATTEMPTS) throw withAttempts(err, call.operation, attempt)
        const delay = retryDelayMs(attempt, err, this.options.random, this.timings)
        this.options.warn?.(
          `${call.operation}: attempt ${attempt} of ${MAX_ATTEMPTS} failed (${reason(err)}); retrying in ${(delay / 1000).toFixed(1)}s`
        )
        await sleep(delay, undefined, { signal: this.options.signal }).catch(() => {
          throw withAttempts(new TransportError('cancelled', 'ABORT_ERR', false), call.operation, attempt)
        })
      }
    }
  }

  /** Looks for the effect of a write with an unknown outcome, for a while if the server may still be at it. */
  private async lookForApplied<T>(call: Call<T>, err: unknown, applied: AppliedCheck<T>): Promise<T | undefined> {
    const delays = finishedByServer(err) ? [0] : lookDelaysMs(this.timings)
    let lookError: unknown
    for (const [i, delay] of delays.entries()) {
      if (delay > 0) {
        const why = lookError === undefined ? `not found yet (${reason(err)})` : `could not look (${reason(lookError)})`
        this.options.warn?.(`${call.operation}: ${why}; looking again in ${delay / 1000}s before sending it again`)
        await sleep(delay, undefined, { signal: this.options.signal })
      }
      try {
        const found = await applied()
        lookError = undefined
        if (found !== undefined || i === delays.length - 1) return found
      } catch (checkError) {
        // A look that failed for a passing reason (the network is down a while) is tried again within the
        // window; only a look that succeeds may let the request be sent again.
        lookError = checkError
        if (i < delays.length - 1 && verdict(checkError, true) === 'retry') continue
        throw new Error(
          `${call.operation} failed (${reason(err)}), and checking whether Applivery had applied it failed too ` +
            `(${reason(checkError)}); not repeating it, so as not to create a duplicate`,
          { cause: checkError }
        )
      }
    }
    return undefined
  }

  /** One attempt, following same-origin redirects; a redirect elsewhere fails so the token stays home. */
  private async exchange<T>(call: Call<T>): Promise<HttpResponse> {
    let url = this.url(call.host, call.suffix, call.query)
    let method = call.method
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.options.token}`,
      Accept: 'application/json',
      'User-Agent': 'applivery-builds-action'
    }
    let body: string | MultipartBody | undefined = call.body
    if (call.json !== undefined) {
      headers['Content-Type'] = 'application/json'
      body = JSON.stringify(call.json)
    }
    for (let redirects = 0; ; redirects++) {
      const started = Date.now()
      const response = await send(
        { method, url, headers, body, onProgress: call.onProgress },
        this.timings,
        this.options.signal
      )
      this.options.trace?.(`${method} ${url.href} -> ${response.status} (${Date.now() - started} ms)`)
      const location = response.headers.location
      if (response.status < 300 || response.status >= 400 || response.status === 304 || !location) return response
      const target = new URL(location, url)
      const refuse = (why: string): never => {
        throw new TransportError(`Applivery redirected to ${target.origin}${target.pathname}: ${why}`, 'EREDIRECT', true, { final: true })
      }
      if (target.origin !== url.origin) refuse('another origin; not followed, so the token is not sent there')
      if (redirects >= MAX_REDIRECTS) refuse(`more than ${MAX_REDIRECTS} redirects`)
      if (response.status === 303 && method !== 'GET') {
        method = 'GET'
        body = undefined
      } else if ((response.status === 301 || response.status === 302) && body !== undefined) {
        refuse(`HTTP ${response.status} would drop the request body`)
      }
      // 307/308 keep the method and body: a BodySource re-opens the file and streams it again.
      url = target
    }
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

function reason(err: unknown): string {
  if (err instanceof ApiError) return `HTTP ${err.httpStatus}${err.code !== undefined ? `, Applivery error ${err.code}` : ''}: ${err.apiMessage}`
  return err instanceof Error ? err.message : String(err)
}

function withAttempts(err: unknown, operation: string, attempts: number): unknown {
  if (err instanceof ApiError) return err.withAttempts(attempts)
  if (err instanceof TransportError) return err.withAttempts(operation, attempts)
  return err
}

/** Turns an answer into its `data`, or an ApiError: an HTTP error status or a `status: false` body fails. */
export function unwrap<T>(operation: string, response: HttpResponse): T {
  const { status } = response
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'])
  let envelope: Envelope<T>
  try {
    envelope = JSON.parse(response.body) as Envelope<T>
  } catch {
    throw new ApiError({ operation, httpStatus: status, apiMessage: `The answer was not JSON: ${preview(response.body)}`, malformed: true, retryAfterMs })
  }
  if (typeof envelope !== 'object' || envelope === null) {
    throw new ApiError({ operation, httpStatus: status, apiMessage: `Unexpected answer: ${preview(response.body)}`, malformed: true, retryAfterMs })
  }
  if (status >= 300 || envelope.status !== true) {
    const apiMessage = envelope.error?.message ?? (status >= 300 ? 'no error message' : 'the answer said status: false')
    throw new ApiError({ operation, httpStatus: status, code: envelope.error?.code, apiMessage, retryAfterMs })
  }
  return envelope.data as T
}

function preview(text: string): string {
  const flat = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim()
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat || '(empty body)'
}

