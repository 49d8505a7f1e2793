// Text from outside the workflow file (Applivery's answers, file names, GitHub) never steers the log, the job
// summary or the comment: every field of every answer carries workflow commands, and the raw stdout is read the
// way the runner reads it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PAYLOAD, startHostileServer, textWorld, workflowCommands, type HostileServer, ok as envelope } from '../../harness/hostile.js'
import { makeWorkspace, PR_EVENT, runAction, type ActionRun } from '../../harness/runner.js'

const TOKEN = 'app-token-hostile-0123456789'
const GITHUB_TOKEN = 'ghs_hostile0123456789abcdef'
let server: HostileServer

beforeAll(async () => {
  server = await startHostileServer(textWorld(PAYLOAD))
})
afterAll(() => server.close())

/** A file name a build tool made from outside text (a branch name); Windows allows neither CR nor LF in one. */
const HOSTILE_NAME = process.platform === 'win32' ? 'app ##[error]PWNV1.apk' : 'app\n::error::PWNED\r::notice::PWNCR ##[error]PWNV1.apk'

function workspace(): string {
  const dir = makeWorkspace({ 'notes.txt': 'notes' })
  mkdirSync(join(dir, 'build'))
  writeFileSync(join(dir, 'build', HOSTILE_NAME), 'apk bytes')
  return dir
}

function run(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  const connection = { token: TOKEN, 'api-url': server.url, 'upload-url': server.url, 'github-token': GITHUB_TOKEN }
  return runAction(
    { ...connection, ...inputs },
    { event: PR_EVENT, workspace: workspace(), env: { GITHUB_API_URL: server.url, RUNNER_DEBUG: '1', ...env } }
  )
}

/** The runner finds no command in the output that outside text made: only the step's own, none of them the payload's. */
function expectNoInjectedCommand(result: ActionRun): void {
  const output = result.stdout + result.stderr
  for (const command of workflowCommands(output)) {
    expect(['add-mask', 'debug', 'warning', 'error', 'notice']).toContain(command.name)
    expect(command.data).not.toMatch(/^PWN/)
    if (command.name === 'add-mask') expect(command.data).not.toContain('PWN')
  }
  expect(output).not.toContain('##[')
}

const RUNS: [string, Record<string, string>][] = [
  ['upload, publish and comment', { file: 'build/*.apk', publish: 'true', 'publication-filter': 'last', 'pr-comment': 'true' }],
  ['upload, dry run', { file: 'build/*.apk', 'dry-run': 'true', publish: 'true', 'publication-filter': 'last', 'pr-comment': 'true' }],
  ['get with its page and comment', { operation: 'get', 'build-id': 'b-1', 'pr-comment': 'true' }],
  ['list', { operation: 'list' }],
  ['update', { operation: 'update', 'build-id': 'b-1', 'version-name': '2.0' }],
  ['delete', { operation: 'delete', 'build-id': 'b-1' }],
  ['attach', { operation: 'attach', 'build-id': 'b-1', file: 'build/*.apk\nnotes.txt' }],
  ['attach, dry run', { operation: 'attach', 'build-id': 'b-1', file: 'build/*.apk', 'dry-run': 'true' }],
  ['prune', { operation: 'prune', keep: '0' }],
  ['publish', { operation: 'publish', 'publication-filter': 'last', 'pr-comment': 'true' }],
  ['unpublish', { operation: 'unpublish' }]
]

describe('workflow commands in outside text', () => {
  it.each(RUNS)('%s: every field and file name carries commands; none reaches the runner', async (_name, inputs) => {
    server.handle(textWorld(PAYLOAD))
    expectNoInjectedCommand(await run(inputs))
  })

  it.each(RUNS.filter(([name]) => ['publish', 'unpublish', 'get with its page and comment'].includes(name)))(
    '%s, the page already there: none reaches the runner',
    async (_name, inputs) => {
      server.handle(textWorld(PAYLOAD, { pageExists: true }))
      expectNoInjectedCommand(await run(inputs))
    }
  )
})

describe("GitHub's headers", () => {
  it("a deprecation notice, whose date and link are the server's text, goes through the log like every line", async () => {
    const world = textWorld(PAYLOAD)
    server.handle(async (req) => {
      const answer = await world(req)
      if (!req.path.includes('/comments') && req.path !== '/user') return answer
      const deprecation = {
        deprecation: 'true',
        sunset: '##[error]PWNSUNSET',
        link: '<https://x.test/##[error]PWNLINK>; rel="deprecation"'
      }
      return { ...answer, headers: { ...answer.headers, ...deprecation } }
    })
    const result = await run({ operation: 'get', 'build-id': 'b-1', 'pr-comment': 'true' })
    expect(result.stdout).toContain('is deprecated')
    expectNoInjectedCommand(result)
  })
})

