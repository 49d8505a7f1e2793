// In-memory state of the GitHub REST API double: its tokens and the comments of every issue (pull request).
import { randomBytes } from 'node:crypto'
import type { GithubTokens, GithubUser, StoredComment } from './types.js'

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

  clear(): void {
    this.byIssue.clear()
  }
}
