// The job summary: what the step did to which builds, readable on the run's page.
import * as core from '@actions/core'
import type { AttachedFile, Build } from '../applivery/types.js'
import { formatBytes } from '../output/format.js'
import { securityText, type InstallPageReport, type Report } from './report.js'

const MAX_ROWS = 100

export interface SummaryContext {
  /** Unknown when the inputs could not be read. */
  operation?: string
  dryRun: boolean
  /** Links commits, e.g. https://github.com/acme/app. */
  repositoryUrl?: string
  failure?: string
}

/**
 * Build fields can come from untrusted sources (a PR title as version name): never let them be markup.
 * Line breaks go too: a blank line would end the HTML block and let the rest render as Markdown.
 */
function escape(text: unknown): string {
  const value = String(text ?? '')
  return value === '' ? '-' : escapeHtml(value).replace(/\r?\n/g, '<br>')
}

/** For <pre>, which keeps its blank lines inside the HTML block. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function commitCell(build: Build, repositoryUrl: string | undefined): string {
  const commit = String(build.deployer?.info?.commit ?? '')
  if (!commit) return '-'
  const short = escape(commit.slice(0, 7))
  // Linked only to this run's repository: a URL stored on the build could point anywhere.
  return repositoryUrl && /^[0-9a-f]{7,40}$/i.test(commit) ? `<a href="${repositoryUrl}/commit/${commit}">${short}</a>` : short
}

const BUILD_HEADER = ['Build', 'Version', 'Status', 'OS', 'Size', 'Tags', 'Commit', 'Created'].map((data) => ({ data, header: true }))

function buildRow(build: Build, repositoryUrl: string | undefined): string[] {
  return [
    `<code>${escape(build.id)}</code>`,
    escape(build.versionName),
    escape(build.status),
    escape(build.os),
    typeof build.size === 'number' ? formatBytes(build.size) : '-',
    escape((build.tags ?? []).join(', ')),
    commitCell(build, repositoryUrl),
    escape(build.createdAt)
  ]
}

function fileRow(record: AttachedFile): string[] {
  const size = record.file?.size
  return [escape(record.file?.originalName), escape(record.description), typeof size === 'number' ? formatBytes(size) : '-']
}

function addInstallPage(summary: typeof core.summary, page: InstallPageReport): void {
  summary.addHeading('Install page', 4)
  const name = `<code>${escape(page.slug)}</code>`
  if (page.change === 'deleted') {
    summary.addRaw(`<p>Install page ${name} was deleted; its builds stay.</p>`, true)
    return
  }
  const how = securityText(page.security)
  // Only an http(s) link is made a link: the URL comes from Applivery's answer.
  const link =
    page.url && /^https?:\/\//i.test(page.url) ? `<a href="${escapeHtml(page.url)}">${escapeHtml(page.url)}</a>` : escape(page.url)
  summary.addRaw(`<p>${name} (${page.change}): ${link}${how ? `<br>${escape(how)}` : ''}</p>`, true)
  if (page.qr) summary.addRaw(`<pre>${escapeHtml(page.qr)}</pre>`, true)
}

/** Writes the job summary; `redact` takes every secret out of it, whatever field it came in. */
export async function writeSummary(report: Report, ctx: SummaryContext, redact: (text: string) => string = (text) => text): Promise<void> {
  const title = ctx.operation ? `Applivery: ${escape(ctx.operation)}` : 'Applivery'
  const summary = core.summary.addHeading(`${title}${ctx.dryRun ? ' (dry run)' : ''}`, 3)
  if (ctx.failure) summary.addRaw(`<p><strong>Failed:</strong> ${escape(ctx.failure)}</p>`, true)
  if (report.builds) {
    const label = ctx.operation === 'prune' ? (ctx.dryRun ? 'Builds that would be deleted' : 'Deleted builds') : 'Builds'
    summary.addRaw(`<p>${label}: ${report.builds.length}</p>`, true)
    if (report.builds.length > 0) {
      const rows = report.builds.slice(0, MAX_ROWS).map((build) => buildRow(build, ctx.repositoryUrl))
      summary.addTable([BUILD_HEADER, ...rows])
      if (report.builds.length > MAX_ROWS) summary.addRaw(`<p>... and ${report.builds.length - MAX_ROWS} more</p>`, true)
    }
  } else if (report.build) {
    summary.addTable([BUILD_HEADER, buildRow(report.build, ctx.repositoryUrl)])
  } else if (report.buildId) {
    summary.addRaw(`<p>Build <code>${escape(report.buildId)}</code>: ${escape(report.status)}</p>`, true)
  }
  if (report.keptForPages && report.keptForPages.length > 0) {
    const kept = report.keptForPages.slice(0, MAX_ROWS)
    summary.addRaw(`<p>Kept because install pages serve them: ${report.keptForPages.length}</p>`, true)
    summary.addTable([
      [...BUILD_HEADER, { data: 'Install pages', header: true }],
      ...kept.map(({ build, pages }) => [...buildRow(build, ctx.repositoryUrl), escape(pages.join(', '))])
    ])
  }
  if (report.deleted) summary.addRaw(`<p>Build <code>${escape(report.buildId)}</code> was deleted.</p>`, true)
  if (report.files && report.files.length > 0) {
    summary.addHeading('Attached files', 4)
    summary.addTable([['File', 'Description', 'Size'].map((data) => ({ data, header: true })), ...report.files.map(fileRow)])
  }
  if (report.releaseNotes !== undefined) {
    summary.addHeading('Release notes', 4)
    summary.addRaw(`<pre>${escapeHtml(report.releaseNotes)}</pre>`, true)
  }
  if (report.installPage) addInstallPage(summary, report.installPage)
  if (ctx.dryRun) {
    summary.addRaw('<p>Dry run: nothing was changed. These requests would have been made:</p>', true)
    const lines = report.planned.flatMap((plan) => [`${plan.method} ${plan.url}`, ...plan.body.map((line) => `  ${line}`)])
    summary.addCodeBlock(lines.length > 0 ? escapeHtml(lines.join('\n')) : '(none)')
  }
  const text = redact(summary.stringify())
  await summary.emptyBuffer().addRaw(text).write()
}
