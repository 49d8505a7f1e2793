// The checkout's git history: git run directly (not through a shell), bounded in time and in what it prints.
// Commit ids that come from outside (a build's deployer commit) reach git only once checked to be commit ids.
import type { CommitRange } from '../github/commits.js'
import { inline } from '../output/log.js'

/** One git command's answer: its exit code (0: success) and what it printed, at most `maxBytes` of it. */
export interface GitResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs git in a folder; a test may pass another. Throws only when git cannot be run at all. */
export type RunGit = (dir: string, args: string[]) => Promise<GitResult>

/** A local clone answers in milliseconds; a stuck one (a lock, a network file system) is given up on. */
export const GIT_TIMEOUT_MS = 10_000
/** Far more than the most subjects that fit in the notes: a commit's subject is one line. */
const GIT_MAX_BYTES = 1024 * 1024
/** More than fit in the notes (each takes at least four characters of them): the rest are only counted. */
export const MAX_SUBJECTS = 1000

/** A full or abbreviated commit id; anything else (an option, a range) never reaches git. */
export const COMMIT_ID = /^[0-9a-f]{7,64}$/i

export const runGit: RunGit = async (dir, args) => {
  // Loaded only when notes are made from the history: most steps never run git.
  const { execFile } = await import('node:child_process')
  return new Promise((resolve, reject) => {
    const options = {
      cwd: dir,
      timeout: GIT_TIMEOUT_MS,
      maxBuffer: GIT_MAX_BYTES,
      encoding: 'utf8' as const,
      windowsHide: true,
      // No prompt for credentials, no lock taken, English messages.
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' }
    }
    execFile('git', ['-c', 'core.fsmonitor=false', '-c', 'log.showSignature=false', ...args], options, (err, stdout, stderr) => {
      if (!err) return resolve({ code: 0, stdout, stderr })
      const { code, killed } = err as { code?: unknown; killed?: boolean }
      if (code === 'ENOENT') return reject(new Error('git is not installed on the runner'))
      // Past the size bound git is stopped: what it printed until then is whole lines but the last.
      if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return resolve({ code: 0, stdout: stdout.replace(/[^\n]*$/, ''), stderr })
      if (killed) return reject(new Error(`git ${args[0]} did not finish within ${GIT_TIMEOUT_MS / 1000} s`))
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr })
    })
  })
}

/** A range the checkout can list, or why it cannot. */
export type CloneRange = { range: CommitRange } | { why: string }

export class Clone {
  constructor(
    private readonly dir: string,
    private readonly git: RunGit = runGit
  ) {}

  /** The commits after `base` up to `head`, when the checkout has both and what joins them. */
  async commitsBetween(base: string, head: string): Promise<CloneRange> {
    if (!COMMIT_ID.test(base) || !COMMIT_ID.test(head)) return { why: 'the commits are not named by their ids' }
    return this.listed(base, head).catch((err: unknown) => ({ why: err instanceof Error ? err.message : String(err) }))
  }

  private async listed(base: string, head: string): Promise<CloneRange> {
    const answer = await this.git(this.dir, ['rev-parse', '--is-shallow-repository'])
    if (answer.code !== 0) return { why: `the workspace is not a git checkout (${firstLine(answer.stderr)})` }
    const shallow = answer.stdout.trim() === 'true'
    const hint = shallow ? ' (a shallow clone: actions/checkout with fetch-depth: 0 fetches the history)' : ''
    for (const commit of [base, head]) {
      const known = await this.git(this.dir, ['cat-file', '-e', `${commit}^{commit}`])
      if (known.code !== 0) return { why: `the checkout does not have commit ${commit.slice(0, 12)}${hint}` }
    }
    // A shallow history may stop between the two: it would list commits down to where it was cut.
    if (shallow && (await this.git(this.dir, ['merge-base', '--is-ancestor', base, head])).code !== 0) {
      return { why: `the checkout's history does not join ${base.slice(0, 12)} to ${head.slice(0, 12)}${hint}` }
    }
    const count = await this.git(this.dir, ['rev-list', '--count', `${base}..${head}`])
    const total = Number(count.stdout.trim())
    if (count.code !== 0 || !Number.isSafeInteger(total)) return { why: `git rev-list failed (${firstLine(count.stderr)})` }
    const log = await this.git(this.dir, ['log', '--no-color', '--format=%s', `--max-count=${MAX_SUBJECTS}`, `${base}..${head}`])
    if (log.code !== 0) return { why: `git log failed (${firstLine(log.stderr)})` }
    const subjects = log.stdout.split('\n').slice(0, -1)
    return { range: { subjects, total: Math.max(total, subjects.length) } }
  }

  /** The newest tag before `head` (lightweight tags too) and its commit, when the checkout has tags. */
  async previousTag(head: string): Promise<{ tag: string; commit: string } | undefined> {
    if (!COMMIT_ID.test(head)) return undefined
    try {
      const described = await this.git(this.dir, ['describe', '--tags', '--abbrev=0', `${head}^`])
      const tag = described.stdout.trim()
      if (described.code !== 0 || tag === '') return undefined
      const peeled = await this.git(this.dir, ['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`])
      const commit = peeled.stdout.trim()
      return peeled.code === 0 && COMMIT_ID.test(commit) ? { tag, commit } : undefined
    } catch {
      return undefined
    }
  }

  /** A commit's whole message, when the checkout has it. */
  async message(commit: string): Promise<string | undefined> {
    if (!COMMIT_ID.test(commit)) return undefined
    try {
      const shown = await this.git(this.dir, ['log', '--no-color', '--format=%B', '--max-count=1', commit])
      return shown.code === 0 ? shown.stdout.trim() : undefined
    } catch {
      return undefined
    }
  }
}

function firstLine(text: string): string {
  return inline(text.trim().split('\n')[0] || 'no message', 200)
}
