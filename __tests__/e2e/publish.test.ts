// Install pages end to end: the built action publishes, updates and deletes them through both APIs, and the
// sandbox's page for each one answers which build it offers now.
import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { actionTests } from '../../harness/jest.js'
import { decodeQrText } from '../../harness/qr.js'
import { makeWorkspace, PR_EVENT, RELEASE_EVENT, runAction, TAG_EVENT, visibleLog, type RunOptions } from '../../harness/runner.js'
import { connectionInputs, offered, type Api } from '../../harness/helpers.js'
import type { Sandbox } from '../../sandbox/index.js'

const { sandbox, ok } = actionTests({ processingDelayMs: 100 })
const FAST = { APPLIVERY_TEST_TIMINGS: JSON.stringify({ pollFirstMs: 50, pollMaxMs: 100, retryBaseMs: 20, rereadMs: 50 }) }
const run = (inputs: Record<string, string>, options: RunOptions = {}) =>
  runAction(inputs, { ...options, env: { ...FAST, ...options.env } })

function seedProcessed(box: Sandbox, fields: Record<string, unknown> = {}): string {
  return box.seedBuild({ status: 'processed', ...fields }).id
}

const writes = (box: Sandbox) => box.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)

describe.each<Api>(['integrations', 'workspace'])('publish through the %s API', (api) => {
  const base = api === 'integrations' ? '/v1/integrations/distributions' : '/v1/organizations/org-1/stores/store-1/pubApps'

  it("creates the branch's page, reports its link and QR code, and the link offers the branch's newest build", async () => {
    const box = sandbox()
    const older = seedProcessed(box, { deployer: { info: { branch: 'main' } } })
    const newest = seedProcessed(box, { deployer: { info: { branch: 'main' } } })
    seedProcessed(box, { deployer: { info: { branch: 'other' } } })
    const result = ok(await run({ ...connectionInputs(box, api), operation: 'publish' }))
    const [page] = box.publications()
    expect(page).toMatchObject({
      slug: 'sandbox-app-one-main',
      filter: { type: 'gitBranch', value: 'main' },
      security: 'logged',
      visibility: 'unlisted',
      application: 'app-1'
    })
    expect(writes(box)).toEqual([`POST ${base}`])
    expect(result.outputs).toMatchObject({ 'publication-id': page.id, 'publication-url': page.distributionUrl })
    expect(decodeQrText(result.outputs['qr-code'], 'light')).toBe(page.distributionUrl)
    expect(await offered(page.distributionUrl as string)).toEqual({ status: 200, buildId: newest })
    expect(older).not.toBe(newest)
    expect(visibleLog(result)).toContain(`::notice::Install page created: ${page.distributionUrl}`)
    expect(result.summary).toContain(`<a href="${page.distributionUrl}">`)
    expect(result.summary).toContain(result.outputs['qr-code'].split('\n')[1])
  })

  it('changes nothing the second time, and sends back the fields it does not change on an update, read whole', async () => {
    const box = sandbox()
    // Lists that answer a summary of each page: what a PUT sends back must come from the page itself.
    box.configure({ publicationListItems: 'summary' })
    seedProcessed(box, { deployer: { info: { branch: 'main' } } })
    box.seedPublication({
      slug: 'sandbox-app-one-main',
      filter: { type: 'last' },
      showHistory: true,
      terms: { active: true, text: 'Beta NDA' },
      groups: [['qa', 'ios'], ['leads']],
      configuration: { application: { name: 'Acme Beta' } }
    })
    const first = ok(await run({ ...connectionInputs(box, api), operation: 'publish' }))
    expect(writes(box)).toEqual([expect.stringMatching(new RegExp(`^PUT ${base}/[0-9a-f]{24}$`))])
    expect(box.publications()).toHaveLength(1)
    expect(box.publications()[0]).toMatchObject({
      filter: { type: 'gitBranch', value: 'main' },
      showHistory: true,
      terms: { active: true, text: 'Beta NDA' },
      groups: [['qa', 'ios'], ['leads']],
      configuration: { application: { name: 'Acme Beta' } }
    })
    expect(visibleLog(first)).toContain('Install page updated')
    box.requests.length = 0
    const second = ok(await run({ ...connectionInputs(box, api), operation: 'publish' }))
    expect(writes(box)).toEqual([])
    expect(second.outputs['publication-id']).toBe(first.outputs['publication-id'])
  })
})

