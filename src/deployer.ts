// Applivery's deployer metadata, derived from the GitHub run: the context and the event payload, never git.
import type { DeployerInfo } from './applivery/types.js'

/** The part of @actions/github's Context this needs, so tests can pass plain objects. */
export interface RunContext {
  eventName: string
  sha: string
  ref: string
  payload: Record<string, unknown> & {
    pull_request?: { head?: { sha?: string; ref?: string } }
    release?: { tag_name?: string }
    head_commit?: { message?: string } | null
    repository?: { full_name?: string }
  }
  serverUrl: string
  runId: number
  runNumber: number
  /** owner/name, from GITHUB_REPOSITORY. */
  repository?: string
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment'])

export function deployerInfo(run: RunContext, startedAtMs: number): DeployerInfo {
  const info: DeployerInfo = {}
  // Outside a runner (a local test) GITHUB_REF and GITHUB_SHA may be missing.
  const ref = run.ref ?? ''
  const pullRequest = PULL_REQUEST_EVENTS.has(run.eventName) ? run.payload.pull_request : undefined
  // On pull requests GITHUB_SHA is the merge commit; the head commit is what was built from the branch.
  info.commit = pullRequest?.head?.sha || run.sha || undefined
  if (pullRequest?.head?.ref) info.branch = pullRequest.head.ref
  else if (ref.startsWith('refs/heads/')) info.branch = ref.slice('refs/heads/'.length)
  if (run.eventName === 'release' && run.payload.release?.tag_name) info.tag = run.payload.release.tag_name
  else if (ref.startsWith('refs/tags/')) info.tag = ref.slice('refs/tags/'.length)
  if (run.eventName === 'push' && run.payload.head_commit?.message) info.commitMessage = run.payload.head_commit.message
  info.triggerTimestamp = String(startedAtMs)
  const repository = run.repository || run.payload.repository?.full_name
  if (repository) {
    const repositoryUrl = `${run.serverUrl}/${repository}`
    info.repositoryUrl = repositoryUrl
    info.ciUrl = `${repositoryUrl}/actions`
    if (run.runId) info.buildUrl = `${repositoryUrl}/actions/runs/${run.runId}`
  }
  if (run.runNumber) info.buildNumber = String(run.runNumber)
  for (const key of Object.keys(info) as (keyof DeployerInfo)[]) {
    if (info[key] === undefined) delete info[key]
  }
  return info
}
