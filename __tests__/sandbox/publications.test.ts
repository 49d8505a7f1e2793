// Tests of the sandbox's Publications API double: publications on both APIs, install pages and stores.
import { describe, expect, it } from '@jest/globals'
import type { StoredPublication } from '../../sandbox/index.js'
import { call, install, sb, useSandbox, type Answer, type FieldError, type Init } from './helpers.js'

const INT = '/v1/integrations/distributions'
const ws = (store = 'store-1', org = 'org-1'): string => `/v1/organizations/${org}/stores/${store}/pubApps`

interface Page<T> {
  items: T[]
  totalDocs: number
  limit: number
  page: number
  totalPages: number
  hasPrevPage: boolean
  hasNextPage: boolean
  prevPage: number | null
  nextPage: number | null
}

/** Integrations API with app-1's token unless told otherwise. */
const int = (path: string, init: Init = {}): Promise<Answer> => call(sb.apiUrl, INT + path, { token: sb.tokens.app, ...init })
/** Workspace API with org-1's service account unless told otherwise. */
const wsp = (path: string, init: Init = {}): Promise<Answer> => call(sb.apiUrl, path, { token: sb.tokens.serviceAccount, ...init })

const data = <T = StoredPublication>(a: Answer): T => a.json.data as T
const fields = (a: Answer): FieldError['field'][] => (a.json.error?.data?.errors ?? []).map((e) => e.field)
const body = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  slug: 'feature-x',
  security: 'public',
  visibility: 'unlisted',
  filter: { type: 'last' },
  ...over
})

useSandbox({ processingDelayMs: 0 })

describe('publications: Integrations API', () => {
  it("creates, reads, lists, replaces and deletes the token app's publications", async () => {
    const created = await int('', { method: 'POST', body: body({ showHistory: true, expirationDate: '2030-01-01' }) })
    expect(created.status).toBe(200)
    const pub = data(created)
    expect(pub).toMatchObject({ slug: 'feature-x', application: 'app-1', showHistory: true, tags: [], expirationDate: '2030-01-01' })
    expect(pub.id).toMatch(/^[0-9a-f]{24}$/)
    expect(pub.distributionUrl).toBe(`${sb.apiUrl}/install/feature-x`)
    expect(data(await int(`/${pub.id}/`))).toEqual(pub)
    expect(data<Page<StoredPublication>>(await int(''))).toMatchObject({ items: [pub], totalDocs: 1, page: 1, totalPages: 1 })
    expect((await int(`/${pub.id}`, { token: sb.tokens.otherApp })).json.error).toEqual({ code: 3001, message: 'Entity not found' })
    expect(data<Page<unknown>>(await int('', { token: sb.tokens.otherApp })).items).toEqual([])
    const deleted = await int(`/${pub.id}`, { method: 'DELETE' })
    expect(deleted.json).toEqual({ status: true, data: { delete: 'OK' } })
    expect((await int(`/${pub.id}`, { method: 'DELETE' })).status).toBe(404)
    expect(sb.requests[0]).toMatchObject({
      host: 'api',
      method: 'POST',
      path: INT,
      json: body({ showHistory: true, expirationDate: '2030-01-01' })
    })
  })

  it('checks tokens as the builds routes do', async () => {
    const codes = async (a: Promise<Answer>): Promise<[number, number | undefined]> => [(await a).status, (await a).json.error?.code]
    expect(await codes(int('', { token: '' }))).toEqual([401, 4002])
    expect(await codes(int('', { token: 'nope' }))).toEqual([401, 4004])
    expect(await codes(int('', { token: sb.tokens.expired }))).toEqual([401, 3002])
    expect(await codes(int('', { token: sb.tokens.serviceAccount }))).toEqual([401, 4004])
    expect(await codes(wsp(ws(), { token: sb.tokens.app }))).toEqual([401, 4004])
    expect(await codes(wsp(ws('store-1', 'org-2')))).toEqual([404, 3001])
    expect(await codes(wsp(ws('store-org-2', 'org-2')))).toEqual([404, 3001])
    expect(await codes(wsp(ws('store-org-2')))).toEqual([404, 3001]) // a store of another organization
  })

  it('answers a create with createStatus', async () => {
    sb.configure({ createStatus: 201 })
    expect((await int('', { method: 'POST', body: body() })).status).toBe(201)
  })
})

