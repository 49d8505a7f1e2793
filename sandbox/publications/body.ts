// A publication's JSON body: checked the way Applivery's Joi validation answers (6002 with data.errors), and the
// stored publication it makes. Create and update (a full replacement) take the same body.
import type { ApiKind } from '../builds/routes.js'
import type { FieldError } from '../transport/http.js'
import type { PinnedBuild, PublicationFields, StoredPublication } from './types.js'

const SECURITY = ['public', 'password', 'logged']
const VISIBILITY = ['active', 'unlisted', 'inactive']
const FILTER_TYPES = ['last', 'build', 'builds', 'gitBranch', 'gitTag', 'tag']
const NEEDS_VALUE = ['gitBranch', 'gitTag', 'tag']
const PIN_KEYS = ['ios', 'android', 'macos', 'windows'] as const
const BUILD_PLATFORMS = ['ios', 'macos', 'android', 'windows', 'ps4', 'ps5', 'switch', 'xbox-one', 'xbox-series']
/** Lowercase only: whether the real API takes uppercase is not established, so a client must lowercase. */
const SLUG = /^[a-z0-9][a-z0-9-]*[a-z0-9]$/
const BOOLEANS = ['showHistory', 'showDevInfo', 'activateUserAudiences', 'hideAttachedFiles']
const STRING_LISTS = ['tags', 'allowedCountries', 'blockedCountries']
/** Set by the server, whatever the body says (a client may PUT back what it read). */
const SERVER_FIELDS = ['id', 'application', 'distributionUrl', 'createdAt', 'updatedAt']

type Json = Record<string, unknown>
type Path = FieldError['field']
interface StringRules {
  required?: boolean
  /** '' accepted (Joi's allow('')). */
  empty?: boolean
  oneOf?: string[]
  min?: number
  max?: number
  pattern?: RegExp
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Joi's checks and messages, one error per field (its first broken rule). */
class Checker {
  readonly errors: FieldError[] = []

  add(field: Path, type: string, text: string): undefined {
    this.errors.push({ field, location: 'body', messages: [`"${field[field.length - 1]}" ${text}`], types: [type] })
    return undefined
  }

  /** The value when it is a valid string, so checks that depend on it can go on. */
  string(path: Path, value: unknown, rules: StringRules = {}): string | undefined {
    const { required, empty, oneOf, min, max, pattern } = rules
    if (value === undefined) return required ? this.add(path, 'any.required', 'is required') : undefined
    if (typeof value !== 'string') return this.add(path, 'string.base', 'must be a string')
    if (value === '' && !empty) return this.add(path, 'any.empty', 'is not allowed to be empty')
    if (oneOf && !oneOf.includes(value)) return this.add(path, 'any.allowOnly', `must be one of [${oneOf.join(', ')}]`)
    if (min !== undefined && value.length < min) return this.add(path, 'string.min', `length must be at least ${min} characters long`)
    if (max !== undefined && value.length > max)
      return this.add(path, 'string.max', `length must be less than or equal to ${max} characters long`)
    if (pattern && !pattern.test(value))
      return this.add(path, 'string.regex.base', `with value "${value}" fails to match the required pattern: ${pattern}`)
    return value
  }

  boolean(path: Path, value: unknown): void {
    if (value !== undefined && typeof value !== 'boolean') this.add(path, 'boolean.base', 'must be a boolean')
  }

  object(path: Path, value: unknown, required = false): Json | undefined {
    if (value === undefined) return required ? this.add(path, 'any.required', 'is required') : undefined
    return isObject(value) ? value : this.add(path, 'object.base', 'must be an object')
  }

  array(path: Path, value: unknown): unknown[] | undefined {
    if (value === undefined) return undefined
    return Array.isArray(value) ? value : this.add(path, 'array.base', 'must be an array')
  }

