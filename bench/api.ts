// The cheap API-side targets: start-up of a `get`, how a wait polls, and how a long list pages. These move
// no bulk data, so the sandbox runs in the bench process: its requests and builds are then directly visible.
import { statSync } from 'node:fs'
import { startSandbox, type RecordedRequest, type Sandbox } from '../sandbox/index.js'
import { DIST } from '../harness/runner.js'
import { nextPollMs } from '../src/operations/wait.js'
import { DEFAULT_TIMINGS } from '../src/transport/timings.js'
import { median, spread, type ActionTimer } from './measure.js'
import { connectionInputs } from '../harness/helpers.js'

export interface Check {
  target: string
  measured: string
  limit: string
  pass: boolean
}

export interface Section {
  title: string
  table: string[][]
  checks: Check[]
  notes?: string[]
}

/** Applivery's largest page, as the sandbox models it (its default maxPageSize). */
export const API_MAX_PAGE = 100
const LIST_LIMIT = 1000
/** When the seeded build finishes, counted from seeding: between the 1 s and 3 s polls, so one change is seen. */
const FINISH_AFTER_MS = 2500
/** Testers sooner: during the first 15 minutes a processed build is seen within 10 s, in at most 120 requests. */
const EARLY_MS = 15 * 60_000
const MAX_DETECTION_LAG_MS = 10_000
const MAX_EARLY_REQUESTS = 120
/** After that the wait backs off: an hour's wait stays cheap. */
const LONG_WAIT_MS = 60 * 60_000
const SCHEDULE_TOLERANCE_MS = 300
/** A `get` starts in at most twice the time of a bare Node: the toolkit's GitHub client is not loaded at start. */
const MAX_STARTUP_RATIO = 2

/** Offsets (ms after the first look) of the polls the action's schedule makes until `untilMs` has passed. */
export function pollOffsets(untilMs: number): number[] {
  const offsets: number[] = []
  let at = 0
  for (let interval = DEFAULT_TIMINGS.pollFirstMs; at < untilMs; interval = nextPollMs(interval, at, DEFAULT_TIMINGS)) {
    at += interval
    offsets.push(at)
  }
  return offsets
}

/** The longest a processed build goes unseen, and the requests made, in the first `untilMs` of a wait. */
export function pollFigures(untilMs: number): { lagMs: number; requests: number } {
  const offsets = [0, ...pollOffsets(untilMs).filter((at) => at <= untilMs)]
  const gaps = offsets.slice(1).map((at, i) => at - offsets[i])
  return { lagMs: Math.max(...gaps), requests: offsets.length }
}

/** `judgeTiming`: false in quick mode, where the start-up ratio is reported but not gated. */
export async function apiSections(timer: ActionTimer, rounds: number, judgeTiming: boolean): Promise<Section[]> {
  const sandbox = await startSandbox({ maxPageSize: API_MAX_PAGE })
  try {
    return [await startup(timer, sandbox, rounds, judgeTiming), await waiting(timer, sandbox), await listing(timer, sandbox)]
  } finally {
    await sandbox.close()
  }
}

async function startup(timer: ActionTimer, sandbox: Sandbox, rounds: number, judgeTiming: boolean): Promise<Section> {
  const build = sandbox.seedBuild({ status: 'processed' })
  const bare: number[] = []
  const get: number[] = []
  const getRss: number[] = []
  await timer.bareNode() // warms the page cache for node itself, so the first round is not an outlier
  for (let round = 0; round < rounds; round++) {
    bare.push((await timer.bareNode()).wallS * 1000)
    const usage = await timer.run({ ...connectionInputs(sandbox), operation: 'get', 'build-id': build.id })
    get.push(usage.wallS * 1000)
    getRss.push(usage.rssMiB)
  }
  const ratio = median(get) / median(bare)
  const bundle = statSync(DIST).size
  console.log(
    `start-up: node -e 0 ${median(bare).toFixed(0)} ms, get ${median(get).toFixed(0)} ms (${ratio.toFixed(2)}x), bundle ${bundle} bytes`
  )
  return {
    title: 'Start-up',
    table: [
      ['run', 'wall ms, median (min–max)', 'peak RSS MiB'],
      ['`node -e 0` (Node 24)', spread(bare, 0), ''],
      ['action `get` of an existing build', spread(get, 0), spread(getRss, 0)]
    ],
    checks: [
      {
        target: '`get` start-up vs `node -e 0`',
        measured: `${ratio.toFixed(2)}x`,
        limit: judgeTiming ? `≤ ${MAX_STARTUP_RATIO}x` : `≤ ${MAX_STARTUP_RATIO}x (reported; judged by the full run)`,
        pass: !judgeTiming || ratio <= MAX_STARTUP_RATIO
      },
      { target: 'bundle size (dist/index.js)', measured: `${bundle.toLocaleString('en')} bytes`, limit: 'reported', pass: true }
    ]
  }
}

