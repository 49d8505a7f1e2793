// Which install page a step acts on: its App Store (Workspace API), its slug, and the app it belongs to.
import type { PublicationsApi } from '../applivery/api.js'
import type { Build } from '../applivery/types.js'
import { InputError } from '../inputs.js'
import type { OperationContext } from '../operations/operation-context.js'
import type { PageTarget } from '../settings/index.js'
import { derivedSlug, normaliseSlug } from './slug.js'

/** The app as its builds describe it. */
export interface AppIdentity {
  id?: string
  slug?: string
  name?: string
}

export interface LocatedPage {
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
async function storeIdFor(ctx: OperationContext, target: PageTarget): Promise<string | undefined> {
  if (ctx.scope.kind !== 'workspace' || target.storeId !== undefined) return target.storeId
  const stores = await ctx.pages.listStores()
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
async function appFor(ctx: OperationContext, build: Build | undefined): Promise<AppIdentity> {
  const known = appOf(build)
  if (known.slug) return known
  const newest = (await ctx.api.listPage({ page: 1, limit: 1 })).items[0]
  const app = withKnown(appOf(newest), known)
  if (ctx.scope.kind === 'workspace') app.id = ctx.scope.appId
  return app
}

export async function locatePage(ctx: OperationContext, target: PageTarget, build?: Build): Promise<LocatedPage> {
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
  const api = ctx.pages.publicationsAt(await storeIdFor(ctx, target))
  ctx.report.app = app
  return { api, slug, app }
}
