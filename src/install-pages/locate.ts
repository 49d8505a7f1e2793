// Which install page a step acts on: its App Store (Workspace API), its slug, and the app it belongs to.
import type { PublicationsApi } from '../applivery/api.js'
import type { Build, Publication } from '../applivery/types.js'
import { InputError } from '../settings/inputs.js'
import type { InstallPageContext } from './context.js'
import type { InstallPageTarget } from '../settings/index.js'
import { applicationIdOf } from './body.js'
import { derivedSlug, normaliseSlug } from '../applivery/slug.js'

/** The app as its builds describe it. */
export interface AppIdentity {
  id?: string
  slug?: string
  name?: string
}

export interface LocatedInstallPage {
  api: PublicationsApi
  slug: string
  app: AppIdentity
}

export function appOf(build: Build | undefined): AppIdentity {
  const info = (build?.applicationInfo ?? {}) as AppIdentity
  const application = build?.application
  const id = info.id ?? (typeof application === 'string' ? application : (application as AppIdentity | undefined)?.id)
  return { id, slug: info.slug || undefined, name: info.name || undefined }
}

/** `app` with what `known` says of it on top (its undefined fields left out). */
export function withKnown(app: AppIdentity, known: AppIdentity): AppIdentity {
  return { ...app, ...Object.fromEntries(Object.entries(known).filter(([, value]) => value !== undefined)) }
}

/** The store's id: the input, or the organization's only App Store. */
async function storeIdFor(ctx: InstallPageContext, target: InstallPageTarget): Promise<string | undefined> {
  if (ctx.scope.kind !== 'workspace' || target.storeId !== undefined) return target.storeId
  const stores = await ctx.publications.listStores()
  if (stores.length === 1) return stores[0].id
  if (stores.length === 0) {
    throw new Error(
      `Organization ${ctx.scope.organizationId} has no App Store, where the Workspace API keeps install pages; create one in Applivery`
    )
  }
  const ids = stores.map((store) => store.id).join(', ')
  throw new InputError(
    'store-id',
    `is required: organization ${ctx.scope.organizationId} has ${stores.length} App Stores (${ids}); set it to one of them`
  )
}

/** The app, from the build acted on, or else the newest build: Applivery's builds carry their app's slug. */
async function appFor(ctx: InstallPageContext, build: Build | undefined): Promise<AppIdentity> {
  const known = appOf(build)
  if (known.slug) return known
  const newest = (await ctx.api.listPage({ page: 1, limit: 1 })).items[0]
  const app = withKnown(appOf(newest), known)
  if (ctx.scope.kind === 'workspace') app.id = ctx.scope.appId
  return app
}

/**
 * The page with the slug, read whole (a list may answer less of each page, and a PUT replaces all of it), if it
 * is this app's. A slug is unique across the workspace, whose App Store holds every app's pages: a page of
 * another app, or one whose app the Workspace API does not say, is not this step's to change.
 */
export async function readOwnInstallPage(ctx: InstallPageContext, page: LocatedInstallPage): Promise<Publication | undefined> {
  const listed = await page.api.findPublication(page.slug)
  if (!listed) return undefined
  const whole = { ...listed, ...(await page.api.getPublication(listed.id)) }
  const owner = applicationIdOf(whole)
  const app = ctx.scope.kind === 'workspace' ? ctx.scope.appId : page.app.id
  const unknownInWorkspace = ctx.scope.kind === 'workspace' && owner === undefined
  if (unknownInWorkspace || (owner !== undefined && app !== undefined && owner !== app))
    throw new InstallPageOfAnotherApp(page.slug, owner ?? 'unknown')
  return whole
}

/** A slug held by a page this step must not change: another app's (`owner` its id, or hidden from this app's list), or one whose app is not said. */
export class InstallPageOfAnotherApp extends Error {
  override name = 'InstallPageOfAnotherApp'

  constructor(slug: string, owner: string | 'hidden' | 'unknown') {
    const taken = `Publication slug '${slug}' is used by`
    const fix = 'Slugs are unique across the workspace: set slug to another one.'
    super(
      owner === 'unknown'
        ? `${taken} an install page that Applivery does not say belongs to this app; not changing it. ${fix}`
        : `${taken} the install page of another app${owner === 'hidden' ? '' : ` (${owner})`} in this Applivery workspace. ${fix}`
    )
  }
}

export async function locateInstallPage(ctx: InstallPageContext, target: InstallPageTarget, build?: Build): Promise<LocatedInstallPage> {
  const app = await appFor(ctx, build)
  let slug = target.slug
  if (slug === undefined) {
    // Slugs are unique across the workspace: the app's own slug keeps two apps' pages for one branch apart.
    const appKey = app.slug ?? (app.name ? normaliseSlug(app.name) : app.id)
    if (!appKey) {
      throw new InputError('slug', 'is needed: the app has no build yet to read its slug from, so none can be derived; set slug')
    }
    slug = derivedSlug(appKey, target.runKey!)
  }
  const api = ctx.publications.publicationsAt(await storeIdFor(ctx, target))
  ctx.report.app = app
  return { api, slug, app }
}
