// The proxy a request goes through, from HTTPS_PROXY / HTTP_PROXY and NO_PROXY (read by the Actions toolkit's
// own rules; loopback is never proxied), and the CONNECT tunnel through it. The tunnel is written on node:http's
// own CONNECT support so that it is part of the connect limit, a refusal fails with the proxy's status, and
// its socket is closed on every failure. Credentials are sent, never shown: a proxy is named by its origin.
import * as http from 'node:http'
import type { Socket } from 'node:net'
import { checkBypass } from '@actions/http-client/lib/proxy'
import { TransportError } from './errors.js'

export interface Proxy {
  url: URL
  /** scheme://host:port, without credentials: what messages show. */
  label: string
  /** The variable it came from, for messages. */
  variable: string
}

/** The proxy for a request to `target`, or undefined to go direct. */
export function proxyFor(target: URL): Proxy | undefined {
  const { env } = process
  const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY']
  const variable = names.find((name) => env[name]?.trim())
  if (!variable || checkBypass(target)) return undefined
  const url = parseProxyUrl(env[variable]!)
  if (!url?.hostname) {
    throw new TransportError(`${variable} is not a URL; expected http://host:port or http://user:password@host:port`, 'EPROXYCONFIG', false)
  }
  const label = `${url.protocol}//${url.host}`
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TransportError(
      `${variable} names a ${url.protocol} proxy (${label}); only http:// and https:// proxies are supported`,
      'EPROXYCONFIG',
      false
    )
  }
  return { url, label, variable }
}

/** A proxy variable's URL; like curl, one without a scheme is an http:// proxy. Undefined when it is no URL. */
function parseProxyUrl(value: string): URL | undefined {
  const text = value.trim()
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`)
  } catch {
    return undefined
  }
}

export interface TunnelOptions {
  connectMs: number
  keepAliveMs: number
}

/** A socket to `host:port` through the proxy, once the proxy has answered CONNECT with 2xx. */
export async function openTunnel(proxy: Proxy, host: string, port: number, options: TunnelOptions): Promise<Socket> {
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`
  const headers: Record<string, string> = { Host: authority }
  const username = decoded(proxy.url.username)
  const password = decoded(proxy.url.password)
  if (username || password) headers['Proxy-Authorization'] = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
  const transport = proxy.url.protocol === 'https:' ? await import('node:https') : http
  return new Promise((resolve, reject) => {
    const request = transport.request({
      host: proxy.url.hostname.replace(/^\[|\]$/g, ''),
      port: proxy.url.port || (proxy.url.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: authority,
      headers,
      agent: false
    })
    const timer = setTimeout(() => {
      request.destroy(
        new TransportError(
          `proxy ${proxy.label}: no answer to CONNECT ${authority} within ${options.connectMs / 1000}s`,
          'ETIMEDOUT',
          false
        )
      )
    }, options.connectMs)
    request.on('socket', (socket) => socket.setKeepAlive(true, options.keepAliveMs))
    request.on('connect', (response, socket, head) => {
      clearTimeout(timer)
      const status = response.statusCode ?? 0
      if (status >= 200 && status < 300) {
        if (head.length > 0) socket.unshift(head)
        resolve(socket)
        return
      }
      socket.destroy()
      reject(refused(proxy, authority, status, response.statusMessage ?? '', Boolean(username || password)))
    })
    request.on('error', (err: Error & { code?: string }) => {
      clearTimeout(timer)
      reject(err instanceof TransportError ? err : new TransportError(`proxy ${proxy.label}: ${err.message}`, err.code, false))
    })
    request.end()
  })
}

/** Percent-decoded, as the toolkit decodes proxy credentials; a stray '%' is kept as written. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function refused(proxy: Proxy, authority: string, status: number, statusText: string, hasCredentials: boolean): TransportError {
  const response = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`
  if (status === 407) {
    const what = hasCredentials
      ? `refused the credentials in ${proxy.variable} (${response}). Check the user name and password there`
      : `asks for credentials (${response}) and ${proxy.variable} has none. Give them`
    return new TransportError(
      `The proxy ${proxy.label} ${what} as http://user:password@host:port, with special characters percent-encoded`,
      'EPROXYAUTH',
      false
    )
  }
  // A proxy's 5xx says the way on is down for now; a 4xx (a forbidden host) will not change by itself.
  return new TransportError(`The proxy ${proxy.label} refused to connect to ${authority} (${response})`, 'EPROXY', false, {
    final: status < 500
  })
}

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']

/** The proxy passwords in the environment, as written and decoded, for the log to mask. */
export function proxySecrets(env: NodeJS.ProcessEnv): string[] {
  const secrets = new Set<string>()
  for (const name of PROXY_VARIABLES) {
    const value = env[name]?.trim()
    if (!value) continue
    const password = parseProxyUrl(value)?.password
    // A variable that is no URL has nothing to mask: requests through it fail with a message that does not repeat it.
    if (password) secrets.add(password).add(decoded(password))
  }
  return [...secrets]
}
