// run(): inputs -> settings -> operation -> outputs. The one place that fails the step.
import * as core from '@actions/core'
import { context } from '@actions/github'
import { AppliveryClient } from './applivery/client.js'
import type { RunContext } from './context.js'
import { envInputs } from './inputs.js'
import type { Log } from './log.js'
import { runOperation } from './operations/index.js'
import { Report } from './report.js'
import { parseSettings } from './settings.js'

const coreLog: Log = { info: core.info, warning: core.warning, debug: core.debug }
/** A cancelled workflow gives a step a few seconds before it is killed: finish well within them. */
const CANCEL_GRACE_MS = 4000

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const startedAtMs = Date.now()
  const report = new Report()
  const read = envInputs(env)
  const cancel = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    cancel.abort(signal)
    setTimeout(() => process.exit(1), CANCEL_GRACE_MS).unref()
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    // Masked before anything else can print it.
    if (read('token') !== '') core.setSecret(read('token'))
    const settings = parseSettings(read, { cwd: env.GITHUB_WORKSPACE || process.cwd(), warn: core.warning })
    const client = new AppliveryClient({
      ...settings.connection,
      signal: cancel.signal,
      trace: core.isDebug() ? core.debug : undefined,
      warn: core.warning
    })
    const ctx = { client, report, log: coreLog, run: runContext(env), startedAtMs, signal: cancel.signal }
    await runOperation(settings, ctx)
  } catch (err) {
    core.setFailed(cancel.signal.aborted ? cancelledMessage(cancel.signal.reason, report) : errorMessage(err))
  } finally {
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
    for (const [name, value] of Object.entries(report.outputs())) core.setOutput(name, value)
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

function cancelledMessage(signal: unknown, report: Report): string {
  const outputs = report.outputs()
  const known = outputs['build-id'] ? ` Build ${outputs['build-id']} (status '${outputs.status}') is in Applivery.` : ''
  return `Cancelled by ${String(signal)}.${known}`
}

function runContext(env: NodeJS.ProcessEnv): RunContext {
  return {
    eventName: context.eventName,
    sha: context.sha,
    ref: context.ref,
    payload: context.payload as RunContext['payload'],
    serverUrl: context.serverUrl,
    runId: context.runId,
    runNumber: context.runNumber,
    repository: env.GITHUB_REPOSITORY
  }
}
