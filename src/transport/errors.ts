// Failures of a request: the server answered with one (ResponseError), or no answer came (TransportError). The
// retry policy judges both; the services' own errors (Applivery's codes and hints) build on ResponseError.

export interface ResponseFailure {
  operation: string
  httpStatus: number
  /** The service's own error code, when its answer says one. */
  code?: number | string
  /** The service's own message, cut short. */
  apiMessage: string
  /** The response was not the JSON the service answers with (an HTML page from a proxy, a truncated body). */
  malformed?: boolean
  /** The response arrived whole but is past the bounds the action reads (nesting, size): asking again cannot help. */
  unreadable?: boolean
  /** From a Retry-After header, when the server sent a usable one. */
  retryAfterMs?: number
}

/** A request the server answered with a failure: an HTTP error status, or a response that is not what it must be. */
export class ResponseError extends Error {
  readonly operation: string
  readonly httpStatus: number
  readonly code?: number | string
  readonly apiMessage: string
  readonly malformed: boolean
  readonly unreadable: boolean
  readonly retryAfterMs?: number

  constructor(
    failure: ResponseFailure,
    readonly attempts = 1,
    /** What went wrong, as the message says it; default: the service's message. */
    detail: string = failure.apiMessage
  ) {
    super(`${failure.operation} failed${triesText(attempts)} (HTTP ${failure.httpStatus}). ${detail}`)
    this.name = 'ResponseError'
    this.operation = failure.operation
    this.httpStatus = failure.httpStatus
    this.code = failure.code
    this.apiMessage = failure.apiMessage
    this.malformed = failure.malformed ?? false
    this.unreadable = failure.unreadable ?? false
    this.retryAfterMs = failure.retryAfterMs
  }

  /** The same failure, after `attempts` attempts. */
  withAttemptCount(attempts: number): ResponseError {
    return new ResponseError(this, attempts)
  }
}

function triesText(attempts: number): string {
  return attempts > 1 ? ` after ${attempts} attempts` : ''
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

  /** The same failure, after `attempts` attempts of `operation`. */
  withAttemptCount(operation: string, attempts: number): TransportError {
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
