import type { AppliveryClient } from '../applivery/client.js'
import type { Log } from '../log.js'
import type { Report } from '../report.js'
import type { RunContext } from '../context.js'

/** What every operation gets: the client, where to report, where to log, and the run it belongs to. */
export interface OperationContext {
  client: AppliveryClient
  report: Report
  log: Log
  run: RunContext
  /** When the step started (Unix ms); becomes the upload's triggerTimestamp. */
  startedAtMs: number
  /** Make the reads, print the writes (the client does), change nothing. */
  dryRun: boolean
  signal?: AbortSignal
}
