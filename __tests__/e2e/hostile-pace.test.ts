// The pace and the length of outside answers are bounded: lists that never end stop at a limit with nothing
// changed, and an answer that trickles in a byte at a time ends at the whole-answer limit, not hours later.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { comment, endlessBuilds, ok, startHostileServer, textWorld, type HostileServer } from '../../harness/hostile.js'
import { actionTests, expectOneIntactBuild } from '../../harness/jest.js'
import { makeWorkspace, PR_EVENT, runAction, visibleLog } from '../../harness/runner.js'

let server: HostileServer
beforeAll(async () => {
  server = await startHostileServer(endlessBuilds())
})
afterAll(() => server.close())

const connection = () => ({ token: 'app-token-pace', 'api-url': server.url, 'upload-url': server.url })

describe('lists that never end', () => {
  it('prune stops at the page limit and deletes nothing', async () => {
    // The app has no install pages; its builds never end.
    const builds = endlessBuilds()
    server.handle((req) => (req.path.endsWith('/distributions') ? ok({ items: [] }) : builds(req)))
    server.requests.length = 0
    const run = await runAction({ ...connection(), operation: 'prune', keep: '0' })
    expect(run.code).toBe(1)
    expect(visibleLog(run)).toContain('List builds: the list went on past 200 pages; stopped there, and nothing was changed on the way')
    expect(server.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0)
    expect(server.requests.filter((r) => r.path.endsWith('/builds'))).toHaveLength(200)
  })

  it('list whose filter never matches stops at the page limit', async () => {
    server.handle(endlessBuilds())
    const run = await runAction({ ...connection(), operation: 'list', branch: 'main' })
    expect(run.code).toBe(1)
    expect(visibleLog(run)).toContain('List builds: the list went on past 200 pages')
  })

  it('an endless list of install pages stops at the page limit', async () => {
    const world = textWorld('t')
    server.handle((req) =>
      req.path.endsWith('/distributions') ? ok({ items: [{ id: `p${req.query.page}`, slug: 'other' }] }) : world(req)
    )
    const run = await runAction({ ...connection(), operation: 'unpublish', slug: 'acme-main' })
    expect(run.code).toBe(1)
    expect(visibleLog(run)).toContain('Find publication acme-main: the list went on past 200 pages')
  })

  it('an endless comment list: the comment is left, with a warning, and the step succeeds', async () => {
    const world = textWorld('t')
    server.handle((req) => {
      if (!req.path.endsWith('/comments') || req.method !== 'GET') return world(req)
      const page = Number(req.query.page)
      return { json: Array.from({ length: 100 }, (_, i) => comment(page * 1000 + i, 'a person wrote this', 'octocat')) }
    })
    const run = await runAction(
      { ...connection(), operation: 'get', 'build-id': 'b-1', 'pr-comment': 'true', 'github-token': 'ghs_pace' },
      { event: PR_EVENT, env: { GITHUB_API_URL: server.url } }
    )
    expect(run.code).toBe(0)
    expect(visibleLog(run)).toContain(
      'Could not comment on pull request #12: List the pull request comments: the list went on past 200 pages'
    )
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(0)
  })
})

describe('an answer that trickles in a byte at a time', () => {
  it('each attempt ends at the whole-answer limit, and the step ends after its attempts', async () => {
    server.handle(() => ({ trickle: { text: JSON.stringify({ status: true, data: { id: 'b-1', status: 'processed' } }), everyMs: 100 } }))
    server.requests.length = 0
    const timings = { APPLIVERY_TEST_TIMINGS: JSON.stringify({ readMs: 1000, retryBaseMs: 10, retryMaxMs: 10 }) }
    const run = await runAction({ ...connection(), operation: 'get', 'build-id': 'b-1' }, { env: timings })
    expect(run.code).toBe(1)
    expect(visibleLog(run)).toContain('Get build b-1 failed after 5 attempts: GET')
    expect(visibleLog(run)).toContain('no complete answer within 1s')
    expect(server.requests).toHaveLength(5)
    // Five attempts of a second each, not the minutes a trickle would take: room for a loaded machine's start-up.
    expect(run.elapsedMs).toBeGreaterThanOrEqual(5 * 1000)
    expect(run.elapsedMs).toBeLessThan(20_000)
  })
})

describe('an upload answer that trickles', () => {
  const { sandbox, inputs } = actionTests()

  it('ends at the answer limit; the build it made is found, not uploaded again', async () => {
    const ipa = randomBytes(64 * 1024)
    sandbox().faults.add({ method: 'POST', action: { kind: 'trickle', everyMs: 200 } })
    const timings = { APPLIVERY_TEST_TIMINGS: JSON.stringify({ responseMs: 1000, verifyForMs: 1000, verifyGapsMs: [200] }) }
    const run = await runAction(inputs({ file: 'app.ipa' }), { workspace: makeWorkspace({ 'app.ipa': ipa }), env: timings })
    expectOneIntactBuild(sandbox(), run, ipa)
    expect(visibleLog(run)).toContain('no complete answer 1s after the last byte')
    expect(sandbox().requests.filter((r) => r.method === 'POST')).toHaveLength(1)
  })
})
