// One keep-alive agent per way of reaching a server: direct over http or https, or tunnelled through a
// proxy. Chosen per request from its URL, so an api-url and an upload-url that differ in scheme, host or
// proxy each get the right one.
import * as http from 'node:http'
import type { Duplex } from 'node:stream'
import type * as Tls from 'node:tls'
import { openTunnel, proxyFor, type Proxy, type TunnelOptions } from './proxy.js'

type Https = typeof import('node:https')

export interface Route {
  agent: http.Agent
  /** http.request or https.request, as the URL's scheme needs. */
  request: typeof http.request
  /** Set when the request goes through a proxy. */
  proxy?: Proxy
}

let secureModules: Promise<{ https: Https; tls: typeof Tls }> | undefined

/** node:https and node:tls, loaded with the first https request: a run over plain http (a local sandbox) never needs them. */
function loadSecureModules(): Promise<{ https: Https; tls: typeof Tls }> {
  secureModules ??= Promise.all([import('node:https'), import('node:tls')]).then(([https, tls]) => ({ https, tls }))
  return secureModules
}

/** An agent for https through a proxy: CONNECT first, then TLS with the target inside the tunnel. */
function tunnelAgent({ https, tls }: { https: Https; tls: typeof Tls }, proxy: Proxy, tunnel: TunnelOptions): http.Agent {
  class TunnelAgent extends https.Agent {
    override createConnection(options: http.ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): undefined {
      const host = String(options.host ?? options.hostname ?? 'localhost')
      const port = Number(options.port ?? 443)
      openTunnel(proxy, host, port, tunnel).then(
        (socket) => callback?.(null, tls.connect({ ...(options as Tls.ConnectionOptions), socket })),
        (err: Error) => callback?.(err, undefined as unknown as Duplex)
      )
      return undefined
    }
  }
  return new TunnelAgent({ keepAlive: true })
}

const agents = new Map<string, http.Agent>()

/** How to reach `url`: loopback and plain http always go direct (only loopback may use http at all). */
export async function routeFor(url: URL, tunnel: TunnelOptions): Promise<Route> {
  if (url.protocol !== 'https:') {
    let agent = agents.get('http:')
    if (!agent) agents.set('http:', (agent = new http.Agent({ keepAlive: true })))
    return { agent, request: http.request }
  }
  const proxy = proxyFor(url)
  const secure = await loadSecureModules()
  const key = proxy ? `tunnel ${proxy.url.href}` : 'https:'
  let agent = agents.get(key)
  if (!agent) {
    agent = proxy ? tunnelAgent(secure, proxy, tunnel) : new secure.https.Agent({ keepAlive: true })
    agents.set(key, agent)
  }
  return { agent, request: secure.https.request, proxy }
}
