// What the app's install pages serve. A page pins builds (filter build/builds), or serves the newest processed
// build its filter matches (last: of each OS; a branch, a git tag, or tags). A build a page needs is not deleted:
// Applivery's own page for DELETE warns that a page pointing only to it can no longer serve the app.
import type { Build, Publication } from '../applivery/types.js'
import { applicationIdOf, pins } from './body.js'
import type { InstallPageContext } from './context.js'

/** Pages read whole at most, when a list answers too little of them (no filter, or no app). */
const MAX_PAGES_READ_WHOLE = 100

/** The app's install pages, read once; in the Workspace API, this app's pages of every App Store. */
export async function appInstallPages(ctx: InstallPageContext): Promise<Publication[]> {
  const { scope } = ctx
  const listed: { page: Publication; storeId?: string }[] = []
  if (scope.kind === 'integrations') {
    for (const page of await ctx.publications.publicationsAt(undefined).listPublications()) listed.push({ page })
  } else {
    for (const store of await ctx.publications.listStores()) {
      for (const page of await ctx.publications.publicationsAt(store.id).listPublications()) listed.push({ page, storeId: store.id })
    }
  }
  const appId = scope.kind === 'workspace' ? scope.appId : undefined
  // Another app's page (its id said) is not this app's; one whose app or filter the list does not say is read whole.
  const mine = listed.filter(({ page }) => appId === undefined || [appId, undefined].includes(applicationIdOf(page)))
  const partial = mine.filter(({ page }) => !page.filter || (appId !== undefined && applicationIdOf(page) === undefined))
  if (partial.length > MAX_PAGES_READ_WHOLE) {
    throw new Error(`The app's install pages: ${partial.length} would have to be read one by one; stopping at ${MAX_PAGES_READ_WHOLE}`)
  }
  const pages: Publication[] = []
  for (const { page, storeId } of mine) {
    const whole = partial.some((p) => p.page === page)
      ? { ...page, ...(await ctx.publications.publicationsAt(storeId).getPublication(page.id)) }
      : page
    if (appId === undefined || applicationIdOf(whole) === appId) pages.push(whole)
  }
  return pages
}

/** The pages that pin the build. */
export function pagesPinning(pages: Publication[], buildId: string): Publication[] {
  return pages.filter((page) => Object.values(pins(page.filter)).includes(buildId))
}

const SERVABLE = new Set(['processed', 'success'])

function infoOf(build: Build, key: 'branch' | 'tag'): string {
  return String(build.deployer?.info?.[key] ?? '').trim()
}

/** The builds a page can serve, newest first, whatever order the list came in. */
function servableNewestFirst(builds: Build[]): Build[] {
  return builds
    .filter((build) => SERVABLE.has(String(build.status)))
    .sort((a, b) => (Date.parse(b.createdAt ?? '') || 0) - (Date.parse(a.createdAt ?? '') || 0))
}

/** The groups of `servable` (newest first) a page's filter chooses its newest from; a pinning filter has none. */
function servedGroups(page: Publication, servable: Build[]): Build[][] {
  const filter = page.filter
  const value = String(filter?.value ?? '')
  switch (filter?.type) {
    case 'build':
    case 'builds':
      return []
    case 'gitBranch':
      return [servable.filter((build) => infoOf(build, 'branch') === value)]
    case 'gitTag':
      return [servable.filter((build) => infoOf(build, 'tag') === value)]
    case 'tag':
    case 'tags': {
      // Any of the tags: which of the two Applivery means is not established, and this keeps more.
      const wanted = value.split(',').map((tag) => tag.trim())
      return [servable.filter((build) => (build.tags ?? []).some((tag) => wanted.includes(tag)))]
    }
    default: {
      // last, or a filter not known here: the newest build of each OS.
      const byOs = new Map<string, Build[]>()
      for (const build of servable) {
        const os = String(build.os ?? '')
        const group = byOs.get(os)
        if (group) group.push(build)
        else byOs.set(os, [build])
      }
      return [...byOs.values()]
    }
  }
}

/**
 * Of the builds about to be deleted, those the pages need, with the slugs of the pages that need each: a pinned
 * build, and the newest build of a page's filter when every build it could serve is about to go. `builds` is every
 * build of the app.
 */
export function neededByPages(pages: Publication[], builds: Build[], doomed: Build[]): Map<string, string[]> {
  const going = new Set(doomed.map((build) => build.id))
  const needed = new Map<string, string[]>()
  const need = (id: string, page: Publication): void => {
    if (going.has(id)) needed.set(id, [...new Set([...(needed.get(id) ?? []), page.slug])])
  }
  const servable = servableNewestFirst(builds)
  for (const page of pages) {
    for (const id of Object.values(pins(page.filter))) need(id, page)
    for (const group of servedGroups(page, servable)) {
      if (group.length > 0 && group.every((build) => going.has(build.id))) need(group[0].id, page)
    }
  }
  return needed
}

/** Whether a page's filter pins builds, so only the pins need knowing (not every build of the app). */
export function pinsOnly(page: Publication): boolean {
  return page.filter?.type === 'build' || page.filter?.type === 'builds'
}
