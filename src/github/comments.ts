// A pull request's comment, found by a hidden marker at its start and by its author, the token's own identity:
// created the first time, edited in place after that. A person's comment is never edited, even one that starts
// with the marker. Octokit is loaded only here, when a comment is posted.
import { WalkBudget, type WalkLimits } from '../transport/walk-budget.js'
import { transportFetch, type GitHubFetchOptions } from './fetch.js'

export interface PullRequest {
  owner: string
  repo: string
  number: number
}

export interface CommentResult {
  action: 'created' | 'updated'
  url?: string
}

/** Where comments go; a test may pass a plain object instead. */
export interface PullRequestComments {
  upsert(pullRequest: PullRequest, marker: string, body: string): Promise<CommentResult>
}

interface IssueComment {
  id: number
  body?: string
  html_url?: string
  user?: { login?: string; type?: string } | null
}

/** Who the token comments as: a user (a personal access token), or a bot (GITHUB_TOKEN, a GitHub App's token). */
type Author = { login: string } | 'bot'

/** GitHub's default: 30 comments at their longest (65,536 characters) are still well within an answer's size limit. */
const PAGE_SIZE = 30
/** A pull request's comments are walked within these bounds: 6,000 comments, 16 MiB of their text. */
export const COMMENT_WALK: Readonly<WalkLimits> = { pages: 200, bytes: 16 * 1024 * 1024, entries: 5_000, chars: 1024 * 1024 }
/** GitHub refuses a comment body over 65,536 characters. */
export const MAX_COMMENT_CHARS = 60_000

type Octokit = InstanceType<typeof import('@octokit/core').Octokit>

export interface GitHubCommentsOptions {
  token: string
  apiUrl: string
  transport: GitHubFetchOptions
  /** Applied to every body before it is sent: a comment is public. */
  redact?: (text: string) => string
}

export class GitHubComments implements PullRequestComments {
  constructor(private readonly options: GitHubCommentsOptions) {}

  async upsert(pullRequest: PullRequest, marker: string, text: string): Promise<CommentResult> {
    const { Octokit } = await import('@octokit/core')
    const octokit = new Octokit({
      auth: this.options.token,
      baseUrl: this.options.apiUrl.replace(/\/+$/, ''),
      userAgent: 'applivery-builds-action',
      request: { fetch: transportFetch(this.options.transport) }
    })
    const body = capped(this.options.redact ? this.options.redact(text) : text)
    const { owner, repo } = pullRequest
    const marked = await markedComments(octokit, pullRequest, marker)
    const mine = marked.length > 0 ? marked.filter(byAuthor(await authorOf(octokit)))[0] : undefined
    if (mine) {
      const { data } = await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
        owner,
        repo,
        comment_id: mine.id,
        body
      })
      return { action: 'updated', url: (data as IssueComment).html_url }
    }
    const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner,
      repo,
      issue_number: pullRequest.number,
      body
    })
    const created = data as IssueComment
    // Two jobs of one run may both have found none and both created one: the older stays, the newer goes.
    const login = created.user?.login
    const author: Author = login ? { login } : await authorOf(octokit)
    const first = (await markedComments(octokit, pullRequest, marker)).filter(byAuthor(author)).sort((a, b) => a.id - b.id)[0]
    if (first && first.id !== created.id) {
      await octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: created.id })
      await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: first.id, body })
      return { action: 'updated', url: first.html_url }
    }
    return { action: 'created', url: created.html_url }
  }
}

/** A body GitHub takes: one past its limit is cut, with a line that says so. */
function capped(body: string): string {
  if (body.length <= MAX_COMMENT_CHARS) return body
  return `${body.slice(0, MAX_COMMENT_CHARS)}\n\n… (cut at ${MAX_COMMENT_CHARS.toLocaleString('en')} characters)`
}

/** The token's identity. An installation token (GITHUB_TOKEN, a GitHub App's) may not read /user: it comments as a bot. */
async function authorOf(octokit: Octokit): Promise<Author> {
  try {
    const { data } = await octokit.request('GET /user')
    const login = (data as { login?: unknown }).login
    if (typeof login === 'string' && login !== '') return { login }
  } catch (err) {
    if ((err as { status?: unknown }).status !== 403) throw err
  }
  return 'bot'
}

function byAuthor(author: Author): (comment: IssueComment) => boolean {
  return author === 'bot' ? (comment) => comment.user?.type === 'Bot' : (comment) => comment.user?.login === author.login
}

/** The comments that start with the marker (a person quoting it would not), oldest first; the walk is bounded. */
async function markedComments(octokit: Octokit, { owner, repo, number }: PullRequest, marker: string): Promise<IssueComment[]> {
  const marked: IssueComment[] = []
  const budget = new WalkBudget('List the pull request comments', COMMENT_WALK)
  for (let page = 1; ; page++) {
    budget.page()
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner,
      repo,
      issue_number: number,
      per_page: PAGE_SIZE,
      page
    })
    const comments = Array.isArray(data) ? (data as IssueComment[]) : []
    // Only what is needed of each: a page's bodies are let go before the next page is read.
    for (const comment of comments) {
      if (typeof comment?.body !== 'string') continue
      budget.read(comment.body.length)
      if (typeof comment.id === 'number' && comment.body.startsWith(marker)) {
        const kept = {
          id: comment.id,
          html_url: String(comment.html_url ?? ''),
          user: { login: comment.user?.login, type: comment.user?.type }
        }
        budget.keep(kept)
        marked.push(kept)
      }
    }
    if (comments.length < PAGE_SIZE) return marked
  }
}
