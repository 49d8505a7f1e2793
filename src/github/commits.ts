// A repository's history through GitHub's compare API, for release notes when the checkout lacks the commits.
// Octokit is loaded only here and in comments.ts, when a step needs GitHub.
import { inline } from '../output/log.js'
import { octokitFor, type GitHubAccess } from './fetch.js'

/** The commits after a base up to a head: the subjects of the newest, and how many there are in all. */
export interface CommitRange {
  /** Subjects, as git's %s gives them (a message's first paragraph on one line), newest first; maybe fewer than `total`. */
  subjects: string[]
  total: number
}

export interface CommitHistory {
  /** The commits after `base` up to `head` in `owner/name`; throws with a message that says why it cannot tell. */
  commitsBetween(repository: string, base: string, head: string): Promise<CommitRange>
}

export type GitHubCommitsOptions = GitHubAccess

/** A message's subject as git's %s gives it: its first paragraph, lines joined by spaces. */
export function subjectOf(message: string): string {
  const paragraph =
    message
      .replace(/\r\n?/g, '\n')
      .trim()
      .split(/\n[ \t]*\n/)[0] ?? ''
  return paragraph
    .split('\n')
    .map((line) => line.trim())
    .join(' ')
}

const HINTS: Record<number, string> = {
  401: 'github-token was not accepted',
  403: 'the job needs permissions: contents: read, or met a rate limit',
  404: 'a commit GitHub does not have, or no access to the repository with github-token (permissions: contents: read)'
}

export class GitHubCommits implements CommitHistory {
  constructor(private readonly options: GitHubCommitsOptions) {}

  async commitsBetween(repository: string, base: string, head: string): Promise<CommitRange> {
    const octokit = await octokitFor(this.options)
    const [owner, repo] = repository.split('/')
    let data: unknown
    try {
      // Without paging parameters GitHub answers the newest 250 commits of the range (oldest first) and the total.
      ;({ data } = await octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', { owner, repo, basehead: `${base}...${head}` }))
    } catch (err) {
      throw new Error(`GitHub's compare API ${failure(err)}`, { cause: err })
    }
    const answer = (typeof data === 'object' && data !== null ? data : {}) as { commits?: unknown; total_commits?: unknown }
    const commits = Array.isArray(answer.commits) ? answer.commits : []
    const messages = commits.map((commit) => (commit as { commit?: { message?: unknown } } | null)?.commit?.message)
    if (!Array.isArray(answer.commits) || messages.some((message) => typeof message !== 'string')) {
      throw new Error("GitHub's compare API answered without a list of commits and their messages")
    }
    const total = typeof answer.total_commits === 'number' && answer.total_commits >= commits.length ? answer.total_commits : commits.length
    return { subjects: (messages as string[]).map(subjectOf).reverse(), total }
  }
}

/** What went wrong, with GitHub's answer when there was one (octokit's errors carry it) and a hint for the usual ones. */
function failure(err: unknown): string {
  const { status, response } = err as { status?: unknown; response?: unknown }
  const message = err instanceof Error ? err.message : String(err)
  if (response === undefined || typeof status !== 'number') return `failed: ${inline(message, 300)}`
  const said = inline(message.replace(/ - https:\/\/docs\.github\.com\S*$/, ''), 300)
  return `answered ${status} (${said})${HINTS[status] ? `: ${HINTS[status]}` : ''}`
}
