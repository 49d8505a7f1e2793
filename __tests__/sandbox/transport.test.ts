// Tests of how the sandbox misbehaves on purpose (faults, early answers) and of its TLS, with the harness's recorder.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { request, type IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { Readable } from 'node:stream'
import { startRecorder } from '../../harness/recorder.js'
import { startSandbox, type Sandbox, type StoredBuild } from '../../sandbox/index.js'
import { SharedReads } from '../../sandbox/transport/shared-reads.js'
import { api, data, DELAY, form, INT, lastRequest, sb, upload, useSandbox, ws, type Answer } from './helpers.js'

useSandbox({ processingDelayMs: DELAY })

/** Waits until the sandbox's state says so: it changes on its own socket events, not on the test's. */
async function until(holds: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!holds()) {
    if (Date.now() > deadline) throw new Error('the sandbox never reached the awaited state')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('faults', () => {
  const listPath = (): string => `${sb.apiUrl}${INT}`
  const auth = (): Record<string, string> => ({ authorization: `Bearer ${sb.tokens.app}` })

  it('status: answers the given status, body and headers, for `times` requests', async () => {
    sb.faults.add({
      method: 'GET',
      host: 'api',
      path: /^\/v1\/integrations\/builds$/,
      times: 2,
      action: {
        kind: 'status',
        status: 503,
        body: '{"status":false,"error":{"code":503,"message":"busy"}}',
        headers: { 'retry-after': '1' }
      }
    })
    expect(sb.faults.pending).toBe(2)
    const a = await api(INT, { token: sb.tokens.app })
    expect([a.status, a.headers.get('retry-after'), a.json.error?.message]).toEqual([503, '1', 'busy'])
    expect(lastRequest()).toMatchObject({ fault: 'status', status: 503 })
    expect((await api(INT, { token: sb.tokens.app })).status).toBe(503)
    expect(sb.faults.pending).toBe(0)
    expect((await api(INT, { token: sb.tokens.app })).status).toBe(200)
    expect(lastRequest().fault).toBeUndefined()
  })

  it('status without a body answers an error envelope; non-matching rules are skipped', async () => {
    sb.faults.add({ method: 'POST', action: { kind: 'status', status: 500 } })
    sb.faults.add({ host: 'upload', action: { kind: 'status', status: 418 } })
    sb.faults.add({ path: /builds/, action: { kind: 'status', status: 429 } })
    const res = await api(INT, { token: sb.tokens.app })
    expect([res.status, res.json.error?.code]).toEqual([429, 429])
    expect(sb.faults.pending).toBe(2)
    sb.faults.clear()
    expect(sb.faults.pending).toBe(0)
  })

  it('records the JSON body of a request answered by a fault', async () => {
    const b = sb.seedBuild({})
    sb.faults.add({
      method: 'PUT',
      action: { kind: 'status', status: 502, headers: { 'Content-Type': 'text/plain' }, body: 'bad gateway' }
    })
    const res = await fetch(`${sb.apiUrl}${INT}/${b.id}`, {
      method: 'PUT',
      headers: { ...auth(), 'content-type': 'application/json; charset=utf-8' },
      body: '{"versionName":"v9"}'
    })
    expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([502, 'text/plain', 'bad gateway'])
    expect(lastRequest()).toMatchObject({ fault: 'status', status: 502, json: { versionName: 'v9' } })
    expect(lastRequest().response).toBeUndefined()
    expect(sb.builds()[0].versionName).not.toBe('v9')
  })

  it('delay: waits, then handles normally', async () => {
    sb.faults.add({ action: { kind: 'delay', ms: 300 } })
    const started = Date.now()
    const res = await api(INT, { token: sb.tokens.app })
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    expect(res.status).toBe(200)
    expect(lastRequest().fault).toBe('delay')
  })

  it('reset-before-body: drops the connection at once', async () => {
    sb.faults.add({ action: { kind: 'reset-before-body' } })
    await expect(fetch(listPath(), { headers: auth() })).rejects.toThrow()
    expect(lastRequest()).toMatchObject({ fault: 'reset-before-body', status: 0, bodyBytes: 0 })
    expect((await api(INT, { token: sb.tokens.app })).status).toBe(200)
  })

  it('reset-after-bytes: drops the connection after exactly that many body bytes', async () => {
    sb.faults.add({ host: 'upload', action: { kind: 'reset-after-bytes', bytes: 1000 } })
    const body = form({ name: 'a.apk', content: new Uint8Array(512 * 1024) })
    await expect(fetch(`${sb.uploadUrl}${INT}`, { method: 'POST', headers: auth(), body })).rejects.toThrow()
    expect(lastRequest()).toMatchObject({ fault: 'reset-after-bytes', status: 0, bodyBytes: 1000 })
    expect(sb.builds()).toEqual([])
  })

  it('apply-then-drop: creates the build, then drops the connection', async () => {
    sb.faults.add({ action: { kind: 'apply-then-drop' } })
    await expect(
      fetch(`${sb.uploadUrl}${INT}`, { method: 'POST', headers: auth(), body: form({ name: 'a.apk', content: 'x' }) })
    ).rejects.toThrow()
    const builds = sb.builds()
    expect(builds).toHaveLength(1)
    expect(lastRequest()).toMatchObject({ fault: 'apply-then-drop', status: 0, response: { status: true, data: { id: builds[0].id } } })
  })

  it('stall: never answers', async () => {
    sb.faults.add({ action: { kind: 'stall' } })
    const abort = new AbortController()
    const answered = fetch(listPath(), { headers: auth(), signal: abort.signal })
    // Abort only once the sandbox holds the request: on a loaded machine a fixed timeout can fire before it arrives.
    await until(() => sb.faults.pending === 0)
    abort.abort()
    await expect(answered).rejects.toThrow()
    await until(() => lastRequest()?.fault === 'stall')
    expect(lastRequest()).toMatchObject({ fault: 'stall', status: 0 })
  })

  it('html: answers an HTML error page', async () => {
    sb.faults.add({ action: { kind: 'html' } })
    sb.faults.add({ action: { kind: 'html', status: 504 } })
    const res = await fetch(listPath(), { headers: auth() })
    expect(res.status).toBe(502)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await res.text()).toContain('<html>')
    expect((await fetch(listPath(), { headers: auth() })).status).toBe(504)
  })

  it('truncated: answers 200 with half of the JSON', async () => {
    const b = sb.seedBuild({})
    sb.faults.add({ action: { kind: 'truncated' } })
    const res = await fetch(`${sb.apiUrl}${INT}/${b.id}`, { headers: auth() })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(() => JSON.parse(text)).toThrow()
    expect(text.length).toBe(Math.floor(JSON.stringify(lastRequest().response).length / 2))
  })

  it('redirect: the client follows it, and a cross-origin redirect loses the Authorization header', async () => {
    const recorder = await startRecorder()
    try {
      sb.faults.add({ action: { kind: 'redirect', status: 307, location: `${recorder.url}/elsewhere?x=1` } })
      const manual = await fetch(listPath(), { headers: auth(), redirect: 'manual' })
      expect([manual.status, manual.headers.get('location')]).toEqual([307, `${recorder.url}/elsewhere?x=1`])
      expect(await manual.json()).toEqual({ status: false, error: { code: 307, message: 'Temporary Redirect' } })
      expect(lastRequest()).toMatchObject({ fault: 'redirect', status: 307 })

      sb.faults.add({ action: { kind: 'redirect', status: 308, location: `${recorder.url}/up` } })
      const followed = await fetch(`${sb.uploadUrl}${INT}`, {
        method: 'POST',
        headers: auth(),
        body: form({ name: 'a.apk', content: 'abc' })
      })
      expect(followed.status).toBe(200)
      expect(await followed.json()).toEqual({ status: true, data: {} })
      expect(recorder.requests).toHaveLength(1)
      expect(recorder.requests[0]).toMatchObject({ method: 'POST', path: '/up' })
      expect(recorder.requests[0].bodyBytes).toBeGreaterThan(0)
      expect(recorder.requests[0].headers.authorization).toBeUndefined()
      expect(sb.builds()).toEqual([])
    } finally {
      await recorder.close()
    }
  })
})

