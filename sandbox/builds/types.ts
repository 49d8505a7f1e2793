// Public types of the Builds API double: builds, how a test seeds them, and Applivery's tokens (re-exported from ../index.ts).

export interface StoredBuild {
  id: string
  status: string
  createdAt: string
  [k: string]: unknown
}

/** 'success' is how some of Applivery's answers show a processed build. */
export type BuildStatus = 'pending' | 'in_progress' | 'processed' | 'error' | 'success'

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
