// Which requests go through a proxy, and the CONNECT tunnel against a real proxy (proxy-chain).
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:net'
import type { AddressInfo } from 'node:net'
import { TransportError } from '../src/transport/errors.js'
import { openTunnel, proxyFor, proxySecrets } from '../src/transport/proxy.js'
import { startProxy, type TestProxy } from '../harness/proxy.js'

const VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]))
function setEnv(values: Record<string, string>): void {
  for (const name of VARIABLES) delete process.env[name]
  Object.assign(process.env, values)
}
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
})

const api = new URL('https://api.applivery.io/v1/integrations/builds')

describe('which requests use a proxy', () => {
  it('uses HTTPS_PROXY (or https_proxy) for https, named without its credentials', () => {
    setEnv({ HTTPS_PROXY: 'http://ci:s3cret@proxy.corp:3128' })
    expect(proxyFor(api)).toMatchObject({ label: 'http://proxy.corp:3128', variable: 'HTTPS_PROXY' })
    setEnv({ https_proxy: 'proxy.corp:8080' })
    expect(proxyFor(api)).toMatchObject({ label: 'http://proxy.corp:8080', variable: 'https_proxy' })
    setEnv({ HTTP_PROXY: 'http://proxy.corp:3128' })
    expect(proxyFor(api)).toBeUndefined()
  })

  it.each([
    ['the host', 'api.applivery.io'],
    ['a parent domain', 'applivery.io'],
    ['a parent domain with a leading dot', '.applivery.io'],
    ['the host and its port', 'api.applivery.io:443'],
    ['everything', '*'],
    ['one entry of several', 'github.com, api.applivery.io']
  ])('goes direct when NO_PROXY names %s', (_name, noProxy) => {
    setEnv({ HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: noProxy })
    expect(proxyFor(api)).toBeUndefined()
  })

  it('never proxies loopback', () => {
    setEnv({ HTTPS_PROXY: 'http://proxy.corp:3128' })
    expect(proxyFor(new URL('https://127.0.0.1:8443/'))).toBeUndefined()
    expect(proxyFor(new URL('https://localhost:8443/'))).toBeUndefined()
  })

  it('fails clearly on a proxy it cannot use, without repeating the value', () => {
    setEnv({ HTTPS_PROXY: 'http://user:pw@[bad' })
    const notUrl = (() => {
      try {
        return proxyFor(api)
      } catch (err) {
        return err
      }
    })() as TransportError
    expect(notUrl).toMatchObject({ code: 'EPROXYCONFIG', final: true })
    expect(notUrl.message).toBe('HTTPS_PROXY is not a URL; expected http://host:port or http://user:password@host:port')
    setEnv({ HTTPS_PROXY: 'socks5://user:pw@proxy.corp:1080' })
    expect(() => proxyFor(api)).toThrow(
      'HTTPS_PROXY names a socks5: proxy (socks5://proxy.corp:1080); only http:// and https:// proxies are supported'
    )
  })

  it('hands the log the proxy passwords to mask, as written and decoded', () => {
    expect(proxySecrets({ HTTPS_PROXY: 'http://ci:p%40ss@proxy:3128', http_proxy: 'ci:other@proxy:3128', NO_PROXY: 'x' })).toEqual([
      'p%40ss',
      'p@ss',
      'other'
    ])
    expect(proxySecrets({ HTTPS_PROXY: 'http://proxy:3128' })).toEqual([])
  })
})

describe('the CONNECT tunnel', () => {
  let target: Server
  let targetPort = 0
  let open: TestProxy
  let guarded: TestProxy
  let silent: TestProxy
  // Room for a loaded machine: only the silent proxy's test waits it out.
  const timings = { connectMs: 2000, keepAliveMs: 30_000 }
  const proxy = (url: string) => ({ url: new URL(url), label: new URL(url).origin, variable: 'HTTPS_PROXY' })

  beforeAll(async () => {
    target = createServer((socket) => socket.end('hello through the tunnel'))
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve))
    targetPort = (target.address() as AddressInfo).port
    open = await startProxy({ hosts: { 'api.applivery.test': '127.0.0.1' } })
    guarded = await startProxy({ credentials: { username: 'ci', password: 'p@ss' } })
    silent = await startProxy({ silent: true })
  })
  afterAll(async () => {
    await Promise.all([open.close(), guarded.close(), silent.close()])
    target.close()
  })

  const read = (socket: NodeJS.ReadableStream) =>
    new Promise<string>((resolve) => {
      let text = ''
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()))
      socket.on('end', () => resolve(text))
    })

  it('reaches the target through the proxy, by a name only the proxy resolves', async () => {
    const socket = await openTunnel(proxy(open.url), 'api.applivery.test', targetPort, timings)
    expect(await read(socket)).toBe('hello through the tunnel')
    expect(open.requests).toEqual([
      expect.objectContaining({ method: 'CONNECT', hostname: 'api.applivery.test', port: targetPort, allowed: true })
    ])
  })

  it('sends the credentials from the proxy URL, decoded', async () => {
    const socket = await openTunnel(proxy(guarded.urlWith('ci', 'p@ss')), '127.0.0.1', targetPort, timings)
    expect(await read(socket)).toBe('hello through the tunnel')
    expect(guarded.requests.at(-1)).toMatchObject({ username: 'ci', password: 'p@ss', allowed: true })
  })

  it('fails for good on 407, naming the proxy but not the credentials', async () => {
    const error = await openTunnel(proxy(guarded.urlWith('ci', 'wrong')), '127.0.0.1', targetPort, timings).catch((e) => e)
    expect(error).toMatchObject({ code: 'EPROXYAUTH', final: true })
    expect(error.message).toMatch(/^The proxy http:\/\/127\.0\.0\.1:\d+ refused the credentials in HTTPS_PROXY \(HTTP 407/)
    expect(error.message).not.toContain('wrong')
    const none = await openTunnel(proxy(guarded.url), '127.0.0.1', targetPort, timings).catch((e) => e)
    expect(none.message).toMatch(/asks for credentials \(HTTP 407.*\) and HTTPS_PROXY has none/)
  })

  it('gives up on a proxy that never answers CONNECT at the connect limit', async () => {
    const started = Date.now()
    const error = await openTunnel(proxy(silent.url), '127.0.0.1', targetPort, timings).catch((e) => e)
    expect(error).toMatchObject({ code: 'ETIMEDOUT', final: false })
    expect(error.message).toMatch(/no answer to CONNECT 127\.0\.0\.1:\d+ within 2s/)
    expect(Date.now() - started).toBeGreaterThanOrEqual(1990)
    expect(Date.now() - started).toBeLessThan(6000)
  })
})
