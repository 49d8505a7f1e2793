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
