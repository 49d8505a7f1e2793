// Tests of the local Applivery Builds API double in sandbox/.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { request, type IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { Readable } from 'node:stream'
import { parseArgs } from '../sandbox/args.js'
import { startSandbox, type Sandbox, type StoredBuild } from '../sandbox/index.js'
import { startRecorder } from '../harness/recorder.js'

const DELAY = 200
const INT = '/v1/integrations/builds'
const ws = (org = 'org-1', app = 'app-1'): string => `/v1/organizations/${org}/apps/${app}/builds`

interface Answer {
  status: number
  headers: Headers
  json: { status: boolean; data?: unknown; error?: { code: number; message: string } }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex')

let sb: Sandbox

async function call(
  base: string,
  path: string,
  init: { method?: string; token?: string; body?: RequestInit['body']; headers?: Record<string, string> } = {}
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers }
  if (init.token) headers.authorization = `Bearer ${init.token}`
  const res = await fetch(base + path, { method: init.method ?? 'GET', headers, body: init.body })
  return { status: res.status, headers: res.headers, json: (await res.json()) as Answer['json'] }
}

const api = (path: string, init?: Parameters<typeof call>[2]): Promise<Answer> => call(sb.apiUrl, path, init)
const up = (path: string, init?: Parameters<typeof call>[2]): Promise<Answer> => call(sb.uploadUrl, path, { method: 'POST', ...init })

function form(
  file: { field?: string; name: string; content: string | Uint8Array; type?: string } | undefined,
  fields: Record<string, string> = {}
): FormData {
  const fd = new FormData()
  for (const [k, v] of Object.entries(fields)) fd.append(k, v)
  if (file) fd.append(file.field ?? 'build', new Blob([file.content], { type: file.type ?? '' }), file.name)
  return fd
}

interface UploadOptions {
  name?: string
  content?: string | Uint8Array
  fields?: Record<string, string>
  token?: string
  path?: string
}

/** Uploads a file (by default a small app.apk with an App token on the Integrations API) and returns the build. */
async function upload({
  name = 'app.apk',
  content = 'apk bytes',
  fields = {},
  token = sb.tokens.app,
  path = INT
}: UploadOptions = {}): Promise<StoredBuild> {
  const res = await up(path, { token, body: form({ name, content }, fields) })
  expect(res.status).toBe(200)
  return res.json.data as StoredBuild
}

const data = <T = StoredBuild>(a: Answer): T => a.json.data as T
const lastRequest = (): Sandbox['requests'][number] => sb.requests[sb.requests.length - 1]

beforeAll(async () => {
  sb = await startSandbox({ processingDelayMs: DELAY })
})
afterAll(() => sb.close())
beforeEach(() => sb.reset())

