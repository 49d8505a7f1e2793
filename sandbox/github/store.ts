// In-memory state of the GitHub REST API double: its tokens, the comments of every issue (pull request) and each
// repository's line of commits.
import { createHash, randomBytes } from 'node:crypto'
import type { GithubTokens, GithubUser, SeedCommit, StoredComment, StoredCommit } from './types.js'

/** The user GitHub shows for comments written with a workflow's GITHUB_TOKEN. */
export const ACTIONS_BOT: Readonly<GithubUser> = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' }

/** The user behind the sandbox's personal access token. */
export const TOKEN_USER = 'octo-releaser'

/** What a token may do: read only (a fork's pull request) or also write. */
export type GithubPermission = 'read' | 'write'

/** GitHub's timestamps have no milliseconds. */
const githubTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

/** A made-up but stable id for a login, so the same user looks the same across comments. */
function userFor(login: string): GithubUser {
  if (login === ACTIONS_BOT.login) return { ...ACTIONS_BOT }
  let id = 0
  for (const ch of login) id = (id * 31 + ch.charCodeAt(0)) % 100_000_000
  return { login, id: id + 1, type: login.endsWith('[bot]') ? 'Bot' : 'User' }
}

export class GithubStore {
  readonly tokens: GithubTokens
  /** The double's own base URL, for the comments' `url` and `issue_url`; set once it listens. */
  baseUrl = ''
  private readonly byIssue = new Map<string, StoredComment[]>()
  /** Each repository's commits, oldest first, each the parent of the next. */
  private readonly histories = new Map<string, StoredCommit[]>()
  /** Not reset by clear(): an id from before a reset never names a later comment. */
  private lastId = 1_000_000_000

  constructor(fixedTokens = false) {
    const suffix = (): string => (fixedTokens ? 'sandbox' : randomBytes(16).toString('hex'))
    this.tokens = { write: `ghs_write_${suffix()}`, readOnly: `ghs_readonly_${suffix()}`, user: `ghp_user_${suffix()}` }
  }

  permission(token: string): GithubPermission | undefined {
    if (token === this.tokens.write || token === this.tokens.user) return 'write'
    return token === this.tokens.readOnly ? 'read' : undefined
  }

  /** Who a token writes as: the user of a personal access token; else, an installation token, github-actions[bot]. */
  author(token: string): GithubUser {
    return userFor(token === this.tokens.user ? TOKEN_USER : ACTIONS_BOT.login)
  }

  /** Whether the token is a user's (GET /user answers) rather than an installation's (GET /user is refused). */
  isUserToken(token: string): boolean {
    return token === this.tokens.user
  }

  /** Comments of `owner/repo` issue `number`, oldest first. The live objects: callers copy. */
  list(repo: string, number: number): StoredComment[] {
    return this.byIssue.get(`${repo}#${number}`) ?? []
  }

  add(repo: string, number: number, body: string, login = ACTIONS_BOT.login): StoredComment {
    const id = ++this.lastId
    const now = githubTime(Date.now())
    const issueUrl = `${this.baseUrl}/repos/${repo}/issues/${number}`
    const user = userFor(login)
    const comment: StoredComment = {
      id,
      node_id: `IC_kwDOSandbox${Buffer.from(String(id)).toString('base64url')}`,
      url: `${this.baseUrl}/repos/${repo}/issues/comments/${id}`,
      html_url: `https://github.com/${repo}/pull/${number}#issuecomment-${id}`,
      issue_url: issueUrl,
      body,
      user,
      created_at: now,
      updated_at: now,
      author_association: user.type === 'Bot' ? 'NONE' : 'MEMBER'
    }
    const key = `${repo}#${number}`
    this.byIssue.set(key, [...this.list(repo, number), comment])
    return comment
  }

  /** The comment with that id in `owner/repo`, whichever issue it is on. */
  find(repo: string, id: number): StoredComment | undefined {
    for (const [key, comments] of this.byIssue) {
      if (!key.startsWith(`${repo}#`)) continue
      const hit = comments.find((c) => c.id === id)
      if (hit) return hit
    }
    return undefined
  }

  update(comment: StoredComment, body: string): StoredComment {
    comment.body = body
    comment.updated_at = githubTime(Date.now())
    return comment
  }

  remove(repo: string, id: number): void {
    for (const [key, comments] of this.byIssue) {
      if (key.startsWith(`${repo}#`))
        this.byIssue.set(
          key,
          comments.filter((c) => c.id !== id)
        )
    }
  }

  /** Adds commits to the end of `owner/repo`'s line: the first one's parent is the newest already there. */
  seedCommits(repo: string, commits: SeedCommit[]): StoredCommit[] {
    const line = this.history(repo)
    const added: StoredCommit[] = []
    for (const seed of commits) {
      const parent = line[line.length - 1]?.sha
      const sha = seed.sha ?? createHash('sha1').update(`${repo}\n${line.length}\n${seed.message}`).digest('hex')
      if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`seedCommits: '${sha}' is not 40 lowercase hex digits`)
      if (line.some((commit) => commit.sha === sha)) throw new Error(`seedCommits: ${sha} is already in ${repo}`)
      const author = seed.author ?? { name: 'Octo Releaser', email: `${TOKEN_USER}@users.noreply.github.com` }
      const commit: StoredCommit = { sha, message: seed.message, author, date: seed.date ?? githubTime(Date.now()), parent }
      line.push(commit)
      added.push(commit)
    }
    this.histories.set(repo, line)
    return added
  }

  /** `owner/repo`'s commits, oldest first. The live objects: callers copy. */
  history(repo: string): StoredCommit[] {
    return this.histories.get(repo) ?? []
  }

  clear(): void {
    this.byIssue.clear()
    this.histories.clear()
  }
}
