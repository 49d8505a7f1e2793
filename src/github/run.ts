// The GitHub run, as its context and event payload tell it (never git): the pull request, branch and tag, and
// Applivery's deployer metadata derived from them.
import type { DeployerInfo } from '../applivery/types.js'

/** The part of @actions/github's Context this needs, so tests can pass plain objects. */
export interface RunContext {
  eventName: string
  sha: string
  ref: string
  payload: Record<string, unknown> & {
    pull_request?: { number?: number; head?: { sha?: string; ref?: string; repo?: { full_name?: string } | null } }
    release?: { tag_name?: string }
    head_commit?: { message?: string } | null
    repository?: { full_name?: string }
  }
  serverUrl: string
  runId: number
  runNumber: number
  /** GITHUB_RUN_ATTEMPT: 1, or more on a re-run (which keeps runId and runNumber). */
  runAttempt?: number
  /** owner/name, from GITHUB_REPOSITORY. */
  repository?: string
  /** GitHub's REST API, from GITHUB_API_URL. */
  apiUrl?: string
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment'])

/** The pull request the run is for, if any. */
export function pullRequestOf(run: RunContext): RunContext['payload']['pull_request'] {
  return PULL_REQUEST_EVENTS.has(run.eventName) ? run.payload.pull_request : undefined
}

/** The branch that was built: the head branch on pull requests, else the pushed branch. */
export function branchOf(run: RunContext): string | undefined {
  // Outside a runner (a local test) GITHUB_REF may be missing.
  const ref = run.ref ?? ''
  const head = pullRequestOf(run)?.head?.ref
  if (head) return head
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined
}

/** The git tag of a tag push or a release. */
export function tagOf(run: RunContext): string | undefined {
  if (run.eventName === 'release' && run.payload.release?.tag_name) return run.payload.release.tag_name
  const ref = run.ref ?? ''
  return ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined
}

/** The run's page; an attempt's is under it (`/attempts/<n>`). */
export function runUrl(repositoryUrl: string, runId: number): string {
  return `${repositoryUrl}/actions/runs/${runId}`
}

export function deployerInfo(run: RunContext, startedAtMs: number): DeployerInfo {
  const info: DeployerInfo = {}
  // On pull requests GITHUB_SHA is the merge commit; the head commit is what was built from the branch.
  info.commit = pullRequestOf(run)?.head?.sha || run.sha || undefined
  info.branch = branchOf(run)
  info.tag = tagOf(run)
  if (run.eventName === 'push' && run.payload.head_commit?.message) info.commitMessage = run.payload.head_commit.message
  info.triggerTimestamp = String(startedAtMs)
  const repository = run.repository || run.payload.repository?.full_name
  if (repository) {
    const repositoryUrl = `${run.serverUrl}/${repository}`
    info.repositoryUrl = repositoryUrl
    info.ciUrl = `${repositoryUrl}/actions`
    // The attempt's own page: a re-run keeps the run's URL, and finds its earlier attempts' builds by it.
    if (run.runId) info.buildUrl = `${runUrl(repositoryUrl, run.runId)}${run.runAttempt ? `/attempts/${run.runAttempt}` : ''}`
  }
  if (run.runNumber) info.buildNumber = String(run.runNumber)
  for (const key of Object.keys(info) as (keyof DeployerInfo)[]) {
    if (info[key] === undefined) delete info[key]
  }
  return info
}
