// The GitHub REST API double (GITHUB_API_URL): issue comments listed, created and updated the way octokit sees
// GitHub answer them, with GitHub's error bodies and Link pagination; and the comparison of two commits.
import { randomBytes } from 'node:crypto'
import type { Readable } from 'node:stream'
import { readAll, type Reply } from '../transport/http.js'
import type { RecordedRequest } from '../types.js'
import { compareCommits, matchCompare } from './compare.js'
import { DOCS, githubError } from './errors.js'
import type { GithubStore } from './store.js'

const CREATE_DOCS = 'https://docs.github.com/rest/issues/comments#create-an-issue-comment'
const UPDATE_DOCS = 'https://docs.github.com/rest/issues/comments#update-an-issue-comment'
const DEFAULT_PER_PAGE = 30
const MAX_PER_PAGE = 100

type GithubRoute =
  { op: 'list' | 'create'; repo: string; number: number } | { op: 'get' | 'update' | 'delete'; repo: string; commentId: number }

/** Like GitHub's: hex groups separated by colons. */
function requestId(): string {
  return [2, 2, 3, 3, 4].map((n) => randomBytes(n).toString('hex').toUpperCase()).join(':')
}

/** Any owner, repo and issue number: state is made on first use. */
function matchGithubRoute(method: string, path: string): GithubRoute | undefined {
  const m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(?:(\d+)\/comments|comments\/(\d+))\/?$/.exec(path)
  if (!m) return undefined
  const repo = `${m[1]}/${m[2]}`
  if (m[3] !== undefined) {
    const op = method === 'GET' ? 'list' : method === 'POST' ? 'create' : undefined
    return op && { op, repo, number: Number(m[3]) }
  }
  const op = ({ GET: 'get', PATCH: 'update', DELETE: 'delete' } as const)[method as 'GET' | 'PATCH' | 'DELETE']
  return op && { op, repo, commentId: Number(m[4]) }
}

/** The answer to a request on the GitHub host, with GitHub's headers. */
export async function githubReply(
  gh: GithubStore,
  rec: RecordedRequest,
  authorization: string | undefined,
  body: Readable
): Promise<Reply> {
  const reply = await answer(gh, rec, authorization, body)
  return { ...reply, headers: { 'content-type': 'application/json; charset=utf-8', 'x-github-request-id': requestId(), ...reply.headers } }
}

async function answer(gh: GithubStore, rec: RecordedRequest, authorization: string | undefined, body: Readable): Promise<Reply> {
  const token = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1]
  const permission = token === undefined ? undefined : gh.permission(token)
  if (!permission) return githubError(401, 'Bad credentials')
  if (rec.method === 'GET' && /^\/user\/?$/.test(rec.path)) {
    // GitHub refuses /user to installation tokens (GITHUB_TOKEN, a GitHub App's).
    if (!gh.isUserToken(token!))
      return githubError(403, 'Resource not accessible by integration', `${DOCS}/users/users#get-the-authenticated-user`)
    return { status: 200, body: gh.author(token!) }
  }
  const compared = matchCompare(rec.method, rec.path)
  if (compared) return compareCommits(gh, compared)
  const route = matchGithubRoute(rec.method, rec.path)
  if (!route) return githubError(404, 'Not Found')
  if (route.op !== 'list' && route.op !== 'get' && permission !== 'write') {
    return githubError(403, 'Resource not accessible by integration', route.op === 'create' ? CREATE_DOCS : UPDATE_DOCS)
  }
  switch (route.op) {
    case 'list':
      return listComments(gh, route.repo, route.number, rec)
    case 'get': {
      const comment = gh.find(route.repo, route.commentId)
      return comment ? { status: 200, body: comment } : githubError(404, 'Not Found')
    }
    case 'create': {
      const text = await commentBody(body, CREATE_DOCS)
      if (typeof text !== 'string') return text
      const comment = gh.add(route.repo, route.number, text, gh.author(token!).login)
      return { status: 201, body: comment, headers: { location: comment.url } }
    }
    case 'delete': {
      const comment = gh.find(route.repo, route.commentId)
      if (!comment) return githubError(404, 'Not Found')
      gh.remove(route.repo, comment.id)
      return { status: 204, body: null }
    }
    case 'update': {
      const text = await commentBody(body, UPDATE_DOCS)
      if (typeof text !== 'string') return text
      const comment = gh.find(route.repo, route.commentId)
      return comment ? { status: 200, body: gh.update(comment, text) } : githubError(404, 'Not Found')
    }
  }
}

/** The `body` of a `{body}` JSON request, or GitHub's answer to a request without one. */
async function commentBody(body: Readable, docs: string): Promise<string | Reply> {
  let json: unknown
  try {
    json = JSON.parse((await readAll(body))?.toString('utf8') ?? '')
  } catch {
    return githubError(400, 'Problems parsing JSON', docs)
  }
  const text = typeof json === 'object' && json !== null ? (json as { body?: unknown }).body : undefined
  if (text === undefined) return githubError(422, 'Invalid request.\n\n"body" wasn\'t supplied.', docs)
  if (typeof text !== 'string')
    return githubError(422, `Invalid request.\n\nFor 'properties/body', ${JSON.stringify(text)} is not a string.`, docs)
  return text
}

function pageNumber(value: string | undefined, fallback: number): number {
  return value !== undefined && /^[1-9]\d*$/.test(value) ? Number(value) : fallback
}

/** Oldest first, `per_page` (default 30, at most 100) a page, with GitHub's Link header when there is more than one. */
function listComments(gh: GithubStore, repo: string, number: number, rec: RecordedRequest): Reply {
  const perPage = Math.min(pageNumber(rec.query.per_page, DEFAULT_PER_PAGE), MAX_PER_PAGE)
  const page = pageNumber(rec.query.page, 1)
  const all = gh.list(repo, number)
  const last = Math.max(1, Math.ceil(all.length / perPage))
  const link = linkHeader(`${gh.baseUrl}${rec.path}`, rec.query, perPage, page, last)
  const items = all.slice((page - 1) * perPage, page * perPage)
  return { status: 200, body: items, headers: link ? { link } : {} }
}

/** GitHub's order: prev, next, last, first; absolute URLs that keep the request's other query parameters. */
function linkHeader(base: string, query: Record<string, string>, perPage: number, page: number, last: number): string | undefined {
  const url = (n: number): string => `<${base}?${new URLSearchParams({ ...query, per_page: String(perPage), page: String(n) })}>`
  const links: string[] = []
  if (page > 1) links.push(`${url(page - 1)}; rel="prev"`)
  if (page < last) links.push(`${url(page + 1)}; rel="next"`, `${url(last)}; rel="last"`)
  if (page > 1) links.push(`${url(1)}; rel="first"`)
  return links.length > 0 ? links.join(', ') : undefined
}
