// The pull-request comment's Markdown. Build fields come from untrusted places (a version name from a branch
// name): they go in code spans, which neither render Markdown nor mention anyone.
import type { Build } from '../applivery/types.js'
import { securityText } from '../pages/body.js'
import type { PageReport } from '../report.js'

/** Invisible in the rendered comment; names the app, so two apps on one pull request keep a comment each. */
export function commentMarker(appKey: string): string {
  return `<!-- applivery-builds-action:app=${appKey.replace(/[^\w.-]/g, '_')} -->`
}

function code(value: unknown): string {
  const text = String(value ?? '')
    .replace(/[`\r\n|]/g, ' ')
    .trim()
  return text === '' ? '-' : `\`${text}\``
}

/** Plain text for a heading: no markup, and no @mention (a zero-width space after the @). */
function plain(value: string): string {
  return value.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`).replace(/@/g, '@\u200b')
}

/** A link target only when it is an http(s) URL, with the characters that would end a Markdown link encoded. */
function linkTarget(url: string): string | undefined {
  return /^https?:\/\//i.test(url) ? encodeURI(url).replace(/\(/g, '%28').replace(/\)/g, '%29') : undefined
}

function buildTable(build: Build): string[] {
  const status = build.status === 'success' ? 'processed' : build.status
  const commit = build.deployer?.info?.commit
  const row = [code(build.id), code(build.versionName), code(status), code(commit ? String(commit).slice(0, 7) : '')]
  return ['| Build | Version | Status | Commit |', '| --- | --- | --- | --- |', `| ${row.join(' | ')} |`, '']
}

function pageLines(page: PageReport & { url: string }): string[] {
  const how = securityText(page.security)
  const target = linkTarget(page.url)
  const link = target ? `**[Install](${target})**` : `Install: ${code(page.url)}`
  const lines = [`${link} from the page ${code(page.slug)}${how ? ` (${how})` : ''}`, '']
  if (page.qr) lines.push('<details open><summary>QR code</summary>', '', '```text', page.qr, '```', '', '</details>', '')
  return lines
}

export function commentBody(
  marker: string,
  appName: string | undefined,
  build: Build | undefined,
  page: PageReport | undefined,
  footer: string
): string {
  const lines = [marker, `### ${plain(appName ?? 'Applivery')}: ${page?.url ? 'ready to install' : 'build'}`, '']
  if (build) lines.push(...buildTable(build))
  if (page?.url) lines.push(...pageLines({ ...page, url: page.url }))
  lines.push(`<sub>${footer}</sub>`)
  return lines.join('\n')
}
