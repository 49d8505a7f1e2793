// sandbox.seedPublication(): a publication put straight into the store, as if made earlier through either API.
import { newId, type Store } from '../builds/store.js'
import { defaultStoreOf, storeIdsOf } from './app-stores.js'
import { publicationFrom } from './body.js'
import { installUrl, type Publications } from './store.js'
import type { SeedPublication, StoredPublication } from './types.js'

export interface SeedTarget {
  store: Store
  publications: Publications
  apiUrl: string
  /** The `stores` setting now. */
  stores: number
}

/** Defaults: app-1, security logged, visibility unlisted, filter last, the app's organization's first store. Throws on a used slug. */
export function seedPublication({ store, publications, apiUrl, stores }: SeedTarget, partial: SeedPublication): StoredPublication {
  const { appId = store.appId, storeId, createdAt, ...fields } = partial
  const app = store.app(appId)
  if (!app) throw new Error(`seedPublication: unknown app ${appId}`)
  const org = app.organizationId
  if (storeId !== undefined && !storeIdsOf(org, stores).includes(storeId))
    throw new Error(`seedPublication: ${org} has no store ${storeId}`)
  let n = publications.all().length + 1
  while (fields.slug === undefined && publications.slugTaken(org, `seed-${n}`)) n++
  const slug = fields.slug ?? `seed-${n}`
  if (publications.slugTaken(org, slug)) throw new Error(`seedPublication: slug ${slug} is already used in ${org}`)
  const createdIso = new Date(createdAt ?? store.nextTimestamp()).toISOString()
  const body = { security: 'logged', visibility: 'unlisted', filter: { type: 'last' }, ...fields, slug }
  const pub = publicationFrom(body, {
    id: fields.id ?? newId(),
    application: app.id,
    distributionUrl: installUrl(apiUrl, slug),
    createdAt: createdIso,
    updatedAt: createdIso
  })
  publications.add(org, storeId ?? defaultStoreOf(org, stores), pub)
  return structuredClone(pub)
}
