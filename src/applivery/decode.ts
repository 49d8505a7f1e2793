// Applivery's answers as the types the action reads. An answer is outside text: it may hold a field of another
// type than documented. A build or an install page must have an id; the fields the action reads are made the type
// it expects (the rest are kept as sent).
import type { Build, Publication } from './types.js'

/** The longest id taken: Applivery's are 24 hex digits. */
export const MAX_ID_LENGTH = 128

type Fields = Record<string, unknown>

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A string field as a string: numbers and booleans as text, anything else left out. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined
}

/** Printable ASCII without white space: Applivery's ids are hex, and an id goes into paths and log lines. */
const ID_CHARACTERS = /^[!-~]+$/

/** An id: a string (or number) of printable characters, at most MAX_ID_LENGTH of them. */
export function idOf(value: unknown): string | undefined {
  const id = text(value)
  return id !== undefined && id.length <= MAX_ID_LENGTH && ID_CHARACTERS.test(id) ? id : undefined
}

/** Only the string-valued keys of an object, each as text. */
function texts(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined
  const out: Record<string, string> = {}
  for (const [key, field] of Object.entries(value)) {
    const t = text(field)
    if (t !== undefined) out[key] = t
  }
  return out
}

/** `value` with each listed field replaced by what `as` makes of it (left out when undefined). */
function shaped(value: Fields, fields: Record<string, (field: unknown) => unknown>): Fields {
  const out: Fields = { ...value }
  for (const [key, as] of Object.entries(fields)) {
    if (!(key in value)) continue
    const made = as(value[key])
    if (made === undefined) delete out[key]
    else out[key] = made
  }
  return out
}

const BUILD_FIELDS: Record<string, (field: unknown) => unknown> = {
  status: (v) => text(v) ?? 'unknown',
  versionName: text,
  os: text,
  buildPlatform: text,
  createdAt: text,
  updatedAt: text,
  error: text,
  errorCode: text,
  size: (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined),
  tags: (v) => (Array.isArray(v) ? v.filter((tag): tag is string => typeof tag === 'string') : undefined),
  processLogs: (v) => (Array.isArray(v) ? v : undefined),
  files: (v) => (Array.isArray(v) ? v.filter(isObject) : undefined),
  applicationInfo: texts,
  application: (v) => (isObject(v) ? texts(v) : text(v)),
  deployer: (v) => (isObject(v) ? shaped(v, { name: text, info: texts }) : undefined)
}

/** A build from an answer: an object with an id, its fields of the types the action reads; otherwise undefined. */
export function buildOf(value: unknown): Build | undefined {
  if (!isObject(value)) return undefined
  const id = idOf(value.id)
  if (id === undefined) return undefined
  return { ...shaped(value, BUILD_FIELDS), id, status: text(value.status) ?? 'unknown' } as Build
}

const PUBLICATION_FIELDS: Record<string, (field: unknown) => unknown> = {
  distributionUrl: text,
  security: text,
  visibility: text,
  application: (v) => (isObject(v) ? texts(v) : text(v)),
  filter: (v) => (isObject(v) ? v : undefined)
}

/** An install page from an answer: an object with an id and a slug; otherwise undefined. */
export function publicationOf(value: unknown): Publication | undefined {
  if (!isObject(value)) return undefined
  const id = idOf(value.id)
  if (id === undefined) return undefined
  return { ...shaped(value, PUBLICATION_FIELDS), id, slug: text(value.slug) ?? '' } as Publication
}

/** What an answer's `data` must be: `decode` makes it, or says it is not one (undefined). */
export interface Decoder<T> {
  what: string
  decode(data: unknown): T | undefined
}

export const BUILD: Decoder<Build> = { what: 'build', decode: buildOf }
export const PUBLICATION: Decoder<Publication> = { what: 'install page', decode: publicationOf }

/** Something with an id, as lists of App Stores hold. */
export function withIdOf(value: unknown): { id: string } | undefined {
  if (!isObject(value)) return undefined
  const id = idOf(value.id)
  return id === undefined ? undefined : { ...value, id }
}