describe('recorder', () => {
  it('answers 200 to anything and records method, path, query, headers and body size', async () => {
    const recorder = await startRecorder()
    try {
      const res = await fetch(`${recorder.url}/any/path?q=1`, { method: 'PUT', headers: { 'x-test': 'yes' }, body: 'hello' })
      expect(await res.json()).toEqual({ status: true, data: {} })
      expect(recorder.requests).toEqual([
        expect.objectContaining({ seq: 1, method: 'PUT', path: '/any/path', query: { q: '1' }, bodyBytes: 5 })
      ])
      expect(recorder.requests[0].headers['x-test']).toBe('yes')
    } finally {
      await recorder.close()
    }
  })
})

/** A request over node:https, so a test can choose the CA to trust and the name to check. */
function httpsCall(
  url: string,
  opts: { ca?: string; servername?: string; token?: string; method?: string; body?: Buffer; headers?: Record<string, string> } = {}
): Promise<{ status: number; json: Answer['json'] }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...opts.headers }
    if (opts.token) headers.authorization = `Bearer ${opts.token}`
    if (opts.body) headers['content-length'] = opts.body.length
    const req = httpsRequest(
      url,
      { method: opts.method ?? 'GET', ca: opts.ca, servername: opts.servername, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer['json'] })
        )
      }
    )
    req.on('error', reject)
    req.end(opts.body)
  })
}

