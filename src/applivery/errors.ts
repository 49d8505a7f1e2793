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

/** A request Applivery answered with a failure (an HTTP error status or a `status: false` body). */
export class ApiError extends Error {
  constructor(
    readonly operation: string,
    readonly httpStatus: number,
    readonly code: number | string | undefined,
    readonly apiMessage: string,
    readonly attempts = 1
  ) {
    super(describe(operation, httpStatus, code, apiMessage, attempts))
    this.name = 'ApiError'
  }
}

function describe(
  operation: string,
  httpStatus: number,
  code: number | string | undefined,
  apiMessage: string,
  attempts: number
): string {
  const what = code === undefined ? apiMessage : `Applivery error ${code}: ${apiMessage}`
  const tries = attempts > 1 ? ` after ${attempts} attempts` : ''
  const hint = hintFor(code)
  return `${operation} failed${tries} (HTTP ${httpStatus}). ${what}${hint ? `\nHint: ${hint}` : ''}`
}

/** A failure that happened before or instead of an answer: network errors, timeouts, refused redirects. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    /** Whether the whole request body had been written when the failure happened. */
    readonly bodySent: boolean
  ) {
    super(message)
    this.name = 'TransportError'
  }
}