describe('publication filters', () => {
  const inputs = () => ({ ...connectionInputs(sandbox()), operation: 'publish' })

  it('git-tag is the default on tag pushes and releases, and the page offers the tagged build', async () => {
    const box = sandbox()
    const tagged = seedProcessed(box, { deployer: { info: { tag: 'v2.4.0' } } })
    seedProcessed(box, { deployer: { info: { tag: 'v2.3.0' } } })
    const result = ok(await run(inputs(), { event: TAG_EVENT }))
    expect(box.publications()[0]).toMatchObject({ slug: 'sandbox-app-one-v2-4-0', filter: { type: 'gitTag', value: 'v2.4.0' } })
    expect(await offered(result.outputs['publication-url'])).toMatchObject({ buildId: tagged })
    ok(await run(inputs(), { event: RELEASE_EVENT }))
    expect(box.publications().map((p) => p.slug)).toContain('sandbox-app-one-v3-0-0')
  })

  it('tags offers the newest build carrying every tag', async () => {
    const box = sandbox()
    const both = seedProcessed(box, { tags: ['qa', 'rc'] })
    seedProcessed(box, { tags: ['qa'] })
    const result = ok(await run({ ...inputs(), 'publication-filter': 'tags', tags: 'qa, rc' }))
    expect(box.publications()[0].filter).toEqual({ type: 'tag', value: 'qa,rc' })
    expect(await offered(result.outputs['publication-url'])).toMatchObject({ buildId: both })
  })

  it('build pins exactly build-id for its OS, keeping the other OS pinned', async () => {
    const box = sandbox()
    const ios = box.seedBuild({ status: 'processed', os: 'ios' }).id
    const pinned = seedProcessed(box, { os: 'android' })
    seedProcessed(box, { os: 'android' })
    box.seedPublication({ slug: 'sandbox-app-one-main', filter: { type: 'builds', ios } })
    const result = ok(await run({ ...inputs(), 'publication-filter': 'build', 'build-id': pinned }))
    expect(await offered(result.outputs['publication-url'], '?os=android')).toMatchObject({ buildId: pinned })
    expect(await offered(result.outputs['publication-url'], '?os=ios')).toMatchObject({ buildId: ios })
  })

  it('last offers the newest build of any branch', async () => {
    const box = sandbox()
    seedProcessed(box)
    const newest = seedProcessed(box, { deployer: { info: { branch: 'elsewhere' } } })
    const result = ok(await run({ ...inputs(), 'publication-filter': 'last' }))
    expect(await offered(result.outputs['publication-url'])).toMatchObject({ buildId: newest })
  })
})

describe('upload with publish', () => {
  it("publishes after the wait, and the same page offers the branch's next build after the next upload", async () => {
    const box = sandbox()
    const workspace = makeWorkspace({ 'app.apk': randomBytes(64 * 1024) })
    const inputs = { ...connectionInputs(box), file: 'app.apk', wait: 'true', publish: 'true' }
    const first = ok(await run(inputs, { workspace }))
    expect(await offered(first.outputs['publication-url'])).toMatchObject({ buildId: first.outputs['build-id'] })
    const second = ok(await run(inputs, { workspace }))
    expect(second.outputs['publication-url']).toBe(first.outputs['publication-url'])
    expect(await offered(second.outputs['publication-url'])).toMatchObject({ buildId: second.outputs['build-id'] })
    expect(box.publications()).toHaveLength(1)
  })
})

describe('dry runs', () => {
  it('plan the page of an upload that is not sent, and write nothing', async () => {
    const box = sandbox()
    seedProcessed(box)
    const workspace = makeWorkspace({ 'app.apk': randomBytes(1024) })
    const result = ok(await run({ ...connectionInputs(box), file: 'app.apk', publish: 'true', 'dry-run': 'true' }, { workspace }))
    expect(writes(box)).toEqual([])
    expect(visibleLog(result)).toMatch(/Dry run: would POST http:\/\/127\.0\.0\.1:\d+\/v1\/integrations\/builds\n/)
    expect(visibleLog(result)).toMatch(/Dry run: would POST http:\/\/127\.0\.0\.1:\d+\/v1\/integrations\/distributions\n/)
    expect(visibleLog(result)).toContain('"slug": "sandbox-app-one-main"')
    expect(result.summary).toContain('/v1/integrations/distributions')
  })
})

