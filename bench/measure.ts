// Measuring processes for the benchmark: wall time, CPU and peak RSS (GNU time), test files, the sandbox
// as a process of its own, and the small statistics the tables need.
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { actionNode, ROOT, runAction, type ActionRun, type GitHubEvent } from '../harness/runner.js'

export const MIB = 1024 * 1024
export const GIB = 1024 * MIB
const GNU_TIME = '/usr/bin/time'

export interface Usage {
  wallS: number
  userS: number
  sysS: number
  rssMiB: number
}

/** The fields of `time -v` the bench uses. Wall time is taken by the caller, at millisecond resolution. */
function readGnuTime(path: string): Omit<Usage, 'wallS'> {
  const text = readFileSync(path, 'utf8')
  const field = (label: string): number => {
    const match = new RegExp(`${label}: ([\\d.]+)`).exec(text)
    if (!match) throw new Error(`no '${label}' in the output of ${GNU_TIME} -v:\n${text}`)
    return Number(match[1])
  }
  return {
    userS: field('User time \\(seconds\\)'),
    sysS: field('System time \\(seconds\\)'),
    rssMiB: field('Maximum resident set size \\(kbytes\\)') / 1024
  }
}

async function spawnAndWait(
  command: string,
  args: string[],
  env = process.env
): Promise<{ wallS: number; code: number | null; stdout: string }> {
  const started = process.hrtime.bigint()
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'inherit'] })
  let stdout = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  const code = await new Promise<number | null>((done) => child.on('close', done))
  return { wallS: Number(process.hrtime.bigint() - started) / 1e9, code, stdout }
}

/** Runs a command under GNU time; the wall clock runs from spawn to exit, as for the action. */
export async function timed(command: string, args: string[], usageFile: string): Promise<Usage & { code: number | null; stdout: string }> {
  const result = await spawnAndWait(GNU_TIME, ['-v', '-o', usageFile, command, ...args])
  return { ...result, ...readGnuTime(usageFile) }
}

/**
 * The action run exactly as the runner runs it (sandbox/runner.ts), with GNU time slipped in between:
 * runAction spawns `node dist/index.js`, so "node" here is a script that execs time, then Node 24. It is
 * bash, not sh: dash drops variables like INPUT_UPLOAD-URL, whose names are not shell identifiers.
 */
export class ActionTimer {
  private readonly wrapper: string
  private readonly usageFile: string

  constructor(private readonly dir: string) {
    this.wrapper = join(dir, 'node-under-time.sh')
    this.usageFile = join(dir, 'action.time')
    writeFileSync(this.wrapper, `#!/bin/bash\nexec ${GNU_TIME} -v -o "$BENCH_USAGE_FILE" "$BENCH_NODE" "$@"\n`)
    chmodSync(this.wrapper, 0o755)
  }

  /** `failing`: the run may fail (a hostile server); its outcome is then the caller's to check. */
  async run(
    inputs: Record<string, string>,
    env: Record<string, string> = {},
    { failing = false, event }: { failing?: boolean; event?: GitHubEvent } = {}
  ): Promise<Usage & { run: ActionRun }> {
    const run = await runAction(inputs, {
      event,
      node: this.wrapper,
      workspace: this.dir,
      timeoutMs: 15 * 60_000,
      env: { ...env, BENCH_USAGE_FILE: this.usageFile, BENCH_NODE: actionNode() }
    })
    if (run.code !== 0 && !failing) throw new Error(`the action failed (exit ${run.code}):\n${run.stdout}${run.stderr}`)
    return { wallS: run.elapsedMs / 1000, ...readGnuTime(this.usageFile), run }
  }

  /** `node -e 0` on the same Node, spawned through the same wrapper, as the start-up baseline. */
  async bareNode(): Promise<Usage> {
    const { wallS, code } = await spawnAndWait(this.wrapper, ['-e', '0'], {
      ...process.env,
      BENCH_USAGE_FILE: this.usageFile,
      BENCH_NODE: actionNode()
    })
    if (code !== 0) throw new Error(`node -e 0 exited with ${code}`)
    return { wallS, ...readGnuTime(this.usageFile) }
  }
}

/** A file of one random 1 MiB block repeated: incompressible for the wire, cheap to write. Returns its sha256. */
export async function makeFile(path: string, bytes: number): Promise<string> {
  const block = randomBytes(MIB)
  const hash = createHash('sha256')
  const handle = await open(path, 'w')
  try {
    for (let written = 0; written < bytes; written += MIB) {
      const part = block.subarray(0, Math.min(MIB, bytes - written))
      await handle.write(part)
      hash.update(part)
    }
  } finally {
    await handle.close()
  }
  return hash.digest('hex')
}

export interface SandboxProcess {
  apiUrl: string
  uploadUrl: string
  token: string
  /** With TLS: the CA certificate's file, for NODE_EXTRA_CA_CERTS and curl --cacert. */
  caFile?: string
  stop(): Promise<void>
}

/**
 * The sandbox CLI in a Node process of its own (Node 24 with tsx's loader, one process, no tsx
 * supervisor), so the server, the client under test and the bench script never share a core's event loop.
 */
export async function spawnSandbox({ discard = false, tls = false } = {}): Promise<SandboxProcess> {
  const args = ['--import', 'tsx', 'sandbox/cli.ts', '--api-port', '0', '--upload-port', '0']
  if (discard) args.push('--discard')
  if (tls) args.push('--tls')
  const child = spawn(actionNode(), args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>((done) => child.on('exit', () => done()))
  const lines = createInterface({ input: child.stdout })
  const ready = await new Promise<{ apiUrl: string; uploadUrl: string; tokens: { app: string }; caFile?: string }>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith('SANDBOX_READY ')) resolve(JSON.parse(line.slice('SANDBOX_READY '.length)))
    })
    void exited.then(() => reject(new Error('the sandbox exited before it was ready')))
  })
  return {
    apiUrl: ready.apiUrl,
    uploadUrl: ready.uploadUrl,
    token: ready.tokens.app,
    caFile: ready.caFile,
    stop: async () => {
      child.kill('SIGTERM')
      await exited
    }
  }
}

export function removeQuietly(path: string): void {
  rmSync(path, { recursive: true, force: true })
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** "1.23 (1.20–1.31)": the median, then the range when there is more than one sample. */
export function spread(values: number[], digits = 2): string {
  const m = median(values).toFixed(digits)
  if (values.length < 2) return m
  return `${m} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`
}
