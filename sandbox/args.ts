// Command-line flags of `npm run sandbox` (cli.ts), turned into startSandbox options.
import type { SandboxOptions, TlsOptions } from './types.js'

const FLAGS: [string, string][] = [
  ['--host ADDRESS', 'the address every host listens on (default 127.0.0.1)'],
  ['--api-port N', 'API host port (default: any free port)'],
  ['--upload-port N', 'upload host port (default: any free port)'],
  ['--github-port N', "GitHub REST API double's port (default: any free port)"],
  ['--delay MS', 'processing time of an uploaded build (default 300)'],
  ['--discard', 'benchmark mode: count upload bodies, do not parse them'],
  ['--fixed-tokens', 'the same tokens at every start (app-token-1-sandbox, ...), as .env.example expects'],
  ['--max-page-size N', 'list clamps limit to N (default 100)'],
  ['--list-form items|paginated', 'list data: {items} only (default), or with mongoose-paginate-v2 totals'],
  ['--refuse-limit-above N', 'answer a list whose limit is above N with an error instead'],
  ['--refuse-limit-status 400|422', 'status of that error (default 400)'],
  ['--hold-upload MS', 'answer an upload MS after its body has arrived'],
  ['--hold-visible start|end', 'list the held build as soon as its body arrived (default), or when the hold ends'],
  ['--trigger-timestamp string|number|iso', 'how deployer.info.triggerTimestamp is stored (default string, as sent)'],
  ['--reject-early', 'upload host: answer a bad token before reading the body, then close mid-body'],
  ['--stores N', 'org-1 has N stores, store-1..store-N (default 1; 0 allowed)'],
  ['--publication-list-filters honoured|ignored', 'publication lists apply their query filters (default), or ignore them'],
  ['--integrations-need-application', 'the Integrations API refuses a publication create without application'],
  ['--tls', 'serve HTTPS, with a certificate signed by a CA made at start'],
  ['--tls-names a,b,c', "the certificate's DNS names and IP addresses (implies --tls)"],
  ['--tls-expired', 'make the certificate expired (implies --tls)'],
  ['--ca-file PATH', 'where to write the CA certificate (implies --tls; default: a file in the temp dir)']
]

export const USAGE = ['usage: tsx sandbox/cli.ts [options]', ...FLAGS.map(([flag, text]) => `  ${flag.padEnd(46)}${text}`)].join('\n')

export interface CliArgs {
  options: SandboxOptions
  /** Where to write the CA certificate; undefined: the default place. */
  caFile?: string
  help: boolean
}

function numberAfter(flag: string, value: string | undefined): number {
  const n = Number(value)
  if (value === undefined || !/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new Error(`${flag} needs a non-negative integer, got ${value ?? 'nothing'}`)
  }
  return n
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new Error(`${flag} needs one of ${allowed.join('|')}, got ${value ?? 'nothing'}`)
  return value as T
}

export function parseArgs(argv: string[]): CliArgs {
  const options: SandboxOptions = {}
  const out: CliArgs = { options, help: false }
  const tls = (): TlsOptions => {
    if (typeof options.tls !== 'object') options.tls = {}
    return options.tls
  }
  let holdMs: number | undefined
  let holdVisible: 'start' | 'end' | undefined
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2)
    const value = (): string | undefined => inline ?? argv[++i]
    switch (flag) {
      case '--host':
        options.host = value() ?? ''
        if (!options.host) throw new Error('--host needs an address')
        break
      case '--api-port':
        options.apiPort = numberAfter(flag, value())
        break
      case '--upload-port':
        options.uploadPort = numberAfter(flag, value())
        break
      case '--github-port':
        options.githubPort = numberAfter(flag, value())
        break
      case '--delay':
        options.processingDelayMs = numberAfter(flag, value())
        break
      case '--discard':
        options.discard = true
        break
      case '--fixed-tokens':
        options.fixedTokens = true
        break
      case '--max-page-size': {
        options.maxPageSize = numberAfter(flag, value())
        if (options.maxPageSize < 1) throw new Error(`${flag} needs at least 1`)
        break
      }
      case '--list-form':
        options.listForm = oneOf(flag, value(), ['items', 'paginated'] as const)
        break
      case '--refuse-limit-above':
        options.refuseLimitAbove = numberAfter(flag, value())
        break
      case '--refuse-limit-status':
        options.refuseLimitStatus = Number(oneOf(flag, value(), ['400', '422'])) as 400 | 422
        break
      case '--hold-upload':
        holdMs = numberAfter(flag, value())
        break
      case '--hold-visible':
        holdVisible = oneOf(flag, value(), ['start', 'end'] as const)
        break
      case '--trigger-timestamp':
        options.triggerTimestampAs = oneOf(flag, value(), ['string', 'number', 'iso'] as const)
        break
      case '--reject-early':
        options.rejectEarly = true
        break
      case '--stores':
        options.stores = numberAfter(flag, value())
        break
      case '--publication-list-filters':
        options.publicationListFilters = oneOf(flag, value(), ['honoured', 'ignored'] as const)
        break
      case '--integrations-need-application':
        options.integrationsNeedApplication = true
        break
      case '--tls':
        tls()
        break
      case '--tls-names': {
        const names = (value() ?? '')
          .split(',')
          .map((n) => n.trim())
          .filter((n) => n !== '')
        if (names.length === 0) throw new Error(`${flag} needs a comma-separated list of names`)
        tls().names = names
        break
      }
      case '--tls-expired':
        tls().expired = true
        break
      case '--ca-file': {
        const path = value()
        if (!path) throw new Error(`${flag} needs a path`)
        out.caFile = path
        tls()
        break
      }
      case '--help':
      case '-h':
        out.help = true
        break
      default:
        throw new Error(`unknown argument ${argv[i]}`)
    }
  }
  if (holdVisible !== undefined && holdMs === undefined) throw new Error('--hold-visible needs --hold-upload')
  if (holdMs !== undefined) options.uploadHold = { ms: holdMs, visible: holdVisible ?? 'start' }
  return out
}
