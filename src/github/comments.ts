// A pull request's comment, found by a hidden marker: created the first time, edited in place after that.
// Octokit is loaded only here, when a comment is posted.
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
  user?: { type?: string } | null
}

const PAGE_SIZE = 100

/** Ours: it starts with the marker (a person quoting it would not), and a bot's is preferred. */
function ours(comments: IssueComment[], marker: string): IssueComment[] {
  const marked = comments.filter((comment) => comment.body?.startsWith(marker))
  return [...marked.filter((comment) => comment.user?.type === 'Bot'), ...marked.filter((comment) => comment.user?.type !== 'Bot')]
}

type Octokit = InstanceType<typeof import('@octokit/core').Octokit>

export class GitHubComments implements PullRequestComments {
  constructor(private readonly options: { token: string; apiUrl: string; transport: GitHubFetchOptions }) {}

  async upsert(pullRequest: PullRequest, marker: string, body: string): Promise<CommentResult> {
    const { Octokit } = await import('@octokit/core')
    const octokit = new Octokit({
      auth: this.options.token,
      baseUrl: this.options.apiUrl.replace(/\/+$/, ''),
      userAgent: 'applivery-builds-action',
      request: { fetch: transportFetch(this.options.transport) }
    })
    const { owner, repo } = pullRequest
    const mine = ours(await allComments(octokit, pullRequest), marker)[0]
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
    const first = ours(await allComments(octokit, pullRequest), marker).sort((a, b) => a.id - b.id)[0]
    if (first && first.id !== created.id) {
      await octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: created.id })
      await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: first.id, body })
      return { action: 'updated', url: first.html_url }
    }
    return { action: 'created', url: created.html_url }
  }
}

async function allComments(octokit: Octokit, { owner, repo, number }: PullRequest): Promise<IssueComment[]> {
  const comments: IssueComment[] = []
  for (let page = 1; ; page++) {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner,
      repo,
      issue_number: number,
      per_page: PAGE_SIZE,
      page
    })
    comments.push(...(data as IssueComment[]))
    if ((data as IssueComment[]).length < PAGE_SIZE) return comments
  }
}
