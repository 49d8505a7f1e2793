// A fetch for octokit over the action's own transport: the same proxy (HTTPS_PROXY, NO_PROXY), CA trust and
// time limits as every request to Applivery, instead of @actions/github's undici dispatcher; and the same retry
// loop, for the network, a 5xx, and a rate limit that says when to come back.
import { withAttempts } from '../transport/attempts.js'
import { ResponseError } from '../transport/errors.js'
import { exchange, type ExchangeOptions } from '../transport/exchange.js'
import type { HttpRequest, HttpResponse } from '../transport/http.js'
import { jsonBoundsProblem } from '../transport/json-bounds.js'
import { parseRetryAfter, type RetryPolicy } from '../transport/retry.js'

export interface GitHubFetchOptions extends ExchangeOptions {
  policy: RetryPolicy
}

const TRANSIENT_STATUSES = new Set([500, 502, 503, 504])
/** A rate limit asking for longer is not waited out: the comment is left, with a warning. */
const MAX_WAIT_MS = 60_000

/** A GitHub response worth trying again after, carried through the retry loop as a failure its policy can judge. */
class TransientResponse extends ResponseError {
  constructor(
    readonly response: HttpResponse,
    retryAfterMs: number | undefined,
    attempts = 1
  ) {
    // A rate limit is a 429 to the policy, whichever status GitHub answered it with.
    const httpStatus = retryAfterMs !== undefined && response.status === 403 ? 429 : response.status
    super({ operation: 'GitHub', httpStatus, apiMessage: `HTTP ${response.status}`, retryAfterMs }, attempts)
  }

  override withAttemptCount(attempts: number): TransientResponse {
    return new TransientResponse(this.response, this.retryAfterMs, attempts)
  }
}

/** The response as a failure to try again after, or undefined when it is final. */
function transientFailure(response: HttpResponse): TransientResponse | undefined {
  const told = parseRetryAfter(response.headers['retry-after'])
  if (told !== undefined && told > MAX_WAIT_MS) return undefined
  // GitHub's rate limits answer 403 or 429 with Retry-After; other 403s (no permission) are final.
  if ((response.status === 403 || response.status === 429) && told !== undefined) return new TransientResponse(response, told)
  return TRANSIENT_STATUSES.has(response.status) ? new TransientResponse(response, told) : undefined
}

function responseOf(request: HttpRequest, options: GitHubFetchOptions): Promise<HttpResponse> {
  const operation = `GitHub ${request.method} ${request.url.pathname}`
  const attempt = async (): Promise<HttpResponse> => {
    const response = await exchange(request, options)
    const failure = transientFailure(response)
    if (failure) throw failure
    // Octokit parses the body: only within the bounds every answer is read in.
    const problem = jsonBoundsProblem(response.body.toString('utf8'))
    if (problem) {
      const apiMessage = `The answer was not read: ${problem}`
      throw new ResponseError({ operation, httpStatus: response.status, apiMessage, malformed: true, unreadable: true })
    }
    return response
  }
  // Every request may be repeated: a second comment from a repeated POST is cleared up in comments.ts.
  // An edit is sent once: the comment's writer rebuilds it from a fresh read instead of sending an old one late.
  const policy = request.method === 'PATCH' ? { ...options.policy, maxAttempts: 1 } : options.policy
  return withAttempts({ operation, idempotent: true, attempt }, { policy, signal: options.signal }).catch((err: unknown) => {
    // The last response goes to octokit, which turns it into its own error.
    if (err instanceof TransientResponse) return err.response
    throw err
  })
}

export function transportFetch(options: GitHubFetchOptions): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    const method = (init?.method ?? 'GET').toUpperCase()
    const headers = Object.fromEntries(new Headers(init?.headers).entries())
    if (init?.body !== undefined && init.body !== null && typeof init.body !== 'string') {
      throw new TypeError('transportFetch sends string bodies only (octokit sends JSON)')
    }
    const response = await responseOf({ method, url, headers, body: init?.body ?? undefined }, options)
    const responseHeaders = new Headers()
    for (const [name, value] of Object.entries(response.headers)) {
      for (const one of Array.isArray(value) ? value : [value ?? '']) responseHeaders.append(name, one)
    }
    // A Response refuses a body with these statuses.
    const empty = method === 'HEAD' || [204, 205, 304].includes(response.status)
    return new Response(empty ? null : response.body, { status: response.status, headers: responseHeaders })
  }
}

/** What talking to GitHub's REST API needs: the token, the API's URL, and the action's transport. */
export interface GitHubAccess {
  token: string
  apiUrl: string
  transport: GitHubFetchOptions
}

export type Octokit = InstanceType<typeof import('@octokit/core').Octokit>

/** Octokit over the action's transport; loaded only here, when a step talks to GitHub. */
export async function octokitFor({ token, apiUrl, transport }: GitHubAccess): Promise<Octokit> {
  const { Octokit } = await import('@octokit/core')
  // Octokit writes what it notices (a Deprecation header's date and link: a server's text) with console unless told
  // otherwise: it goes to the action's debug trace instead, which neutralises it like every other line.
  const trace = (line: string): void => transport.trace?.(line)
  const log = { debug: trace, info: trace, warn: trace, error: trace }
  return new Octokit({
    auth: token,
    baseUrl: apiUrl.replace(/\/+$/, ''),
    userAgent: 'applivery-builds-action',
    log,
    request: { fetch: transportFetch(transport), log }
  })
}
