// The one place that talks to Applivery: one method per Builds API endpoint. The scope decides the path,
// the endpoint decides the host (uploads and attachments go to the upload host).
import { ApiError } from './errors.js'
import { send, DEFAULT_TIMEOUTS, type BodySource, type HttpResponse, type HttpTimeouts } from './http.js'
import type { ApiScope, Build, Envelope, ListPage, ListQuery } from './types.js'

export interface ClientOptions {
  token: string
  scope: ApiScope
  apiUrl: URL
  uploadUrl: URL
  timeouts?: HttpTimeouts
  signal?: AbortSignal
  /** Receives one line per request (method, URL, status, time); never headers. */
  trace?: (line: string) => void
}

export type UpdateFields = Record<string, unknown>

interface Call {
  operation: string
  host: 'api' | 'upload'
  method: string
  suffix?: string
  query?: ListQuery
  json?: unknown
  body?: BodySource
  onProgress?: (sentBytes: number) => void
}

export class AppliveryClient {
  constructor(private readonly options: ClientOptions) {}

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

  async listPage(query: ListQuery): Promise<ListPage> {
    const data = await this.call<Record<string, unknown> | null>({ operation: 'List builds', host: 'api', method: 'GET', query })
    const items = Array.isArray(data?.items) ? (data.items as Build[]) : []
    const page: ListPage = { items }
    if (typeof data?.hasNextPage === 'boolean') page.hasNextPage = data.hasNextPage
    if (typeof data?.totalPages === 'number') page.totalPages = data.totalPages
    return page
  }

  updateBuild(buildId: string, fields: UpdateFields): Promise<Build> {
    return this.call<Build>({
      operation: `Update build ${buildId}`,
      host: 'api',
      method: 'PUT',
      suffix: buildSuffix(buildId),
      json: fields
    })
  }

  async deleteBuild(buildId: string): Promise<void> {
    await this.call({ operation: `Delete build ${buildId}`, host: 'api', method: 'DELETE', suffix: buildSuffix(buildId) })
  }

  uploadBuild(body: BodySource, onProgress?: (sentBytes: number) => void): Promise<Build> {
    return this.call<Build>({ operation: 'Upload build', host: 'upload', method: 'POST', body, onProgress })
  }

  attachFile(buildId: string, fileName: string, body: BodySource): Promise<Build> {
    return this.call<Build>({
      operation: `Attach ${fileName} to build ${buildId}`,
      host: 'upload',
      method: 'POST',
      suffix: `${buildSuffix(buildId)}/files`,
      body
    })
  }

  private async call<T>(call: Call): Promise<T> {
    const url = this.url(call.host, call.suffix, call.query)
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.options.token}`,
      Accept: 'application/json',
      'User-Agent': 'applivery-builds-action'
    }
    let body: string | BodySource | undefined = call.body
    if (call.json !== undefined) {
      headers['Content-Type'] = 'application/json'
      body = JSON.stringify(call.json)
    }
    const started = Date.now()
    const response = await send(
      { method: call.method, url, headers, body, onProgress: call.onProgress },
      this.options.timeouts ?? DEFAULT_TIMEOUTS,
      this.options.signal
    )
    this.options.trace?.(`${call.method} ${url.href} -> ${response.status} (${Date.now() - started} ms)`)
    return unwrap<T>(call.operation, response)
  }
}

function buildSuffix(buildId: string): string {
  return `/${encodeURIComponent(buildId)}`
}

/** Turns an answer into its `data`, or an ApiError: an HTTP error status or a `status: false` body fails. */
export function unwrap<T>(operation: string, response: HttpResponse): T {
  const { status } = response
  if (status >= 300 && status < 400) {
    const target = response.headers.location ?? '(no location)'
    throw new ApiError(operation, status, undefined, `Applivery redirected to ${target}; the request was not sent there`)
  }
  let envelope: Envelope<T>
  try {
    envelope = JSON.parse(response.body) as Envelope<T>
  } catch {
    throw new ApiError(operation, status, undefined, `The answer was not JSON: ${preview(response.body)}`)
  }
  if (typeof envelope !== 'object' || envelope === null) {
    throw new ApiError(operation, status, undefined, `Unexpected answer: ${preview(response.body)}`)
  }
  if (status >= 400 || envelope.status !== true) {
    const code = envelope.error?.code
    const message = envelope.error?.message ?? (status >= 400 ? 'no error message' : 'the answer said status: false')
    throw new ApiError(operation, status, code, message)
  }
  return envelope.data as T
}

function preview(text: string): string {
  const flat = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim()
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat || '(empty body)'
}
