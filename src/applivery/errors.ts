// Applivery's failures: its documented error codes, turned into messages a pipeline owner can act on.
import { ResponseError, type ResponseFailure } from '../transport/errors.js'

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

/** A request Applivery answered with a failure (an HTTP error status, a `status: false` body, or no envelope). */
export class ApiError extends ResponseError {
  constructor(failure: ResponseFailure, attempts = 1) {
    super(failure, attempts, detailOf(failure))
    this.name = 'ApiError'
  }

  override withAttemptCount(attempts: number): ApiError {
    return new ApiError(this, attempts)
  }
}

/** Applivery's code and message, and what to do about a known code. */
function detailOf({ code, apiMessage }: ResponseFailure): string {
  const what = code === undefined ? apiMessage : `Applivery error ${code}: ${apiMessage}`
  const hint = hintFor(code)
  return `${what}${hint ? `\nHint: ${hint}` : ''}`
}

/** Applivery said the build does not exist (a proxy's HTML 404 does not count). */
export function isGone(err: unknown): boolean {
  return err instanceof ApiError && !err.malformed && (err.httpStatus === 404 || Number(err.code) === 3001)
}
