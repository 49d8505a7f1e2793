// prune, run as the runner runs the built action: keep, older-than, filters, builds being processed, dry runs.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runAction, type ActionRun } from '../../harness/runner.js'
import { actionTests } from '../../harness/jest.js'
import type { Sandbox } from '../../sandbox/index.js'

const { sandbox: current, inputs, ok } = actionTests({ maxPageSize: 5 })
let sandbox: Sandbox
beforeEach(() => {
  sandbox = current()
})

const writes = () => sandbox.requests.filter((r) => r.method !== 'GET')
const ids = (run: ActionRun): string[] => JSON.parse(run.outputs['build-ids'])
const DAY = 86_400_000

/** Builds d days old for each d, newest first in the returned array's order of age. */
function seedAges(days: number[], extra: Record<string, unknown> = {}): string[] {
  return days.map(
    (d) => sandbox.seedBuild({ status: 'processed', createdAt: new Date(Date.now() - d * DAY), versionName: `${d}d`, ...extra }).id
  )
}

describe('prune', () => {
  it('keeps the newest builds and deletes the rest, across several pages', async () => {
    const seeded = seedAges([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    const run = ok(await runAction(inputs({ operation: 'prune', keep: '3' })))
    expect(ids(run).sort()).toEqual(seeded.slice(3).sort())
    expect(run.outputs.count).toBe('9')
    expect(sandbox.builds().map((b) => b.id)).toEqual(seeded.slice(0, 3))
    // The app's install pages are read once, first (there are none).
    expect(sandbox.requests.filter((r) => r.method === 'GET').map((r) => `${r.path.split('/').at(-1)} ${r.query.page}`)).toEqual([
      'distributions 1',
      'builds 1',
      'builds 2',
      'builds 3',
      'builds 4'
    ])
  })

  it('deletes only the builds of a branch, as a closed pull request leaves them, and list finds them the same way', async () => {
    const pr = seedAges([1, 2, 3, 4, 5, 6, 7], { deployer: { info: { branch: 'feature/login' } } })
    const main = seedAges([1, 2], { deployer: { info: { branch: 'main' } } })
    const listed = ok(await runAction(inputs({ operation: 'list', branch: 'feature/login' })))
    expect(ids(listed).sort()).toEqual([...pr].sort())
    const run = ok(await runAction(inputs({ operation: 'prune', branch: 'feature/login', keep: '0' })))
    expect(ids(run).sort()).toEqual([...pr].sort())
    expect(
      sandbox
        .builds()
        .map((b) => b.id)
        .sort()
    ).toEqual([...main].sort())
  })

  it('deletes only builds older than older-than', async () => {
    const seeded = seedAges([1, 5, 20, 40, 60])
    const run = ok(await runAction(inputs({ operation: 'prune', 'older-than': '30d' })))
    expect(ids(run).sort()).toEqual(seeded.slice(3).sort())
    expect(sandbox.builds()).toHaveLength(3)
  })

  it('with both, deletes what is beyond keep and older than older-than', async () => {
    const seeded = seedAges([1, 2, 10, 20, 40, 60])
    const run = ok(await runAction(inputs({ operation: 'prune', keep: '5', 'older-than': '2w' })))
    expect(ids(run)).toEqual([seeded[5]])
  })

  it('keep: 0 with filters deletes every match, tags matched on the build', async () => {
    const qa = seedAges([1, 2, 3], { tags: ['pr-7', 'qa'], os: 'android' })
    seedAges([4], { tags: ['pr-7'], os: 'android' })
    seedAges([5], { tags: ['pr-7', 'qa'], os: 'ios' })
    sandbox.seedBuild({ status: 'error', tags: ['pr-7', 'qa'], os: 'android', createdAt: new Date(Date.now() - 6 * DAY) })
    const run = ok(await runAction(inputs({ operation: 'prune', keep: '0', tags: 'pr-7, qa', os: 'android', status: 'processed' })))
    expect(ids(run).sort()).toEqual(qa.sort())
    expect(sandbox.requests.find((r) => r.path.endsWith('/builds'))?.query).toMatchObject({ os: 'android', status: 'processed' })
    expect(sandbox.builds()).toHaveLength(3)
  })

  it('leaves builds that are still being processed alone, and does not count them', async () => {
    const pending = sandbox.seedBuild({ status: 'pending', createdAt: new Date() }).id
    const running = sandbox.seedBuild({ status: 'in_progress', createdAt: new Date(Date.now() - 1000) }).id
    const finished = seedAges([1, 2])
    const failed = sandbox.seedBuild({ status: 'error', createdAt: new Date(Date.now() - 3 * DAY) }).id
    const run = ok(await runAction(inputs({ operation: 'prune', keep: '1' })))
    expect(ids(run).sort()).toEqual([finished[1], failed].sort())
    expect(
      sandbox
        .builds()
        .map((b) => b.id)
        .sort()
    ).toEqual([pending, running, finished[0]].sort())
  })

  it('deletes several at a time and counts a build already gone as deleted', async () => {
    const seeded = seedAges([1, 2, 3, 4, 5, 6, 7, 8])
    sandbox.faults.add({
      method: 'DELETE',
      path: new RegExp(seeded[7]),
      action: { kind: 'status', status: 404, body: '{"status":false,"error":{"code":3001,"message":"Entity not found"}}' }
    })
    const run = ok(await runAction(inputs({ operation: 'prune', keep: '0' })))
    expect(run.outputs.count).toBe('8')
    expect(sandbox.requests.filter((r) => r.method === 'DELETE')).toHaveLength(8)
  })

  it('fails naming why the first 20 deletes failed, and counts the rest', async () => {
    seedAges(Array.from({ length: 25 }, (_, i) => i + 1))
    sandbox.faults.add({
      method: 'DELETE',
      path: /\/builds\//,
      times: 25,
      action: { kind: 'status', status: 403, body: '{"status":false,"error":{"code":4003,"message":"Not allowed here"}}' }
    })
    const run = await runAction(inputs({ operation: 'prune', keep: '0' }))
    expect(run.code).toBe(1)
    const log = run.stdout
    expect(log).toContain('Prune deleted 0 of 25 builds; 25 could not be deleted')
    expect(log.split('Not allowed here').length - 1).toBe(20)
    expect(log).toContain('(and 5 more)')
  })

  it('a dry run names the builds it would delete and deletes none', async () => {
    const seeded = seedAges([1, 2, 3, 4])
    const run = ok(await runAction(inputs({ operation: 'prune', keep: '2', 'dry-run': 'true' })))
    expect(ids(run).sort()).toEqual(seeded.slice(2).sort())
    expect(writes()).toHaveLength(0)
    expect(sandbox.builds()).toHaveLength(4)
    expect(run.stdout).toContain(`Dry run: would DELETE ${sandbox.apiUrl}/v1/integrations/builds/${seeded[2]}`)
    expect(run.summary).toContain('Builds that would be deleted: 2')
  })

  it('needs keep or older-than, and older-than needs a unit', async () => {
    const neither = await runAction(inputs({ operation: 'prune' }))
    expect(neither.stdout).toContain("::error::Input 'keep': or older-than is required for operation 'prune'")
    const unitless = await runAction(inputs({ operation: 'prune', 'older-than': '30' }))
    expect(unitless.stdout).toContain("::error::Input 'older-than': expected a number with a unit")
    const pendingFilter = await runAction(inputs({ operation: 'prune', keep: '1', status: 'pending' }))
    expect(pendingFilter.stdout).toContain("::error::Input 'status': 'pending' is not one of processed, error")
    expect(sandbox.requests).toHaveLength(0)
  })
})