describe('slugs and races', () => {
  it('two apps publishing the same pull request get a page each', async () => {
    const box = sandbox()
    seedProcessed(box)
    box.seedBuild({ appId: 'app-2', status: 'processed' })
    ok(await run({ ...connectionInputs(box), operation: 'publish', 'publication-filter': 'last' }, { event: PR_EVENT }))
    ok(
      await run(
        { ...connectionInputs(box), token: box.tokens.otherApp, operation: 'publish', 'publication-filter': 'last' },
        { event: PR_EVENT }
      )
    )
    expect(
      box
        .publications()
        .map((p) => p.slug)
        .sort()
    ).toEqual(['sandbox-app-one-pr-12', 'sandbox-app-two-pr-12'])
  })

  it('two jobs racing for one slug end with one page, both reporting it', async () => {
    const box = sandbox()
    seedProcessed(box)
    // Both jobs have looked and found nothing before either create is handled.
    box.faults.add({ method: 'POST', path: /distributions$/, times: 2, action: { kind: 'delay', ms: 1500 } })
    const inputs = { ...connectionInputs(box), operation: 'publish' }
    const [a, b] = await Promise.all([run(inputs), run(inputs)])
    ok(a)
    ok(b)
    expect(box.publications()).toHaveLength(1)
    expect(box.requests.filter((r) => r.method === 'POST')).toHaveLength(2)
    expect(a.outputs['publication-id']).toBe(box.publications()[0].id)
    expect(b.outputs['publication-id']).toBe(box.publications()[0].id)
  })

  it('finds its page when lists ignore their filters and span pages, creates answer 201, and a clash is a 409', async () => {
    const box = sandbox()
    box.configure({
      publicationListFilters: 'ignored',
      createStatus: 201,
      slugClash: { status: 409, code: 409, message: 'Conflict' },
      maxPageSize: 5
    })
    seedProcessed(box)
    for (let i = 0; i < 12; i++) box.seedPublication({ slug: `older-page-${i}` })
    box.faults.add({ method: 'POST', path: /distributions$/, times: 2, action: { kind: 'delay', ms: 1500 } })
    const inputs = { ...connectionInputs(box), operation: 'publish' }
    const [a, b] = await Promise.all([run(inputs), run(inputs)])
    const created = box.publications().filter((p) => p.slug === 'sandbox-app-one-main')
    expect(created).toHaveLength(1)
    expect([ok(a).outputs['publication-id'], ok(b).outputs['publication-id']]).toEqual([created[0].id, created[0].id])
    expect(
      box.requests
        .filter((r) => r.method === 'POST')
        .map((r) => r.status)
        .sort()
    ).toEqual([201, 409])
    box.requests.length = 0
    ok(await run(inputs))
    expect(writes(box)).toEqual([])
  })

  it('names the app when the Integrations API asks for it, and shows validation details when it refuses a body', async () => {
    const box = sandbox()
    box.configure({ integrationsNeedApplication: true })
    seedProcessed(box)
    ok(await run({ ...connectionInputs(box), operation: 'publish' }))
    const posts = box.requests.filter((r) => r.method === 'POST')
    expect(posts.map((r) => [r.status, (r.json as { application?: string }).application])).toEqual([
      [400, undefined],
      [200, 'app-1']
    ])
    expect(box.publications()).toHaveLength(1)
    // A body Applivery refuses fails with what it found wrong: here a branch name too long to be a filter value.
    box.faults.add({
      method: 'POST',
      path: /distributions$/,
      action: {
        kind: 'status',
        status: 400,
        body: JSON.stringify({
          status: false,
          error: {
            code: 6002,
            message: 'Body Validation Error',
            data: { errors: [{ field: ['filter', 'value'], messages: ['"value" length must be less than 100'] }] }
          }
        })
      }
    })
    const refused = await run({ ...connectionInputs(box), operation: 'publish', slug: 'other-page' })
    expect(refused.code).toBe(1)
    expect(visibleLog(refused)).toContain(
      'Applivery error 6002: Body Validation Error (filter.value: "value" length must be less than 100)'
    )
  })

  it('a create whose answer was lost is not made twice', async () => {
    const box = sandbox()
    seedProcessed(box)
    box.faults.add({ method: 'POST', path: /distributions$/, action: { kind: 'apply-then-drop' } })
    const result = ok(await run({ ...connectionInputs(box), operation: 'publish' }))
    expect(box.publications()).toHaveLength(1)
    expect(result.outputs['publication-id']).toBe(box.publications()[0].id)
  })

  it("refuses a slug another app's page holds, and says so", async () => {
    const box = sandbox()
    seedProcessed(box)
    box.seedPublication({ appId: 'app-2', slug: 'shared-page' })
    const result = await run({ ...connectionInputs(box), operation: 'publish', slug: 'shared-page' })
    expect(result.code).toBe(1)
    expect(visibleLog(result)).toContain("Publication slug 'shared-page' is used by the install page of another app")
    expect(box.publications()).toHaveLength(1)
  })
})

