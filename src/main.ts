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

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const startedAtMs = Date.now()
  const report = new Report()
  const read = envInputs(env)
  try {
    // Masked before anything else can print it.
    if (read('token') !== '') core.setSecret(read('token'))
    const settings = parseSettings(read, { cwd: env.GITHUB_WORKSPACE || process.cwd(), warn: core.warning })
    const client = new AppliveryClient({
      ...settings.connection,
      trace: core.isDebug() ? core.debug : undefined
    })
    await runOperation(settings, { client, report, log: coreLog, run: runContext(env), startedAtMs })
  } catch (err) {
    core.setFailed(err instanceof Error ? err.message : String(err))
  } finally {
    for (const [name, value] of Object.entries(report.outputs())) core.setOutput(name, value)
  }
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
