// changelog: auto end to end: real git checkouts in the workspace, the newest build of the branch in the sandbox,
// GitHub's compare API on the sandbox's GitHub; and what happens when none of them can say.
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { actionTests } from '../../harness/jest.js'
import {
  makeWorkspace,
  PR_EVENT,
  PUSH_EVENT,
  runAction,
  TAG_EVENT,
  visibleLog,
  type GitHubEvent,
  type RunOptions
} from '../../harness/runner.js'

const { sandbox, inputs, ok } = actionTests({ processingDelayMs: 0 })
const RUN_URL = 'https://github.com/acme/mobile-app/actions/runs/9876543210'

/** git in `dir`, whatever the machine's own configuration says about identity and signing. */
function git(dir: string, ...args: string[]): string {
  const identity = [
    '-c',
    'user.name=Octo Releaser',
    '-c',
    'user.email=octo@example.com',
    '-c',
    'commit.gpgsign=false',
    '-c',
    'tag.gpgsign=false'
  ]
  return execFileSync('git', [...identity, ...args], { cwd: dir, encoding: 'utf8' }).trim()
}

/** A repository in `dir` with one commit per message, oldest first, on main; their ids, oldest first. */
function commitAll(dir: string, messages: string[]): string[] {
  git(dir, 'init', '-q')
  git(dir, 'checkout', '-q', '-b', 'main')
  return messages.map((message) => {
    git(dir, 'commit', '-q', '--allow-empty', '-m', message)
    return git(dir, 'rev-parse', 'HEAD')
  })
}

/** `count` commits made at once (git fast-import), subjects `Change <n>` padded to `width`; their ids, oldest first. */
function importCommits(dir: string, count: number, width: number): string[] {
  git(dir, 'init', '-q')
  const stream = Array.from({ length: count }, (_, i) => {
    const message = `Change ${i}`.padEnd(width, '.')
    return `commit refs/heads/main\ncommitter Octo <octo@example.com> ${1_700_000_000 + i} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n`
  }).join('')
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: stream })
  git(dir, 'checkout', '-q', 'main')
  return git(dir, 'rev-list', '--reverse', 'main').split('\n')
}

/** A checkout of `origin` with only its newest commit and no tags, as actions/checkout makes by default, and a build file. */
function shallowClone(origin: string): string {
  const checkout = join(makeWorkspace(), 'checkout')
  git(origin, 'clone', '-q', '--depth', '1', '--no-tags', `file://${origin.replace(/\\/g, '/')}`, checkout)
  writeFileSync(join(checkout, 'app.apk'), 'apk')
  return checkout
}

/** A push of `head` to main, its message in the event as GitHub sends it. */
function pushOf(head: string, message: string, base: GitHubEvent = PUSH_EVENT): GitHubEvent {
  return { ...base, sha: head, payload: { ...base.payload, head_commit: { message } } }
}

/** A build of main at `commit` uploaded by another run. */
function seedBuildOf(commit: string, info: Record<string, string> = {}) {
  const buildUrl = 'https://github.com/acme/mobile-app/actions/runs/1234'
  return sandbox().seedBuild({ deployer: { name: 'GitHub Actions', info: { branch: 'main', commit, buildUrl, ...info } } })
}

async function upload(options: RunOptions, extra: Record<string, string> = {}) {
  const run = await runAction(inputs({ file: 'app.apk', changelog: 'auto', ...extra }), {
    ...options,
    env: { GITHUB_API_URL: sandbox().githubUrl, ...options.env }
  })
  const sent = sandbox().requests.find((r) => r.method === 'POST')?.fields.changelog
  return { run, sent }
}