describe('startSandbox', () => {
  it('exposes two loopback hosts, ids and distinct random tokens', () => {
    expect(sb.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(sb.uploadUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(sb.apiUrl).not.toBe(sb.uploadUrl)
    expect(sb.organizationId).toBe('org-1')
    expect(sb.appId).toBe('app-1')
    const tokens = Object.values(sb.tokens)
    expect(new Set(tokens).size).toBe(5)
    expect(sb.tokens.app).toMatch(/^app-token-1-[0-9a-f]{32}$/)
  })
})

describe('auth', () => {
  it('answers 4002 without an Authorization header', async () => {
    const res = await api(INT)
    expect(res.status).toBe(401)
    expect(res.json).toEqual({ status: false, error: { code: 4002, message: 'No auth token' } })
    expect(res.headers.get('content-type')).toBe('application/json')
  })

  it('answers 4004 to an unknown token or a non-Bearer scheme', async () => {
    expect((await api(INT, { token: 'nope' })).json.error).toEqual({ code: 4004, message: 'Invalid token' })
    const basic = await api(INT, { headers: { authorization: `Basic ${sb.tokens.app}` } })
    expect(basic.status).toBe(401)
    expect(basic.json.error?.code).toBe(4004)
  })

  it('answers 4004 to an app token on a Workspace path and a service account on an Integrations path', async () => {
    const a = await api(ws(), { token: sb.tokens.app })
    const b = await api(INT, { token: sb.tokens.serviceAccount })
    expect([a.status, a.json.error?.code]).toEqual([401, 4004])
    expect([b.status, b.json.error?.code]).toEqual([401, 4004])
  })

  it('answers 3002 to the expired token', async () => {
    const res = await api(INT, { token: sb.tokens.expired })
    expect(res.status).toBe(401)
    expect(res.json.error).toEqual({ code: 3002, message: 'Token Expired' })
  })

  it('scopes app tokens to their app', async () => {
    const mine = sb.seedBuild({})
    sb.seedBuild({ appId: 'app-2', versionName: 'two' })
    const other = await api(INT, { token: sb.tokens.otherApp })
    expect(data<{ items: StoredBuild[] }>(other).items.map((b) => b.versionName)).toEqual(['two'])
    const cross = await api(`${INT}/${mine.id}`, { token: sb.tokens.otherApp })
    expect(cross.status).toBe(404)
    expect(cross.json.error).toEqual({ code: 3001, message: 'Entity not found' })
    expect((await api(`${INT}/${mine.id}`, { token: sb.tokens.app })).status).toBe(200)
  })

  it('scopes service accounts to their organization', async () => {
    sb.seedBuild({ appId: 'app-2' })
    expect(data<{ items: unknown[] }>(await api(ws('org-1', 'app-2'), { token: sb.tokens.serviceAccount })).items).toHaveLength(1)
    expect((await api(ws('org-2', 'app-3'), { token: sb.tokens.otherOrgServiceAccount })).status).toBe(200)
    for (const [path, token] of [
      [ws('org-2', 'app-3'), sb.tokens.serviceAccount],
      [ws('org-1', 'app-1'), sb.tokens.otherOrgServiceAccount],
      [ws('org-1', 'app-3'), sb.tokens.serviceAccount],
      [ws('org-1', 'app-9'), sb.tokens.serviceAccount],
      [ws('org-9', 'app-1'), sb.tokens.serviceAccount]
    ]) {
      const res = await api(path, { token })
      expect([path, res.status, res.json.error?.code]).toEqual([path, 404, 3001])
    }
  })

  it('records the Authorization header as received', async () => {
    await api(INT, { token: sb.tokens.app })
    expect(lastRequest().headers.authorization).toBe(`Bearer ${sb.tokens.app}`)
  })
})

describe('routing', () => {
  it('answers 404 to a route on the wrong host or an unknown route', async () => {
    const listOnUpload = await call(sb.uploadUrl, INT, { token: sb.tokens.app })
    expect(listOnUpload.status).toBe(404)
    expect(listOnUpload.json).toEqual({ status: false, error: { code: 3001, message: 'Route not found on the upload host' } })
    const uploadOnApi = await call(sb.apiUrl, INT, { method: 'POST', token: sb.tokens.app, body: form({ name: 'a.apk', content: 'x' }) })
    expect(uploadOnApi.json.error?.message).toBe('Route not found on the api host')
    expect((await api('/v1/nothing', { token: sb.tokens.app })).status).toBe(404)
    expect((await api(`${INT}/abc/files`, { token: sb.tokens.app })).json.error?.message).toBe('Route not found on the api host')
  })

  it('answers 3001 to an unknown build id', async () => {
    const res = await api(`${INT}/000000000000000000000000`, { token: sb.tokens.app })
    expect([res.status, res.json.error?.code]).toEqual([404, 3001])
  })
})

describe('upload', () => {
  it('records fields and the file, and creates a pending build that is processed after the delay', async () => {
    const content = 'fake apk ' + 'x'.repeat(5000)
    const fields = {
      versionName: 'v2.4.0-rc1',
      tags: ' staging, sprint-42,, ',
      changelog: 'Fixed crash',
      notifyCollaborators: 'true',
      notifyEmployees: 'false',
      notifyMessage: 'New build',
      notifyLanguage: 'en',
      'filter[1][0]': 'group3',
      'filter[0][1]': 'group2',
      'filter[0][0]': 'group1',
      'deployer.name': 'GitHub Actions',
      'deployer.info.commit': 'f52ace0',
      'deployer.info.branch': 'release/2.4',
      'deployer.info.triggerTimestamp': '1558359012580'
    }
    const build = await upload({ name: 'My App.apk', content, fields })
    const rec = lastRequest()
    expect(rec.host).toBe('upload')
    expect(rec.method).toBe('POST')
    expect(Object.entries(rec.fields)).toEqual(Object.entries(fields))
    expect(rec.files).toEqual([
      { field: 'build', filename: 'My App.apk', contentType: 'application/octet-stream', size: content.length, sha256: sha256(content) }
    ])
    expect(rec.bodyBytes).toBe(Number(rec.headers['content-length']))
    expect(rec.status).toBe(200)
    expect(rec.response).toEqual({ status: true, data: build })

    expect(build.id).toMatch(/^[0-9a-f]{24}$/)
    expect(build).toMatchObject({
      status: 'pending',
      tags: ['staging', 'sprint-42'],
      versionName: 'v2.4.0-rc1',
      changelog: 'Fixed crash',
      application: 'app-1',
      applicationInfo: { id: 'app-1' },
      size: content.length,
      originalExtension: 'apk',
      os: 'android',
      checksum: sha256(content),
      deployer: { name: 'GitHub Actions', info: { commit: 'f52ace0', branch: 'release/2.4', triggerTimestamp: '1558359012580' } },
      notifications: {
        collaborators: true,
        employees: false,
        message: 'New build',
        language: 'en',
        filter: [['group1', 'group2'], ['group3']]
      },
      error: '',
      errorCode: '',
      processLogs: [],
      files: [],
      metadata: {},
      defaultScripts: {},
      disabled: false
    })
    expect(build).not.toHaveProperty('buildPlatform')
    expect(build).not.toHaveProperty('packageName')
    expect(Date.parse(build.createdAt)).not.toBeNaN()

    await sleep(DELAY + 50)
    const done = data(await api(`${INT}/${build.id}`, { token: sb.tokens.app }))
    expect(done.status).toBe('processed')
    expect(done.processLogs).toEqual([`Received My App.apk (${content.length} bytes)`, 'Processed'])
    expect(sb.builds()[0]).toEqual(done)
  })

  it('goes through in_progress in the second half of the delay', async () => {
    sb.setProcessingDelay(1000)
    const build = await upload()
    expect(sb.builds()[0].status).toBe('pending')
    await sleep(650)
    expect(sb.builds()[0].status).toBe('in_progress')
    await sleep(500)
    expect(sb.builds()[0].status).toBe('processed')
    expect(build.status).toBe('pending')
  })

  it('ends in error for an empty file and for an unsupported extension', async () => {
    const empty = await upload({ name: 'empty.ipa', content: '' })
    const txt = await upload({ name: 'notes.TXT', content: 'hello' })
    expect(empty.os).toBe('ios')
    await sleep(DELAY + 50)
    const [t, e] = sb.builds()
    expect(e).toMatchObject({
      id: empty.id,
      status: 'error',
      errorCode: '5006',
      error: 'Empty build file',
      processLogs: ['Received empty.ipa (0 bytes)', 'Processing failed: Empty build file']
    })
    expect(t).toMatchObject({
      id: txt.id,
      status: 'error',
      errorCode: '5006',
      error: 'Unsupported build file extension .txt',
      originalExtension: 'txt',
      os: 'unknown'
    })
  })

  it('knows tar.gz, takes os from buildPlatform for other files and keeps optional fields', async () => {
    const b = await upload({
      name: 'game.tar.gz',
      content: 'tgz',
      fields: { buildPlatform: 'switch', packageName: 'com.x.game', packageVersion: '1.2' }
    })
    expect(b).toMatchObject({
      originalExtension: 'tar.gz',
      os: 'switch',
      buildPlatform: 'switch',
      packageName: 'com.x.game',
      packageVersion: '1.2'
    })
  })

  it('answers 5006 without a build part or with a body that is not multipart', async () => {
    const noBuild = await up(INT, {
      token: sb.tokens.app,
      body: form({ field: 'other', name: 'a.apk', content: 'x' }, { versionName: 'v' })
    })
    expect([noBuild.status, noBuild.json.error]).toEqual([400, { code: 5006, message: 'Invalid file' }])
    expect(lastRequest().fields).toEqual({ versionName: 'v' })
    const notMultipart = await up(INT, { token: sb.tokens.app, body: 'plain', headers: { 'content-type': 'text/plain' } })
    expect([notMultipart.status, notMultipart.json.error?.code]).toEqual([400, 5006])
    expect(sb.builds()).toEqual([])
  })

  it('uploads through the Workspace API to the app in the path', async () => {
    const b = await upload({ name: 'a.aab', content: 'aab', token: sb.tokens.serviceAccount, path: ws('org-1', 'app-2') })
    expect(b.application).toBe('app-2')
    expect(sb.builds('app-2').map((x) => x.id)).toEqual([b.id])
    expect(sb.builds()).toEqual([])
  })

  it('gives builds strictly increasing createdAt', async () => {
    const builds = await Promise.all([1, 2, 3, 4, 5].map((i) => upload({ name: `b${i}.apk` })))
    const times = builds.map((b) => Date.parse(b.createdAt)).sort((a, b) => a - b)
    expect(new Set(times).size).toBe(5)
  })

  it('survives a client that gives up half-way through the body', async () => {
    const boundary = 'gives-up'
    const req = request(`${sb.uploadUrl}${INT}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sb.tokens.app}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': 1_000_000
      }
    })
    req.on('error', () => {})
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="build"; filename="a.apk"\r\n\r\n` + 'x'.repeat(10_000))
    await sleep(100)
    req.destroy()
    await sleep(100)
    expect(lastRequest()).toMatchObject({ status: 0, files: [] })
    expect(lastRequest().bodyBytes).toBeGreaterThan(10_000)
    expect(sb.builds()).toEqual([])
    expect((await api(INT, { token: sb.tokens.app })).status).toBe(200)
  })

  it('streams a large body with Content-Length and hashes it exactly', async () => {
    const chunk = Buffer.alloc(64 * 1024, 7)
    const chunks = 128 // 8 MiB
    const boundary = 'sandbox-test-boundary'
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="build"; filename="big.zip"\r\nContent-Type: application/zip\r\n\r\n`
    )
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
    const hash = createHash('sha256')
    for (let i = 0; i < chunks; i++) hash.update(chunk)
    const length = head.length + chunk.length * chunks + tail.length
    const source = Readable.from(
      (function* () {
        yield head
        for (let i = 0; i < chunks; i++) yield chunk
        yield tail
      })()
    )
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${sb.uploadUrl}${INT}`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${sb.tokens.app}`,
            'content-type': `multipart/form-data; boundary=${boundary}`,
            'content-length': length
          }
        },
        (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode ?? 0))
        }
      )
      req.on('error', reject)
      source.pipe(req)
    })
    expect(status).toBe(200)
    expect(lastRequest().bodyBytes).toBe(length)
    expect(lastRequest().files[0]).toMatchObject({
      filename: 'big.zip',
      contentType: 'application/zip',
      size: chunk.length * chunks,
      sha256: hash.digest('hex')
    })
  })
})

describe('list', () => {
  const seedMany = (n: number): void => {
    // Seeded out of order, so sorting by createdAt is what the test sees.
    for (let i = 0; i < n; i++) {
      const k = (i * 7) % n
      sb.seedBuild({ versionName: `v${k}`, createdAt: new Date(Date.UTC(2024, 0, 1, 0, k)) })
    }
  }
  const versions = (a: Answer): string[] => data<{ items: StoredBuild[] }>(a).items.map((b) => String(b.versionName))

  it('pages newest first with a default limit of 25 and answers only items', async () => {
    seedMany(30)
    const first = await api(INT, { token: sb.tokens.app })
    expect(Object.keys(first.json.data as object)).toEqual(['items'])
    expect(versions(first)).toEqual(Array.from({ length: 25 }, (_, i) => `v${29 - i}`))
    expect(versions(await api(`${INT}?page=2`, { token: sb.tokens.app }))).toEqual(['v4', 'v3', 'v2', 'v1', 'v0'])
    expect(versions(await api(`${INT}?page=3&limit=10`, { token: sb.tokens.app }))).toEqual(
      Array.from({ length: 10 }, (_, i) => `v${9 - i}`)
    )
    expect(versions(await api(`${INT}?page=4&limit=10`, { token: sb.tokens.app }))).toEqual([])
    expect(versions(await api(`${ws()}?limit=3`, { token: sb.tokens.serviceAccount }))).toEqual(['v29', 'v28', 'v27'])
  })

  it('caps limit at maxPageSize', async () => {
    const small = await startSandbox({ maxPageSize: 5 })
    try {
      for (let i = 0; i < 8; i++) small.seedBuild({})
      const res = await call(small.apiUrl, `${INT}?limit=50`, { token: small.tokens.app })
      expect(data<{ items: unknown[] }>(res).items).toHaveLength(5)
    } finally {
      await small.close()
    }
  })

  it('rejects a page or limit that is not a positive integer', async () => {
    for (const q of ['page=0', 'page=abc', 'limit=-1', 'limit=1.5', 'limit=']) {
      const res = await api(`${INT}?${q}`, { token: sb.tokens.app })
      expect([q, res.status, res.json.error]).toEqual([q, 400, { code: 400, message: 'Invalid query' }])
    }
  })

  it('filters on versionName, status and os', async () => {
    sb.seedBuild({ versionName: 'rc', os: 'ios', status: 'processed' })
    sb.seedBuild({ versionName: 'rc', os: 'android', status: 'error' })
    sb.seedBuild({ versionName: 'final', os: 'android', status: 'pending' })
    const get = async (q: string): Promise<string[]> =>
      data<{ items: StoredBuild[] }>(await api(`${INT}?${q}`, { token: sb.tokens.app })).items.map(
        (b) => `${b.versionName}/${b.os}/${b.status}`
      )
    expect(await get('versionName=rc')).toEqual(['rc/android/error', 'rc/ios/processed'])
    expect(await get('status=pending')).toEqual(['final/android/pending'])
    expect(await get('os=android&versionName=rc')).toEqual(['rc/android/error'])
    expect(await get('os=ios&status=error')).toEqual([])
  })
})

describe('update', () => {
  const put = (path: string, token: string, body: unknown): Promise<Answer> =>
    api(path, { method: 'PUT', token, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })

  it('applies only versionName, changelog and tags on the Integrations API', async () => {
    const b = sb.seedBuild({ versionName: 'old', tags: ['a'], changelog: 'keep' })
    const res = await put(`${INT}/${b.id}`, sb.tokens.app, {
      versionName: 'new',
      tags: ['x', 'y'],
      metadata: { m: 1 },
      disabled: true,
      defaultScripts: { audit: 'a' }
    })
    expect(res.status).toBe(200)
    expect(data(res)).toMatchObject({
      id: b.id,
      versionName: 'new',
      tags: ['x', 'y'],
      changelog: 'keep',
      metadata: {},
      disabled: false,
      defaultScripts: {}
    })
    expect(lastRequest().json).toEqual({
      versionName: 'new',
      tags: ['x', 'y'],
      metadata: { m: 1 },
      disabled: true,
      defaultScripts: { audit: 'a' }
    })
    expect(sb.builds()[0].versionName).toBe('new')
  })

  it('also applies metadata, defaultScripts (merged) and disabled on the Workspace API', async () => {
    const b = sb.seedBuild({ metadata: { old: true }, defaultScripts: { preInstall: 'p', runner: 'bash' } })
    const res = await put(`${ws()}/${b.id}`, sb.tokens.serviceAccount, {
      changelog: 'c',
      metadata: { env: 'staging' },
      defaultScripts: { runner: 'zsh', audit: 'a', bogus: 'no' },
      disabled: true
    })
    expect(data(res)).toMatchObject({
      changelog: 'c',
      metadata: { env: 'staging' },
      defaultScripts: { preInstall: 'p', runner: 'zsh', audit: 'a' },
      disabled: true
    })
    expect(data(res).defaultScripts).not.toHaveProperty('bogus')
  })

  it('answers 400 to a body that is not JSON and 3001 to an unknown build', async () => {
    const b = sb.seedBuild({})
    const bad = await api(`${INT}/${b.id}`, {
      method: 'PUT',
      token: sb.tokens.app,
      body: '{nope',
      headers: { 'content-type': 'application/json' }
    })
    expect([bad.status, bad.json.error]).toEqual([400, { code: 400, message: 'Invalid JSON' }])
    const missing = await put(`${INT}/ffffffffffffffffffffffff`, sb.tokens.app, { versionName: 'x' })
    expect([missing.status, missing.json.error?.code]).toEqual([404, 3001])
  })
})

describe('delete', () => {
  it('answers 5014 while processing, then deletes', async () => {
    const b = await upload()
    const early = await api(`${INT}/${b.id}`, { method: 'DELETE', token: sb.tokens.app })
    expect([early.status, early.json.error]).toEqual([400, { code: 5014, message: 'Build Not Processed' }])
    await sleep(DELAY + 50)
    const res = await api(`${INT}/${b.id}`, { method: 'DELETE', token: sb.tokens.app })
    expect(res.json).toEqual({ status: true, data: { deleted: true } })
    expect((await api(`${INT}/${b.id}`, { token: sb.tokens.app })).status).toBe(404)
    expect(sb.builds()).toEqual([])
  })

  it('deletes error builds, through the Workspace API too', async () => {
    const b = sb.seedBuild({ status: 'error' })
    const res = await api(`${ws()}/${b.id}`, { method: 'DELETE', token: sb.tokens.serviceAccount })
    expect(res.status).toBe(200)
  })

  it('keeps a seeded pending build pending unless it was given a delay', async () => {
    const stuck = sb.seedBuild({ status: 'pending' })
    const moving = sb.seedBuild({ status: 'in_progress', processingDelayMs: 50 })
    expect(moving.status).toBe('in_progress')
    await sleep(100)
    const byId = Object.fromEntries(sb.builds().map((b) => [b.id, b.status]))
    expect(byId).toEqual({ [stuck.id]: 'pending', [moving.id]: 'processed' })
    expect((await api(`${INT}/${stuck.id}`, { method: 'DELETE', token: sb.tokens.app })).json.error?.code).toBe(5014)
  })
})

describe('attach', () => {
  const attach = (id: string, fd: FormData, token = sb.tokens.app, prefix = INT): Promise<Answer> =>
    up(`${prefix}/${id}/files`, { token, body: fd })

  it('answers 5014 until the build is processed, then records the file', async () => {
    const b = await upload()
    const report = 'test report contents'
    const early = await attach(b.id, form({ field: 'file', name: 'report.html', content: report, type: 'text/html' }))
    expect([early.status, early.json.error]).toEqual([400, { code: 5014, message: 'Build Not Processed' }])
    await sleep(DELAY + 50)
    const res = await attach(
      b.id,
      form({ field: 'file', name: 'report.html', content: report, type: 'text/html' }, { description: 'QA report' })
    )
    expect(res.status).toBe(200)
    const build = data(res)
    expect(build.id).toBe(b.id)
    const files = build.files as { id: string; type: string; description: string; file: Record<string, unknown> }[]
    expect(files).toHaveLength(1)
    expect(files[0]).toMatchObject({
      type: 'attachment',
      description: 'QA report',
      file: {
        originalName: 'report.html',
        mimetype: 'text/html',
        size: report.length,
        checksum: sha256(report),
        location: `${sb.uploadUrl}/files/${files[0].id}`
      }
    })
    expect(files[0].id).toMatch(/^[0-9a-f]{24}$/)
    expect(sb.builds()[0].files).toEqual(files)
  })

  it('answers 5014 for an error build, 5006 without a file part and 3001 for an unknown build', async () => {
    const broken = sb.seedBuild({ status: 'error' })
    const fine = sb.seedBuild({})
    expect((await attach(broken.id, form({ field: 'file', name: 'a', content: 'a' }))).json.error?.code).toBe(5014)
    const noFile = await attach(fine.id, form(undefined, { description: 'd' }), sb.tokens.serviceAccount, ws())
    expect([noFile.status, noFile.json.error]).toEqual([400, { code: 5006, message: 'Invalid file' }])
    expect((await attach('ffffffffffffffffffffffff', form({ field: 'file', name: 'a', content: 'a' }))).status).toBe(404)
  })
})

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
    await expect(fetch(listPath(), { headers: auth(), signal: AbortSignal.timeout(300) })).rejects.toThrow()
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

describe('discard mode and reset', () => {
  it('discard: counts the upload body and answers a processed build without parsing it', async () => {
    const fast = await startSandbox({ discard: true })
    try {
      const res = await call(fast.uploadUrl, INT, {
        method: 'POST',
        token: fast.tokens.app,
        body: form({ name: 'a.apk', content: 'x'.repeat(10000) })
      })
      expect(res.status).toBe(200)
      const rec = fast.requests[0]
      expect(rec.files).toEqual([])
      expect(data(res)).toMatchObject({ status: 'processed', size: rec.bodyBytes })
      expect(rec.bodyBytes).toBeGreaterThan(10000)
      expect((await call(fast.uploadUrl, INT, { method: 'POST', body: 'x' })).status).toBe(401)
    } finally {
      await fast.close()
    }
  })

  it('reset forgets builds, requests and faults', async () => {
    sb.seedBuild({})
    sb.faults.add({ host: 'upload', action: { kind: 'stall' } })
    const held = sb.requests
    await api(INT, { token: sb.tokens.app })
    expect(held).toHaveLength(1)
    sb.reset()
    expect(sb.builds()).toEqual([])
    expect(held).toHaveLength(0)
    expect(sb.faults.pending).toBe(0)
    await api(INT, { token: sb.tokens.app })
    expect(held.map((r) => r.seq)).toEqual([1])
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

describe('upload hold', () => {
  const listed = async (): Promise<string[]> =>
    data<{ items: StoredBuild[] }>(await api(INT, { token: sb.tokens.app })).items.map((b) => b.id)

  it('answers only after the hold; with visible start the build is listed during it', async () => {
    sb.configure({ uploadHold: { ms: 400, visible: 'start' } })
    const started = Date.now()
    const answer = upload()
    await sleep(150)
    const during = await listed()
    expect(during).toHaveLength(1)
    const posted = sb.requests.find((r) => r.method === 'POST')
    expect(posted?.status).toBe(0) // still held
    const build = await answer
    expect(Date.now() - started).toBeGreaterThanOrEqual(400)
    expect(during).toEqual([build.id])
    expect(posted?.status).toBe(200)
  })

  it('with visible end, the build is listed only when the hold ends', async () => {
    sb.configure({ uploadHold: { ms: 400, visible: 'end' } })
    const started = Date.now()
    const answer = upload()
    await sleep(150)
    expect(await listed()).toEqual([])
    expect(sb.builds()).toEqual([])
    const build = await answer
    expect(Date.now() - started).toBeGreaterThanOrEqual(400)
    expect(await listed()).toEqual([build.id])
    expect(build.status).toBe('pending')
  })

  it.each(['start', 'end'] as const)(
    'visible %s: a client that gives up during the hold still leaves exactly one build',
    async (visible) => {
      sb.configure({ uploadHold: { ms: 300, visible } })
      const body = form({ name: 'a.apk', content: 'apk' })
      await expect(
        fetch(`${sb.uploadUrl}${INT}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${sb.tokens.app}` },
          body,
          signal: AbortSignal.timeout(100)
        })
      ).rejects.toThrow()
      expect(sb.builds()).toHaveLength(visible === 'start' ? 1 : 0)
      await sleep(300)
      expect(sb.builds()).toHaveLength(1)
      const rec = sb.requests.find((r) => r.method === 'POST')
      expect(rec).toMatchObject({ status: 0, files: [expect.objectContaining({ filename: 'a.apk' })] })
      expect(rec?.response).toMatchObject({ status: true, data: { id: sb.builds()[0].id } })
    }
  )

  it('does not hold attachments or refused uploads', async () => {
    sb.configure({ uploadHold: { ms: 2000, visible: 'start' } })
    const b = sb.seedBuild({})
    const started = Date.now()
    expect(
      (await up(`${INT}/${b.id}/files`, { token: sb.tokens.app, body: form({ field: 'file', name: 'r.txt', content: 'r' }) })).status
    ).toBe(200)
    expect((await up(INT, { token: sb.tokens.app, body: form(undefined, { versionName: 'v' }) })).status).toBe(400)
    expect(Date.now() - started).toBeLessThan(1000)
  })
})

describe('deployer fields', () => {
  const deployer = async (triggerTimestamp: string): Promise<Record<string, unknown>> => {
    const b = await upload({
      name: 'a.apk',
      content: 'x',
      fields: {
        'deployer.name': '  GitHub Actions ',
        'deployer.info.branch': ' main\n',
        'deployer.info.triggerTimestamp': triggerTimestamp
      }
    })
    return b.deployer as Record<string, unknown>
  }

  it('are stored trimmed, triggerTimestamp as sent by default', async () => {
    expect(await deployer(' 1558359012580 ')).toEqual({
      name: 'GitHub Actions',
      info: expect.objectContaining({ branch: 'main', triggerTimestamp: '1558359012580', commit: '' })
    })
  })

  it('triggerTimestampAs number or iso converts numeric values and keeps the others as sent', async () => {
    sb.configure({ triggerTimestampAs: 'number' })
    expect(await deployer('1558359012580')).toMatchObject({ info: { triggerTimestamp: 1558359012580 } })
    expect(await deployer('2019-05-20T13:30:12Z')).toMatchObject({ info: { triggerTimestamp: '2019-05-20T13:30:12Z' } })
    sb.configure({ triggerTimestampAs: 'iso' })
    expect(await deployer(' 1558359012580')).toMatchObject({ info: { triggerTimestamp: '2019-05-20T13:30:12.580Z' } })
    expect(await deployer('')).toMatchObject({ info: { triggerTimestamp: '' } })
    expect(await deployer('99999999999999999999')).toMatchObject({ info: { triggerTimestamp: '99999999999999999999' } })
    expect(sb.builds()[4].deployer).toMatchObject({ info: { triggerTimestamp: 1558359012580 } })
  })
})

describe('paginated list', () => {
  beforeEach(() => sb.configure({ listForm: 'paginated' }))

  it('adds mongoose-paginate-v2 totals and page links', async () => {
    for (let i = 0; i < 23; i++) sb.seedBuild({})
    const page = async (q: string): Promise<Record<string, unknown>> =>
      data<Record<string, unknown>>(await api(`${INT}?${q}`, { token: sb.tokens.app }))
    const first = await page('limit=10')
    expect(Object.keys(first)).toEqual([
      'items',
      'totalDocs',
      'limit',
      'page',
      'totalPages',
      'hasNextPage',
      'hasPrevPage',
      'nextPage',
      'prevPage'
    ])
    expect(first).toMatchObject({
      totalDocs: 23,
      limit: 10,
      page: 1,
      totalPages: 3,
      hasNextPage: true,
      hasPrevPage: false,
      nextPage: 2,
      prevPage: null
    })
    expect(first.items).toHaveLength(10)
    const last = await page('limit=10&page=3')
    expect(last).toMatchObject({
      totalDocs: 23,
      page: 3,
      totalPages: 3,
      hasNextPage: false,
      hasPrevPage: true,
      nextPage: null,
      prevPage: 2
    })
    expect(last.items).toHaveLength(3)
    expect(await page('')).toMatchObject({ limit: 25, totalPages: 1, nextPage: null })
  })

  it('reports the clamped page size, and one page for no builds', async () => {
    const empty = data(await api(INT, { token: sb.tokens.app }))
    expect(empty).toEqual({
      items: [],
      totalDocs: 0,
      limit: 25,
      page: 1,
      totalPages: 1,
      hasNextPage: false,
      hasPrevPage: false,
      nextPage: null,
      prevPage: null
    })
    sb.configure({ maxPageSize: 5 })
    for (let i = 0; i < 12; i++) sb.seedBuild({})
    expect(data(await api(`${INT}?limit=50`, { token: sb.tokens.app }))).toMatchObject({
      limit: 5,
      totalDocs: 12,
      totalPages: 3,
      nextPage: 2
    })
  })
})

describe('refusing large pages', () => {
  it('answers 400 (or the chosen status) to a limit above refuseLimitAbove, instead of clamping', async () => {
    sb.configure({ refuseLimitAbove: 50, maxPageSize: 20 })
    for (let i = 0; i < 30; i++) sb.seedBuild({})
    const refused = await api(`${INT}?limit=51`, { token: sb.tokens.app })
    expect([refused.status, refused.json]).toEqual([
      400,
      { status: false, error: { code: 400, message: '"limit" must be less than or equal to 50' } }
    ])
    expect(data<{ items: unknown[] }>(await api(`${INT}?limit=50`, { token: sb.tokens.app })).items).toHaveLength(20)
    expect((await api(INT, { token: sb.tokens.app })).status).toBe(200)
    sb.configure({ refuseLimitStatus: 422 })
    const unprocessable = await api(`${ws()}?limit=500`, { token: sb.tokens.serviceAccount })
    expect([unprocessable.status, unprocessable.json.error?.code]).toEqual([422, 422])
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

describe('configure', () => {
  it('changes settings from the next request; undefined restores a default; reset restores the starting ones', async () => {
    const own = await startSandbox({ listForm: 'paginated', maxPageSize: 5 })
    try {
      const listData = async (): Promise<Record<string, unknown>> =>
        data<Record<string, unknown>>(await call(own.apiUrl, `${INT}?limit=50`, { token: own.tokens.app }))
      expect(await listData()).toMatchObject({ limit: 5 })
      own.configure({ listForm: 'items' })
      expect(Object.keys(await listData())).toEqual(['items'])
      own.configure({ listForm: 'paginated', maxPageSize: undefined })
      expect(await listData()).toMatchObject({ limit: 50 })
      own.reset()
      expect(await listData()).toMatchObject({ limit: 5 })
    } finally {
      await own.close()
    }
  })

  it('refuses invalid values and keeps the current settings', async () => {
    expect(() => sb.configure({ listForm: 'pages' as never })).toThrow(TypeError)
    expect(() => sb.configure({ uploadHold: { ms: -1, visible: 'start' } })).toThrow(/uploadHold/)
    expect(() => sb.configure({ refuseLimitStatus: 500 as never, maxPageSize: 3 })).toThrow(/refuseLimitStatus/)
    for (let i = 0; i < 4; i++) sb.seedBuild({})
    const res = await api(`${INT}?limit=4`, { token: sb.tokens.app })
    expect(Object.keys(res.json.data as object)).toEqual(['items'])
    expect(data<{ items: unknown[] }>(res).items).toHaveLength(4)
  })

  it('setProcessingDelay is configure({ processingDelayMs })', async () => {
    sb.setProcessingDelay(20)
    await upload()
    await sleep(40)
    expect(sb.builds()[0].status).toBe('processed')
  })
})

describe('command line', () => {
  it('maps every flag onto startSandbox options', () => {
    expect(
      parseArgs([
        '--max-page-size',
        '500',
        '--list-form=paginated',
        '--refuse-limit-above',
        '1000',
        '--refuse-limit-status',
        '422',
        '--hold-upload',
        '180000',
        '--hold-visible',
        'end',
        '--trigger-timestamp',
        'iso',
        '--reject-early',
        '--tls-names',
        'localhost, 10.0.0.5',
        '--tls-expired',
        '--ca-file',
        '/tmp/ca.pem'
      ])
    ).toEqual({
      help: false,
      caFile: '/tmp/ca.pem',
      options: {
        maxPageSize: 500,
        listForm: 'paginated',
        refuseLimitAbove: 1000,
        refuseLimitStatus: 422,
        uploadHold: { ms: 180000, visible: 'end' },
        triggerTimestampAs: 'iso',
        rejectEarly: true,
        tls: { names: ['localhost', '10.0.0.5'], expired: true }
      }
    })
    expect(parseArgs(['--tls', '--hold-upload', '5']).options).toEqual({ tls: {}, uploadHold: { ms: 5, visible: 'start' } })
    expect(parseArgs([])).toEqual({ help: false, options: {} })
  })

  it('refuses bad values', () => {
    for (const argv of [
      ['--list-form', 'pages'],
      ['--hold-visible', 'end'],
      ['--refuse-limit-status', '500'],
      ['--trigger-timestamp'],
      ['--max-page-size', '0'],
      ['--tls-names', ',']
    ]) {
      expect(() => parseArgs(argv)).toThrow()
    }
  })
})
