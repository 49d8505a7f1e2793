// changelog: auto — release notes testers can read, made from the run: a pull request's title and body, or the
// subjects of the commits since the newest build of the branch (or the previous tag), cut to what Applivery takes.
import type { BuildsApi } from '../applivery/api.js'
import type { CommitHistory } from '../github/commits.js'
import type { RunContext } from '../github/run.js'
import type { Log } from '../output/log.js'
import type { Report } from '../report/report.js'
import type { Changelog } from '../settings/types.js'

/** Applivery's limit is not documented: this is well within what its double takes (see docs/operations.md). */
export const MAX_RELEASE_NOTES_CHARS = 4000

export interface ReleaseNotesContext {
  api: Pick<BuildsApi, 'listPage'>
  run: RunContext
  /** The checkout, whose git history is read when it has the commits. */
  workspace: string
  /** GitHub's compare API, when the checkout does not have the commits. */
  commits?: CommitHistory
  log: Log
}

export interface ReleaseNotes {
  text: string
  /** Where the notes came from. */
  source: 'pull-request' | 'commits' | 'head-commit'
}

export async function autoReleaseNotes(ctx: ReleaseNotesContext): Promise<ReleaseNotes> {
  const pullRequest = ctx.run.payload.pull_request as { title?: unknown; body?: unknown } | undefined
  if (pullRequest && typeof pullRequest.title === 'string') {
    const body = typeof pullRequest.body === 'string' && pullRequest.body.trim() !== '' ? `\n\n${pullRequest.body.trim()}` : ''
    return { text: `${pullRequest.title}${body}`.slice(0, MAX_RELEASE_NOTES_CHARS), source: 'pull-request' }
  }
  const message = ctx.run.payload.head_commit?.message ?? ''
  return { text: message.slice(0, MAX_RELEASE_NOTES_CHARS), source: 'head-commit' }
}

/** The notes to send: as the inputs give them, or made from the run (changelog: auto); the summary shows them. */
export async function releaseNotesText(
  ctx: ReleaseNotesContext & { report: Report },
  changelog: Changelog | undefined
): Promise<string | undefined> {
  if (changelog === undefined) return undefined
  const text = changelog === 'auto' ? (await autoReleaseNotes(ctx)).text : changelog.text
  ctx.report.releaseNotes = text
  return text
}
