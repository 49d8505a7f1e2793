// The page a list answers (of builds, and of publications and stores too), in the documented form ({items}) or
// mongoose-paginate-v2's, and the refusal of large pages.
import type { ListForm } from '../behaviour.js'
import { fail, type Reply } from '../transport/http.js'

export const DEFAULT_LIMIT = 25

/** A positive integer query value; `fallback` when absent; undefined when malformed. */
export function positiveInt(value: string | undefined, fallback: number): number | undefined {
  if (value === undefined) return fallback
  return /^[1-9]\d*$/.test(value) ? Number(value) : undefined
}

/** `page` and `limit` (clamped to `maxPageSize`) from a list's query, or the answer to malformed ones. */
export function pageRequest(query: Record<string, string>, maxPageSize: number): PageRequest | Reply {
  const page = positiveInt(query.page, 1)
  const limit = positiveInt(query.limit, DEFAULT_LIMIT)
  if (page === undefined || limit === undefined) return fail(400, 400, 'Invalid query')
  return { page, size: Math.min(limit, maxPageSize) }
}

export interface PageRequest {
  page: number
  /** The page size actually used, after the maxPageSize clamp. */
  size: number
}

export function pageData<T>(all: T[], { page, size }: PageRequest, form: ListForm): unknown {
  const items = all.slice((page - 1) * size, page * size)
  if (form === 'items') return { items } // as documented: no totals
  const totalDocs = all.length
  const totalPages = Math.ceil(totalDocs / size) || 1 // mongoose-paginate-v2 counts an empty result as one page
  const hasNextPage = page < totalPages
  const hasPrevPage = page > 1
  return {
    items,
    totalDocs,
    limit: size,
    page,
    totalPages,
    hasNextPage,
    hasPrevPage,
    nextPage: hasNextPage ? page + 1 : null,
    prevPage: hasPrevPage ? page - 1 : null
  }
}

/** The answer of a server that validates `limit` (Joi's message) rather than clamping it. */
export function limitRefusal(limit: number, max: number | undefined, status: 400 | 422): Reply | undefined {
  if (max === undefined || limit <= max) return undefined
  return fail(status, status, `"limit" must be less than or equal to ${max}`)
}
