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
  /** The answer arrived whole but is past the bounds the action reads (nesting, size): asking again cannot help. */
  unreadable?: boolean
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
  readonly unreadable: boolean
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
    this.unreadable = failure.unreadable ?? false
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
  /** Trying again cannot help (an untrusted certificate, credentials a proxy refused, a refused redirect). */
  readonly final: boolean
  readonly attempts: number

  constructor(
    message: string,
    readonly code: string | undefined,
    /** Whether the whole request body had been written when the failure happened. */
    readonly bodySent: boolean,
    { final, attempts = 1 }: { final?: boolean; attempts?: number } = {}
  ) {
    super(message)
    this.name = 'TransportError'
    this.final = final ?? FINAL_CODES.has(code ?? '')
    this.attempts = attempts
  }

  withAttempts(operation: string, attempts: number): TransportError {
    return new TransportError(`${operation} failed${triesText(attempts)}: ${this.message}`, this.code, this.bodySent, {
      final: this.final,
      attempts
    })
  }
}

/** OpenSSL's verification failures, as Node reports them: a certificate that is not trusted for this host. */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID'
])

/** Failures that trying again cannot mend: a refused redirect, proxy settings or credentials, a certificate. */
const FINAL_CODES = new Set(['EREDIRECT', 'EPROXYAUTH', 'EPROXYCONFIG', ...CERTIFICATE_CODES])

export const TRUST_A_CA_HINT =
  "If a proxy or firewall re-signs TLS traffic with a corporate CA, trust that CA in the step's env: " +
  "NODE_EXTRA_CA_CERTS set to its PEM file, or NODE_USE_SYSTEM_CA=1 to use the system's certificate store (Node 24)."

/** A certificate issued for other names: trusting a CA does not mend it; the URL, or what answers for it, is wrong. */
const NAME_MISMATCH_CODES = new Set(['HOSTNAME_MISMATCH', 'ERR_TLS_CERT_ALTNAME_INVALID'])

function nameMismatchHint(host: string): string {
  return (
    `The certificate was issued for other host names than ${host}: check the host in api-url and upload-url. ` +
    'If a proxy or firewall intercepts TLS, it answered with a certificate for another name; ' +
    'ask its administrators, or set NO_PROXY for this host if it must be reached directly.'
  )
}

/** A certificate failure as a final error naming the host, the reason and what to do; undefined for other errors. */
export function certificateFailure(err: Error & { code?: string }, where: string, host: string): TransportError | undefined {
  if (!err.code || !CERTIFICATE_CODES.has(err.code)) return undefined
  // Node 24 adds its own advice (--use-system-ca) to some reasons; the hint below gives both ways.
  const reason = err.message.replace(/; if the root CA is installed locally.*$/s, '').replace(/\.$/, '')
  const hint = NAME_MISMATCH_CODES.has(err.code) ? nameMismatchHint(host) : TRUST_A_CA_HINT
  return new TransportError(`${where}: the TLS certificate of ${host} was not accepted (${reason}). ${hint}`, err.code, false)
}