/** FormData as the bytes and content type fetch would send. */
async function multipart(fd: FormData): Promise<{ body: Buffer; type: string }> {
  const encoded = new Response(fd)
  return { body: Buffer.from(await encoded.arrayBuffer()), type: encoded.headers.get('content-type') ?? '' }
}

describe('tls', () => {
  let secure: Sandbox
  beforeAll(async () => {
    secure = await startSandbox({ tls: true, processingDelayMs: 50 })
  })
  afterAll(() => secure.close())

  it('serves both hosts over HTTPS, trusted through sandbox.ca', async () => {
    expect(secure.apiUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(secure.uploadUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(secure.ca).toMatch(/^-----BEGIN CERTIFICATE-----/)
    expect(sb.ca).toBeUndefined()
    const { body, type } = await multipart(form({ name: 'a.apk', content: 'apk' }, { versionName: 'tls' }))
    const up = await httpsCall(`${secure.uploadUrl}${INT}`, {
      ca: secure.ca,
      token: secure.tokens.app,
      method: 'POST',
      body,
      headers: { 'content-type': type }
    })
    expect(up.status).toBe(200)
    const list = await httpsCall(`${secure.apiUrl}${INT}`, { ca: secure.ca, token: secure.tokens.app })
    expect(list.status).toBe(200)
    expect(data<{ items: StoredBuild[] }>(list as Answer).items.map((b) => b.versionName)).toEqual(['tls'])
    // The default names: the test domains too.
    expect(
      (await httpsCall(`${secure.apiUrl}${INT}`, { ca: secure.ca, servername: 'upload.applivery.test', token: secure.tokens.app })).status
    ).toBe(200)
  })

  it('is refused by a client that does not trust the CA', async () => {
    const before = secure.requests.length
    await expect(httpsCall(`${secure.apiUrl}${INT}`, { token: secure.tokens.app })).rejects.toMatchObject({
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
    })
    expect(secure.requests).toHaveLength(before) // the handshake failed: no request arrived
  })

  it('expired: the certificate ended yesterday', async () => {
    const old = await startSandbox({ tls: { expired: true } })
    try {
      await expect(httpsCall(`${old.apiUrl}${INT}`, { ca: old.ca, token: old.tokens.app })).rejects.toMatchObject({
        code: 'CERT_HAS_EXPIRED'
      })
    } finally {
      await old.close()
    }
  })

  it('names: decide the subject alternative names', async () => {
    const named = await startSandbox({ tls: { names: ['localhost'] } })
    try {
      await expect(httpsCall(`${named.apiUrl}${INT}`, { ca: named.ca, token: named.tokens.app })).rejects.toMatchObject({
        code: 'ERR_TLS_CERT_ALTNAME_INVALID'
      })
      expect((await httpsCall(`${named.apiUrl}${INT}`, { ca: named.ca, servername: 'localhost', token: named.tokens.app })).status).toBe(
        200
      )
    } finally {
      await named.close()
    }
  })
})

describe('early answers', () => {
  const SIZE = 64 * 1024 * 1024
  const CHUNK = Buffer.alloc(64 * 1024, 1)

  /** Streams a 64 MiB multipart upload; resolves once the connection has closed. */
  function bigUpload(
    path: string,
    token: string
  ): Promise<{ status: number; headers: IncomingHttpHeaders; json: Answer['json']; sentAtAnswer: number; closedAfterMs: number }> {
    const boundary = 'early'
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="build"; filename="big.apk"\r\n\r\n`)
    let sent = 0
    const source = Readable.from(
      (function* () {
        yield head
        for (; sent < SIZE; sent += CHUNK.length) yield CHUNK
      })()
    )
    return new Promise((resolve, reject) => {
      const req = request(
        `${sb.uploadUrl}${path}`,
        {
          method: 'POST',
          agent: false,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': `multipart/form-data; boundary=${boundary}`,
            'content-length': head.length + SIZE
          }
        },
        (res) => {
          const sentAtAnswer = sent
          const answered = Date.now()
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => {
            req.socket?.once('close', () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer['json'],
                sentAtAnswer,
                closedAfterMs: Date.now() - answered
              })
            )
          })
        }
      )
      req.on('error', () => {}) // EPIPE or ECONNRESET: the server closed while the body was still going
      req.setTimeout(5000, () => reject(new Error('no answer')))
      source.pipe(req)
    })
  }

  it('rejectEarly: a bad token on the upload host is answered before the body is read, then the connection closes', async () => {
    sb.configure({ rejectEarly: true })
    const res = await bigUpload(INT, 'not-a-token')
    expect([res.status, res.json]).toEqual([401, { status: false, error: { code: 4004, message: 'Invalid token' } }])
    expect(res.headers.connection).toBe('close')
    expect(res.sentAtAnswer).toBeLessThan(SIZE / 4)
    expect(res.closedAfterMs).toBeLessThan(1000)
    expect(lastRequest()).toMatchObject({ status: 401, response: res.json })
    expect(lastRequest().bodyBytes).toBeLessThan(1024 * 1024)
    expect(sb.builds()).toEqual([])
  })

  it('rejectEarly: checks like authorize, on upload and attach routes only', async () => {
    sb.configure({ rejectEarly: true })
    const b = sb.seedBuild({})
    const expired = await bigUpload(`${INT}/${b.id}/files`, sb.tokens.expired)
    expect([expired.status, expired.json.error?.code]).toEqual([401, 3002])
    const crossOrg = await bigUpload(ws('org-2', 'app-3'), sb.tokens.serviceAccount)
    expect([crossOrg.status, crossOrg.json.error?.code]).toEqual([404, 3001])
    expect((await upload()).status).toBe('pending') // a good token: read and answered as usual
    const list = await api(INT, { token: 'nope' })
    expect([list.status, list.headers.get('connection')]).toEqual([401, 'keep-alive'])
  })

  it('early-answer fault: answers at once whatever the token, default body the envelope', async () => {
    sb.faults.add({ host: 'upload', action: { kind: 'early-answer', status: 413 } })
    const res = await bigUpload(INT, sb.tokens.app)
    expect([res.status, res.json]).toEqual([413, { status: false, error: { code: 413, message: 'Payload Too Large' } }])
    expect(res.sentAtAnswer).toBeLessThan(SIZE / 4)
    expect(lastRequest()).toMatchObject({ fault: 'early-answer', status: 413 })
    expect(sb.builds()).toEqual([])
    sb.faults.add({ action: { kind: 'early-answer', status: 503, body: '{"status":false,"error":{"code":503,"message":"busy"}}' } })
    const listed = await api(INT, { token: sb.tokens.app })
    expect([listed.status, listed.json.error?.message]).toEqual([503, 'busy'])
  })
})

describe('shared reads', () => {
  it('held together: answered as soon as the second comes, and one alone at the delay', async () => {
    const reads = new SharedReads()
    const behaviour = { readDelayMs: 5_000, readTogether: 2 }
    const started = Date.now()
    await Promise.all([reads.hold(behaviour), new Promise((resolve) => setTimeout(resolve, 100)).then(() => reads.hold(behaviour))])
    const paired = Date.now() - started
    const alone = Date.now()
    await reads.hold({ readDelayMs: 200, readTogether: 2 })
    expect({ pairedBeforeTheDelay: paired < 5_000, aloneWaited: Date.now() - alone >= 190 }).toEqual({
      pairedBeforeTheDelay: true,
      aloneWaited: true
    })
  })
})