describe('the comment', () => {
  it("keeps an app name's line breaks, markup and mentions out of its heading", async () => {
    server.handle(textWorld('Acme\n===\n@octocat <b>bold</b>\r\n- item'))
    const result = await run({ operation: 'get', 'build-id': 'b-1', 'pr-comment': 'true' })
    expect(result.code).toBe(0)
    const posted = server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/comments')).at(-1)!
    const body = (JSON.parse(posted.body) as { body: string }).body
    const heading = body.split('\n').find((line) => line.startsWith('### '))!
    expect(heading).toContain('Acme')
    expect(heading).not.toMatch(/@octocat|<b>/)
    expect(body.split('\n').some((line) => /^(===|- item|@octocat)/.test(line))).toBe(false)
  })

  it('stays within GitHub limit however long the fields are', async () => {
    server.handle(textWorld('y'.repeat(200_000)))
    const result = await run({ operation: 'get', 'build-id': 'b-1', 'pr-comment': 'true' })
    expect(result.code).toBe(0)
    const posted = server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/comments')).at(-1)!
    expect((JSON.parse(posted.body) as { body: string }).body.length).toBeLessThan(65_536)
  })
})

describe('secrets in every form', () => {
  const forms = (secret: string): string[] => [
    secret,
    Buffer.from(secret).toString('base64').replace(/=+$/, ''),
    Buffer.from(`Bearer ${secret}`).toString('base64url'),
    Buffer.from(`x-access-token:${secret}`).toString('base64'),
    encodeURIComponent(`${secret}/&=`).slice(0, -9)
  ]

  it('a token the server reflects as written, in base64, base64url or URL-encoded is in neither the log nor the summary', async () => {
    const reflected = [...forms(TOKEN), ...forms(GITHUB_TOKEN)].join(' | ')
    server.handle((req) =>
      req.path === '/user' || req.path.includes('/issues/')
        ? { status: 500, json: { message: `GitHub saw ${reflected}` } }
        : { status: 400, json: { status: false, error: { code: 4004, message: `You sent ${reflected}` } } }
    )
    const result = await run({ operation: 'get', 'build-id': 'b-1' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('You sent')
    const visible = (result.stdout + result.summary)
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n')
    for (const form of [...forms(TOKEN), ...forms(GITHUB_TOKEN)]) expect(visible).not.toContain(form)
    // The runner masks each form too.
    const masked = workflowCommands(result.stdout)
      .filter((c) => c.name === 'add-mask')
      .map((c) => c.data)
    expect(masked).toEqual(expect.arrayContaining([TOKEN, Buffer.from(TOKEN).toString('base64').replace(/=+$/, '').slice(0, -1)]))
  })

  it('quotes at most a few hundred characters of a server error', async () => {
    server.handle(() => ({ status: 500, json: { status: false, error: { code: 9, message: 'z'.repeat(50_000) } } }))
    const result = await run({ operation: 'get', 'build-id': 'b-1' }, { APPLIVERY_TEST_TIMINGS: '{"retryBaseMs":1}' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('(50000 characters)')
    expect(result.stdout).not.toContain('z'.repeat(400))
  })

  it('refuses a github-token with a line break before any request, without echoing it', async () => {
    const before = server.requests.length
    const result = await run({ operation: 'get', 'build-id': 'b-1', 'pr-comment': 'true', 'github-token': 'ghs_x\n::error::PWNED' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain("Input 'github-token': contains white space or a control character")
    const printed = result.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'))
    expect(printed.join('\n')).not.toContain('ghs_x')
    expect(server.requests.length).toBe(before)
  })
})

describe('answers of another shape than documented', () => {
  it('a build nested 10,000 deep fails clearly, naming the answer', async () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`
    server.handle(() => ({ text: `{"status":true,"data":{"id":"b-1","status":"processed","x":${deep}}}` }))
    const result = await run({ operation: 'get', 'build-id': 'b-1' }, { APPLIVERY_TEST_TIMINGS: '{"retryBaseMs":1}' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('The answer was not read: it nests deeper than 64 levels')
    expect(result.stdout).not.toContain('Maximum call stack')
    expect(result.stdout).not.toContain('Could not write the step outputs')
  })

  it('data: null fails naming what was missing, not with a TypeError', async () => {
    server.handle(() => envelope(null))
    const result = await run({ operation: 'get', 'build-id': 'b-1' }, { APPLIVERY_TEST_TIMINGS: '{"retryBaseMs":1}' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('Get build b-1 failed after 5 attempts (HTTP 200). The answer holds no build with an id (data: null)')
    expect(result.stdout).not.toContain('TypeError')
  })

  it('an install link of 100 KB: the page is reported, without a link or QR code, and the step succeeds', async () => {
    const world = textWorld('t')
    server.handle((req) => {
      if (!req.path.includes('/distributions')) return world(req)
      const page = {
        id: 'pub-1',
        slug: 'acme-pr-12',
        application: 'app-1',
        security: 'logged',
        visibility: 'unlisted',
        filter: { type: 'last' }
      }
      const answered = { ...page, distributionUrl: `https://acme.applivery.com/${'u'.repeat(100_000)}` }
      // Created once, then listed: the publish reads back what it wrote.
      const created = server.requests.some((r) => r.method === 'POST')
      if (req.method === 'GET' && req.path.endsWith('/distributions')) return envelope({ items: created ? [answered] : [] })
      return envelope(answered)
    })
    const result = await run({ operation: 'publish', 'publication-filter': 'last', slug: 'acme-pr-12' })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Applivery answered with a distributionUrl of 100027 characters, not used')
    expect(result.outputs['publication-id']).toBe('pub-1')
    expect(result.outputs['publication-url']).toBeUndefined()
  })
})
