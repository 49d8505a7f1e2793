// `npm run sandbox`: runs the sandbox until SIGINT/SIGTERM, announcing its URLs and tokens.
import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs, USAGE, type CliArgs } from './args.js'
import { DEFAULT_TLS_NAMES, startSandbox } from './index.js'
import type { GithubTokens, SandboxOptions, Tokens } from './types.js'

const TOKEN_LABELS: [keyof Tokens, string][] = [
  ['app', 'app (app-1):'],
  ['otherApp', 'otherApp (app-2):'],
  ['serviceAccount', 'serviceAccount (org-1):'],
  ['otherOrgServiceAccount', 'otherOrgServiceAccount (org-2):'],
  ['expired', 'expired (app-1, 3002):']
]

const GITHUB_TOKEN_LABELS: [keyof GithubTokens, string][] = [
  ['write', 'GitHub write (GITHUB_TOKEN):'],
  ['readOnly', 'GitHub read-only (fork PR):'],
  ['user', 'GitHub personal token (octo-releaser):']
]

/** A line for the list settings, and one for each other setting that is switched on. */
function settingLines(options: SandboxOptions, caFile: string | undefined): string[] {
  const lines: string[] = []
  const line = (label: string, text: string): void => {
    lines.push(`  ${label.padEnd(20)}${text}`)
  }
  const limit =
    options.refuseLimitAbove === undefined
      ? `limit clamped to ${options.maxPageSize ?? 100}`
      : `limit above ${options.refuseLimitAbove} refused with ${options.refuseLimitStatus ?? 400}, clamped to ${options.maxPageSize ?? 100}`
  line('List:', `${options.listForm ?? 'items'} form, ${limit}`)
  const stores = options.stores ?? 1
  line('Stores (org-1):', stores === 0 ? 'none' : `store-1${stores > 1 ? `..store-${stores}` : ''}`)
  if (options.publicationListFilters === 'ignored') line('Publication lists:', 'query filters ignored')
  if (options.uploadHold) {
    line(
      'Upload hold:',
      `${options.uploadHold.ms} ms before answering; the build is listed ${options.uploadHold.visible === 'end' ? 'when the hold ends' : 'as soon as the body arrived'}`
    )
  }
  if (options.triggerTimestampAs && options.triggerTimestampAs !== 'string')
    line('triggerTimestamp:', `stored as ${options.triggerTimestampAs}`)
  if (options.rejectEarly) line('Bad upload token:', 'answered before the body is read, then the connection is closed')
  if (caFile) {
    const tls = typeof options.tls === 'object' ? options.tls : {}
    line('CA certificate:', caFile)
    line('Certificate names:', `${(tls.names ?? DEFAULT_TLS_NAMES).join(', ')}${tls.expired ? '  (EXPIRED)' : ''}`)
  }
  return lines
}

async function main(): Promise<void> {
  let args: CliArgs
  try {
    args = parseArgs(process.argv.slice(2))
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`)
    process.exit(2)
  }
  if (args.help) {
    console.log(USAGE)
    process.exit(0)
  }
  const { options } = args
  const sandbox = await startSandbox(options)
  const { apiUrl, uploadUrl, githubUrl, githubTokens, organizationId, appId, tokens, ca } = sandbox
  // A file per process by default, so sandboxes running side by side never overwrite each other's CA.
  const caFile = ca === undefined ? undefined : (args.caFile ?? join(tmpdir(), `applivery-sandbox-ca-${process.pid}.pem`))
  if (caFile && ca) writeFileSync(caFile, ca)
  console.log(
    [
      'Applivery sandbox is running',
      `  API URL:            ${apiUrl}`,
      `  Upload URL:         ${uploadUrl}`,
      `  GitHub API URL:     ${githubUrl}  (GITHUB_API_URL)`,
      `  Install pages:      ${apiUrl}/install/<slug>`,
      `  Organization id:    ${organizationId}`,
      `  App id:             ${appId}  (also app-2 in ${organizationId}; app-3 in org-2)`,
      `  Processing delay:   ${options.processingDelayMs ?? 300} ms${options.discard ? '  (discard mode: upload bodies are counted, not parsed)' : ''}`,
      ...settingLines(options, caFile),
      '  Tokens:',
      ...TOKEN_LABELS.map(([key, label]) => `    ${label.padEnd(32)}${tokens[key]}`),
      ...GITHUB_TOKEN_LABELS.map(([key, label]) => `    ${label.padEnd(32)}${githubTokens[key]}`),
      'Press Ctrl+C to stop.'
    ].join('\n')
  )
  const ready = { apiUrl, uploadUrl, githubUrl, organizationId, appId, tokens, githubTokens, ...(caFile ? { caFile } : {}) }
  console.log(`SANDBOX_READY ${JSON.stringify(ready)}`)

  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    if (caFile && args.caFile === undefined) rmSync(caFile, { force: true }) // ours to clean up; a chosen path is kept
    void sandbox.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

void main()