describe('publications: validation', () => {
  it('answers 6002 with every broken field: uppercase slug, missing password, missing filter value', async () => {
    const res = await int('', { method: 'POST', body: body({ slug: 'Feature-X', security: 'password', filter: { type: 'gitBranch' } }) })
    expect([res.status, res.json.error?.code, res.json.error?.message]).toEqual([400, 6002, 'Body Validation Error'])
    expect(fields(res)).toEqual([['slug'], ['password'], ['filter', 'value']])
    expect(res.json.error?.data?.errors[1]).toEqual({
      field: ['password'],
      location: 'body',
      messages: ['"password" is required'],
      types: ['any.required']
    })
    expect(fields(await int('', { method: 'POST', body: body({ slug: 'ab', visibility: 'hidden' }) }))).toEqual([['slug'], ['visibility']])
    expect(fields(await int('', { method: 'POST', body: body({ filter: { type: 'builds' } }) }))).toEqual([['filter']])
    expect(sb.publications()).toEqual([])
  })

  it('needs an application of the organization on the Workspace API, and only the token app on Integrations', async () => {
    const missing = await wsp(ws(), { method: 'POST', body: body() })
    expect(missing.json.error?.data?.errors).toEqual([
      { field: ['application'], location: 'body', messages: ['"application" is required'], types: ['any.required'] }
    ])
    expect((await wsp(ws(), { method: 'POST', body: body({ application: 'app-3' }) })).status).toBe(404)
    expect(fields(await int('', { method: 'POST', body: body({ application: 'app-2' }) }))).toEqual([['application']])
    expect((await int('', { method: 'POST', body: body({ application: 'app-1' }) })).status).toBe(200)
    expect((await int('', { method: 'POST', body: body({ slug: 'pinned', filter: { type: 'build', ios: 'nope' } }) })).status).toBe(404)
  })
})

describe('publications: slugs', () => {
  it('are unique across the apps of the organization, on both APIs; another organization may reuse one', async () => {
    await int('', { method: 'POST', body: body() })
    const clash = await int('', { method: 'POST', token: sb.tokens.otherApp, body: body() })
    expect([clash.status, clash.json.error]).toEqual([400, { code: 5024, message: 'Slug already used' }])
    expect((await wsp(ws(), { method: 'POST', body: body({ application: 'app-2' }) })).json.error?.code).toBe(5024)
    const org2 = { token: sb.tokens.otherOrgServiceAccount, method: 'POST', body: body({ application: 'app-3' }) }
    expect((await wsp(ws('store-org-2', 'org-2'), org2)).status).toBe(200)
    sb.configure({ slugClash: { status: 409, code: 409, message: 'Conflict' } })
    expect((await int('', { method: 'POST', token: sb.tokens.otherApp, body: body() })).json.error).toEqual({
      code: 409,
      message: 'Conflict'
    })
    expect(() => sb.seedPublication({ slug: 'feature-x' })).toThrow(/already used/)
  })
})

describe('publications: PUT', () => {
  it('replaces the whole publication: omitted fields go back to their defaults, password included', async () => {
    const full = body({ security: 'password', password: 's3cret', tags: ['a'], showHistory: true, terms: { active: true, text: 'T' } })
    const pub = data(await int('', { method: 'POST', body: full }))
    expect(pub).not.toHaveProperty('password')
    expect(sb.publications()[0].password).toBe('s3cret')
    const put = await int(`/${pub.id}`, {
      method: 'PUT',
      body: body({ ...pub, slug: 'renamed', security: 'public', tags: undefined, showHistory: undefined, terms: undefined })
    })
    const replaced = data(put)
    expect(replaced).toMatchObject({
      id: pub.id,
      slug: 'renamed',
      tags: [],
      showHistory: false,
      terms: { active: false, text: '' },
      createdAt: pub.createdAt
    })
    expect(replaced.distributionUrl).toBe(`${sb.apiUrl}/install/renamed`)
    expect(replaced.updatedAt > pub.updatedAt).toBe(true)
    expect(sb.publications()[0]).not.toHaveProperty('password')
    expect(data<Page<StoredPublication>>(await int('')).items[0]).not.toHaveProperty('password')
    expect((await int(`/${pub.id}`, { method: 'PUT', token: sb.tokens.otherApp, body: body() })).status).toBe(404)
    expect(fields(await int(`/${pub.id}`, { method: 'PUT', body: { slug: 'renamed' } }))).toEqual([
      ['security'],
      ['visibility'],
      ['filter']
    ])
  })
})

