// pr-comment: the build and its install page on the pull request, one comment per app, kept up to date.
// A comment that cannot be posted is a warning: the build is in Applivery either way.
import { reason } from '../transport/attempts.js'
import { appOf, withKnown } from '../install-pages/locate.js'
import type { OperationContext } from './operation-context.js'
import type { CommentSettings } from '../settings/index.js'
import { wrapSection } from '../github/comment-sections.js'
import { commentBody, commentMarker, sectionContent, sectionKey } from '../report/comment-body.js'
import { inline } from '../output/log.js'

/** How much of GitHub's message a warning quotes. */
const MAX_QUOTED = 300

export async function commentOnPullRequest(ctx: OperationContext, settings: CommentSettings, dryRun: boolean): Promise<void> {
  const pullRequest = settings.pullRequest
  if (!pullRequest) {
    ctx.log.info('pr-comment: this run is not for a pull request, so there is nothing to comment on')
    return
  }
  const { build, installPage } = ctx.report
  const app = withKnown(ctx.report.app ?? {}, appOf(build))
  const appKey = app.slug ?? app.id ?? (ctx.scope.kind === 'workspace' ? ctx.scope.appId : 'app')
  const runUrl = ctx.run.repository ? `${ctx.run.serverUrl}/${ctx.run.repository}/actions/runs/${ctx.run.runId}` : undefined
  const when = new Date().toISOString().replace('T', ' ').slice(0, 16)
  const footer = `Updated ${when} UTC${runUrl ? ` by <a href="${runUrl}">run ${ctx.run.runNumber}</a>` : ''}`
  // One section per platform: an iOS and an Android job of one matrix each keep their own.
  const key = sectionKey(build)
  const content = sectionContent(key, build, installPage)
  const stamp = build?.createdAt ?? new Date().toISOString()
  const render = (sections: Map<string, string>): string => commentBody(commentMarker(appKey), app.name, sections, footer)
  if (dryRun) {
    ctx.log.info(`Dry run: would write the section ${key} of the comment on pull request #${pullRequest.number}:`)
    for (const line of render(new Map([[key, wrapSection(key, content, stamp)]])).split('\n')) ctx.log.info(`  ${line}`)
    return
  }
  if (!ctx.comments) throw new Error('pr-comment: no GitHub client')
  try {
    const result = await ctx.comments.upsert(pullRequest, commentMarker(appKey), { key, content, stamp, render })
    ctx.log.info(`Pull request #${pullRequest.number}: comment ${result.action}${result.url ? ` (${inline(result.url)})` : ''}`)
  } catch (err) {
    ctx.log.warning(`Could not comment on pull request #${pullRequest.number}: ${reasonOf(err)}. The build and its page are in Applivery.`)
  }
}

/** Octokit's errors carry GitHub's answer when there was one (with a hint for the usual ones); otherwise their cause. */
function reasonOf(err: unknown): string {
  const { status, response, cause } = err as { status?: unknown; response?: unknown; cause?: unknown }
  if (response === undefined || typeof status !== 'number') return inline(reason(cause ?? err), MAX_QUOTED)
  const hint = GITHUB_HINTS[status]
  return `GitHub answered ${status} (${inline((err as Error).message, MAX_QUOTED)})${hint ? `. ${hint}` : ''}`
}

const GITHUB_HINTS: Record<number, string> = {
  401: 'github-token was not accepted',
  403:
    'The job needs permissions: pull-requests: write; pull requests from forks get a read-only token, ' +
    "and a burst of requests can meet GitHub's secondary rate limit",
  404: "The pull request was not found with github-token's access to the repository"
}
