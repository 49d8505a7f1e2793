// One keep-alive agent per way of reaching a server: direct over http or https, or tunnelled through a
// proxy. Chosen per request from its URL, so an api-url and an upload-url that differ in scheme, host or
// proxy each get the right one.
import * as http from 'node:http'
import * as https from 'node:https'
import type { Duplex } from 'node:stream'
import * as tls from 'node:tls'
import { openTunnel, proxyFor, type Proxy, type TunnelOptions } from './proxy.js'

/** https through a proxy: CONNECT first, then TLS with the target inside the tunnel. */
class TunnelAgent extends https.Agent {
  constructor(
    private readonly proxy: Proxy,
    private readonly tunnel: TunnelOptions
  ) {
    super({ keepAlive: true })
  }

  override createConnection(options: http.ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): undefined {
    const host = String(options.host ?? options.hostname ?? 'localhost')
    const port = Number(options.port ?? 443)
    openTunnel(this.proxy, host, port, this.tunnel).then(
      (socket) => callback?.(null, tls.connect({ ...(options as tls.ConnectionOptions), socket })),
      (err: Error) => callback?.(err, undefined as unknown as Duplex)
    )
    return undefined
  }
}

export interface Route {
  agent: http.Agent
  /** Set when the request goes through a proxy. */
  proxy?: Proxy
}

const agents = new Map<string, http.Agent>()

/** The agent for `url`: loopback and plain http always go direct (only loopback may use http at all). */
export function routeFor(url: URL, tunnel: TunnelOptions): Route {
  const secure = url.protocol === 'https:'
  const proxy = secure ? proxyFor(url) : undefined
  const key = proxy ? `tunnel ${proxy.url.href}` : url.protocol
  let agent = agents.get(key)
  if (!agent) {
    agent = proxy ? new TunnelAgent(proxy, tunnel) : secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true })
    agents.set(key, agent)
  }
  return { agent, proxy }
}
