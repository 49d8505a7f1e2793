// Tests of the sandbox's Builds API double: tokens, routes, lists, updates and deletes.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { startSandbox, type StoredBuild } from '../../sandbox/index.js'
import { api, call, data, DELAY, form, INT, lastRequest, sb, sleep, upload, useSandbox, ws, type Answer } from './helpers.js'

useSandbox({ processingDelayMs: DELAY })

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

  it('refuses a changelog over 10,000 characters as a validation error (6002), on both APIs, and takes 10,000', async () => {
    const b = sb.seedBuild({ changelog: 'keep' })
    const refused = await put(`${INT}/${b.id}`, sb.tokens.app, { versionName: 'new', changelog: 'x'.repeat(10_001) })
    expect([refused.status, refused.json]).toEqual([
      400,
      {
        status: false,
        error: {
          code: 6002,
          message: 'Body Validation Error',
          data: {
            errors: [
              {
                field: ['changelog'],
                location: 'body',
                messages: ['"changelog" length must be less than or equal to 10000 characters long'],
                types: ['string.max']
              }
            ]
          }
        }
      }
    ])
    expect(sb.builds()[0]).toMatchObject({ changelog: 'keep', versionName: b.versionName })
    const workspace = await put(`${ws()}/${b.id}`, sb.tokens.serviceAccount, { changelog: '€'.repeat(10_001) })
    expect([workspace.status, workspace.json.error?.code]).toEqual([400, 6002])
    const taken = await put(`${INT}/${b.id}`, sb.tokens.app, { changelog: '€'.repeat(10_000) })
    expect(taken.status).toBe(200)
    expect(sb.builds()[0].changelog).toBe('€'.repeat(10_000))
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
