// Public types of the GitHub REST API double: its tokens, users and issue comments (re-exported from ../index.ts).

/** GitHub tokens: `write` is a workflow's GITHUB_TOKEN; `readOnly` is what a pull request from a fork gets. */
export interface GithubTokens {
  /** An installation token that may comment (a workflow's GITHUB_TOKEN): comments as github-actions[bot]; /user refused. */
  write: string
  /** An installation token that may only read (a fork's pull request). */
  readOnly: string
  /** A personal access token of the user `octo-releaser`: comments as that user; /user answers. */
  user: string
}

export interface GithubUser {
  login: string
  id: number
  type: 'Bot' | 'User'
}

/** An issue (or pull request) comment, as GitHub's REST API answers it. */
export interface StoredComment {
  id: number
  node_id: string
  url: string
  html_url: string
  issue_url: string
  body: string
  user: GithubUser
  created_at: string
  updated_at: string
  author_association: string
}

/** A commit as a test seeds it: its parent is the commit seeded before it in the same repository. */
export interface SeedCommit {
  /** 40 hex digits (a real clone's, to compare with it); default: made from the repository, position and message. */
  sha?: string
  message: string
  /** Default: Octo Releaser <octo-releaser@users.noreply.github.com>. */
  author?: { name: string; email: string }
  /** ISO 8601; default: the time it was seeded. */
  date?: string
}

/** A seeded commit, in a repository's line of commits. */
export interface StoredCommit {
  sha: string
  message: string
  author: { name: string; email: string }
  date: string
  /** The commit seeded before it; none for the first. */
  parent?: string
}