describe('changelog: auto on a push', () => {
  it('sends the subjects of the commits since the newest build of the branch, newest first, read from the checkout', async () => {
    const workspace = makeWorkspace({ 'app.apk': 'apk' })
    const [, c1, c2, c3] = commitAll(workspace, ['Start', 'Add the login screen', 'Fix the **login** crash ñ 🚀', 'Bump version to 2.4.0'])
    const base = seedBuildOf(c1)
    seedBuildOf(c2, { branch: 'feature/other' })
    sandbox().seedBuild({ status: 'error', deployer: { info: { branch: 'main', commit: c2 } } })
    // Uploaded by an earlier attempt of this very run: not what testers had before.
    seedBuildOf(c2, { buildUrl: `${RUN_URL}/attempts/1` })
    const { run, sent } = await upload({ workspace, event: pushOf(c3, 'Bump version to 2.4.0'), env: { GITHUB_RUN_ATTEMPT: '2' } })
    ok(run)
    expect(sent).toBe('- Bump version to 2.4.0\n- Fix the **login** crash ñ 🚀')
    expect(sandbox().builds()[0].changelog).toBe(sent)
    expect(visibleLog(run)).toContain(`changelog: auto: the 2 commits since build ${base.id} of branch main (${c1.slice(0, 7)})`)
    expect(visibleLog(run)).not.toContain('::notice::changelog')
    expect(run.summary).toContain('- Fix the **login** crash ñ 🚀')
    expect(sandbox().githubRequests).toEqual([])
  })

  it("asks GitHub's compare API when the checkout is shallow, with a token that may only read", async () => {
    const origin = makeWorkspace()
    const messages = ['Start', 'Add the login screen', 'Fix the login crash\n\nIt crashed on a slow network.', 'Bump version']
    const shas = commitAll(origin, messages)
    const workspace = shallowClone(origin)
    sandbox().seedCommits(messages.map((message, i) => ({ sha: shas[i], message })))
    seedBuildOf(shas[1])
    const { run, sent } = await upload(
      { workspace, event: pushOf(shas[3], 'Bump version') },
      { 'github-token': sandbox().githubTokens.readOnly }
    )
    ok(run)
    expect(sent).toBe('- Bump version\n- Fix the login crash')
    expect(sandbox().githubRequests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', `/repos/acme/mobile-app/compare/${shas[1]}...${shas[3]}`, 200]
    ])
    expect(visibleLog(run)).toContain(
      `changelog: auto: the checkout does not have commit ${shas[1].slice(0, 12)} (a shallow clone: actions/checkout with fetch-depth: 0 fetches the history); the commits come from GitHub's compare API`
    )
    expect(visibleLog(run)).not.toContain(sandbox().githubTokens.readOnly)
  })

  it("sends the head commit's message, with a notice saying why, when neither the checkout nor GitHub has the commits", async () => {
    const origin = makeWorkspace()
    const shas = commitAll(origin, ['Start', 'Add the login screen', 'Fix the login crash'])
    const workspace = shallowClone(origin)
    const base = seedBuildOf(shas[0])
    const event = pushOf(shas[2], 'Fix the login crash\n\nOn slow networks.')
    const asked = await upload({ workspace, event }, { 'github-token': sandbox().githubTokens.write })
    ok(asked.run)
    expect(asked.sent).toBe('Fix the login crash\n\nOn slow networks.')
    const since = `the commits since build ${base.id} of branch main (${shas[0].slice(0, 7)}) are not known`
    expect(visibleLog(asked.run)).toContain(
      `::notice::changelog: auto: ${since}: the checkout does not have commit ${shas[0].slice(0, 12)} (a shallow clone: ` +
        "actions/checkout with fetch-depth: 0 fetches the history), and GitHub's compare API answered 404 (Not Found): a commit " +
        "GitHub does not have, or no access to the repository with github-token (permissions: contents: read); sending the head commit's message instead"
    )
    expect(sandbox().githubRequests.map((r) => r.status)).toEqual([404])

    sandbox().reset()
    seedBuildOf(shas[0])
    const unasked = await upload({ workspace, event })
    ok(unasked.run)
    expect(unasked.sent).toBe('Fix the login crash\n\nOn slow networks.')
    expect(visibleLog(unasked.run)).toContain(
      "and GitHub's compare API was not asked: there is no github-token; sending the head commit's message instead"
    )
    expect(sandbox().githubRequests).toEqual([])
  })

  it("sends the head commit's message, with a notice, when the branch has no earlier build in Applivery", async () => {
    const workspace = makeWorkspace({ 'app.apk': 'apk' })
    const shas = commitAll(workspace, ['Start', 'First release'])
    seedBuildOf(shas[0], { branch: 'develop' })
    const { run, sent } = await upload({ workspace, event: pushOf(shas[1], 'First release') })
    ok(run)
    expect(sent).toBe('First release')
    expect(visibleLog(run)).toContain(
      "::notice::changelog: auto: there is no earlier build of branch main among the newest 1,000 builds in Applivery; sending the head commit's message instead"
    )
  })
})

describe('changelog: auto on a tag', () => {
  it('sends the commits since the previous tag in the checkout, or else since the newest build of another tag', async () => {
    const origin = makeWorkspace({ 'app.apk': 'apk' })
    const shas = commitAll(origin, ['Release 1.0', 'Add dark mode', 'Release 1.1'])
    git(origin, 'tag', 'v1.0.0', shas[0])
    git(origin, 'tag', '-a', '-m', 'Version 1.1', 'v1.1.0', shas[2])
    const event = pushOf(shas[2], 'Release 1.1', { ...TAG_EVENT, ref: 'refs/tags/v1.1.0' })
    const local = await upload({ workspace: origin, event })
    ok(local.run)
    expect(local.sent).toBe('- Release 1.1\n- Add dark mode')
    expect(visibleLog(local.run)).toContain(`the 2 commits since tag v1.0.0 (${shas[0].slice(0, 7)})`)

    sandbox().reset()
    const workspace = shallowClone(origin)
    sandbox().seedCommits(['Release 1.0', 'Add dark mode', 'Release 1.1'].map((message, i) => ({ sha: shas[i], message })))
    const previous = seedBuildOf(shas[0], { branch: '', tag: 'v1.0.0' })
    seedBuildOf(shas[1], { tag: 'v1.1.0' })
    const remote = await upload({ workspace, event }, { 'github-token': sandbox().githubTokens.write })
    ok(remote.run)
    expect(remote.sent).toBe('- Release 1.1\n- Add dark mode')
    expect(visibleLog(remote.run)).toContain(`the 2 commits since build ${previous.id} of tag v1.0.0 (${shas[0].slice(0, 7)})`)
  })
})

