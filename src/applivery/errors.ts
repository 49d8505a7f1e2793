// Applivery's documented error codes, turned into messages a pipeline owner can act on.

const HINTS: Record<string, string> = {
  '3001':
    'Applivery does not know this build or app. Check build-id, and that the token belongs to this app ' +
    '(App API token) or that organization-id and app-id are right (Service Account token).',
  '3002': 'The token has expired. Create a new one in Applivery and update the secret passed as token.',
  '4002': 'No token reached Applivery. Check that the secret passed as token is set for this workflow.',
  '4004':
    'Applivery rejected the token. An App API token works without organization-id and app-id (Integrations API); ' +
    'a Service Account token needs both (Workspace API).',
  '5006':
    'Applivery rejected the file. Check that file points to a build (.ipa, .apk, .aab, .dmg, .pkg, .exe, .msi, ' +
    '.msix, .appx, .nsp, .zip, .tar.gz) and that it is not truncated.',
  '5014':
    'The build is still being processed. Delete and attach wait for processing on their own; ' +
    'raise wait-timeout if processing takes longer.',
  '5024': 'The slug is already used by another entity in Applivery. Choose a different one.'
}

export function hintFor(code: number | string | undefined): string | undefined {
  return code === undefined ? undefined : HINTS[String(code)]
}

export interface ApiFailure {
  operation: string
  httpStatus: number
  code?: number | string
  apiMessage: string
  /** The answer was not a JSON envelope (an HTML page from a proxy, a truncated body). */
  malformed?: boolean
  /** From a Retry-After header, when the server sent a usable one. */
  retryAfterMs?: number
}

/** A request Applivery answered with a failure (an HTTP error status, a `status: false` body, or no envelope). */
export class ApiError extends Error {
  readonly operation: string
  readonly httpStatus: number
  readonly code?: number | string
  readonly apiMessage: string
  readonly malformed: boolean
  readonly retryAfterMs?: number

  constructor(
    failure: ApiFailure,
    readonly attempts = 1
  ) {
    super(describe(failure, attempts))
    this.name = 'ApiError'
    this.operation = failure.operation
    this.httpStatus = failure.httpStatus
    this.code = failure.code
    this.apiMessage = failure.apiMessage
    this.malformed = failure.malformed ?? false
    this.retryAfterMs = failure.retryAfterMs
  }

  withAttempts(attempts: number): ApiError {
    return new ApiError(this, attempts)
  }
}

function describe(failure: ApiFailure, attempts: number): string {
  const { operation, httpStatus, code, apiMessage } = failure
  const what = code === undefined ? apiMessage : `Applivery error ${code}: ${apiMessage}`
  const hint = hintFor(code)
  return `${operation} failed${triesText(attempts)} (HTTP ${httpStatus}). ${what}${hint ? `\nHint: ${hint}` : ''}`
}

function triesText(attempts: number): string {
  return attempts > 1 ? ` after ${attempts} attempts` : ''
}

/** Applivery said the build does not exist (a proxy's HTML 404 does not count). */
export function isGone(err: unknown): boolean {
  return err instanceof ApiError && !err.malformed && (err.httpStatus === 404 || Number(err.code) === 3001)
}

/** A failure that happened before or instead of an answer: network errors, timeouts, refused redirects. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    /** Whether the whole request body had been written when the failure happened. */
    readonly bodySent: boolean,
    readonly attempts = 1
  ) {
    super(message)
    this.name = 'TransportError'
  }

  withAttempts(operation: string, attempts: number): TransportError {
    return new TransportError(`${operation} failed${triesText(attempts)}: ${this.message}`, this.code, this.bodySent, attempts)
  }
}