  stringList(path: Path, value: unknown): void {
    this.array(path, value)?.forEach((item, i) => this.string([...path, i], item, { empty: true }))
  }
}

/** Every error of a create or update body; `tokenAppId`: the Integrations API's app, the only `application` it takes. */
export function validatePublication(body: Json, api: ApiKind, tokenAppId?: string, needApplication = false): FieldError[] {
  const c = new Checker()
  c.string(['slug'], body.slug, { required: true, min: 3, max: 128, pattern: SLUG })
  const security = c.string(['security'], body.security, { required: true, oneOf: SECURITY })
  c.string(['visibility'], body.visibility, { required: true, oneOf: VISIBILITY })
  // A client may send password "" with a public page (one does); a password page needs a real one.
  c.string(['password'], body.password, { required: security === 'password', empty: security !== 'password' })
  checkFilter(c, body.filter)
  if (api === 'workspace') c.string(['application'], body.application, { required: true })
  else
    c.string(['application'], body.application, { required: needApplication, oneOf: tokenAppId === undefined ? undefined : [tokenAppId] })
  for (const key of BOOLEANS) c.boolean([key], body[key])
  for (const key of STRING_LISTS) c.stringList([key], body[key])
  c.array(['groups'], body.groups)?.forEach((group, i) => c.stringList(['groups', i], group))
  c.array(['userAudienceMap'], body.userAudienceMap)
  c.object(['configuration'], body.configuration)
  const terms = c.object(['terms'], body.terms)
  if (terms) {
    c.boolean(['terms', 'active'], terms.active)
    c.string(['terms', 'text'], terms.text, { empty: true })
  }
  return c.errors
}

function checkFilter(c: Checker, value: unknown): void {
  const filter = c.object(['filter'], value, true)
  if (!filter) return
  const type = c.string(['filter', 'type'], filter.type, { required: true, oneOf: FILTER_TYPES }) ?? ''
  const needsValue = NEEDS_VALUE.includes(type)
  c.string(['filter', 'value'], filter.value, { required: needsValue, empty: !needsValue })
  for (const key of PIN_KEYS) c.string(['filter', key], filter[key])
  c.array(['filter', 'builds'], filter.builds)?.forEach((item, i) => {
    const pin = c.object(['filter', 'builds', i], item, true)
    if (!pin) return
    c.string(['filter', 'builds', i, 'buildPlatform'], pin.buildPlatform, { required: true, oneOf: BUILD_PLATFORMS })
    c.string(['filter', 'builds', i, 'id'], pin.id, { required: true })
  })
  if ((type === 'build' || type === 'builds') && pinnedBuilds(filter).length === 0) {
    c.add(['filter'], 'object.missing', 'must contain at least one of [ios, android, macos, windows, builds]')
  }
}

/** The builds a filter pins: the per-OS keys (ios, android, macos, windows) first, then `builds[]`, as given. */
export function pinnedBuilds(filter: Json): PinnedBuild[] {
  const pins: PinnedBuild[] = []
  for (const key of PIN_KEYS) {
    const id = filter[key]
    if (typeof id === 'string' && id) pins.push({ buildPlatform: key, id })
  }
  for (const item of Array.isArray(filter.builds) ? filter.builds : []) {
    if (isObject(item) && typeof item.id === 'string' && item.id) pins.push({ buildPlatform: String(item.buildPlatform), id: item.id })
  }
  return pins
}

export interface ServerFields {
  id: string
  application: string
  distributionUrl: string
  createdAt: string
  updatedAt: string
}

/** What omitted fields go back to: a PUT is a full replacement. Fresh objects on every call. */
function defaults(): Omit<PublicationFields, 'slug' | 'filter' | 'security' | 'visibility' | 'password'> {
  return {
    tags: [],
    groups: [],
    showHistory: false,
    showDevInfo: false,
    activateUserAudiences: false,
    userAudienceMap: [],
    configuration: {},
    terms: { active: false, text: '' },
    allowedCountries: [],
    blockedCountries: [],
    hideAttachedFiles: false
  }
}

/** The stored publication a valid body makes: defaults, then the body as sent (unknown fields too), then the server's fields. */
export function publicationFrom(body: Json, server: ServerFields): StoredPublication {
  const sent = structuredClone(body)
  for (const key of [...SERVER_FIELDS, 'password']) delete sent[key]
  const base = defaults()
  const sentTerms = sent.terms
  const terms = { ...base.terms, ...(isObject(sentTerms) ? sentTerms : {}) }
  // Only fixes the answer's key order (identity and the page's settings first, as the contract lists them); filled in below.
  const { id, distributionUrl, application } = server
  const head = {
    id,
    slug: sent.slug,
    distributionUrl,
    application,
    filter: sent.filter,
    security: sent.security,
    visibility: sent.visibility
  }
  const pub = Object.assign(head, base, sent, { terms }, server) as StoredPublication
  if (typeof body.password === 'string') pub.password = body.password
  return pub
}
