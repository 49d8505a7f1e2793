// Public types every part of the sandbox shares: its start options and its record of requests (re-exported from index.ts).
import type { SandboxBehaviour } from './behaviour.js'

export interface SandboxOptions extends SandboxBehaviour {
  host?: string
  apiPort?: number
  uploadPort?: number
  /** Port of the GitHub REST API double (default: any free port). Always plain HTTP. */
  githubPort?: number
  /** Benchmark mode: upload routes count body bytes and answer without parsing or hashing. */
  discard?: boolean
  /** The same tokens at every start (app-token-1-sandbox, ...), for local runs from a committed .env.example. */
  fixedTokens?: boolean
  /** Serve the hosts over HTTPS (see TlsOptions.hosts), with a certificate from a CA made at start (`sandbox.ca`). Fixed at start. */
  tls?: boolean | TlsOptions
}

export interface TlsOptions {
  /** Subject alternative names of the server certificate: DNS names and IP addresses. */
  names?: string[]
  /** Make the server certificate's validity end yesterday. */
  expired?: boolean
  /** The hosts that serve HTTPS (default all three); the others stay plain HTTP, e.g. for an api-url and an upload-url of different schemes. */
  hosts?: RecordedHost[]
}

/** Applivery's hosts. */
export type HostName = 'api' | 'upload'
/** Applivery's hosts and the GitHub REST API double (recorded in `sandbox.githubRequests`). */
export type RecordedHost = HostName | 'github'

export interface RecordedFile {
  field: string
  filename: string
  contentType: string
  size: number
  sha256: string
}

export interface RecordedRequest {
  seq: number
  host: RecordedHost
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  bodyBytes: number
  fields: Record<string, string>
  files: RecordedFile[]
  json?: unknown
  /** 0 while in flight, when a fault dropped the connection, or when the client left during an upload hold. */
  status: number
  response?: unknown
  fault?: string
}
