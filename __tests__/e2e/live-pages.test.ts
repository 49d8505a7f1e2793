// Nothing is deleted that a live install page serves: delete refuses a pinned build (force: true deletes it, with a
// warning), and prune keeps pinned builds and the newest build each page's filter serves; the pages are read once.
import { describe, expect, it } from '@jest/globals'
import { actionTests } from '../../harness/jest.js'
import { connectionInputs, offered } from '../../harness/helpers.js'
import { runAction, visibleLog } from '../../harness/runner.js'

const { sandbox, ok } = actionTests()
const deletes = () => sandbox().requests.filter((r) => r.method === 'DELETE')
/** The ids of the builds still in the sandbox, sorted. */
const remainingIds = () =>
  sandbox()
    .builds()
    .map((b) => b.id)
    .sort()
const pageLists = () => sandbox().requests.filter((r) => r.method === 'GET' && /\/(distributions|pubApps)\/?$/.test(r.path))

describe('delete', () => {
  it.each(['integrations', 'workspace'] as const)(
    'refuses a build an install page pins, naming the page (%s API); force deletes it with a warning',
    async (api) => {
      const box = sandbox()
      const pinned = box.seedBuild({ status: 'processed', os: 'ios' })
      box.seedPublication({ slug: 'acme-qa', filter: { type: 'builds', ios: pinned.id } })
      const inputs = { ...connectionInputs(box, api), operation: 'delete', 'build-id': pinned.id }
      const refused = await runAction(inputs)
      expect(refused.code).toBe(1)
      expect(visibleLog(refused)).toContain(`Build ${pinned.id} is pinned by the install page acme-qa (${box.installUrl('acme-qa')})`)
      expect(visibleLog(refused)).toContain('set force: true to delete it anyway')
      expect(deletes()).toHaveLength(0)
      expect(box.builds()).toHaveLength(1)

      const forced = ok(await runAction({ ...inputs, force: 'true' }))
      expect(visibleLog(forced)).toContain(`::warning::Deleting build ${pinned.id}, pinned by the install page acme-qa (force)`)
      expect(box.builds()).toHaveLength(0)
    }
  )

  it('deletes a build no page pins, reading the pages once', async () => {
    const box = sandbox()
    const [kept, gone] = [box.seedBuild({ status: 'processed' }), box.seedBuild({ status: 'processed' })]
    box.seedPublication({ slug: 'acme-qa', filter: { type: 'builds', builds: [{ buildPlatform: 'android', id: kept.id }] } })
    ok(await runAction({ ...connectionInputs(box), operation: 'delete', 'build-id': gone.id }))
    expect(box.builds().map((b) => b.id)).toEqual([kept.id])
    expect(pageLists()).toHaveLength(1)
  })
})

describe('prune', () => {
  it('keeps pinned builds and the newest build a branch page serves; counts and lists them; the pages still serve', async () => {
    const box = sandbox()
    const onBranch = (branch: string) => ({ status: 'processed' as const, deployer: { name: 'CI', info: { branch } } })
    const pinned = box.seedBuild({ ...onBranch('main'), createdAt: '2026-01-01T00:00:00Z' })
    const featureOld = box.seedBuild({ ...onBranch('feature/x'), createdAt: '2026-01-02T00:00:00Z' })
    const featureNew = box.seedBuild({ ...onBranch('feature/x'), createdAt: '2026-01-03T00:00:00Z' })
    const other = box.seedBuild({ ...onBranch('main'), createdAt: '2026-01-04T00:00:00Z' })
    box.seedPublication({ slug: 'acme-pinned', filter: { type: 'builds', android: pinned.id } })
    box.seedPublication({ slug: 'acme-feature-x', filter: { type: 'gitBranch', value: 'feature/x' } })

    const dry = ok(await runAction({ ...connectionInputs(box), operation: 'prune', keep: '0', 'dry-run': 'true' }))
    expect(dry.outputs['kept-for-pages']).toBe('2')
    expect(JSON.parse(dry.outputs['build-ids']).sort()).toEqual([featureOld.id, other.id].sort())
    expect(deletes()).toHaveLength(0)

    const run = ok(await runAction({ ...connectionInputs(box), operation: 'prune', keep: '0' }))
    expect(run.outputs['kept-for-pages']).toBe('2')
    expect(remainingIds()).toEqual([pinned.id, featureNew.id].sort())
    expect(visibleLog(run)).toContain(`Kept build ${featureNew.id}`)
    expect(visibleLog(run)).toContain('the install page acme-feature-x serves it')
    expect(run.summary).toContain('Kept because install pages serve them: 2')
    expect(await offered(box.installUrl('acme-feature-x'))).toMatchObject({ buildId: featureNew.id })
    expect(await offered(box.installUrl('acme-pinned'))).toMatchObject({ buildId: pinned.id })
    // One walk of the pages, however many builds it deleted.
    expect(pageLists().filter((r) => r.query.page === '1')).toHaveLength(2)
  })

  it('keeps the newest build of each OS that a last page serves', async () => {
    const box = sandbox()
    const ios = [box.seedBuild({ status: 'processed', os: 'ios' }), box.seedBuild({ status: 'processed', os: 'ios' })]
    const android = [box.seedBuild({ status: 'processed', os: 'android' })]
    box.seedPublication({ slug: 'acme-latest', filter: { type: 'last' } })
    const run = ok(await runAction({ ...connectionInputs(box), operation: 'prune', keep: '0' }))
    expect(run.outputs['kept-for-pages']).toBe('2')
    expect(remainingIds()).toEqual([ios[1].id, android[0].id].sort())
  })

  it("ignores another app's pages", async () => {
    const box = sandbox()
    const build = box.seedBuild({ status: 'processed' })
    box.seedPublication({ appId: 'app-2', slug: 'other-app', filter: { type: 'builds', android: build.id } })
    const run = ok(await runAction({ ...connectionInputs(box, 'workspace'), operation: 'prune', keep: '0' }))
    expect(run.outputs['kept-for-pages']).toBe('0')
    expect(box.builds()).toHaveLength(0)
  })
})
