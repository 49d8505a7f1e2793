// changelog: auto — release notes testers can read, made from the run: a pull request's title and body, or the
// subjects of the commits since the newest build of the branch (or the previous tag), cut to what Applivery takes.
import type { Report } from '../report/report.js'
import type { Changelog } from '../settings/types.js'
import type { ReleaseNotesContext } from './context.js'
import { cutText, MAX_RELEASE_NOTES_CHARS } from './cut.js'
import { commitNotes } from './history.js'

export type { ReleaseNotesContext } from './context.js'
export { MAX_RELEASE_NOTES_CHARS } from './cut.js'

export async function autoReleaseNotes(ctx: ReleaseNotesContext): Promise<string> {
  const pullRequest = ctx.run.payload.pull_request as { title?: unknown; body?: unknown } | undefined
  if (pullRequest && typeof pullRequest.title === 'string') {
    const body = typeof pullRequest.body === 'string' && pullRequest.body.trim() !== '' ? `\n\n${pullRequest.body.trim()}` : ''
    const cap = MAX_RELEASE_NOTES_CHARS.toLocaleString('en')
    ctx.log.info("changelog: auto: the pull request's title and body")
    return cutText(`${pullRequest.title}${body}`, `cut at ${cap} characters; the pull request has the rest`)
  }
  return commitNotes(ctx)
}

/** The notes to send: as the inputs give them, or made from the run (changelog: auto); the summary shows them. */
export async function releaseNotesText(
  ctx: ReleaseNotesContext & { report: Report },
  changelog: Changelog | undefined
): Promise<string | undefined> {
  if (changelog === undefined) return undefined
  const text = changelog === 'auto' ? await autoReleaseNotes(ctx) : changelog.text
  // Notes made from nothing are not sent: an update keeps the build's own.
  if (changelog === 'auto' && text === '') return undefined
  ctx.report.releaseNotes = text
  return text
}
