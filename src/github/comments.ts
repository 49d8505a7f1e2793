// A pull request's comment, found by a hidden marker: created the first time, edited in place after that.
// Octokit is loaded only here, when a comment is posted.
import type { ExchangeOptions } from '../applivery/exchange.js'
import { transportFetch } from './fetch.js'

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

export class GitHubComments implements PullRequestComments {
  constructor(private readonly options: { token: string; apiUrl: string; transport: ExchangeOptions }) {}

  async upsert({ owner, repo, number }: PullRequest, marker: string, body: string): Promise<CommentResult> {
    const { Octokit } = await import('@octokit/core')
    const octokit = new Octokit({
      auth: this.options.token,
      baseUrl: this.options.apiUrl.replace(/\/+$/, ''),
      userAgent: 'applivery-builds-action',
      request: { fetch: transportFetch(this.options.transport) }
    })
    let mine: IssueComment | undefined
    for (let page = 1; !mine; page++) {
      const { data } = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner,
        repo,
        issue_number: number,
        per_page: PAGE_SIZE,
        page
      })
      const comments = data as IssueComment[]
      // A bot's comment first: a person quoting the marker does not own the comment.
      const marked = comments.filter((comment) => comment.body?.includes(marker))
      mine = marked.find((comment) => comment.user?.type === 'Bot') ?? marked[0]
      if (comments.length < PAGE_SIZE) break
    }
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
      issue_number: number,
      body
    })
    return { action: 'created', url: (data as IssueComment).html_url }
  }
}
