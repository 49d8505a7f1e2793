// What making release notes needs from the step, and what it gives back.
import type { BuildsApi } from '../applivery/api.js'
import type { CommitHistory } from '../github/commits.js'
import type { RunContext } from '../github/run.js'
import type { Log } from '../output/log.js'
import type { RunGit } from './clone.js'

export interface ReleaseNotesContext {
  api: Pick<BuildsApi, 'listPage'>
  run: RunContext
  /** The checkout, whose git history is read when it has the commits. */
  workspace: string
  /** GitHub's compare API, when the checkout does not have the commits; undefined without github-token. */
  commits?: CommitHistory
  /** The build the notes are for, when it exists already (update): never its own starting point. */
  buildId?: string
  /** How git is run; a test may pass its own. */
  git?: RunGit
  log: Log
}
