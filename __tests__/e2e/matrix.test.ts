// An iOS and an Android job of one matrix, at the same moment, pin their builds to one install page and write
// their sections of one comment. Applivery's PUT replaces the whole page and GitHub has no conditional update: each
// job reads back what it wrote and writes again over another's stale write. Two copies of dist/index.js run at
// once against the sandbox, whose reads are answered in pairs with the state as each arrived (a read-to-write window
// that a loaded machine starting one job late cannot close), 20 rounds: no update may be lost.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ok as envelope, startHostileServer, type HostileServer } from '../../harness/hostile.js'
import { actionTests } from '../../harness/jest.js'
import { connectionInputs } from '../../harness/helpers.js'
import { PR_EVENT, runAction, visibleLog, type GitHubEvent } from '../../harness/runner.js'

const ROUNDS = 20
/** Reads are held until the other job's read comes, this long at most: both jobs read before either writes. */
const READ_DELAY_MS = 1500
const TIMINGS = { APPLIVERY_TEST_TIMINGS: JSON.stringify({ rereadMs: 500, retryBaseMs: 20 }) }

const { sandbox, ok } = actionTests({ readDelayMs: READ_DELAY_MS, readTogether: 2 })

function pullRequest(number: number): GitHubEvent {
  const payload = PR_EVENT.payload as { pull_request: Record<string, unknown> }
  return {
    ...PR_EVENT,
    ref: `refs/pull/${number}/merge`,
    payload: { ...PR_EVENT.payload, number, pull_request: { ...payload.pull_request, number } }
  }
}

describe('an iOS and an Android job at the same moment', () => {
  const job = (round: number, inputs: Record<string, string>) =>
    runAction(
      { ...connectionInputs(sandbox()), 'github-token': sandbox().githubTokens.write, ...inputs },
      { event: pullRequest(round), env: { ...TIMINGS, GITHUB_API_URL: sandbox().githubUrl } }
    )

  it(
    `pinning their builds to one page end with both pins, ${ROUNDS} rounds out of ${ROUNDS}`,
    async () => {
      const box = sandbox()
      const lost: string[] = []
      for (let round = 1; round <= ROUNDS; round++) {
        const [ios, android] = [box.seedBuild({ status: 'processed', os: 'ios' }), box.seedBuild({ status: 'processed', os: 'android' })]
        // The page is there from an earlier push: both jobs read it, then both write it whole.
        box.seedPublication({ slug: `sandbox-app-one-pr-${round}`, filter: { type: 'last' } })
        const pin = (buildId: string) => job(round, { operation: 'publish', 'publication-filter': 'build', 'build-id': buildId })
        ;(await Promise.all([pin(ios.id), pin(android.id)])).forEach((run) => ok(run))
        const pins = box.publications().find((p) => p.slug === `sandbox-app-one-pr-${round}`)?.filter as Record<string, unknown>
        if (pins?.ios !== ios.id || pins?.android !== android.id) lost.push(`round ${round}: ${JSON.stringify(pins)}`)
      }
      expect(lost).toEqual([])
      // The window was real: jobs found their pin written over, and wrote it again.
      expect(box.requests.filter((r) => r.method === 'PUT').length).toBeGreaterThan(2 * ROUNDS)
    },
    10 * 60_000
  )

  it('pinning two builds of one platform to one page: one pin holds, and the other job fails naming it', async () => {
    const box = sandbox()
    const [first, second] = [box.seedBuild({ status: 'processed', os: 'android' }), box.seedBuild({ status: 'processed', os: 'android' })]
    box.seedPublication({ slug: 'sandbox-app-one-pr-99', filter: { type: 'last' } })
    const pin = (buildId: string) => job(99, { operation: 'publish', 'publication-filter': 'build', 'build-id': buildId })
    const runs = await Promise.all([pin(first.id), pin(second.id)])
    const pinned = (box.publications().find((p) => p.slug === 'sandbox-app-one-pr-99')?.filter as Record<string, unknown>).android
    const loser = runs[pinned === first.id ? 1 : 0]
    expect([first.id, second.id]).toContain(pinned)
    expect(runs.map((run) => run.code).sort()).toEqual([0, 1])
    expect(loser.code).toBe(1)
    expect(visibleLog(loser)).toContain(`another job pinned another android build (${String(pinned)}) meanwhile`)
  })

  it(
    `commenting on one pull request end with one comment holding both sections, ${ROUNDS} rounds out of ${ROUNDS}`,
    async () => {
      const box = sandbox()
      const lost: string[] = []
      for (let round = 1; round <= ROUNDS; round++) {
        const [ios, android] = [box.seedBuild({ status: 'processed', os: 'ios' }), box.seedBuild({ status: 'processed', os: 'android' })]
        // The comment is there from an earlier push: both jobs read it, then both write it whole.
        box.seedComment(round, '<!-- applivery-builds-action:app=sandbox-app-one -->\n### Sandbox App One\n')
        const comment = (buildId: string) => job(round, { operation: 'get', 'build-id': buildId, 'pr-comment': 'true' })
        ;(await Promise.all([comment(ios.id), comment(android.id)])).forEach((run) => ok(run))
        const comments = box.comments(round)
        const body = comments[0]?.body ?? ''
        if (comments.length !== 1 || !body.includes(`\`${ios.id}\``) || !body.includes(`\`${android.id}\``)) {
          lost.push(`round ${round}: ${comments.length} comments, ${body.length} characters`)
        }
      }
      expect(lost).toEqual([])
      expect(box.githubRequests.filter((r) => r.method === 'PATCH').length).toBeGreaterThan(2 * ROUNDS)
    },
    10 * 60_000
  )
})

describe('a job that keeps losing the race', () => {
  let server: HostileServer
  beforeAll(async () => {
    // Every read of the page answers it without this job's pin, as if another job wrote over each write.
    const page = {
      id: 'pub-1',
      slug: 'acme-main',
      application: 'app-1',
      security: 'logged',
      visibility: 'unlisted',
      filter: { type: 'last' }
    }
    server = await startHostileServer((req) => {
      if (req.path.endsWith('/distributions')) return envelope({ items: req.method === 'GET' ? [page] : [] })
      if (req.path.includes('/distributions/')) return envelope(page)
      return envelope({ id: 'b-1', status: 'processed', os: 'ios', applicationInfo: { id: 'app-1', slug: 'acme' } })
    })
  })
  afterAll(() => server.close())

  it('stops after 5 writes, saying it lost the race', async () => {
    const run = await runAction(
      {
        token: 'app-token-race',
        'api-url': server.url,
        'upload-url': server.url,
        operation: 'publish',
        slug: 'acme-main',
        'publication-filter': 'build',
        'build-id': 'b-1'
      },
      { env: { APPLIVERY_TEST_TIMINGS: JSON.stringify({ rereadMs: 10 }) } }
    )
    expect(run.code).toBe(1)
    expect(visibleLog(run)).toContain("Install page acme-main: another job's write replaced this job's change after each of 5 writes")
    expect(server.requests.filter((r) => r.method === 'PUT')).toHaveLength(5)
  })
})
