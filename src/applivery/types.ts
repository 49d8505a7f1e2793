// Shapes of the Builds API as documented (see the Applivery docs); only what the action reads is typed.

export type BuildStatus = 'pending' | 'in_progress' | 'processed' | 'error' | 'success'

export interface AttachedFile {
  id: string
  type?: string
  description?: string
  file?: {
    originalName?: string
    mimetype?: string
    size?: number
    location?: string
    checksum?: string
  }
}

export interface DeployerInfo {
  commitMessage?: string
  commit?: string
  branch?: string
  tag?: string
  triggerTimestamp?: string
  buildUrl?: string
  ciUrl?: string
  repositoryUrl?: string
  buildNumber?: string
}

export interface Build {
  id: string
  status: BuildStatus | string
  versionName?: string
  tags?: string[]
  changelog?: string
  os?: string
  size?: number
  error?: string
  errorCode?: string | number
  processLogs?: unknown[]
  files?: AttachedFile[]
  deployer?: { name?: string; info?: DeployerInfo }
  createdAt?: string
  updatedAt?: string
  [key: string]: unknown
}

/** Applivery wraps every answer: `{status: true, data}` or `{status: false, error: {code, message}}`. */
export interface Envelope<T> {
  status: boolean
  data?: T
  /** `data.errors` lists what a validation error (6002) found wrong, field by field. */
  error?: { code?: number | string; message?: string; data?: unknown }
}

/** Integrations API (App API token) or Workspace API (Service Account token, explicit org and app). */
export type ApiScope = { kind: 'integrations' } | { kind: 'workspace'; organizationId: string; appId: string }

export interface ListQuery {
  status?: string
  os?: string
  versionName?: string
  page?: number
  limit?: number
}

/** Applivery's documented list answer has only `items`; the pagination fields are read where a server sends them. */
export interface Page<T> {
  items: T[]
  totalDocs?: number
  totalPages?: number
  hasNextPage?: boolean
  nextPage?: number
  page?: number
  limit?: number
  /** The size of the answer it came in, for a walk's bounds. */
  bytes?: number
}

export type ListPage = Page<Build>

/** What an install page serves (Applivery's names); `ios`, `android`, ... pin one build per OS. */
export interface PublicationFilter {
  type: string
  value?: string
  builds?: { buildPlatform: string; id: string }[]
  [os: string]: unknown
}

/** An install page ("publication"): only what the action reads is typed; the rest is kept as Applivery sent it. */
export interface Publication {
  id: string
  slug: string
  distributionUrl?: string
  application?: string | { id?: string }
  filter?: PublicationFilter
  security?: string
  visibility?: string
  password?: string
  [key: string]: unknown
}

/** A workspace's App Store, where the Workspace API keeps publications. */
export interface AppStore {
  id: string
  [key: string]: unknown
}

export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['processed', 'success', 'error'])

export function isFinished(status: string): boolean {
  return TERMINAL_STATUSES.has(status)
}
