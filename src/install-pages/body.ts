// What a publication should say: its filter and body, from the settings, the build and the publication as it is.
import type { PublicationBody } from '../applivery/api.js'
import type { Build, Publication, PublicationFilter } from '../applivery/types.js'
import type { InstallPageSettings } from '../settings/index.js'

/** The per-OS keys a filter pins a build with (`filter.ios`, ...), as documented. */
const PIN_KEYS: readonly string[] = ['ios', 'android', 'macos', 'windows']
/** The platforms a `filter.builds[]` entry may name, as documented. */
const LISTED_PLATFORMS: readonly string[] = ['ios', 'macos', 'android', 'ps4', 'ps5', 'switch', 'xbox-one', 'xbox-series']

/**
 * The fields a PUT takes, as documented. A PUT replaces the whole publication, so those not being changed are
 * sent back as read; read-only ones (id, distributionUrl, dates) are not, as a strict validator refuses them.
 * `application` goes back as its id only: an answer may hold it as an object.
 */
const WRITABLE_FIELDS = [
  'slug',
  'security',
  'visibility',
  'filter',
  'tags',
  'groups',
  'activateUserAudiences',
  'userAudienceMap',
  'showHistory',
  'showDevInfo',
  'configuration',
  'terms',
  'allowedCountries',
  'blockedCountries',
  'hideAttachedFiles',
  'expirationDate'
]

/** The OS a build is pinned under: Applivery's `os`, or the custom platform it was uploaded as. */
export function platformOf(build: Build): string {
  const platform = [build.os, build.buildPlatform]
    .map((value) => String(value ?? '').toLowerCase())
    .find((value) => value && value !== 'unknown')
  if (platform && (PIN_KEYS.includes(platform) || LISTED_PLATFORMS.includes(platform))) return platform
  throw new Error(
    `publication-filter build: Applivery does not say build ${build.id}'s platform (os '${String(build.os ?? '')}'), so it cannot be pinned; choose another filter`
  )
}

/** The builds a filter pins, by OS, whichever of the two documented forms it uses. */
export function pins(filter: PublicationFilter | undefined): Record<string, string> {
  const pinned: Record<string, string> = {}
  if (!filter || (filter.type !== 'builds' && filter.type !== 'build')) return pinned
  for (const key of PIN_KEYS) if (typeof filter[key] === 'string' && filter[key]) pinned[key] = filter[key] as string
  // An answer's builds may not be the documented list.
  const listed: unknown[] = Array.isArray(filter.builds) ? filter.builds : []
  for (const pin of listed as { id?: unknown; buildPlatform?: unknown }[]) {
    if (typeof pin?.id === 'string' && pin.id && typeof pin.buildPlatform === 'string' && pin.buildPlatform)
      pinned[pin.buildPlatform] = pin.id
  }
  return pinned
}

/** Applivery's filter for the settings; `build` pins the build for its OS and keeps the other OSes' pins. */
export function publicationFilter(
  settings: InstallPageSettings['filter'],
  build: Build | undefined,
  current?: PublicationFilter
): PublicationFilter {
  switch (settings.kind) {
    case 'branch':
      return { type: 'gitBranch', value: settings.branch }
    case 'git-tag':
      return { type: 'gitTag', value: settings.tag }
    case 'tags':
      return { type: 'tag', value: settings.tags.join(',') }
    case 'last':
      return { type: 'last' }
    case 'build': {
      if (!build) throw new Error('publication-filter build: no build to pin')
      const pinned: Record<string, string> = { ...pins(current), [platformOf(build)]: build.id }
      // Both documented forms, each with only the platforms it documents: per-OS keys and a builds list.
      const keys = Object.fromEntries(Object.entries(pinned).filter(([platform]) => PIN_KEYS.includes(platform)))
      const builds = Object.entries(pinned)
        .filter(([platform]) => LISTED_PLATFORMS.includes(platform))
        .map(([buildPlatform, id]) => ({ buildPlatform, id }))
      return { type: 'builds', ...keys, builds }
    }
  }
}

/** One form for comparing: type, value and pins, whatever else the server adds. */
function canonicalFilter(filter: PublicationFilter | undefined): string {
  const pinned = pins(filter)
  const type = filter?.type === 'build' ? 'builds' : filter?.type
  return JSON.stringify([
    type,
    filter?.value ?? '',
    Object.keys(pinned)
      .sort()
      .map((key) => [key, pinned[key]])
  ])
}

export function applicationIdOf(publication: Publication): string | undefined {
  const app = publication.application
  return typeof app === 'string' ? app : app?.id
}

/** The body to send: the publication as read (writable fields only), with the settings' fields over it. */
export function publicationBody(
  settings: InstallPageSettings,
  fields: { slug: string; filter: PublicationFilter; application?: string },
  current?: Publication
): PublicationBody {
  const kept: Record<string, unknown> = {}
  for (const key of WRITABLE_FIELDS) if (current && current[key] !== undefined && current[key] !== null) kept[key] = current[key]
  const application = fields.application ?? (current ? applicationIdOf(current) : undefined)
  const body: PublicationBody = {
    ...kept,
    slug: fields.slug,
    security: settings.security,
    visibility: settings.visibility,
    filter: fields.filter
  }
  if (application !== undefined) body.application = application
  if (settings.password !== undefined) body.password = settings.password
  return body
}

/**
 * Whether `current` already says what `body` would. A password that is not read back cannot be compared: before a
 * write it counts as a change; reading back a write (`password: 'unread'`), what was written is taken as is.
 */
export function isUnchanged(current: Publication, body: PublicationBody, { password = 'compared' } = {}): boolean {
  if (password === 'compared' && body.password !== undefined && current.password !== body.password) return false
  return (
    current.slug === body.slug &&
    current.security === body.security &&
    current.visibility === body.visibility &&
    canonicalFilter(current.filter) === canonicalFilter(body.filter as PublicationFilter) &&
    (body.application === undefined || applicationIdOf(current) === undefined || applicationIdOf(current) === body.application)
  )
}

/** The body as a dry run prints it: the password never. */
export function shownBody(body: PublicationBody): PublicationBody {
  return body.password === undefined ? body : { ...body, password: '***' }
}