async function waiting(timer: ActionTimer, sandbox: Sandbox): Promise<Section> {
  sandbox.reset()
  const build = sandbox.seedBuild({ status: 'pending', processingDelayMs: FINISH_AFTER_MS })
  const seededAt = Date.now()
  // Arrival times of the sandbox's requests, sampled every few ms (the record itself has no clock).
  const arrivals: number[] = []
  const watch = setInterval(() => {
    while (arrivals.length < sandbox.requests.length) arrivals.push(Date.now() - seededAt)
  }, 2)
  const usage = await timer.run({ ...connectionInputs(sandbox), operation: 'get', 'build-id': build.id, wait: 'true' })
  clearInterval(watch)
  while (arrivals.length < sandbox.requests.length) arrivals.push(Date.now() - seededAt)

  const statusOf = (rec: RecordedRequest): unknown => (rec.response as { data?: { status?: string } } | undefined)?.data?.status
  const gets = sandbox.requests.filter((rec) => rec.method === 'GET')
  const noticed = gets.findIndex((rec) => statusOf(rec) === 'processed')
  if (gets.length !== sandbox.requests.length || noticed < 0) throw new Error('the wait made unexpected requests')
  const first = arrivals[0]
  const measured = arrivals.map((at) => at - first).slice(1)
  const expected = pollOffsets(FINISH_AFTER_MS - first)
  const drift = Math.max(...measured.map((at, i) => Math.abs(at - (expected[i] ?? Infinity))))
  const lag = arrivals[noticed] - FINISH_AFTER_MS
  const interval = noticed > 0 ? arrivals[noticed] - arrivals[noticed - 1] : 0
  const early = pollFigures(EARLY_MS)
  const longWait = 1 + pollOffsets(LONG_WAIT_MS).length
  console.log(`waiting: ${gets.length} GETs at ${arrivals.join(', ')} ms; finished at ${FINISH_AFTER_MS} ms, noticed ${lag} ms later`)
  return {
    title: 'Waiting',
    table: [
      ['measure', 'value'],
      ['build finishes (ms after seeding)', String(FINISH_AFTER_MS)],
      ['GET requests (ms after seeding)', arrivals.join(', ')],
      ['polls the schedule predicts (ms after the first GET)', expected.join(', ')],
      ['largest drift from the schedule', `${drift} ms`],
      ['noticed after the change', `${lag} ms (poll interval then: ${interval} ms)`],
      ['wall time of the `get` with `wait: true`', `${usage.wallS.toFixed(2)} s`],
      [`computed: longest a processed build goes unseen in the first ${EARLY_MS / 60_000} minutes`, `${early.lagMs / 1000} s`],
      [`computed: requests in the first ${EARLY_MS / 60_000} minutes (\`get\`; an upload's wait needs one less)`, String(early.requests)],
      [`computed: requests for a ${LONG_WAIT_MS / 60_000}-minute wait`, String(longWait)]
    ],
    checks: [
      {
        target: 'polls follow the backoff schedule (count and timing)',
        measured: `${measured.length} polls, drift ${drift} ms`,
        limit: `${expected.length} polls, ≤ ${SCHEDULE_TOLERANCE_MS} ms`,
        pass: measured.length === expected.length && drift <= SCHEDULE_TOLERANCE_MS
      },
      {
        target: 'finished build noticed within one poll interval',
        measured: `${lag} ms`,
        limit: `≤ ${interval} ms`,
        pass: lag >= 0 && lag <= interval
      },
      {
        target: `a processed build is seen within ${MAX_DETECTION_LAG_MS / 1000} s during the first ${EARLY_MS / 60_000} minutes (computed from the schedule)`,
        measured: `${early.lagMs / 1000} s`,
        limit: `≤ ${MAX_DETECTION_LAG_MS / 1000} s`,
        pass: early.lagMs <= MAX_DETECTION_LAG_MS
      },
      {
        target: `requests in the first ${EARLY_MS / 60_000} minutes of a wait (computed from the schedule)`,
        measured: String(early.requests),
        limit: `≤ ${MAX_EARLY_REQUESTS}`,
        pass: early.requests <= MAX_EARLY_REQUESTS
      }
    ]
  }
}

async function listing(timer: ActionTimer, sandbox: Sandbox): Promise<Section> {
  sandbox.reset()
  for (let i = 0; i < LIST_LIMIT + API_MAX_PAGE / 2; i++) sandbox.seedBuild({ status: 'processed' })
  const usage = await timer.run({ ...connectionInputs(sandbox), operation: 'list', limit: String(LIST_LIMIT) })
  const pages = sandbox.requests.filter((rec) => rec.method === 'GET' && /\/builds$/.test(rec.path))
  const limits = [...new Set(pages.map((rec) => rec.query.limit))]
  const expectedPages = Math.ceil(LIST_LIMIT / API_MAX_PAGE)
  const count = Number(usage.run.outputs.count)
  console.log(`list: ${pages.length} requests, limit=${limits.join('/')}, ${count} builds, ${usage.wallS.toFixed(2)} s`)
  return {
    title: 'Lists',
    table: [
      ['measure', 'value'],
      [
        `\`list\` with \`limit: ${LIST_LIMIT}\`, ${sandbox.builds().length} builds, API page cap ${API_MAX_PAGE}`,
        `${count} builds returned`
      ],
      ['list requests', String(pages.length)],
      ['their `limit` query', limits.join(', ')],
      ['wall time', `${usage.wallS.toFixed(2)} s`]
    ],
    checks: [
      {
        // Full pages in the fewest requests: each asks for at least the cap (the API serves the cap then).
        target: `\`limit: ${LIST_LIMIT}\` pages at the API's largest page`,
        measured: `${pages.length} requests, limit=${limits.join('/')}`,
        limit: `${expectedPages} requests, limit ≥ ${API_MAX_PAGE}`,
        pass: pages.length === expectedPages && limits.every((l) => Number(l) >= API_MAX_PAGE) && count === LIST_LIMIT
      }
    ]
  }
}
