// A derived slug: `<app slug>-<run key>`, made to fit Applivery's rule (see settings/publication.ts).
import { createHash } from 'node:crypto'
import { SLUG_LENGTH } from '../settings/publication.js'

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