describe('the length of the notes', () => {
  it('cuts a long history at a whole line under 4,000 characters, newest first, counting the rest; Applivery takes them', async () => {
    const workspace = makeWorkspace({ 'app.apk': 'apk' })
    const shas = importCommits(workspace, 1500, 60)
    seedBuildOf(shas[0])
    const { run, sent = '' } = await upload({ workspace, event: pushOf(shas[1499], 'Change 1499') })
    ok(run)
    const lines = sent.split('\n')
    expect(sent.length).toBeLessThanOrEqual(4000)
    expect(sent.length).toBeGreaterThan(3900)
    expect(lines[0]).toBe(`- ${'Change 1499'.padEnd(60, '.')}`)
    expect(lines.slice(0, -1).every((line, i) => line === `- ${`Change ${1499 - i}`.padEnd(60, '.')}`)).toBe(true)
    expect(lines[lines.length - 1]).toBe(`… and ${1499 - (lines.length - 1)} more commits`)
    expect(sandbox().builds()[0].changelog).toBe(sent)
  })

  it('cuts what GitHub lists the same way, counting the commits it did not list', async () => {
    const workspace = makeWorkspace({ 'app.apk': 'apk' })
    const line = sandbox().seedCommits(Array.from({ length: 600 }, (_, i) => ({ message: `Change ${i}: ${'x'.repeat(30)}` })))
    seedBuildOf(line[0].sha)
    const { run, sent = '' } = await upload(
      { workspace, event: pushOf(line[599].sha, 'Change 599') },
      { 'github-token': sandbox().githubTokens.write }
    )
    ok(run)
    const lines = sent.split('\n')
    expect(sent.length).toBeLessThanOrEqual(4000)
    expect(lines[0]).toBe(`- Change 599: ${'x'.repeat(30)}`)
    expect(lines[lines.length - 1]).toBe(`… and ${599 - (lines.length - 1)} more commits`)
    expect(visibleLog(run)).toContain('the workspace is not a git checkout')
  })

  it("cuts a pull request's long body at a line, saying so", async () => {
    const body = Array.from({ length: 200 }, (_, i) => `- Step ${i}: ${'tap the button and wait '.repeat(2).trim()}`).join('\r\n')
    const event: GitHubEvent = {
      ...PR_EVENT,
      payload: { ...PR_EVENT.payload, pull_request: { ...(PR_EVENT.payload.pull_request as object), title: 'Faster login', body } }
    }
    // Past what the sandbox takes, as Applivery would refuse it: sent whole, the upload would fail.
    expect(body.length).toBeGreaterThan(10_000)
    const { run, sent = '' } = await upload({ workspace: makeWorkspace({ 'app.apk': 'apk' }), event })
    ok(run)
    expect(sent.length).toBeLessThanOrEqual(4000)
    expect(sent.startsWith('Faster login\n\n- Step 0: tap the button')).toBe(true)
    const [kept, note] = sent.split('\n\n… ')
    expect(note).toBe('(cut at 4,000 characters; the pull request has the rest)')
    expect(body.replace(/\r\n/g, '\n').startsWith(kept.slice('Faster login\n\n'.length))).toBe(true)
    expect(body.replace(/\r\n/g, '\n').split('\n')).toContain(kept.split('\n').pop())
  })

  it('is refused by the sandbox past 10,000 characters, as Applivery refuses a field too long', async () => {
    const run = await runAction(inputs({ file: 'app.apk', changelog: 'x'.repeat(10_001) }), {
      workspace: makeWorkspace({ 'app.apk': 'apk' })
    })
    expect(run.code).not.toBe(0)
    expect(visibleLog(run)).toContain('"changelog" length must be less than or equal to 10000 characters long')
    expect(sandbox().builds()).toEqual([])
  })
})

describe('changelog: auto on update', () => {
  it('sends the commits since the build before the one updated', async () => {
    const workspace = makeWorkspace()
    const shas = commitAll(workspace, ['Start', 'Add the login screen', 'Fix the login crash'])
    seedBuildOf(shas[0])
    const updated = seedBuildOf(shas[1], { buildUrl: 'https://github.com/acme/mobile-app/actions/runs/1' })
    const run = ok(
      await runAction(inputs({ operation: 'update', 'build-id': updated.id, changelog: 'auto' }), {
        workspace,
        event: pushOf(shas[2], 'Fix the login crash')
      })
    )
    expect(sandbox().requests.find((r) => r.method === 'PUT')?.json).toEqual({ changelog: '- Fix the login crash\n- Add the login screen' })
    expect(run.outputs['build-id']).toBe(updated.id)
  })
})
