// `npm run sandbox`: runs the sandbox until SIGINT/SIGTERM, announcing its URLs and tokens.
import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs, USAGE, type CliArgs } from './args.js'
import { DEFAULT_BEHAVIOUR, mergeBehaviour, type Behaviour } from './behaviour.js'
import { DEFAULT_TLS_NAMES, startSandbox, type GithubTokens, type SandboxOptions, type Tokens } from './index.js'

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
function settingLines(options: SandboxOptions, settings: Behaviour, caFile: string | undefined): string[] {
  const lines: string[] = []
  const line = (label: string, text: string): void => {
    lines.push(`  ${label.padEnd(20)}${text}`)
  }
  const limit =
    settings.refuseLimitAbove === undefined
      ? `limit clamped to ${settings.maxPageSize}`
      : `limit above ${settings.refuseLimitAbove} refused with ${settings.refuseLimitStatus}, clamped to ${settings.maxPageSize}`
  line('List:', `${settings.listForm} form, ${limit}`)
  const { stores } = settings
  line('Stores (org-1):', stores === 0 ? 'none' : `store-1${stores > 1 ? `..store-${stores}` : ''}`)
  if (settings.publicationListFilters === 'ignored') line('Publication lists:', 'query filters ignored')
  if (settings.uploadHold) {
    line(
      'Upload hold:',
      `${settings.uploadHold.ms} ms before answering; the build is listed ${settings.uploadHold.visible === 'end' ? 'when the hold ends' : 'as soon as the body arrived'}`
    )
  }
  if (settings.triggerTimestampAs !== 'string') line('triggerTimestamp:', `stored as ${settings.triggerTimestampAs}`)
  if (settings.rejectEarly) line('Bad upload token:', 'answered before the body is read, then the connection is closed')
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
  const settings = mergeBehaviour(DEFAULT_BEHAVIOUR, options) // every setting, the defaults filled in
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
      `  Processing delay:   ${settings.processingDelayMs} ms${options.discard ? '  (discard mode: upload bodies are counted, not parsed)' : ''}`,
      ...settingLines(options, settings, caFile),
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
