// Memory against hostile answers: lists that never end, lists of huge entries, comment lists without end, a body
// without end and JSON made of nothing but arrays. Each run ends within its bounds, and its peak RSS is gated.
import { comment, endlessBuilds, ok, startHostileServer, type Handler } from '../harness/hostile.js'
import { PR_EVENT } from '../harness/runner.js'
import type { Check, Section } from './api.js'
import type { ActionTimer } from './measure.js'

/** The bound: memory stays under this whatever the server sends. */
const MAX_HOSTILE_RSS_MIB = 160

/** Builds of about 100 KB each, pages of up to 100 without end: kept, they reach the walk's character budget. */
function fatBuilds(): Handler {
  const blob = 'f'.repeat(100_000)
  return (req) => {
    const page = Number(req.query.page ?? 1)
    const size = Math.min(Number(req.query.limit ?? 100), 100)
    const items = Array.from({ length: size }, (_, i) => ({ id: `b${page}x${i}`, status: 'processed', versionName: '1', notes: blob }))
    return ok({ items })
  }
}

/** Every comment list page full, of comments of 35,000 characters: 3.5 MB a page, without end. */
function endlessComments(): Handler {
  const body = 'c'.repeat(35_000)
  return (req) => {
    if (req.path.endsWith('/comments') && req.method === 'GET') {
      const page = Number(req.query.page)
      return { json: Array.from({ length: 100 }, (_, i) => comment(page * 1000 + i, body, 'octocat')) }
    }
    if (req.path === '/user') return { status: 403, json: {} }
    if (req.path.includes('/builds/')) return ok({ id: 'b-1', status: 'processed' })
    return ok({ items: [] })
  }
}

/** An app without install pages (prune reads them first), whose build lists are `builds`. */
function withoutPages(builds: Handler): Handler {
  return (req) => (req.path.endsWith('/distributions') ? ok({ items: [] }) : builds(req))
}

interface Scenario {
  name: string
  handler: Handler
  inputs: Record<string, string>
  /** What the log must say: the bound that ended the run. */
  ends: string
  pullRequest?: boolean
}

const SCENARIOS: Scenario[] = [
  {
    name: '`prune`, a build list that never ends',
    handler: withoutPages(endlessBuilds()),
    inputs: { operation: 'prune', keep: '0' },
    ends: 'List builds: the list went on past 200 pages'
  },
  {
    name: '`prune`, builds of 100 KB each, without end',
    handler: withoutPages(fatBuilds()),
    inputs: { operation: 'prune', keep: '0' },
    ends: 'List builds: the list holds more than 24 MiB of entries'
  },
  {
    name: '`get` with `pr-comment`, 3.5 MB comment pages without end',
    handler: endlessComments(),
    inputs: { operation: 'get', 'build-id': 'b-1', 'pr-comment': 'true', 'github-token': 'ghs_bench' },
    ends: 'List the pull request comments: the list ran past 16 MiB of answers',
    pullRequest: true
  },
  {
    name: '`list` whose branch matches nothing, 3.5 MB pages without end',
    handler: (req) => {
      const page = Number(req.query.page ?? 1)
      const blob = 'n'.repeat(35_000)
      return ok({ items: Array.from({ length: 100 }, (_, i) => ({ id: `b${page}x${i}`, status: 'processed', notes: blob })) })
    },
    inputs: { operation: 'list', branch: 'main' },
    ends: 'List builds: the list ran past 32 MiB of answers'
  },
  {
    name: '`get`, an answer that never ends (10 GB and more)',
    handler: () => ({ endless: '{"status":true,"data":"'.padEnd(64 * 1024, 'x') }),
    inputs: { operation: 'get', 'build-id': 'b-1' },
    ends: 'answer larger than 4 MiB'
  },
  {
    name: '`get`, 3.9 MB of nothing but arrays',
    handler: () => ({ text: `{"status":true,"data":[${'[],'.repeat(1_300_000)}[]]}` }),
    inputs: { operation: 'get', 'build-id': 'b-1' },
    ends: 'more than 200,000 objects and arrays'
  }
]

export async function hostileSection(timer: ActionTimer): Promise<Section> {
  const server = await startHostileServer(endlessBuilds())
  const table = [['server', 'ended by', 'wall s', 'peak RSS MiB']]
  const checks: Check[] = []
  try {
    for (const scenario of SCENARIOS) {
      server.handle(scenario.handler)
      const env = { GITHUB_API_URL: server.url, APPLIVERY_TEST_TIMINGS: JSON.stringify({ retryBaseMs: 10, retryMaxMs: 10 }) }
      const inputs = { token: 'app-token-bench', 'api-url': server.url, 'upload-url': server.url, ...scenario.inputs }
      const usage = await timer.run(inputs, env, { failing: true, ...(scenario.pullRequest ? { event: PR_EVENT } : {}) })
      const log = usage.run.stdout + usage.run.stderr
      const ended = log.includes(scenario.ends)
      console.log(`hostile: ${scenario.name}: ${usage.rssMiB.toFixed(0)} MiB, ${usage.wallS.toFixed(1)} s, ended by its bound: ${ended}`)
      table.push([scenario.name, ended ? scenario.ends : '**not by its bound**', usage.wallS.toFixed(1), usage.rssMiB.toFixed(0)])
      checks.push({
        target: `peak RSS, ${scenario.name}`,
        measured: `${usage.rssMiB.toFixed(0)} MiB${ended ? '' : ' (not ended by its bound)'}`,
        limit: `≤ ${MAX_HOSTILE_RSS_MIB} MiB, ended by its bound`,
        pass: ended && usage.rssMiB <= MAX_HOSTILE_RSS_MIB
      })
    }
  } finally {
    await server.close()
  }
  return {
    title: 'Hostile answers',
    table,
    checks,
    notes: [
      'A small server in the bench process answers as a hostile or broken Applivery and GitHub would (`harness/hostile.ts`); ' +
        'each run must end by the bound named, and stay under the memory bound. Retries are shortened (`APPLIVERY_TEST_TIMINGS`).',
      'The time limits on a slow answer (a byte every 10 s) are shown by `__tests__/slow/timeouts.slow.ts` at their real values.'
    ]
  }
}
