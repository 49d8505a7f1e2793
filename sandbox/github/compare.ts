// GET /repos/{owner}/{repo}/compare/{base}...{head} over a repository's seeded line of commits, answered as GitHub
// answers a request without paging parameters: at most the newest 250 commits of the range, oldest first, with
// the range's `total_commits`. The double has no trees, so `files` is empty.
import { createHash } from 'node:crypto'
import type { Reply } from '../transport/http.js'
import { githubError } from './errors.js'
import type { GithubStore } from './store.js'
import type { StoredCommit } from './types.js'

const COMPARE_DOCS = 'https://docs.github.com/rest/commits/commits#compare-two-commits'
/** GitHub's most commits in one answer without paging parameters. */
export const MAX_COMPARE_COMMITS = 250
/** GitHub takes an abbreviated commit id from this length on, when it names one commit only. */
const MIN_ABBREVIATED = 7

export interface CompareRoute {
  repo: string
  base: string
  head: string
}

export function matchCompare(method: string, path: string): CompareRoute | undefined {
  const m = /^\/repos\/([^/]+)\/([^/]+)\/compare\/([^/]+?)\.\.\.([^/]+?)\/?$/.exec(path)
  if (method !== 'GET' || !m) return undefined
  return { repo: `${m[1]}/${m[2]}`, base: decodeURIComponent(m[3]), head: decodeURIComponent(m[4]) }
}

/** Where `ref` is in the line: a full commit id, or an abbreviation that names one commit; -1 when none. */
function indexOf(line: StoredCommit[], ref: string): number {
  const id = ref.toLowerCase()
  if (!/^[0-9a-f]+$/.test(id) || id.length < MIN_ABBREVIATED) return -1
  const hits = line.flatMap((commit, i) => (commit.sha.startsWith(id) ? [i] : []))
  return hits.length === 1 ? hits[0] : -1
}

/** A commit as the compare answer lists it. */
function commitAnswer(baseUrl: string, repo: string, commit: StoredCommit): Record<string, unknown> {
  const person = { ...commit.author, date: commit.date }
  const tree = createHash('sha1').update(`tree ${commit.sha}`).digest('hex')
  const parents = commit.parent
    ? [
        {
          sha: commit.parent,
          url: `${baseUrl}/repos/${repo}/commits/${commit.parent}`,
          html_url: `https://github.com/${repo}/commit/${commit.parent}`
        }
      ]
    : []
  return {
    sha: commit.sha,
    node_id: `C_kwDOSandbox${Buffer.from(commit.sha.slice(0, 12)).toString('base64url')}`,
    commit: {
      author: person,
      committer: person,
      message: commit.message,
      tree: { sha: tree, url: `${baseUrl}/repos/${repo}/git/trees/${tree}` },
      url: `${baseUrl}/repos/${repo}/git/commits/${commit.sha}`,
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null }
    },
    url: `${baseUrl}/repos/${repo}/commits/${commit.sha}`,
    html_url: `https://github.com/${repo}/commit/${commit.sha}`,
    comments_url: `${baseUrl}/repos/${repo}/commits/${commit.sha}/comments`,
    author: null,
    committer: null,
    parents
  }
}

export function compareCommits(gh: GithubStore, { repo, base, head }: CompareRoute): Reply {
  const line = gh.history(repo)
  const from = indexOf(line, base)
  const to = indexOf(line, head)
  if (from < 0 || to < 0) return githubError(404, 'Not Found', COMPARE_DOCS)
  const range = to > from ? line.slice(from + 1, to + 1) : []
  const status = to === from ? 'identical' : to > from ? 'ahead' : 'behind'
  const answer = (commit: StoredCommit): Record<string, unknown> => commitAnswer(gh.baseUrl, repo, commit)
  const url = `${gh.baseUrl}/repos/${repo}/compare/${base}...${head}`
  return {
    status: 200,
    body: {
      url,
      html_url: `https://github.com/${repo}/compare/${base}...${head}`,
      permalink_url: `https://github.com/${repo}/compare/${line[from].sha}...${line[to].sha}`,
      diff_url: `https://github.com/${repo}/compare/${base}...${head}.diff`,
      patch_url: `https://github.com/${repo}/compare/${base}...${head}.patch`,
      base_commit: answer(line[from]),
      merge_base_commit: answer(line[Math.min(from, to)]),
      status,
      ahead_by: Math.max(0, to - from),
      behind_by: Math.max(0, from - to),
      total_commits: range.length,
      commits: range.slice(-MAX_COMPARE_COMMITS).map(answer),
      files: []
    }
  }
}
