// pr-comment end to end: the built action comments on the sandbox's GitHub (GITHUB_API_URL), once per app,
// updated on the next push; a read-only token is a warning, and outside pull requests nothing is posted.
import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { actionTests } from '../../harness/jest.js'
import { decodeQrText } from '../../harness/qr.js'
import { DIST, makeWorkspace, PR_EVENT, PUSH_EVENT, runAction, visibleLog, type RunOptions } from '../../harness/runner.js'
import { connectionInputs, offered } from '../../harness/helpers.js'

const { sandbox, ok } = actionTests({ processingDelayMs: 100 })
const FAST = { APPLIVERY_TEST_TIMINGS: JSON.stringify({ pollFirstMs: 50, pollMaxMs: 100, retryBaseMs: 20, rereadMs: 50 }) }

function run(inputs: Record<string, string>, options: RunOptions = {}) {
  return runAction(inputs, { event: PR_EVENT, ...options, env: { ...FAST, GITHUB_API_URL: sandbox().githubUrl, ...options.env } })
}

/** The QR code in a comment, between its text fences. */
function qrIn(body: string): string {
  return /```text\n([\s\S]*?)\n```/.exec(body)?.[1] ?? ''
}

describe('pr-comment', () => {
  it('comments once on the pull request with the build, the link and the QR code, and updates it on the next push', async () => {
    const box = sandbox()
    const workspace = makeWorkspace({ 'app.apk': randomBytes(32 * 1024) })
    const inputs = {
      ...connectionInputs(box),
      file: 'app.apk',
      'version-name': '1.4.0',
      wait: 'true',
      publish: 'true',
      'pr-comment': 'true',
      'github-token': box.githubTokens.write
    }
    box.seedComment(12, 'Looks good to me')
    const first = ok(await run(inputs, { workspace }))
    let comments = box.comments(12)
    expect(comments).toHaveLength(2)
    const comment = comments[1]
    expect(comment.user.login).toBe('github-actions[bot]')
    expect(comment.body).toContain('<!-- applivery-builds-action:app=sandbox-app-one -->')
    expect(comment.body).toContain(`| \`${first.outputs['build-id']}\` | \`1.4.0\` | \`processed\` | \`aaaaaaa\` |`)
    expect(comment.body).toContain(`**[Install](${first.outputs['publication-url']})**`)
    expect(decodeQrText(qrIn(comment.body), 'light')).toBe(first.outputs['publication-url'])
    expect(visibleLog(first)).not.toContain(box.githubTokens.write)

    const second = ok(await run({ ...inputs, 'version-name': '1.4.1' }, { workspace }))
    comments = box.comments(12)
    expect(comments).toHaveLength(2)
    expect(comments[1].id).toBe(comment.id)
    expect(comments[1].body).toContain(`| \`${second.outputs['build-id']}\` | \`1.4.1\` |`)
    expect(box.githubRequests.filter((r) => r.method === 'PATCH')).toHaveLength(1)
    expect(await offered(second.outputs['publication-url'])).toMatchObject({ buildId: second.outputs['build-id'] })
  })

  it('leaves a person quoting the comment alone, and two jobs commenting at once end with one comment', async () => {
    const box = sandbox()
    box.seedBuild({ status: 'processed' })
    box.seedComment(12, '> <!-- applivery-builds-action:app=sandbox-app-one -->\n> Why is this build slow?', { login: 'octocat' })
    const inputs = { operation: 'publish', 'publication-filter': 'last', 'pr-comment': 'true', 'github-token': box.githubTokens.write }
    // Both jobs have listed the comments before either posts.
    box.faults.add({ host: 'github', method: 'POST', times: 2, action: { kind: 'delay', ms: 1000 } })
    const [a, b] = await Promise.all([run({ ...connectionInputs(box), ...inputs }), run({ ...connectionInputs(box), ...inputs })])
    ok(a)
    ok(b)
    const comments = box.comments(12)
    expect(comments.map((c) => c.user.login)).toEqual(['octocat', 'github-actions[bot]'])
    expect(comments[0].body).toContain('Why is this build slow?')
    expect(box.githubRequests.filter((r) => r.method === 'POST')).toHaveLength(2)
    expect(box.githubRequests.filter((r) => r.method === 'DELETE')).toHaveLength(1)
  })

  it("never edits a person's comment, even one that starts with the marker: the action's own is created", async () => {
    const box = sandbox()
    box.seedBuild({ status: 'processed' })
    const copied = '<!-- applivery-builds-action:app=sandbox-app-one -->\nCopied from the bot, with my notes'
    box.seedComment(12, copied, { login: 'octocat' })
    const inputs = { operation: 'publish', 'publication-filter': 'last', 'pr-comment': 'true', 'github-token': box.githubTokens.write }
    ok(await run({ ...connectionInputs(box), ...inputs }))
    ok(await run({ ...connectionInputs(box), ...inputs }))
    const comments = box.comments(12)
    expect(comments.map((c) => c.user.login)).toEqual(['octocat', 'github-actions[bot]'])
    expect(comments[0].body).toBe(copied)
    // The second run asked GitHub who the token is (an installation token may not: a bot), then edited its own.
    expect(box.githubRequests.filter((r) => r.path === '/user').map((r) => r.status)).toEqual([403, 403])
    expect(box.githubRequests.filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual([
      `/repos/acme/mobile-app/issues/comments/${comments[1].id}`
    ])
  })

  it("with a personal access token, edits only that user's comment, not a bot's", async () => {
    const box = sandbox()
    box.seedBuild({ status: 'processed' })
    const marker = '<!-- applivery-builds-action:app=sandbox-app-one -->'
    box.seedComment(12, `${marker}\nfrom GITHUB_TOKEN`)
    box.seedComment(12, `${marker}\nfrom the release user`, { login: 'octo-releaser' })
    const inputs = { operation: 'publish', 'publication-filter': 'last', 'pr-comment': 'true', 'github-token': box.githubTokens.user }
    ok(await run({ ...connectionInputs(box), ...inputs }))
    const [bot, user] = box.comments(12)
    expect(bot.body).toBe(`${marker}\nfrom GITHUB_TOKEN`)
    expect(user.user.login).toBe('octo-releaser')
    expect(user.body).toContain('ready to install')
    expect(box.comments(12)).toHaveLength(2)
  })

  it('keeps one comment per app', async () => {
    const box = sandbox()
    box.seedBuild({ status: 'processed' })
    box.seedBuild({ appId: 'app-2', status: 'processed' })
    const inputs = { operation: 'publish', 'publication-filter': 'last', 'pr-comment': 'true', 'github-token': box.githubTokens.write }
    ok(await run({ ...connectionInputs(box), ...inputs }))
    ok(await run({ ...connectionInputs(box), token: box.tokens.otherApp, ...inputs }))
    ok(await run({ ...connectionInputs(box), ...inputs }))
    expect(box.comments(12).map((c) => /app=([\w-]+)/.exec(c.body)?.[1])).toEqual(['sandbox-app-one', 'sandbox-app-two'])
  })

  it("rides out GitHub's passing failures: a 502, and a rate limit that says when to come back", async () => {
    const box = sandbox()
    box.seedBuild({ status: 'processed' })
    box.faults.add({ host: 'github', method: 'GET', action: { kind: 'html', status: 502 } })
    const limited = JSON.stringify({ message: 'You have exceeded a secondary rate limit' })
    box.faults.add({
      host: 'github',
      method: 'POST',
      action: { kind: 'status', status: 403, body: limited, headers: { 'retry-after': '1' } }
    })
    const result = ok(
      await run({ ...connectionInputs(box), operation: 'publish', 'pr-comment': 'true', 'github-token': box.githubTokens.write })
    )
    expect(box.comments(12)).toHaveLength(1)
    // The list, the create, the list again (another job may have created one too), the comment read back.
    expect(box.githubRequests.map((r) => `${r.method} ${r.status}`)).toEqual([
      'GET 502',
      'GET 200',
      'POST 403',
      'POST 201',
      'GET 200',
      'GET 200'
    ])
    expect(visibleLog(result)).not.toContain('Could not comment')
  })

  it("warns and succeeds with a fork's read-only token", async () => {
    const box = sandbox()
    box.seedBuild({ status: 'processed' })
    const result = ok(
      await run({ ...connectionInputs(box), operation: 'publish', 'pr-comment': 'true', 'github-token': box.githubTokens.readOnly })
    )
    expect(box.comments(12)).toHaveLength(0)
    expect(visibleLog(result)).toMatch(
      /::warning::Could not comment on pull request #12: GitHub answered 403 \(Resource not accessible by integration/
    )
    expect(result.outputs['publication-url']).toBeTruthy()
  })

  it('get shows the build and its page', async () => {
    const box = sandbox()
    const build = box.seedBuild({ status: 'processed', versionName: '9.9' }).id
    box.seedPublication({ slug: 'sandbox-app-one-pr-12' })
    const result = ok(
      await run({
        ...connectionInputs(box),
        operation: 'get',
        'build-id': build,
        'pr-comment': 'true',
        'github-token': box.githubTokens.write
      })
    )
    expect(result.outputs['publication-url']).toBe(box.publications()[0].distributionUrl)
    expect(box.comments(12)[0].body).toContain(`| \`${build}\` | \`9.9\` | \`processed\` |`)
  })

  it('outside pull requests only says there is nothing to comment on', async () => {
    const box = sandbox()
    box.seedBuild({ status: 'processed' })
    const result = ok(
      await run(
        { ...connectionInputs(box), operation: 'publish', 'pr-comment': 'true', 'github-token': box.githubTokens.write },
        { event: PUSH_EVENT }
      )
    )
    expect(visibleLog(result)).toContain('pr-comment: this run is not for a pull request')
    expect(box.githubRequests).toHaveLength(0)
  })
})

describe('what is loaded', () => {
  it('octokit and the glob library only when a step needs them: the chunks can be missing otherwise', async () => {
    const box = sandbox()
    box.seedBuild({ status: 'processed' })
    const dist = join(DIST, '..')
    const copy = mkdtempSync(join(tmpdir(), 'dist-without-chunks-'))
    const left: string[] = []
    for (const name of readdirSync(dist)) {
      const text = readFileSync(join(dist, name), 'utf8')
      if (/^\d+\.index\.js$/.test(name) && (text.includes('octokit') || text.includes('picomatch'))) left.push(name)
      else copyFileSync(join(dist, name), join(copy, name))
    }
    expect(left).toHaveLength(2)
    const entry = join(copy, 'index.js')
    const workspace = makeWorkspace({ 'app.apk': randomBytes(1024) })
    const uploaded = ok(await run({ ...connectionInputs(box), file: 'app.apk', wait: 'true', publish: 'true' }, { entry, workspace }))
    expect(uploaded.outputs['qr-code']).toBeTruthy()
    const commented = ok(
      await run({ ...connectionInputs(box), operation: 'publish', 'pr-comment': 'true', 'github-token': box.githubTokens.write }, { entry })
    )
    expect(visibleLog(commented)).toMatch(/::warning::Could not comment on pull request #12: Cannot find module/)
    expect(box.githubRequests).toHaveLength(0)
  })
})
