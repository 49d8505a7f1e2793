// A fetch for octokit over the action's own transport: the same proxy (HTTPS_PROXY, NO_PROXY), CA trust and
// time limits as every request to Applivery, instead of @actions/github's undici dispatcher; and the same retry
// loop, for the network, a 5xx, and a rate limit that says when to come back.
import { withAttempts } from '../applivery/attempts.js'
import { ApiError } from '../applivery/errors.js'
import { exchange, type ExchangeOptions } from '../applivery/exchange.js'
import type { HttpRequest, HttpResponse } from '../applivery/http.js'
import { parseRetryAfter, type RetryPolicy } from '../applivery/retry.js'

export interface GitHubFetchOptions extends ExchangeOptions {
  policy: RetryPolicy
}

const PASSING_STATUSES = new Set([500, 502, 503, 504])
/** A rate limit asking for longer is not waited out: the comment is left, with a warning. */
const MAX_WAIT_MS = 60_000

/** A GitHub answer worth trying again, carried through the retry loop as a failure its policy can judge. */
class PassingAnswer extends ApiError {
  constructor(
    readonly response: HttpResponse,
    retryAfterMs: number | undefined,
    attempts = 1
  ) {
    // A rate limit is a 429 to the policy, whichever status GitHub answered it with.
    const httpStatus = retryAfterMs !== undefined && response.status === 403 ? 429 : response.status
    super({ operation: 'GitHub', httpStatus, apiMessage: `HTTP ${response.status}`, retryAfterMs }, attempts)
  }

  override withAttempts(attempts: number): PassingAnswer {
    return new PassingAnswer(this.response, this.retryAfterMs, attempts)
  }
}

/** The answer as a failure to try again after, or undefined when it is final. */
function passing(response: HttpResponse): PassingAnswer | undefined {
  const told = parseRetryAfter(response.headers['retry-after'])
  if (told !== undefined && told > MAX_WAIT_MS) return undefined
  // GitHub's rate limits answer 403 or 429 with Retry-After; other 403s (no permission) are final.
  if ((response.status === 403 || response.status === 429) && told !== undefined) return new PassingAnswer(response, told)
  return PASSING_STATUSES.has(response.status) ? new PassingAnswer(response, told) : undefined
}

function answerOf(request: HttpRequest, options: GitHubFetchOptions): Promise<HttpResponse> {
  const attempt = async (): Promise<HttpResponse> => {
    const response = await exchange(request, options)
    const failure = passing(response)
    if (failure) throw failure
    return response
  }
  // Every request may be repeated: a second comment from a repeated POST is cleared up in comments.ts.
  const operation = `GitHub ${request.method} ${request.url.pathname}`
  return withAttempts({ operation, idempotent: true, attempt }, { policy: options.policy, signal: options.signal }).catch(
    (err: unknown) => {
      // The last answer goes to octokit, which turns it into its own error.
      if (err instanceof PassingAnswer) return err.response
      throw err
    }
  )
}

export function transportFetch(options: GitHubFetchOptions): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    const method = (init?.method ?? 'GET').toUpperCase()
    const headers = Object.fromEntries(new Headers(init?.headers).entries())
    if (init?.body !== undefined && init.body !== null && typeof init.body !== 'string') {
      throw new TypeError('transportFetch sends string bodies only (octokit sends JSON)')
    }
    const response = await answerOf({ method, url, headers, body: init?.body ?? undefined }, options)
    const answer = new Headers()
    for (const [name, value] of Object.entries(response.headers)) {
      for (const one of Array.isArray(value) ? value : [value ?? '']) answer.append(name, one)
    }
    // A Response refuses a body with these statuses.
    const empty = method === 'HEAD' || [204, 205, 304].includes(response.status)
    return new Response(empty ? null : response.body, { status: response.status, headers: answer })
  }
}
