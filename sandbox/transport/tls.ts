// HTTPS for the sandbox: a CA made at start and a server certificate it signs, so a client can trust just the CA.
import { isIP } from 'node:net'
import type { TlsOptions } from '../types.js'

export const DEFAULT_TLS_NAMES: readonly string[] = [
  'localhost',
  '127.0.0.1',
  '::1',
  'api.applivery.test',
  'upload.applivery.test',
  'api.github.test'
]

export interface TlsMaterial {
  /** The CA certificate (PEM) a client trusts. */
  ca: string
  /** The server's certificate and private key (PEM). */
  cert: string
  key: string
}

const DAY_MS = 24 * 60 * 60 * 1000
// EC P-256 and sha256: a few milliseconds per certificate, where RSA 2048 takes a noticeable fraction of a second.
const KEYS = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as const

export async function makeCertificates(options: TlsOptions = {}): Promise<TlsMaterial> {
  const { generate } = await import('selfsigned') // on demand: loading it takes ~100 ms that plain HTTP need not pay
  const names = options.names ?? DEFAULT_TLS_NAMES
  const now = Date.now()
  const ca = await generate([{ name: 'commonName', value: 'Applivery Sandbox CA' }], {
    ...KEYS,
    notBeforeDate: new Date(now - 2 * DAY_MS), // before any expired server certificate, so only that one is at fault
    notAfterDate: new Date(now + 365 * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
    ]
  })
  const server = await generate([{ name: 'commonName', value: names[0] ?? 'localhost' }], {
    ...KEYS,
    ca: { key: ca.private, cert: ca.cert },
    notBeforeDate: new Date(now - (options.expired ? 2 * DAY_MS : 60_000)), // a minute back: tolerates clock skew
    notAfterDate: new Date(now + (options.expired ? -DAY_MS : 365 * DAY_MS)),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names.map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })) }
    ]
  })
  return { ca: ca.cert, cert: server.cert, key: server.private }
}