describe('pages of other apps', () => {
  it("are never changed or deleted through the Workspace API's shared App Store", async () => {
    const box = sandbox()
    seedProcessed(box)
    box.seedPublication({ appId: 'app-2', slug: 'sandbox-app-one-main', filter: { type: 'last' } })
    for (const operation of ['publish', 'unpublish']) {
      const result = await run({ ...connectionInputs(box, 'workspace'), operation })
      expect(result.code).toBe(1)
      expect(visibleLog(result)).toContain("Publication slug 'sandbox-app-one-main' is used by the install page of another app (app-2)")
    }
    expect(writes(box)).toEqual([])
    expect(box.publications()[0]).toMatchObject({ application: 'app-2', filter: { type: 'last' } })
  })
})

describe('unpublish', () => {
  it('deletes the run’s page, keeps its builds, and succeeds when it is already gone', async () => {
    const box = sandbox()
    const build = seedProcessed(box)
    box.seedPublication({ slug: 'sandbox-app-one-pr-12' })
    box.seedPublication({ slug: 'sandbox-app-one-main' })
    const inputs = { ...connectionInputs(box), operation: 'unpublish' }
    ok(await run(inputs, { event: PR_EVENT }))
    expect(box.publications().map((p) => p.slug)).toEqual(['sandbox-app-one-main'])
    expect(box.builds().map((b) => b.id)).toEqual([build])
    const again = ok(await run(inputs, { event: PR_EVENT }))
    expect(visibleLog(again)).toContain('Publication sandbox-app-one-pr-12 does not exist')
  })
})

describe('security and the Workspace store', () => {
  it('sends the password but never shows it, in a dry run either', async () => {
    const box = sandbox()
    seedProcessed(box)
    const password = `pw-${randomBytes(6).toString('hex')}`
    const inputs = { ...connectionInputs(box), operation: 'publish', 'publication-security': 'password', 'publication-password': password }
    const planned = ok(await run({ ...inputs, 'dry-run': 'true' }))
    expect(writes(box)).toEqual([])
    expect(visibleLog(planned)).toContain('Dry run: would POST')
    expect(visibleLog(planned)).not.toContain(password)
    const result = ok(await run(inputs))
    expect(visibleLog(result)).not.toContain(password)
    expect(box.publications()[0]).toMatchObject({ security: 'password', password })
    expect((await fetch(result.outputs['publication-url'])).status).toBe(401)
    expect(await offered(result.outputs['publication-url'], `?password=${password}`)).toMatchObject({ status: 200 })
  })

  it('asks for store-id, listing the stores, when the organization has several, and uses the one given', async () => {
    const box = sandbox()
    box.configure({ stores: 2 })
    seedProcessed(box)
    const inputs = { ...connectionInputs(box, 'workspace'), operation: 'publish' }
    const refused = await run(inputs)
    expect(refused.code).toBe(1)
    expect(visibleLog(refused)).toContain("Input 'store-id': is required: organization org-1 has 2 App Stores (store-1, store-2)")
    ok(await run({ ...inputs, 'store-id': 'store-2' }))
    expect(box.requests.some((r) => r.method === 'POST' && r.path === '/v1/organizations/org-1/stores/store-2/pubApps')).toBe(true)
  })
})
