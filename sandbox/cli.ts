// `npm run sandbox`: runs the sandbox until SIGINT/SIGTERM, announcing its URLs and tokens.
import { startSandbox } from './index.js'
import type { SandboxOptions, Tokens } from './types.js'

const USAGE = 'usage: tsx sandbox/cli.ts [--api-port N] [--upload-port N] [--delay MS] [--discard]'

function parseArgs(argv: string[]): SandboxOptions {
  const options: SandboxOptions = {}
  const numberAfter = (flag: string, value: string | undefined): number => {
    const n = Number(value)
    if (value === undefined || !/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
      throw new Error(`${flag} needs a non-negative integer, got ${value ?? 'nothing'}`)
    }
    return n
  }
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2)
    const value = (): string | undefined => inline ?? argv[++i]
    switch (flag) {
      case '--api-port': options.apiPort = numberAfter(flag, value()); break
      case '--upload-port': options.uploadPort = numberAfter(flag, value()); break
      case '--delay': options.processingDelayMs = numberAfter(flag, value()); break
      case '--discard': options.discard = true; break
      case '--help': case '-h': console.log(USAGE); process.exit(0); break
      default: throw new Error(`unknown argument ${argv[i]}`)
    }
  }
  return options
}

const TOKEN_LABELS: [keyof Tokens, string][] = [
  ['app', 'app (app-1):'],
  ['otherApp', 'otherApp (app-2):'],
  ['serviceAccount', 'serviceAccount (org-1):'],
  ['otherOrgServiceAccount', 'otherOrgServiceAccount (org-2):'],
  ['expired', 'expired (app-1, 3002):']
]

async function main(): Promise<void> {
  let options: SandboxOptions
  try {
    options = parseArgs(process.argv.slice(2))
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`)
    process.exit(2)
  }
  const sandbox = await startSandbox(options)
  const { apiUrl, uploadUrl, organizationId, appId, tokens } = sandbox
  console.log([
    'Applivery sandbox is running',
    `  API URL:            ${apiUrl}`,
    `  Upload URL:         ${uploadUrl}`,
    `  Organization id:    ${organizationId}`,
    `  App id:             ${appId}  (also app-2 in ${organizationId}; app-3 in org-2)`,
    `  Processing delay:   ${options.processingDelayMs ?? 300} ms${options.discard ? '  (discard mode: upload bodies are counted, not parsed)' : ''}`,
    '  Tokens:',
    ...TOKEN_LABELS.map(([key, label]) => `    ${label.padEnd(32)}${tokens[key]}`),
    'Press Ctrl+C to stop.'
  ].join('\n'))
  console.log(`SANDBOX_READY ${JSON.stringify({ apiUrl, uploadUrl, organizationId, appId, tokens })}`)

  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    void sandbox.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

void main()
