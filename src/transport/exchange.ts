// One attempt of a request, following same-origin redirects: a redirect elsewhere fails, so the token stays home.
import { TransportError } from './errors.js'
import { roundTrip, type HttpRequest, type HttpResponse, type TransportTimings } from './http.js'

const MAX_REDIRECTS = 5

export interface ExchangeOptions {
  timings: TransportTimings
  signal?: AbortSignal
  /** Receives one line per request (method, URL, status, time); never headers. */
  trace?: (line: string) => void
}

export async function exchange(request: HttpRequest, { timings, signal, trace }: ExchangeOptions): Promise<HttpResponse> {
  let { method, url, body } = request
  for (let redirects = 0; ; redirects++) {
    const started = Date.now()
    const response = await roundTrip({ ...request, method, url, body }, timings, signal)
    trace?.(`${method} ${url.href} -> ${response.status} (${Date.now() - started} ms)`)
    const location = response.headers.location
    if (response.status < 300 || response.status >= 400 || response.status === 304 || !location) return response
    const target = new URL(location, url)
    const refuse = (why: string): never => {
      throw new TransportError(`Applivery redirected to ${target.origin}${target.pathname}: ${why}`, 'EREDIRECT', true)
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
