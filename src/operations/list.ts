// operation: list — walks pages (newest first) until `limit` builds, an empty page, or the API says it is the last.
import { isLastPage } from '../applivery/envelope.js'
import { WalkBudget } from '../transport/walk-budget.js'
import type { Build } from '../applivery/types.js'
import type { BuildFilters, ListSettings } from '../settings/index.js'
import type { OperationContext } from './operation-context.js'
import { inline } from '../output/log.js'

/** Asked for on every page; an API that takes less clamps it, or refuses it and is asked again smaller (applivery/client.ts). */
export const MAX_PAGE_SIZE = 1000

export class RepeatedPageError extends Error {
  override name = 'RepeatedPageError'
}

/** The filters Applivery's list does not take, matched here: every tag, and the deployer branch. */
type LocalFilters = Pick<BuildFilters, 'tags' | 'branch'>

function matchesLocally(build: Build, { tags, branch }: LocalFilters): boolean {
  if (tags && !tags.every((tag) => build.tags?.includes(tag))) return false
  return branch === undefined || String(build.deployer?.info?.branch ?? '').trim() === branch
}

/** Every filter, matched here: for builds walked without them (all of the app's, read once for its pages). */
export function matchesFilters(build: Build, { status, os, versionName, ...local }: BuildFilters): boolean {
  // Some of Applivery's answers call a processed build 'success'.
  const said = build.status === 'success' ? 'processed' : build.status
  if (status !== undefined && said !== status) return false
  if (os !== undefined && build.os !== os) return false
  if (versionName !== undefined && build.versionName !== versionName) return false
  return matchesLocally(build, local)
}

/**
 * Every build matching `filters`, newest first, at most `max`. Each page asks for the same size so pages
 * do not shift; a page that repeats the one before stops the walk.
 */
export async function collectBuilds(ctx: OperationContext, filters: BuildFilters, max = Infinity): Promise<Build[]> {
  const { tags, branch, ...query } = filters
  // Tags and branch are matched here, so a page of the requested size may hold fewer matches: ask for full pages then.
  const pageSize = tags || branch !== undefined || !Number.isFinite(max) ? MAX_PAGE_SIZE : Math.min(max, MAX_PAGE_SIZE)
  const found = new Map<string, Build>()
  const budget = new WalkBudget('List builds')
  let previousIds = ''
  let walked = 0
  for (let page = 1; found.size < max;) {
    budget.page()
    const result = await ctx.api.listPage({ ...query, page, limit: pageSize }, { fallback: true })
    budget.read(result.bytes ?? 0)
    if (result.items.length === 0) break
    const ids = result.items.map((build) => build.id).join(',')
    if (ids === previousIds) {
      throw new RepeatedPageError(
        `List builds: page ${page} repeated the page before; the API is not paginating, stopping to avoid an endless walk`
      )
    }
    previousIds = ids
    walked += result.items.length
    // A build created during the walk shifts later pages by one: keep the first copy of each id.
    for (const build of result.items) {
      if (found.has(build.id) || !matchesLocally(build, { tags, branch })) continue
      budget.keep(build)
      found.set(build.id, build)
    }
    if (isLastPage(result, page, walked)) break
    page = result.nextPage !== undefined && result.nextPage > page ? result.nextPage : page + 1
  }
  return [...found.values()].slice(0, max)
}

export async function list(ctx: OperationContext, settings: ListSettings): Promise<void> {
  const { limit, page, ...filters } = settings
  let builds: Build[]
  if (page !== undefined) {
    const { tags, branch, ...query } = filters
    const result = await ctx.api.listPage({ ...query, page, limit })
    builds = result.items.filter((build) => matchesLocally(build, { tags, branch })).slice(0, limit)
  } else {
    builds = await collectBuilds(ctx, filters, limit)
  }
  ctx.report.builds = builds
  if (builds.length > 0) ctx.report.build = builds[0]
  ctx.log.info(`Found ${builds.length} build${builds.length === 1 ? '' : 's'}`)
  for (const build of builds) {
    ctx.log.info(`  ${build.id}  ${inline(build.status, 40)}  ${inline(build.versionName, 80)}  ${inline(build.createdAt, 40)}`.trimEnd())
  }
}
