// The build testers had before this one, found in Applivery: the newest build of the same branch, or of another
// tag. Builds of this run (an earlier attempt, another job), of this very commit, the build being updated and
// builds that failed processing (testers never had them) do not count.
import type { BuildsApi } from '../applivery/api.js'
import { isLastPage } from '../applivery/envelope.js'
import type { Build } from '../applivery/types.js'
import { runUrl, type RunContext } from '../github/run.js'
import { COMMIT_ID } from './clone.js'

/** Builds searched, newest first: a branch's previous build is rarely further back. */
export const MAX_BUILDS_SEARCHED = 1000
const PAGE_SIZE = 100
/** Pages asked for at most, should the API answer smaller pages than asked. */
const MAX_PAGES = 20

/** What this run's builds are told apart by. */
export interface ThisRun {
  run: RunContext
  /** The build the notes are for, when it exists already (update). */
  buildId?: string
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : ''
}

/** Whether a build is of this run, of its commit, the one being updated, or never reached testers. */
function excluded(build: Build, { run, buildId }: ThisRun): boolean {
  if (build.id === buildId || build.status === 'error') return true
  const info = (build.deployer?.info ?? {}) as Record<string, unknown>
  const commit = text(info.commit).toLowerCase()
  if (commit !== '' && run.sha && (run.sha.toLowerCase().startsWith(commit) || commit.startsWith(run.sha.toLowerCase()))) return true
  const repository = run.repository || run.payload.repository?.full_name
  if (!repository || !run.runId) return false
  // An attempt's page is under the run's.
  const ours = runUrl(`${run.serverUrl}/${repository}`, run.runId)
  const theirs = text(info.buildUrl).replace(/\/attempts\/\d+$/, '')
  return theirs === ours
}

/** The commit a build was made from, when its deployer names one. */
export function commitOf(build: Build): string | undefined {
  const commit = text(build.deployer?.info?.commit)
  return COMMIT_ID.test(commit) ? commit : undefined
}

/** The newest build that `matches`, has a commit and is not excluded; undefined when none among the newest searched. */
export async function newestEarlierBuild(
  api: Pick<BuildsApi, 'listPage'>,
  thisRun: ThisRun,
  matches: (info: Record<string, unknown>) => boolean
): Promise<Build | undefined> {
  let walked = 0
  for (let page = 1; page <= MAX_PAGES && walked < MAX_BUILDS_SEARCHED; page++) {
    const result = await api.listPage({ page, limit: PAGE_SIZE }, { fallback: true })
    if (result.items.length === 0) return undefined
    for (const build of result.items) {
      if (walked++ >= MAX_BUILDS_SEARCHED) return undefined
      const info = (build.deployer?.info ?? {}) as Record<string, unknown>
      if (matches(info) && commitOf(build) !== undefined && !excluded(build, thisRun)) return build
    }
    if (isLastPage(result, page, walked)) return undefined
    if (result.nextPage !== undefined && result.nextPage > page) page = result.nextPage - 1
  }
  return undefined
}

export function ofBranch(branch: string): (info: Record<string, unknown>) => boolean {
  return (info) => text(info.branch) === branch
}

/** A build of a tag other than `tag`. */
export function ofAnotherTag(tag: string): (info: Record<string, unknown>) => boolean {
  return (info) => text(info.tag) !== '' && text(info.tag) !== tag
}
