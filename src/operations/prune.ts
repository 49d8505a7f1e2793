// operation: prune — deletes finished builds beyond the newest `keep`, or older than `older-than`, or both.
import { isGone } from '../applivery/errors.js'
import { isFinished, type Build } from '../applivery/types.js'
import type { PruneSettings } from '../settings/index.js'
import type { OperationContext } from './operation-context.js'
import { appInstallPages, neededByPages, pinsOnly } from '../install-pages/serving.js'
import { collectBuilds, matchesFilters } from './list.js'
import { formatDuration } from '../output/format.js'
import { inline } from '../output/log.js'

/** Reasons quoted when deletes fail: the rest are counted. */
const MAX_FAILURES_SHOWN = 20

/** Deletes in flight at once: fast for hundreds of builds, gentle on the API. */
export const DELETE_CONCURRENCY = 6

/** The builds to delete, newest first. Builds still being processed are neither counted nor deleted. */
export function pruneCandidates(builds: Build[], settings: PruneSettings, now: number): Build[] {
  const finished = builds
    .filter((build) => isFinished(build.status))
    .sort((a, b) => Date.parse(b.createdAt ?? '') - Date.parse(a.createdAt ?? ''))
  return finished.filter((build, index) => {
    if (settings.keep !== undefined && index < settings.keep) return false
    if (settings.olderThanMs !== undefined && !(Date.parse(build.createdAt ?? '') < now - settings.olderThanMs)) return false
    return true
  })
}

/** Runs `task` over `items`, at most `limit` at a time; collects failures instead of stopping. */
async function eachLimited<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<{ item: T; error: unknown }[]> {
  const failures: { item: T; error: unknown }[] = []
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]
      await task(item).catch((error: unknown) => failures.push({ item, error }))
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return failures
}

export async function prune(ctx: OperationContext, settings: PruneSettings): Promise<void> {
  // The pages first: what a page's filter serves is judged among all of the app's builds, read in the same walk.
  const pages = await appInstallPages(ctx)
  const all = pages.every(pinsOnly) ? undefined : await collectBuilds(ctx, {})
  const builds = all ? all.filter((build) => matchesFilters(build, settings.filters)) : await collectBuilds(ctx, settings.filters)
  const candidates = pruneCandidates(builds, settings, Date.now())
  const needed = neededByPages(pages, all ?? builds, candidates)
  const doomed = candidates.filter((build) => !needed.has(build.id))
  const rules = [
    settings.keep !== undefined ? `keeping the newest ${settings.keep}` : '',
    settings.olderThanMs !== undefined ? `created more than ${formatDuration(settings.olderThanMs)} ago` : ''
  ].filter(Boolean)
  ctx.log.info(`${builds.length} matching builds; ${doomed.length} to delete (${rules.join(', ')})`)
  ctx.report.keptForPages = candidates.filter((build) => needed.has(build.id)).map((build) => ({ build, pages: needed.get(build.id)! }))
  for (const { build, pages: slugs } of ctx.report.keptForPages) {
    ctx.log.info(
      `Kept build ${build.id} (${inline(build.versionName, 80)}): the install page ${slugs.map((slug) => inline(slug)).join(', ')} serves it`
    )
  }

  const deleted = new Set<string>()
  const failures = await eachLimited(doomed, DELETE_CONCURRENCY, async (build) => {
    let sent = true
    try {
      sent = (await ctx.api.deleteBuild(build.id)).sent
    } catch (err) {
      // Gone already (another job pruned it): that is what was wanted.
      if (!isGone(err)) throw err
    }
    deleted.add(build.id)
    if (sent)
      ctx.log.info(
        `Deleted build ${build.id} (${build.versionName === undefined ? 'no version' : inline(build.versionName, 80)}, ${inline(build.createdAt, 40)})`
      )
  })
  // In a dry run these are the builds it would delete.
  ctx.report.builds = doomed.filter((build) => deleted.has(build.id))
  if (failures.length > 0) {
    // A few reasons say why; a list of thousands would bury the failure.
    const lines = failures
      .slice(0, MAX_FAILURES_SHOWN)
      .map(({ item, error }) => `  ${item.id}: ${error instanceof Error ? error.message : String(error)}`)
    if (failures.length > MAX_FAILURES_SHOWN) lines.push(`  (and ${failures.length - MAX_FAILURES_SHOWN} more)`)
    throw new Error(
      `Prune deleted ${deleted.size} of ${doomed.length} builds; ${failures.length} could not be deleted:\n${lines.join('\n')}`
    )
  }
}
