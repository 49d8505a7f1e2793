// A fetch for octokit over the action's own transport: the same proxy (HTTPS_PROXY, NO_PROXY), CA trust and
// time limits as every request to Applivery, instead of @actions/github's undici dispatcher. A request that
// meets a passing failure (the network, a 5xx, a rate limit that says when to come back) is tried again.
import { setTimeout as sleep } from 'node:timers/promises'
import { TransportError } from '../applivery/errors.js'
import { exchange, type ExchangeOptions } from '../applivery/exchange.js'
import { parseRetryAfter } from '../applivery/retry.js'
import type { HttpRequest, HttpResponse } from '../applivery/http.js'

export interface GitHubFetchOptions extends ExchangeOptions {
  /** The waits before the second and later attempts. */
  retryDelaysMs: number[]
}

const PASSING_STATUSES = new Set([500, 502, 503, 504])

/** The wait before trying again, or undefined when the answer is final. */
function retryAfterMs(response: HttpResponse, delayMs: number): number | undefined {
  const told = parseRetryAfter(response.headers['retry-after'])
  // GitHub's rate limits answer 403 or 429 with Retry-After; other 403s (no permission) are final.
  if ((response.status === 403 || response.status === 429) && told !== undefined) return told
  return PASSING_STATUSES.has(response.status) ? (told ?? delayMs) : undefined
}

/** A rate limit asking for longer is not waited out: the comment is left, with a warning. */
const MAX_WAIT_MS = 60_000

async function answerOf(request: HttpRequest, options: GitHubFetchOptions): Promise<HttpResponse> {
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= options.retryDelaysMs.length
    let wait: number | undefined
    try {
      const response = await exchange(request, options)
      wait = last ? undefined : retryAfterMs(response, options.retryDelaysMs[attempt])
      if (wait === undefined || wait > MAX_WAIT_MS) return response
    } catch (err) {
      if (last || !(err instanceof TransportError) || err.final) throw err
      wait = options.retryDelaysMs[attempt]
    }
    await sleep(wait, undefined, { signal: options.signal })
  }
}

export function transportFetch(options: GitHubFetchOptions): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    const method = (init?.method ?? 'GET').toUpperCase()
    const headers = Object.fromEntries(new Headers(init?.headers).entries())
    if (init?.body !== undefined && init.body !== null && typeof init.body !== 'string') {
      throw new TypeError('transportFetch sends string bodies only (octokit sends JSON)')
    }
    // A POST tried again after a lost answer may create a second comment: comments.ts keeps the older one.
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
