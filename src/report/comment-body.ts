// The pull-request comment's Markdown. Build fields come from untrusted places (a version name from a branch
// name, an app name, Applivery's answers): they go in code spans, which neither render Markdown nor mention
// anyone, on one line and cut short, so the comment stays what the action wrote, and within GitHub's limit.
import type { Build } from '../applivery/types.js'
import { SECTION_KEY } from '../github/comment-sections.js'
import { CONTROL_CHARACTERS } from '../output/log.js'
import { securityText, type InstallPageReport } from './report.js'

/** Invisible in the rendered comment; names the app, so two apps on one pull request keep a comment each. */
export function commentMarker(appKey: string): string {
  return `<!-- applivery-builds-action:app=${appKey.slice(0, MAX_FIELD).replace(/[^\w.-]/g, '_')} -->`
}

/** The longest a field is shown; an install link longer than MAX_LINK is shown, not linked. */
const MAX_FIELD = 100
const MAX_LINK = 2048

/** One line of outside text, at most `max` characters: line breaks and other control characters become spaces. */
function oneLine(value: unknown, max = MAX_FIELD): string {
  const text = String(value ?? '')
    .replace(CONTROL_CHARACTERS, ' ')
    .replace(/\t/g, ' ')
    .trim()
  return text.length > max ? `${text.slice(0, max)}…` : text
}

function code(value: unknown): string {
  const text = oneLine(value).replace(/[`|]/g, ' ').trim()
  return text === '' ? '-' : `\`${text}\``
}

/** Plain text for a heading: one line, no markup, and no @mention (a zero-width space after the @). */
function plain(value: string): string {
  return oneLine(value)
    .replace(/[\\`*_[\]<>|#=~-]/g, (c) => `\\${c}`)
    .replace(/@/g, '@\u200b')
}

/** A link target only when it is an http(s) URL, with the characters that would end a Markdown link encoded. */
function linkTarget(url: string): string | undefined {
  if (url.length > MAX_LINK || !/^https?:\/\/[^\s]+$/i.test(url)) return undefined
  return encodeURI(url).replace(/\(/g, '%28').replace(/\)/g, '%29')
}

function buildTable(build: Build): string[] {
  const status = build.status === 'success' ? 'processed' : build.status
  const commit = build.deployer?.info?.commit
  const row = [code(build.id), code(build.versionName), code(status), code(commit ? String(commit).slice(0, 7) : '')]
  return ['| Build | Version | Status | Commit |', '| --- | --- | --- | --- |', `| ${row.join(' | ')} |`, '']
}

function installPageLines(page: InstallPageReport & { url: string }): string[] {
  const how = securityText(page.security)
  const target = linkTarget(page.url)
  const link = target ? `**[Install](${target})**` : `Install: ${code(page.url)}`
  const lines = [`${link} from the page ${code(page.slug)}${how ? ` (${how})` : ''}`, '']
  if (page.qr) lines.push('<details open><summary>QR code</summary>', '', '```text', page.qr, '```', '', '</details>', '')
  return lines
}

/** What a section of the comment is for: a platform's build and page ('page' when no build is known). */
export function sectionKey(build: Build | undefined): string {
  if (!build) return 'page'
  const platforms = [build.os, build.buildPlatform].map((value) => String(value ?? '').toLowerCase())
  return platforms.find((value) => SECTION_KEY.test(value)) ?? 'build'
}

const PLATFORM_NAMES: Readonly<Record<string, string>> = {
  ios: 'iOS',
  android: 'Android',
  macos: 'macOS',
  windows: 'Windows',
  page: 'Install page'
}

/** One job's part of the comment: its platform's build and install page. */
export function sectionContent(key: string, build: Build | undefined, installPage: InstallPageReport | undefined): string {
  const title = PLATFORM_NAMES[key] ?? code(key)
  const lines = [`#### ${title}: ${installPage?.url ? 'ready to install' : 'build'}`, '']
  if (build) lines.push(...buildTable(build))
  if (installPage?.url) lines.push(...installPageLines({ ...installPage, url: installPage.url }))
  return lines.join('\n').trimEnd()
}

/** The whole comment: the marker, the app, the sections (sorted, so every job writes them alike), the footer. */
export function commentBody(marker: string, appName: string | undefined, sections: Map<string, string>, footer: string): string {
  const lines = [marker, `### ${plain(appName ?? 'Applivery')}`, '']
  for (const key of [...sections.keys()].sort()) lines.push(sections.get(key)!, '')
  lines.push(`<sub>${footer}</sub>`)
  return lines.join('\n')
}
