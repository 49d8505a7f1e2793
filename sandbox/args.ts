// Command-line flags of `npm run sandbox` (cli.ts), turned into startSandbox options: the options fixed at start are
// declared here, the settings' flags come from SETTINGS (behaviour.ts).
import { SETTING_ENTRIES, type Behaviour } from './behaviour.js'
import { flagName, wholeNumber, type FlagHelp } from './flags.js'
import type { SandboxOptions, TlsOptions } from './types.js'

export interface CliArgs {
  options: SandboxOptions
  /** Where to write the CA certificate; undefined: the default place. */
  caFile?: string
  help: boolean
}

/** A flag of an option fixed at start: sets it in `args`, reading the flag's value if it takes one. */
interface StartFlag extends FlagHelp {
  apply(read: () => string | undefined, args: CliArgs): void
}

const port = (usage: string, help: string, key: 'apiPort' | 'uploadPort' | 'githubPort'): StartFlag => ({
  usage,
  help,
  apply: (read, { options }) => {
    options[key] = wholeNumber(flagName(usage), read())
  }
})

const tlsOf = (options: SandboxOptions): TlsOptions => {
  if (typeof options.tls !== 'object') options.tls = {}
  return options.tls
}

const START_FLAGS: StartFlag[] = [
  {
    usage: '--host ADDRESS',
    help: 'the address every host listens on (default 127.0.0.1)',
    apply: (read, { options }) => {
      options.host = read() ?? ''
      if (!options.host) throw new Error('--host needs an address')
    }
  },
  port('--api-port N', 'API host port (default: any free port)', 'apiPort'),
  port('--upload-port N', 'upload host port (default: any free port)', 'uploadPort'),
  port('--github-port N', "GitHub REST API double's port (default: any free port)", 'githubPort'),
  {
    usage: '--discard',
    help: 'benchmark mode: count upload bodies, do not parse them',
    apply: (_read, { options }) => {
      options.discard = true
    }
  },
  {
    usage: '--fixed-tokens',
    help: 'the same tokens at every start (app-token-1-sandbox, ...), as .env.example expects',
    apply: (_read, { options }) => {
      options.fixedTokens = true
    }
  }
]

const TLS_FLAGS: StartFlag[] = [
  {
    usage: '--tls',
    help: 'serve HTTPS, with a certificate signed by a CA made at start',
    apply: (_read, { options }) => void tlsOf(options)
  },
  {
    usage: '--tls-names a,b,c',
    help: "the certificate's DNS names and IP addresses (implies --tls)",
    apply: (read, { options }) => {
      const names = (read() ?? '')
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n !== '')
      if (names.length === 0) throw new Error('--tls-names needs a comma-separated list of names')
      tlsOf(options).names = names
    }
  },
  {
    usage: '--tls-expired',
    help: 'make the certificate expired (implies --tls)',
    apply: (_read, { options }) => {
      tlsOf(options).expired = true
    }
  },
  {
    usage: '--ca-file PATH',
    help: 'where to write the CA certificate (implies --tls; default: a file in the temp dir)',
    apply: (read, args) => {
      const path = read()
      if (!path) throw new Error('--ca-file needs a path')
      args.caFile = path
      tlsOf(args.options)
    }
  }
]

/** Every setting's flags, with the setting each one sets. */
const SETTING_FLAGS = SETTING_ENTRIES.flatMap(([key, declared]) => (declared.flags ?? []).map((flag) => ({ key, flag })))

const START_BY_NAME = new Map([...START_FLAGS, ...TLS_FLAGS].map((flag) => [flagName(flag.usage), flag]))
const SETTING_BY_NAME = new Map(SETTING_FLAGS.map((entry) => [flagName(entry.flag.usage), entry]))

export const USAGE = [
  'usage: tsx sandbox/cli.ts [options]',
  ...[...START_FLAGS, ...SETTING_FLAGS.map((s) => s.flag), ...TLS_FLAGS].map(({ usage, help }) => `  ${usage.padEnd(46)}${help}`)
].join('\n')

export function parseArgs(argv: string[]): CliArgs {
  const out: CliArgs = { options: {}, help: false }
  /** What each setting's flags have made of it so far. */
  const drafts = new Map<keyof Behaviour, unknown>()
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2)
    const read = (): string | undefined => inline ?? argv[++i]
    const start = START_BY_NAME.get(flag)
    const setting = SETTING_BY_NAME.get(flag)
    if (flag === '--help' || flag === '-h') out.help = true
    else if (start) start.apply(read, out)
    else if (setting) drafts.set(setting.key, setting.flag.parse(read, drafts.get(setting.key)))
    else throw new Error(`unknown argument ${argv[i]}`)
  }
  const options = out.options as Record<string, unknown>
  for (const [key, declared] of SETTING_ENTRIES) {
    if (!drafts.has(key)) continue
    const draft = drafts.get(key)
    options[key] = declared.fromFlags ? declared.fromFlags(draft) : draft
  }
  return out
}
