// Install page slugs: Applivery's rule, and a derived slug `<app slug>-<run key>` made to fit it.
import { createHash } from 'node:crypto'

/** Applivery's slug rule, as its guide states it (lower case, so a derived slug is lower-cased too). */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/
export const SLUG_LENGTH = { min: 3, max: 128 }
export const SLUG_RULE = `${SLUG_LENGTH.min} to ${SLUG_LENGTH.max} lower-case letters, digits and '-', starting and ending with a letter or digit`

/** Lower case, every other run of characters one '-', and a short hash of the whole when too short or too long. */
export function normaliseSlug(raw: string): string {
  const slug = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents go, their letters stay
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  if (slug.length >= SLUG_LENGTH.min && slug.length <= SLUG_LENGTH.max) return slug
  // The hash keeps two long names that share their start from becoming the same slug.
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 8)
  const head = slug.slice(0, SLUG_LENGTH.max - hash.length - 1).replace(/-+$/, '')
  return head ? `${head}-${hash}` : hash
}

export function derivedSlug(appSlug: string, runKey: string): string {
  return normaliseSlug(`${appSlug}-${runKey}`)
}
