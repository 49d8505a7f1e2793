// `GET /install/{slug}`: the install page a publication's distributionUrl opens, reduced to what a test checks,
// i.e. whether it opens and which build it offers now. No token: anyone with the link may try it.
import type { Store } from '../builds/store.js'
import type { StoredBuild } from '../builds/types.js'
import { notFound, type Reply } from '../transport/http.js'
import { pinnedBuilds } from './body.js'
import type { Publications } from './store.js'
import type { InstallPage, PublicationFilter } from './types.js'

/** The page of `slug`; `query.password` opens a password page, `query.os` picks a pinned build. */
export function installPage(store: Store, publications: Publications, slug: string, query: Record<string, string>): Reply {
  const rec = publications.bySlug(slug)
  if (!rec || rec.pub.visibility === 'inactive') return notFound()
  const { pub } = rec
  if (pub.security === 'password' && query.password !== pub.password) return { status: 401, body: { passwordRequired: true } }
  const page: InstallPage = {
    slug: pub.slug,
    publication: pub.id,
    security: pub.security,
    visibility: pub.visibility,
    build: offeredBuild(store.list(pub.application), pub.filter, query.os) ?? null
  }
  return { status: 200, body: page }
}

/** Where an upload keeps the deployer's fields: `build.deployer.info.{branch,tag,...}` (see builds/fields.ts uploadedBuild). */
function deployerInfo(build: StoredBuild, key: 'branch' | 'tag'): unknown {
  const deployer = build.deployer as { info?: Record<string, unknown> } | undefined
  return deployer?.info?.[key]
}

function splitValue(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
}

/**
 * The build a filter offers among `newestFirst` (the app's builds): only processed ones count. Pinned builds
 * (build, builds) are looked up by id, the one for `os` when given, else the first pinned.
 */
export function offeredBuild(newestFirst: StoredBuild[], filter: PublicationFilter, os: string | undefined): StoredBuild | undefined {
  const ready = newestFirst.filter((b) => b.status === 'processed' || b.status === 'success')
  const value = filter.value
  switch (filter.type) {
    case 'last':
      return ready[0]
    case 'gitBranch':
      return ready.find((b) => deployerInfo(b, 'branch') === value)
    case 'gitTag':
      return ready.find((b) => deployerInfo(b, 'tag') === value)
    case 'tag': {
      const wanted = splitValue(value)
      return ready.find((b) => Array.isArray(b.tags) && wanted.every((t) => (b.tags as unknown[]).includes(t)))
    }
    case 'build':
    case 'builds': {
      const pins = pinnedBuilds(filter)
      const pin = os === undefined ? pins[0] : pins.find((p) => p.buildPlatform === os)
      return pin && ready.find((b) => b.id === pin.id)
    }
  }
}
