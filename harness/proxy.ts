// A real forward proxy for the end-to-end tests (proxy-chain, the proxy server Apify runs in production):
// CONNECT tunnels, optional Basic credentials, host names it resolves itself (so a test can reach the
// sandbox on 127.0.0.1 by a name that is not loopback, which the action would never proxy), a record of
// what it was asked, and a mode that accepts CONNECT and never answers it.
import { lookup, type LookupAddress, type LookupOneOptions } from 'node:dns'
import { Server, type PrepareRequestFunctionResult } from 'proxy-chain'

export interface ProxyRequest {
  /** CONNECT for tunnels; a plain method for forwarded http requests. */
  method: string
  hostname: string
  port: number
  username: string
  password: string
  /** The proxy let the request through. */
  allowed: boolean
}

export interface ProxyOptions {
  /** Require these credentials (Basic): anything else is answered 407. */
  credentials?: { username: string; password: string }
  /** Host names the proxy resolves to these addresses instead of asking DNS. */
  hosts?: Record<string, string>
  /** Accept CONNECT and never answer it. */
  silent?: boolean
}

export interface TestProxy {
  /** http://127.0.0.1:port */
  url: string
  /** The proxy URL with credentials in it, percent-encoded as a user would write them. */
  urlWith(username: string, password: string): string
  requests: ProxyRequest[]
  close(): Promise<void>
}

type Lookup = (hostname: string, options: LookupOneOptions & { all?: boolean }, callback: (...args: unknown[]) => void) => void

/** dns.lookup with a few names fixed; answers in both forms net.connect may ask for. */
function lookupWith(hosts: Record<string, string>): Lookup {
  return (hostname, options, callback) => {
    const address = hosts[hostname.toLowerCase()]
    if (address === undefined) return lookup(hostname, options, callback as never)
    const family = address.includes(':') ? 6 : 4
    if (options?.all) callback(null, [{ address, family }] satisfies LookupAddress[])
    else callback(null, address, family)
  }
}

export async function startProxy(options: ProxyOptions = {}): Promise<TestProxy> {
  const requests: ProxyRequest[] = []
  const dnsLookup = lookupWith(options.hosts ?? {}) as unknown as PrepareRequestFunctionResult['dnsLookup']
  const server = new Server({
    port: 0,
    host: '127.0.0.1',
    prepareRequestFunction: ({ request, username, password, hostname, port }) => {
      const record: ProxyRequest = { method: request.method ?? '', hostname, port, username, password, allowed: false }
      requests.push(record)
      if (options.silent) return new Promise<never>(() => {})
      const { credentials } = options
      if (credentials && (username !== credentials.username || password !== credentials.password)) {
        return { requestAuthentication: true, failMsg: 'Proxy credentials required' }
      }
      record.allowed = true
      return { dnsLookup }
    }
  })
  await server.listen()
  const url = `http://127.0.0.1:${server.port}`
  return {
    url,
    urlWith: (username, password) => `http://${encodeURIComponent(username)}:${encodeURIComponent(password)}@127.0.0.1:${server.port}`,
    requests,
    close: () => server.close(true)
  }
}
