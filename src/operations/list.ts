// operation: list — walks pages (newest first) until `limit` builds, an empty page, or the API says it is the last.
import type { Build, ListQuery } from '../applivery/types.js'
import type { ListSettings } from '../settings.js'
import type { OperationContext } from './context.js'

export class RepeatedPageError extends Error {}

/** Every build matching `filters`, newest first, at most `max`; each page asks for the same size so pages do not shift. */
export async function collectBuilds(
  ctx: OperationContext,
  filters: Omit<ListQuery, 'page' | 'limit'>,
  max: number,
  pageSize = max
): Promise<Build[]> {
  const found = new Map<string, Build>()
  let previousIds = ''
  for (let page = 1; found.size < max; page++) {
    const result = await ctx.client.listPage({ ...filters, page, limit: pageSize })
    if (result.items.length === 0) break
    const ids = result.items.map((build) => build.id).join(',')
    if (ids === previousIds) {
      throw new RepeatedPageError(
        `List builds: page ${page} repeated page ${page - 1}; the API is not paginating, stopping to avoid an endless walk`
      )
    }
    previousIds = ids
    // A build created during the walk shifts later pages by one: keep the first copy of each id.
    for (const build of result.items) if (!found.has(build.id)) found.set(build.id, build)
    if (result.hasNextPage === false || (result.totalPages !== undefined && page >= result.totalPages)) break
  }
  return [...found.values()].slice(0, max)
}

export async function list(ctx: OperationContext, settings: ListSettings): Promise<void> {
  const filters = { status: settings.status, os: settings.os, versionName: settings.versionName }
  const builds =
    settings.page !== undefined
      ? (await ctx.client.listPage({ ...filters, page: settings.page, limit: settings.limit })).items.slice(0, settings.limit)
      : await collectBuilds(ctx, filters, settings.limit)
  ctx.report.builds = builds
  if (builds.length > 0) ctx.report.build = builds[0]
  ctx.log.info(`Found ${builds.length} build${builds.length === 1 ? '' : 's'}`)
  for (const build of builds) {
    ctx.log.info(`  ${build.id}  ${build.status}  ${build.versionName ?? ''}  ${build.createdAt ?? ''}`.trimEnd())
  }
}
