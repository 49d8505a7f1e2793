// run(): inputs -> settings -> operation -> outputs. The one place that fails the step.
import * as core from '@actions/core'
import type { WritePlan } from './applivery/api.js'
import { AppliveryClient } from './applivery/client.js'
import { proxySecrets } from './applivery/proxy.js'
import { retryPolicy } from './applivery/retry.js'
import { timingsFromEnv } from './applivery/timings.js'
import type { RunContext } from './deployer.js'
import { GitHubComments } from './github/comments.js'
import { Context } from './github/context.js'
import { envInputs } from './inputs.js'
import type { Log } from './log.js'
import { runOperation } from './operations/index.js'
import { UploadCancelledError } from './operations/upload.js'
import { Report } from './report.js'
import { globberFor, parseSettings, type Settings } from './settings/index.js'
import { writeSummary } from './summary.js'

const coreLog: Log = { info: core.info, warning: core.warning, debug: core.debug, notice: core.notice }
/** A cancelled workflow gives a step a few seconds before it is killed: finish well within them. */
const CANCEL_GRACE_MS = 4000

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const startedAtMs = Date.now()
  const report = new Report()
  const read = envInputs(env)
  const cancel = new AbortController()
  let settings: Settings | undefined
  let failure: string | undefined
  const onSignal = (signal: NodeJS.Signals): void => {
    cancel.abort(signal)
    setTimeout(() => process.exit(1), CANCEL_GRACE_MS).unref()
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    // Masked before anything else can print them.
    for (const name of ['token', 'publication-password', 'github-token']) if (read(name) !== '') core.setSecret(read(name))
    for (const secret of proxySecrets(env)) core.setSecret(secret)
    const globber = await globberFor(read)
    const run = runContext(env)
    settings = parseSettings(read, { cwd: env.GITHUB_WORKSPACE || process.cwd(), warn: core.warning, globber, run })
    const timings = timingsFromEnv(env)
    const api = new AppliveryClient({
      ...settings.connection,
      timings,
      signal: cancel.signal,
      trace: core.isDebug() ? core.debug : undefined,
      warn: core.warning,
      dryRun: settings.dryRun,
      onPlanned: (plan: WritePlan) => {
        report.planned.push(plan)
        core.info(`Dry run: would ${plan.method} ${plan.url}`)
        for (const line of plan.body) core.info(`  ${line}`)
      }
    })
    const comments = settings.comment
      ? new GitHubComments({
          token: settings.comment.githubToken,
          apiUrl: settings.comment.apiUrl,
          transport: {
            timings,
            signal: cancel.signal,
            trace: core.isDebug() ? core.debug : undefined,
            policy: { ...retryPolicy(timings), maxAttempts: 3 }
          }
        })
      : undefined
    const ctx = { api, pages: api, scope: settings.connection.scope, comments, report, log: coreLog, run, startedAtMs, timings }
    await runOperation(settings, { ...ctx, signal: cancel.signal })
  } catch (err) {
    failure = cancel.signal.aborted ? cancelledMessage(cancel.signal.reason, report, err) : errorMessage(err)
    core.setFailed(failure)
  } finally {
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
    try {
      for (const [name, value] of Object.entries(report.outputs())) core.setOutput(name, value)
    } catch (err) {
      core.setFailed(`Could not write the step outputs: ${errorMessage(err)}`)
    }
    const repositoryUrl = env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_REPOSITORY}` : undefined
    if (env.GITHUB_STEP_SUMMARY) {
      // Without settings (an input error) the operation is not known for sure: the summary then names none.
      const summary = { operation: settings?.operation, dryRun: settings?.dryRun ?? false, repositoryUrl, failure }
      await writeSummary(report, summary).catch((err: unknown) => core.warning(`Could not write the job summary: ${errorMessage(err)}`))
    }
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

function cancelledMessage(signal: unknown, report: Report, err: unknown): string {
  const outputs = report.outputs()
  if (outputs['build-id'])
    return `Cancelled by ${String(signal)}. Build ${outputs['build-id']} (status '${outputs.status}') is in Applivery.`
  if (err instanceof UploadCancelledError) {
    return (
      `Cancelled by ${String(signal)} during the upload. The build may still appear in Applivery: ` +
      `its deployer triggerTimestamp is ${err.triggerTimestamp}.`
    )
  }
  return `Cancelled by ${String(signal)}.`
}

function runContext(env: NodeJS.ProcessEnv): RunContext {
  const context = new Context()
  return {
    eventName: context.eventName,
    sha: context.sha,
    ref: context.ref,
    payload: context.payload as RunContext['payload'],
    serverUrl: context.serverUrl,
    runId: context.runId,
    runNumber: context.runNumber,
    repository: env.GITHUB_REPOSITORY,
    apiUrl: context.apiUrl
  }
}
