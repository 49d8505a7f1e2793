// Public types shared by the sandbox modules (re-exported from index.ts).

export interface SandboxOptions {
  host?: string
  apiPort?: number
  uploadPort?: number
  /** Time from upload to a terminal status: pending for the first half, in_progress for the second. */
  processingDelayMs?: number
  /** List caps `limit` at this. */
  maxPageSize?: number
  /** Benchmark mode: upload routes count body bytes and answer without parsing or hashing. */
  discard?: boolean
}

export type HostName = 'api' | 'upload'

export interface RecordedFile {
  field: string
  filename: string
  contentType: string
  size: number
  sha256: string
}

export interface RecordedRequest {
  seq: number
  host: HostName
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  bodyBytes: number
  fields: Record<string, string>
  files: RecordedFile[]
  json?: unknown
  /** 0 while in flight, or when a fault dropped the connection. */
  status: number
  response?: unknown
  fault?: string
}

export interface StoredBuild {
  id: string
  status: string
  createdAt: string
  [k: string]: unknown
}

export type BuildStatus = 'pending' | 'in_progress' | 'processed' | 'error'

export interface SeedBuild {
  appId?: string
  status?: BuildStatus
  createdAt?: string | Date
  versionName?: string
  tags?: string[]
  os?: string
  /** Only for a pending/in_progress seed: let it finish this long after seeding. */
  processingDelayMs?: number
  [k: string]: unknown
}

export interface Tokens {
  app: string
  otherApp: string
  serviceAccount: string
  otherOrgServiceAccount: string
  expired: string
}
