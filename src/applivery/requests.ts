// Requests to Applivery, for every endpoint of both APIs: the host, the token, the envelope, the retries, and
// the one place a dry run is decided.
import type { Deletion, Written, WritePlan } from './api.js'
import { withAttempts, type Attempts } from '../transport/attempts.js'
import type { Decoder } from './decode.js'
import { unwrap } from './envelope.js'
import { ApiError, isGone } from './errors.js'
import { exchange } from '../transport/exchange.js'
import type { MultipartBody } from '../transport/multipart.js'
import { retryPolicy, type RetryPolicy } from '../transport/retry.js'
import { DEFAULT_TIMINGS, type Timings } from '../transport/timings.js'
import type { ApiScope } from './types.js'

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

export type Query = Record<string, string | number | undefined>

export interface Endpoint {
  operation: string
  host: 'api' | 'upload'
  method: string
  /** The path from the host's root, every id in it already URL-encoded. */
  path: string
  query?: Query
  json?: unknown
  /** Shown in place of `json` when a dry run plans the write (a password left out). */
  shownJson?: unknown
  body?: MultipartBody
  onProgress?: (sentBytes: number) => void
  /** Whether a lost answer allows a plain retry; by default every method but POST does. */
  idempotent?: boolean
  /**
   * Sent once, never repeated: a write to something other jobs write too is rebuilt from a fresh read instead, so
   * an old read is never sent late (see transport/shared-write.ts).
   */
  once?: boolean
}

export type PerformExtra<T> = Pick<Attempts<T>, 'applied' | 'whenGone'> & {
  decode?: Decoder<T>
  /** Told the size of the answer that was read. */
  onBody?: (bytes: number) => void
}

function decoded<T>(operation: string, data: unknown, decoder: Decoder<T> | undefined): T {
  if (!decoder) return data as T
  const value = decoder.decode(data)
  if (value !== undefined) return value
  const shown = JSON.stringify(data) ?? String(data)
  const apiMessage = `The answer holds no ${decoder.what} with an id (data: ${shown.length > 100 ? `${shown.slice(0, 100)}...` : shown})`
  throw new ApiError({ operation, httpStatus: 200, apiMessage, malformed: true })
}

export class AppliveryRequests {
  readonly timings: Timings
  private readonly policy: RetryPolicy

  constructor(readonly options: ClientOptions) {
    this.timings = options.timings ?? { ...DEFAULT_TIMINGS }
    this.policy = options.retry ?? retryPolicy(this.timings)
  }

  url(host: 'api' | 'upload', path: string, query?: Query): URL {
    const base = host === 'api' ? this.options.apiUrl : this.options.uploadUrl
    const url = new URL(base.href.replace(/\/+$/, '') + path)
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(key, String(value))
    }
    return url
  }

  /** The one place a dry run is decided: a write is either sent, or planned and reported. */
  async sendOrPlan<T>(endpoint: Endpoint, perform: () => Promise<T>): Promise<Written<T>> {
    if (!this.options.dryRun) return { sent: true, value: await perform() }
    const json = endpoint.shownJson ?? endpoint.json
    const body = endpoint.body?.describe() ?? (json === undefined ? [] : JSON.stringify(json, null, 2).split('\n'))
    const plan: WritePlan = { method: endpoint.method, url: this.url(endpoint.host, endpoint.path, endpoint.query).href, body }
    this.options.onPlanned?.(plan)
    return { sent: false, plan }
  }

  /** A write answered with its result, or only planned in a dry run. */
  write<T>(endpoint: Endpoint, extra: Pick<PerformExtra<T>, 'applied' | 'decode'> = {}): Promise<Written<T>> {
    return this.sendOrPlan(endpoint, () => this.perform<T>(endpoint, extra))
  }

  /** A delete; one retried after a lost answer that finds its target gone was applied by the attempt before. */
  remove(endpoint: Endpoint): Promise<Written<Deletion>> {
    const gone = Symbol('gone')
    return this.sendOrPlan(endpoint, async () => {
      const result = await this.perform<unknown>(endpoint, { whenGone: (err) => (isGone(err) ? gone : undefined) })
      return { alreadyGone: result === gone }
    })
  }

  /** The answer's `data`, as `decode` makes it when given: an answer without what it must hold is malformed. */
  perform<T>(endpoint: Endpoint, { decode, onBody, ...extra }: PerformExtra<T> = {}): Promise<T> {
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
      url: this.url(endpoint.host, endpoint.path, endpoint.query),
      headers,
      body,
      onProgress: endpoint.onProgress
    }
    return withAttempts<T>(
      {
        operation: endpoint.operation,
        idempotent: endpoint.idempotent ?? endpoint.method !== 'POST',
        before: endpoint.body ? () => endpoint.body!.verify() : undefined,
        attempt: async () => {
          const response = await exchange(request, { timings, signal: options.signal, trace: options.trace })
          onBody?.(response.body.length)
          return decoded(endpoint.operation, unwrap<unknown>(endpoint.operation, response), decode)
        },
        ...extra
      },
      { policy: endpoint.once ? { ...this.policy, maxAttempts: 1 } : this.policy, signal: options.signal, warn: options.warn }
    )
  }
}