describe('install page', () => {
  it('offers the newest processed build the filter picks', async () => {
    const b1 = sb.seedBuild({ os: 'android', tags: ['beta', 'qa'], deployer: { name: 'ci', info: { branch: 'main', tag: 'v1.0' } } })
    const b2 = sb.seedBuild({ os: 'ios', tags: ['beta'], deployer: { name: 'ci', info: { branch: 'feature/x', tag: '' } } })
    sb.seedBuild({ status: 'error', deployer: { name: 'ci', info: { branch: 'main', tag: 'v1.0' } } })
    const offered = async (filter: Record<string, unknown>, query = ''): Promise<unknown> => {
      const { slug } = sb.seedPublication({ filter: filter as StoredPublication['filter'] })
      const build = (await install(slug, query)).json.build as { id: string } | null
      return build?.id ?? null
    }
    expect(await offered({ type: 'last' })).toBe(b2.id)
    expect(await offered({ type: 'gitBranch', value: 'main' })).toBe(b1.id)
    expect(await offered({ type: 'gitBranch', value: 'feature/x' })).toBe(b2.id)
    expect(await offered({ type: 'gitBranch', value: 'gone' })).toBeNull()
    expect(await offered({ type: 'gitTag', value: 'v1.0' })).toBe(b1.id)
    expect(await offered({ type: 'tag', value: 'qa , beta' })).toBe(b1.id)
    expect(await offered({ type: 'tag', value: 'beta' })).toBe(b2.id)
    expect(await offered({ type: 'builds', ios: b2.id, android: b1.id })).toBe(b2.id)
    expect(await offered({ type: 'builds', ios: b2.id, android: b1.id }, '?os=android')).toBe(b1.id)
    expect(await offered({ type: 'build', builds: [{ buildPlatform: 'android', id: b1.id }] })).toBe(b1.id)
  })

  it("reads an uploaded build's deployer.info.branch", async () => {
    const fd = new FormData()
    fd.append('deployer.info.branch', ' release/2 ')
    fd.append('build', new Blob(['apk']), 'app.apk')
    const up = await fetch(`${sb.uploadUrl}/v1/integrations/builds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sb.tokens.app}` },
      body: fd
    })
    const build = ((await up.json()) as { data: { id: string } }).data
    await int('', { method: 'POST', body: body({ filter: { type: 'gitBranch', value: 'release/2' } }) })
    const page = await install('feature-x')
    expect(page.json).toMatchObject({
      slug: 'feature-x',
      security: 'public',
      visibility: 'unlisted',
      build: { id: build.id, status: 'processed' }
    })
    expect(page.json.publication).toBe(sb.publications()[0].id)
  })

  it('answers 404 when inactive or unknown, and 401 without the right password', async () => {
    sb.seedPublication({ slug: 'off', visibility: 'inactive' })
    sb.seedPublication({ slug: 'locked', security: 'password', password: 'pw' })
    const gone = await install('off')
    expect([gone.status, gone.json]).toEqual([404, { status: false, error: { code: 3001, message: 'Entity not found' } }])
    expect((await install('nope')).status).toBe(404)
    expect(await install('locked')).toMatchObject({ status: 401, json: { passwordRequired: true } })
    expect((await install('locked', '?password=no')).status).toBe(401)
    expect(await install('locked', '?password=pw')).toMatchObject({ status: 200, json: { slug: 'locked', build: null } })
  })
})

