// pr-comment: the build and its install page on the pull request, one comment per app, kept up to date.
// A comment that cannot be posted is a warning: the build is in Applivery either way.
import { reason } from '../applivery/attempts.js'
import type { Build } from '../applivery/types.js'
import { SECURITY_TEXT } from '../pages/body.js'
import { appOf, withKnown } from '../pages/locate.js'
import type { OperationContext } from '../operations/operation-context.js'
import type { PageReport } from '../report.js'
import type { CommentSettings } from '../settings/index.js'

/** Invisible in the rendered comment; names the app, so two apps on one pull request keep a comment each. */
export function commentMarker(appKey: string): string {
  return `<!-- applivery-builds-action:app=${appKey.replace(/[^\w.-]/g, '_')} -->`
}

/** Text from a build (a version name from a branch name) must not become markup or break the table. */
function cell(value: unknown): string {
  const text = String(value ?? '').trim()
  return text === '' ? '-' : text.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ')
}

export function commentBody(
  marker: string,
  appName: string | undefined,
  build: Build | undefined,
  page: PageReport | undefined,
  footer: string
): string {
  const lines = [marker, `### ${cell(appName ?? 'Applivery')}: ${page?.url ? 'ready to install' : 'build'}`, '']
  if (build) {
    const commit = build.deployer?.info?.commit
    lines.push(
      '| Build | Version | Status | Commit |',
      '| --- | --- | --- | --- |',
      `| \`${build.id.replace(/`/g, '')}\` | ${cell(build.versionName)} | ${cell(build.status === 'success' ? 'processed' : build.status)} | ${commit ? `\`${String(commit).slice(0, 7).replace(/`/g, '')}\`` : '-'} |`,
      ''
    )
  }
  if (page?.url) {
    const how = page.security ? SECURITY_TEXT[page.security] : undefined
    lines.push(`**[Install](${encodeURI(page.url)})** from the page \`${page.slug}\`${how ? ` (${how})` : ''}: ${page.url}`, '')
    if (page.qr) lines.push('<details open><summary>QR code</summary>', '', '```text', page.qr, '```', '', '</details>', '')
  }
  lines.push(`<sub>${footer}</sub>`)
  return lines.join('\n')
}

export async function commentOnPullRequest(ctx: OperationContext, settings: CommentSettings, dryRun: boolean): Promise<void> {
  const pullRequest = settings.pullRequest
  if (!pullRequest) {
    ctx.log.info('pr-comment: this run is not for a pull request, so there is nothing to comment on')
    return
  }
  const { build, page } = ctx.report
  const app = withKnown(ctx.report.app ?? {}, appOf(build))
  const appKey = app.slug ?? app.id ?? (ctx.scope.kind === 'workspace' ? ctx.scope.appId : 'app')
  const runUrl = ctx.run.repository ? `${ctx.run.serverUrl}/${ctx.run.repository}/actions/runs/${ctx.run.runId}` : undefined
  const when = new Date().toISOString().replace('T', ' ').slice(0, 16)
  const footer = `Updated ${when} UTC${runUrl ? ` by <a href="${runUrl}">run ${ctx.run.runNumber}</a>` : ''}`
  const body = commentBody(commentMarker(appKey), app.name, build, page, footer)
  if (dryRun) {
    ctx.log.info(`Dry run: would comment on pull request #${pullRequest.number}:`)
    for (const line of body.split('\n')) ctx.log.info(`  ${line}`)
    return
  }
  if (!ctx.comments) throw new Error('pr-comment: no GitHub client')
  try {
    const result = await ctx.comments.upsert(pullRequest, commentMarker(appKey), body)
    ctx.log.info(`Pull request #${pullRequest.number}: comment ${result.action}${result.url ? ` (${result.url})` : ''}`)
  } catch (err) {
    ctx.log.warning(
      `Could not comment on pull request #${pullRequest.number}: ${reasonOf(err)}. The build and its page are in Applivery. ` +
        'The job needs permissions: pull-requests: write; pull requests from forks get a read-only token.'
    )
  }
}

/** Octokit's errors carry GitHub's answer when there was one; a request that got none carries its cause. */
function reasonOf(err: unknown): string {
  const { status, response, cause } = err as { status?: unknown; response?: unknown; cause?: unknown }
  if (response !== undefined && typeof status === 'number') return `GitHub answered ${status} (${(err as Error).message})`
  return reason(cause ?? err)
}
