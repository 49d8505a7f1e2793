import type { BuildsApi, PublicationsAccess } from '../applivery/api.js'
import type { Timings } from '../applivery/timings.js'
import type { ApiScope } from '../applivery/types.js'
import type { PullRequestComments } from '../github/comments.js'
import type { RunContext } from '../deployer.js'
import type { Log } from '../log.js'
import type { Report } from '../report.js'

/** What every operation gets: Applivery's APIs, where to report, where to log, and the run it belongs to. */
export interface OperationContext {
  api: BuildsApi
  /** Install pages (publications). */
  pages: PublicationsAccess
  scope: ApiScope
  /** GitHub, for pr-comment. */
  comments?: PullRequestComments
  report: Report
  log: Log
  run: RunContext
  /** When the step started (Unix ms); becomes the upload's triggerTimestamp. */
  startedAtMs: number
  /** How often a wait for processing polls. */
  timings: Pick<Timings, 'pollFirstMs' | 'pollMaxMs'>
  signal?: AbortSignal
}
