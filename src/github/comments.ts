// A pull request's comment, found by a hidden marker at its start and by its author, the token's own identity:
// created the first time, edited in place after that. A person's comment is never edited, even one that starts
// with the marker. Octokit is loaded only here, when a comment is posted.
import { WalkBudget, type WalkLimits } from '../transport/walk-budget.js'
import { writeShared } from '../transport/shared-write.js'
import { sectionsOf, stampOf, wrapSection } from './comment-sections.js'
import { octokitFor, type GitHubAccess, type Octokit } from './fetch.js'

export interface PullRequest {
  owner: string
  repo: string
  number: number
}

export interface CommentResult {
  action: 'created' | 'updated'
  url?: string
}

/** One job's section of the comment, and how the whole comment reads around the sections. */
export interface CommentSection {
  key: string
  content: string
  /** When the content was made (the build's time): of two jobs' contents for one key, the newer stays. */
  stamp: string
  /** The whole body for these sections (each with its markers). */
  render(sections: Map<string, string>): string
}

/** Where comments go; a test may pass a plain object instead. */
export interface PullRequestComments {
  /** Writes the section into the action's comment (created the first time), keeping the other jobs' sections. */
  upsert(pullRequest: PullRequest, marker: string, section: CommentSection): Promise<CommentResult>
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

export interface GitHubCommentsOptions extends GitHubAccess {
  /** Applied to every body before it is sent: a comment is public. */
  redact?: (text: string) => string
  /** How long after a write the comment is read back (shared-write.ts). */
  rereadMs: number
  /** Receives a line when another job wrote over this one's section. */
  log?: (line: string) => void
  signal?: AbortSignal
}

/** Writes of one comment at most, when other jobs keep writing over this one's section. */
const MAX_WRITES = 5

export class GitHubComments implements PullRequestComments {
  constructor(private readonly options: GitHubCommentsOptions) {}

  async upsert(pullRequest: PullRequest, marker: string, section: CommentSection): Promise<CommentResult> {
    const octokit = await octokitFor(this.options)
    const redact = this.options.redact ?? ((text: string) => text)
    const own = redact(wrapSection(section.key, section.content, section.stamp))
    const bodyFrom = (current: string | undefined): string => {
      const sections = current === undefined ? new Map<string, string>() : sectionsOf(current)
      return capped(redact(section.render(sections.set(section.key, own))))
    }
    const { owner, repo } = pullRequest
    const marked = await markedComments(octokit, pullRequest, marker)
    let mine = marked.length > 0 ? mineFirst(marked.filter(byAuthor(await authorOf(octokit))))[0] : undefined
    let created: IssueComment | undefined
    if (!mine) {
      const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner,
        repo,
        issue_number: pullRequest.number,
        body: bodyFrom(undefined)
      })
      created = data as IssueComment
      // Two jobs may both have found none and both created one: the older stays, the newer goes, and its section
      // is written into the older one.
      const login = created.user?.login
      const author: Author = login ? { login } : await authorOf(octokit)
      const first = (await markedComments(octokit, pullRequest, marker)).filter(byAuthor(author)).sort((a, b) => a.id - b.id)[0]
      if (first && first.id !== created.id) {
        await octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: created.id })
        created = undefined
        mine = first
      } else {
        mine = created
      }
    }
    const id = mine.id
    const read = async (): Promise<IssueComment | undefined> => {
      try {
        return (await octokit.request('GET /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: id }))
          .data as IssueComment
      } catch (err) {
        if ((err as { status?: unknown }).status === 404) return undefined
        throw err
      }
    }
    const result = await writeShared<IssueComment>(
      {
        what: `The comment on pull request #${pullRequest.number}`,
        read,
        // Its own section, or a newer one for the same key (another job's later build of the same platform).
        holds: (comment) => {
          const theirs = sectionsOf(comment.body ?? '').get(section.key)
          return theirs === own || (theirs !== undefined && stampOf(theirs) > section.stamp)
        },
        transient: (err) => {
          const status = (err as { status?: unknown }).status
          return typeof status !== 'number' || status >= 500 || status === 429
        },
        write: async (current) => {
          if (current === undefined) throw new Error(`comment ${id} was deleted meanwhile`)
          const { data } = await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
            owner,
            repo,
            comment_id: id,
            body: bodyFrom(current.body)
          })
          return data as IssueComment
        },
        rereadMs: this.options.rereadMs,
        maxWrites: MAX_WRITES,
        log: (line) => this.options.log?.(line),
        signal: this.options.signal
      },
      created ?? (await read()),
      { alreadyWritten: created !== undefined }
    )
    return { action: created ? 'created' : 'updated', url: result.value?.html_url ?? mine.html_url }
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

/** As a bot, the comments of GITHUB_TOKEN's own bot come before another GitHub App's. */
function mineFirst(comments: IssueComment[]): IssueComment[] {
  const actions = (comment: IssueComment): number => (comment.user?.login === 'github-actions[bot]' ? 0 : 1)
  return [...comments].sort((a, b) => actions(a) - actions(b))
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
