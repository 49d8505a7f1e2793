// A fetch for octokit over the action's own transport: the same proxy (HTTPS_PROXY, NO_PROXY), CA trust and
// time limits as every request to Applivery, instead of @actions/github's undici dispatcher.
import { exchange, type ExchangeOptions } from '../applivery/exchange.js'

export function transportFetch(options: ExchangeOptions): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    const method = (init?.method ?? 'GET').toUpperCase()
    const headers = Object.fromEntries(new Headers(init?.headers).entries())
    if (init?.body !== undefined && init.body !== null && typeof init.body !== 'string') {
      throw new TypeError('transportFetch sends string bodies only (octokit sends JSON)')
    }
    const response = await exchange({ method, url, headers, body: init?.body ?? undefined }, options)
    const answer = new Headers()
    for (const [name, value] of Object.entries(response.headers)) {
      for (const one of Array.isArray(value) ? value : [value ?? '']) answer.append(name, one)
    }
    // A Response refuses a body with these statuses.
    const empty = method === 'HEAD' || [204, 205, 304].includes(response.status)
    return new Response(empty ? null : response.body, { status: response.status, headers: answer })
  }
}
