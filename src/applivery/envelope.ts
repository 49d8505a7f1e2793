// Applivery's answers: `{status: true, data}` or `{status: false, error: {code, message}}`, whatever the HTTP status.
// An answer is outside text: it is parsed within bounds, and what an error quotes of it is cut short.
import { jsonBoundsProblem } from '../transport/json-bounds.js'
import { ApiError } from './errors.js'
import type { HttpResponse } from '../transport/http.js'
import { parseRetryAfter } from '../transport/retry.js'
import type { Envelope, Page } from './types.js'

/** Turns an answer into its `data`, or an ApiError: an HTTP error status or a `status: false` body fails. */
export function unwrap<T>(operation: string, response: HttpResponse): T {
  const { status } = response
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'])
  let envelope: Envelope<T>
  const text = response.body.toString('utf8')
  const problem = jsonBoundsProblem(text)
  if (problem) {
    const apiMessage = `The answer was not read: ${problem}`
    throw new ApiError({ operation, httpStatus: status, apiMessage, malformed: true, unreadable: true, retryAfterMs })
  }
  try {
    envelope = JSON.parse(text) as Envelope<T>
  } catch {
    throw new ApiError({
      operation,
      httpStatus: status,
      apiMessage: `The answer was not JSON: ${preview(text)}`,
      malformed: true,
      retryAfterMs
    })
  }
  if (typeof envelope !== 'object' || envelope === null) {
    throw new ApiError({
      operation,
      httpStatus: status,
      apiMessage: `Unexpected answer: ${preview(text)}`,
      malformed: true,
      retryAfterMs
    })
  }
  if (status >= 300 || envelope.status !== true) {
    const error = (typeof envelope.error === 'object' && envelope.error !== null ? envelope.error : {}) as NonNullable<Envelope<T>['error']>
    const message =
      error.message !== undefined ? quoted(error.message) : status >= 300 ? 'no error message' : 'the answer said status: false'
    const details = validationDetails(error.data)
    const apiMessage = details ? `${message} (${details})` : message
    const code = typeof error.code === 'number' || typeof error.code === 'string' ? quoted(error.code, MAX_CODE) : undefined
    throw new ApiError({ operation, httpStatus: status, code, apiMessage, retryAfterMs })
  }
  return envelope.data as T
}

/** How much of an answer's own message an error quotes; a code is shorter still. */
const MAX_QUOTED = 300
const MAX_CODE = 20

/** Text from an answer, for an error message: as text, cut short. */
function quoted(value: unknown, max = MAX_QUOTED): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))
  return text.length > max ? `${text.slice(0, max)}... (${text.length} characters)` : text
}

/** A validation error's fields and what is wrong with each: `filter.value: "value" is required`. */
function validationDetails(data: unknown): string | undefined {
  const errors = (data as { errors?: unknown } | undefined)?.errors
  if (!Array.isArray(errors) || errors.length === 0) return undefined
  return errors
    .slice(0, 5)
    .map((entry: { field?: unknown; messages?: unknown }) => {
      const field = quoted(Array.isArray(entry?.field) ? entry.field.join('.') : (entry?.field ?? '?'), 60)
      const messages = Array.isArray(entry?.messages) ? quoted(entry.messages.join('; '), 120) : ''
      return messages ? `${field}: ${messages}` : field
    })
    .join(', ')
}

/** An HTML error page or a broken body, flattened and cut short for a message. */
function preview(text: string): string {
  const flat = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat || '(empty body)'
}

/** Whether a list answer says there is no page after this one; an answer without pagination fields never does. */
export function isLastPage(result: Page<unknown>, page: number, walked: number): boolean {
  if (result.hasNextPage === false) return true
  if (result.totalPages !== undefined && (result.page ?? page) >= result.totalPages) return true
  return result.totalDocs !== undefined && walked >= result.totalDocs
}

/** A list answer: `items`, each made by `item` (undefined: not one), and the pagination fields Applivery's lists send, where present. */
export function pageOf<T>(operation: string, data: unknown, item: (value: unknown) => T | undefined): Page<T> {
  const fields = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>
  if (!Array.isArray(fields.items)) {
    throw new ApiError({ operation, httpStatus: 200, apiMessage: 'The answer has no items list', malformed: true })
  }
  const items: T[] = []
  for (const [i, value] of fields.items.entries()) {
    const made = item(value)
    if (made === undefined) {
      const apiMessage = `Item ${i + 1} of the list is not an object with an id: ${quoted(value, 100)}`
      throw new ApiError({ operation, httpStatus: 200, apiMessage, malformed: true })
    }
    items.push(made)
  }
  const page: Page<T> = { items }
  if (typeof fields.hasNextPage === 'boolean') page.hasNextPage = fields.hasNextPage
  for (const key of ['totalDocs', 'totalPages', 'page', 'limit', 'nextPage'] as const) {
    const value = fields[key]
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) page[key] = value
  }
  return page
}
