// Applivery's answers: `{status: true, data}` or `{status: false, error: {code, message}}`, whatever the HTTP status.
import { ApiError } from './errors.js'
import type { HttpResponse } from './http.js'
import { parseRetryAfter } from './retry.js'
import type { Envelope, Page } from './types.js'

/** Turns an answer into its `data`, or an ApiError: an HTTP error status or a `status: false` body fails. */
export function unwrap<T>(operation: string, response: HttpResponse): T {
  const { status } = response
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'])
  let envelope: Envelope<T>
  try {
    envelope = JSON.parse(response.body) as Envelope<T>
  } catch {
    throw new ApiError({
      operation,
      httpStatus: status,
      apiMessage: `The answer was not JSON: ${preview(response.body)}`,
      malformed: true,
      retryAfterMs
    })
  }
  if (typeof envelope !== 'object' || envelope === null) {
    throw new ApiError({
      operation,
      httpStatus: status,
      apiMessage: `Unexpected answer: ${preview(response.body)}`,
      malformed: true,
      retryAfterMs
    })
  }
  if (status >= 300 || envelope.status !== true) {
    const message = envelope.error?.message ?? (status >= 300 ? 'no error message' : 'the answer said status: false')
    const details = validationDetails(envelope.error?.data)
    const apiMessage = details ? `${message} (${details})` : message
    throw new ApiError({ operation, httpStatus: status, code: envelope.error?.code, apiMessage, retryAfterMs })
  }
  return envelope.data as T
}

/** A validation error's fields and what is wrong with each: `filter.value: "value" is required`. */
function validationDetails(data: unknown): string | undefined {
  const errors = (data as { errors?: unknown } | undefined)?.errors
  if (!Array.isArray(errors) || errors.length === 0) return undefined
  return errors
    .slice(0, 5)
    .map((entry: { field?: unknown; messages?: unknown }) => {
      const field = Array.isArray(entry?.field) ? entry.field.join('.') : String(entry?.field ?? '?')
      const messages = Array.isArray(entry?.messages) ? entry.messages.join('; ') : ''
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

/** A list answer: `items`, and the pagination fields Applivery's lists send, where present. */
export function pageOf<T>(operation: string, data: unknown): Page<T> {
  const fields = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>
  if (!Array.isArray(fields.items)) {
    throw new ApiError({ operation, httpStatus: 200, apiMessage: 'The answer has no items list', malformed: true })
  }
  const page: Page<T> = { items: fields.items as T[] }
  if (typeof fields.hasNextPage === 'boolean') page.hasNextPage = fields.hasNextPage
  for (const key of ['totalDocs', 'totalPages', 'page', 'limit', 'nextPage'] as const) {
    const value = fields[key]
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) page[key] = value
  }
  return page
}
