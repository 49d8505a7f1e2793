import type { Timings } from '../transport/timings.js'
import type { PullRequestComments } from '../github/comments.js'
import type { CommitHistory } from '../github/commits.js'
import type { RunContext } from '../github/run.js'
import type { InstallPageContext } from '../install-pages/context.js'

/** What every operation gets: Applivery's APIs, where to report, where to log, and the run it belongs to. */
export interface OperationContext extends InstallPageContext {
  /** GitHub, for pr-comment. */
  comments?: PullRequestComments
  /** GitHub's compare API, for changelog: auto. */
  commits?: CommitHistory
  /** The checkout (GITHUB_WORKSPACE). */
  workspace: string
  run: RunContext
  /** When the step started (Unix ms); becomes the upload's triggerTimestamp. */
  startedAtMs: number
  /** How often a wait for processing polls. */
  timings: Pick<Timings, 'pollFirstMs' | 'pollEarlyMaxMs' | 'pollEarlyForMs' | 'pollMaxMs' | 'rereadMs'>
  signal?: AbortSignal
}
