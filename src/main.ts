// run(): inputs -> settings -> operation -> outputs. The one place that fails the step.
import * as core from '@actions/core'
import type { WritePlan } from './applivery/api.js'
import { AppliveryClient } from './applivery/client.js'
import { proxySecrets } from './transport/proxy.js'
import { retryPolicy } from './transport/retry.js'
import { timingsFromEnv } from './transport/timings.js'
import type { RunContext } from './github/run.js'
import { GitHubComments } from './github/comments.js'
import { GitHubCommits } from './github/commits.js'
import { Context } from './github/context.js'
import { envInputs } from './settings/inputs.js'
import { ActionLog } from './output/log.js'
import { runOperation } from './operations/index.js'
import { UploadCancelledError } from './operations/upload.js'
import { Report } from './report/report.js'
import { globberFor, parseSettings, type Settings } from './settings/index.js'
import { writeSummary } from './report/summary.js'

/** Inputs whose values are masked and redacted in every form before anything else can print them. */
const SECRET_INPUTS = ['token', 'publication-password', 'github-token']
/** A cancelled workflow gives a step a few seconds before it is killed: finish well within them. */
const CANCEL_GRACE_MS = 4000

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const startedAtMs = Date.now()
  const log = new ActionLog()
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
    // Outside the runner (a local run) an input's default expression arrives unevaluated: no secret.
    for (const name of SECRET_INPUTS) if (!read(name).startsWith('${{')) log.addSecret(read(name))
    for (const secret of proxySecrets(env)) log.addSecret(secret)
    const timings = timingsFromEnv(env)
    const globber = await globberFor(read)
    const githubRun = runContext(env)
    const files = { ...fileRoots(env), globber, globMs: timings.globMs }
    settings = parseSettings(read, { ...files, warn: (message) => log.warning(message), run: githubRun })
    const trace = log.isDebug() ? (line: string) => log.debug(line) : undefined
    const api = new AppliveryClient({
      ...settings.connection,
      timings,
      signal: cancel.signal,
      trace,
      warn: (line) => log.warning(line),
      dryRun: settings.dryRun,
      onPlanned: (plan: WritePlan) => {
        report.planned.push(plan)
        log.info(`Dry run: would ${plan.method} ${plan.url}`)
        for (const line of plan.body) log.info(`  ${line}`)
      }
    })
    const githubTransport = { timings, signal: cancel.signal, trace, policy: { ...retryPolicy(timings), maxAttempts: 3 } }
    const comments = settings.comment
      ? new GitHubComments({
          token: settings.comment.githubToken,
          apiUrl: settings.comment.apiUrl,
          redact: (text) => log.redact(text),
          rereadMs: timings.rereadMs,
          log: (line) => log.info(line),
          signal: cancel.signal,
          transport: githubTransport
        })
      : undefined
    const { commitHistory } = settings
    const commits = commitHistory
      ? new GitHubCommits({ token: commitHistory.githubToken, apiUrl: commitHistory.apiUrl, transport: githubTransport })
      : undefined
    const workspace = files.cwd
    const ctx = {
      api,
      publications: api,
      workspace,
      scope: settings.connection.scope,
      comments,
      commits,
      report,
      log,
      run: githubRun,
      startedAtMs,
      timings
    }
    await runOperation(settings, { ...ctx, signal: cancel.signal })
  } catch (err) {
    failure = cancel.signal.aborted ? cancelledMessage(cancel.signal.reason, report, err) : errorMessage(err)
    log.fail(failure)
  } finally {
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
    writeOutputs(report, log)
    const repositoryUrl = env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_REPOSITORY}` : undefined
    if (env.GITHUB_STEP_SUMMARY) {
      // Without settings (an input error) the operation is not known for sure: the summary then names none.
      const summary = { operation: settings?.operation, dryRun: settings?.dryRun ?? false, repositoryUrl, failure }
      await writeSummary(report, summary, (text) => log.redact(text)).catch((err: unknown) =>
        log.warning(`Could not write the job summary: ${errorMessage(err)}`)
      )
    }
  }
}

/** Each output on its own: one that cannot be written does not take the others (build-id first) with it. */
function writeOutputs(report: Report, log: ActionLog): void {
  let outputs: Record<string, string>
  try {
    outputs = report.outputs()
  } catch (err) {
    log.fail(`Could not write the step outputs: ${errorMessage(err)}`)
    return
  }
  for (const [name, value] of Object.entries(outputs)) {
    try {
      core.setOutput(name, value)
    } catch (err) {
      log.fail(`Could not write the step output ${name}: ${errorMessage(err)}`)
    }
  }
}

/** Where file inputs are resolved, and the folders they must stay in. */
function fileRoots(env: NodeJS.ProcessEnv): { cwd: string; roots: string[] } {
  const cwd = env.GITHUB_WORKSPACE || process.cwd()
  return { cwd, roots: [cwd, ...(env.RUNNER_TEMP ? [env.RUNNER_TEMP] : [])] }
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
    runAttempt: Number.isSafeInteger(context.runAttempt) && context.runAttempt > 0 ? context.runAttempt : undefined,
    repository: env.GITHUB_REPOSITORY,
    apiUrl: context.apiUrl
  }
}
