// Tests of the sandbox's GitHub REST API double: issue comments, their pages and its tokens.
import { describe, expect, it } from '@jest/globals'
import type { StoredComment } from '../../sandbox/index.js'
import { call, GH, gh, sb, useSandbox } from './helpers.js'

useSandbox({ processingDelayMs: 0 })

describe('GitHub comments', () => {
  it('creates, lists and updates comments as github-actions[bot], with GitHub headers', async () => {
    const created = await gh<StoredComment>(`${GH}/12/comments`, { method: 'POST', body: { body: 'Hello' } })
    expect(created.status).toBe(201)
    expect(created.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(created.headers.get('x-github-request-id')).toBeTruthy()
    const c = created.json
    expect(c).toMatchObject({ body: 'Hello', user: { login: 'github-actions[bot]', type: 'Bot', id: 41898282 } })
    expect(c.html_url).toBe(`https://github.com/acme/mobile-app/pull/12#issuecomment-${c.id}`)
    expect((await gh(`${GH}/12/comments`, { scheme: 'Bearer' })).json).toEqual([c])
    const patched = await gh<StoredComment>(`${GH}/comments/${c.id}`, { method: 'PATCH', body: { body: 'Bye' } })
    expect([patched.status, patched.json.body, sb.comments(12)[0].body]).toEqual([200, 'Bye', 'Bye'])
    const unknown = await gh(`${GH}/comments/1`, { method: 'PATCH', body: { body: 'x' } })
    expect([unknown.status, unknown.json]).toEqual([
      404,
      { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' }
    ])
    expect(sb.githubRequests.map((r) => [r.host, r.method, r.status])).toEqual([
      ['github', 'POST', 201],
      ['github', 'GET', 200],
      ['github', 'PATCH', 200],
      ['github', 'PATCH', 404]
    ])
    expect(sb.githubRequests[0].json).toEqual({ body: 'Hello' })
    expect(sb.requests).toEqual([])
  })

  it('pages with a Link header that octokit follows', async () => {
    for (let i = 0; i < 35; i++) sb.seedComment(3, `c${i}`, { login: 'octocat' })
    const first = await gh<StoredComment[]>(`${GH}/3/comments`)
    expect(first.json).toHaveLength(30)
    const link = first.headers.get('link') ?? ''
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] ?? ''
    expect(next).toBe(`${sb.githubUrl}${GH}/3/comments?per_page=30&page=2`)
    expect(link).toContain(`<${next}>; rel="last"`)
    const second = await call<StoredComment[]>('', next, { token: sb.githubTokens.write })
    expect(second.json.map((c) => c.body)).toEqual(['c30', 'c31', 'c32', 'c33', 'c34'])
    expect(second.headers.get('link')).not.toContain('rel="next"')
    expect(first.json[0].user).toMatchObject({ login: 'octocat', type: 'User' })
    expect((await gh<unknown[]>(`${GH}/3/comments?per_page=500`)).json).toHaveLength(35)
  })

  it('answers 403 to writes with the read-only token and 401 to a missing or unknown token', async () => {
    const c = sb.seedComment(4, 'old')
    const readOnly = { token: sb.githubTokens.readOnly }
    expect((await gh(`${GH}/4/comments`, readOnly)).status).toBe(200)
    const post = await gh(`${GH}/4/comments`, { ...readOnly, method: 'POST', body: { body: 'x' } })
    expect([post.status, post.json]).toEqual([
      403,
      {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
        status: '403'
      }
    ])
    expect((await gh(`${GH}/comments/${c.id}`, { ...readOnly, method: 'PATCH', body: { body: 'x' } })).status).toBe(403)
    const bad = { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' }
    expect(await gh(`${GH}/4/comments`, { token: '' })).toMatchObject({ status: 401, json: bad })
    expect(await gh(`${GH}/4/comments`, { token: 'ghs_nope' })).toMatchObject({ status: 401, json: bad })
    expect(sb.comments(4).map((x) => x.body)).toEqual(['old'])
  })
})

describe('GitHub compare', () => {
  const COMPARE = '/repos/acme/mobile-app/compare'
  interface Comparison {
    status: string
    ahead_by: number
    behind_by: number
    total_commits: number
    commits: { sha: string; commit: { message: string }; parents: { sha: string }[] }[]
    base_commit: { sha: string }
    merge_base_commit: { sha: string }
    files: unknown[]
  }

  it('lists the commits after base up to head, oldest first, with their parents, to the read-only token too', async () => {
    const line = sb.seedCommits(['One', 'Two\n\nWith a body', 'Three', 'Four'].map((message) => ({ message })))
    expect(line.map((c) => c.parent)).toEqual([undefined, line[0].sha, line[1].sha, line[2].sha])
    const res = await gh<Comparison>(`${COMPARE}/${line[0].sha}...${line[3].sha.slice(0, 7)}`, { token: sb.githubTokens.readOnly })
    expect(res.status).toBe(200)
    const { commits, ...rest } = res.json
    expect(commits.map((c) => [c.sha, c.commit.message, c.parents.map((p) => p.sha)])).toEqual([
      [line[1].sha, 'Two\n\nWith a body', [line[0].sha]],
      [line[2].sha, 'Three', [line[1].sha]],
      [line[3].sha, 'Four', [line[2].sha]]
    ])
    expect(rest).toMatchObject({ status: 'ahead', ahead_by: 3, behind_by: 0, total_commits: 3, files: [] })
    expect([rest.base_commit.sha, rest.merge_base_commit.sha]).toEqual([line[0].sha, line[0].sha])
    const behind = await gh<Comparison>(`${COMPARE}/${line[3].sha}...${line[1].sha}`)
    expect(behind.json).toMatchObject({ status: 'behind', ahead_by: 0, behind_by: 2, total_commits: 0, commits: [] })
    expect((await gh<Comparison>(`${COMPARE}/${line[2].sha}...${line[2].sha}`)).json).toMatchObject({
      status: 'identical',
      total_commits: 0
    })
    expect(sb.githubRequests.map((r) => [r.method, r.status])).toEqual([
      ['GET', 200],
      ['GET', 200],
      ['GET', 200]
    ])
  })

  it('answers the newest 250 commits of a longer range, and the total', async () => {
    const line = sb.seedCommits(Array.from({ length: 301 }, (_, i) => ({ message: `Commit ${i}` })))
    const res = await gh<Comparison>(`${COMPARE}/${line[0].sha}...${line[300].sha}`)
    expect(res.json.total_commits).toBe(300)
    expect(res.json.commits).toHaveLength(250)
    expect([res.json.commits[0].commit.message, res.json.commits[249].commit.message]).toEqual(['Commit 51', 'Commit 300'])
  })

  it("answers 404 with GitHub's body to an unknown commit, repository or ambiguous abbreviation, and 401 without a token", async () => {
    const [first, second] = sb.seedCommits([
      { message: 'a', sha: 'abcdef1'.padEnd(40, '0') },
      { message: 'b', sha: 'abcdef1'.padEnd(40, '1') }
    ])
    const notFound = {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/commits/commits#compare-two-commits',
      status: '404'
    }
    const unknown = await gh(`${COMPARE}/${'9'.repeat(40)}...${second.sha}`)
    expect([unknown.status, unknown.json]).toEqual([404, notFound])
    expect((await gh(`${COMPARE}/abcdef1...${second.sha}`)).status).toBe(404)
    expect((await gh(`/repos/acme/other-app/compare/${first.sha}...${second.sha}`)).status).toBe(404)
    expect((await gh(`${COMPARE}/${first.sha}...${second.sha}`, { token: '' })).status).toBe(401)
    expect(() => sb.seedCommits([{ message: 'again', sha: first.sha }])).toThrow('is already in acme/mobile-app')
    sb.reset()
    expect((await gh(`${COMPARE}/${first.sha}...${second.sha}`)).status).toBe(404)
  })
})
