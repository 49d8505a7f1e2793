// operation: list — walks pages (newest first) until `limit` builds, an empty page, or the API says it is the last.
import type { Build } from '../applivery/types.js'
import type { BuildFilters, ListSettings } from '../settings.js'
import type { OperationContext } from './context.js'

/** Asked for on every page; the API caps it at the largest page size it accepts. */
export const MAX_PAGE_SIZE = 1000

export class RepeatedPageError extends Error {}

function hasTags(build: Build, tags: string[] | undefined): boolean {
  return !tags || tags.every((tag) => build.tags?.includes(tag))
}

/**
 * Every build matching `filters`, newest first, at most `max`. Each page asks for the same size so pages
 * do not shift; a page that repeats the one before stops the walk.
 */
export async function collectBuilds(ctx: OperationContext, filters: BuildFilters, max = Infinity): Promise<Build[]> {
  const { tags, ...query } = filters
  // Tags are matched here, so a page of the requested size may hold fewer matches: ask for full pages then.
  const pageSize = tags || !Number.isFinite(max) ? MAX_PAGE_SIZE : Math.min(max, MAX_PAGE_SIZE)
  const found = new Map<string, Build>()
  let previousIds = ''
  for (let page = 1; found.size < max; page++) {
    const result = await ctx.client.listPage({ ...query, page, limit: pageSize })
    if (result.items.length === 0) break
    const ids = result.items.map((build) => build.id).join(',')
    if (ids === previousIds) {
      throw new RepeatedPageError(
        `List builds: page ${page} repeated page ${page - 1}; the API is not paginating, stopping to avoid an endless walk`
      )
    }
    previousIds = ids
    // A build created during the walk shifts later pages by one: keep the first copy of each id.
    for (const build of result.items) if (!found.has(build.id) && hasTags(build, tags)) found.set(build.id, build)
    if (result.hasNextPage === false || (result.totalPages !== undefined && page >= result.totalPages)) break
  }
  return [...found.values()].slice(0, max)
}

export async function list(ctx: OperationContext, settings: ListSettings): Promise<void> {
  const { limit, page, ...filters } = settings
  let builds: Build[]
  if (page !== undefined) {
    const { tags, ...query } = filters
    const result = await ctx.client.listPage({ ...query, page, limit })
    builds = result.items.filter((build) => hasTags(build, tags)).slice(0, limit)
  } else {
    builds = await collectBuilds(ctx, filters, limit)
  }
  ctx.report.builds = builds
  if (builds.length > 0) ctx.report.build = builds[0]
  ctx.log.info(`Found ${builds.length} build${builds.length === 1 ? '' : 's'}`)
  for (const build of builds) {
    ctx.log.info(`  ${build.id}  ${build.status}  ${build.versionName ?? ''}  ${build.createdAt ?? ''}`.trimEnd())
  }
}