describe('Workspace API', () => {
  it("lists every app's publications of the store, and refuses to delete an app's last `last` page", async () => {
    const a = data(await wsp(ws(), { method: 'POST', body: body({ application: 'app-1' }) }))
    await wsp(ws(), { method: 'POST', body: body({ slug: 'two', application: 'app-2' }) })
    expect(data<Page<StoredPublication>>(await wsp(ws())).items.map((p) => p.slug)).toEqual(['feature-x', 'two'])
    expect(data<Page<StoredPublication>>(await wsp(`${ws()}?application=app-2`)).items.map((p) => p.slug)).toEqual(['two'])
    const refused = await wsp(`${ws()}/${a.id}`, { method: 'DELETE' })
    expect([refused.status, refused.json.error]).toEqual([
      400,
      { code: 6003, message: 'Cannot delete the last publication with the latest build filter' }
    ])
    const b = data(await wsp(ws(), { method: 'POST', body: body({ slug: 'three', application: 'app-1' }) }))
    expect((await wsp(`${ws()}/${a.id}`, { method: 'DELETE' })).json.data).toEqual({ delete: 'OK' })
    expect((await wsp(`${ws()}/${b.id}`, { method: 'DELETE' })).json.error?.code).toBe(6003)
    expect((await int(`/${b.id}`, { method: 'DELETE' })).status).toBe(200) // the Integrations API does not refuse
  })

  it('lists the stores the `stores` setting gives org-1', async () => {
    const ids = async (): Promise<string[]> =>
      data<Page<{ id: string }>>(await wsp('/v1/organizations/org-1/stores/')).items.map((s) => s.id)
    expect(await ids()).toEqual(['store-1'])
    const one = data<Page<Record<string, unknown>>>(await wsp('/v1/organizations/org-1/stores'))
    expect(one).toMatchObject({
      totalDocs: 1,
      limit: 25,
      page: 1,
      totalPages: 1,
      hasPrevPage: false,
      hasNextPage: false,
      prevPage: null,
      nextPage: null
    })
    expect(one.items[0]).toMatchObject({
      organization: 'org-1',
      security: 'logged',
      customDomain: '',
      branding: { buttonColor: '#000000' }
    })
    sb.configure({ stores: 2 })
    expect([await ids(), sb.storeIds]).toEqual([
      ['store-1', 'store-2'],
      ['store-1', 'store-2']
    ])
    expect(data<{ id: string }>(await wsp('/v1/organizations/org-1/stores/store-2')).id).toBe('store-2')
    sb.configure({ stores: 0 })
    expect(await ids()).toEqual([])
    expect((await wsp(ws())).status).toBe(404)
    const org2 = await wsp('/v1/organizations/org-2/stores', { token: sb.tokens.otherOrgServiceAccount })
    expect(data<Page<{ id: string }>>(org2).items.map((s) => s.id)).toEqual(['store-org-2'])
  })
})

describe('publication lists', () => {
  it('honour slug, page and limit (clamped), or ignore every filter', async () => {
    for (let i = 1; i <= 5; i++) sb.seedPublication({ slug: `p-${i}` })
    sb.seedPublication({ slug: 'other', appId: 'app-2' })
    const slugs = async (query: string): Promise<Page<StoredPublication>> => data<Page<StoredPublication>>(await int(query))
    expect((await slugs('?slug=p-3')).items.map((p) => p.slug)).toEqual(['p-3'])
    const second = await slugs('?limit=2&page=2')
    expect(second.items.map((p) => p.slug)).toEqual(['p-3', 'p-4'])
    expect(second).toMatchObject({ totalDocs: 5, limit: 2, totalPages: 3, hasPrevPage: true, hasNextPage: true, prevPage: 1, nextPage: 3 })
    sb.configure({ maxPageSize: 4 })
    expect((await slugs('?limit=50')).limit).toBe(4)
    sb.configure({ publicationListFilters: 'ignored' })
    expect((await slugs('?slug=p-3')).totalDocs).toBe(5)
    expect((await int('?page=0')).status).toBe(400)
  })
})
