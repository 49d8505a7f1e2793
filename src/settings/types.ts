// The typed settings every input is parsed into, and the values some inputs accept.
import type { ApiScope } from '../applivery/types.js'
import type { FileRef } from '../files.js'

export const OPERATIONS = ['upload', 'get', 'list', 'update', 'delete', 'attach', 'prune'] as const
export type Operation = (typeof OPERATIONS)[number]

export const NOTIFY_LANGUAGES = ['es', 'en', 'fr', 'ge', 'it', 'zh', 'pt', 'ru'] as const
export const BUILD_PLATFORMS = ['ios', 'macos', 'android', 'ps4', 'ps5', 'switch', 'xbox-one', 'xbox-series'] as const
export const BUILD_STATUSES = ['pending', 'in_progress', 'processed', 'error'] as const
export const LIST_OS = ['ios', 'android'] as const

export interface Connection {
  token: string
  scope: ApiScope
  apiUrl: URL
  uploadUrl: URL
}

export interface WaitSettings {
  /** Wait for processing to finish (upload, get). Delete and attach always wait when Applivery answers 5014. */
  enabled: boolean
  timeoutMs: number
}

export interface NotifySettings {
  collaborators?: boolean
  employees?: boolean
  message?: string
  language?: string
  groups?: string[][]
}

export interface PackageSettings {
  buildPlatform?: string
  packageName?: string
  packageVersion?: string
  packageIcon?: FileRef
}

export interface UploadSettings {
  file: FileRef
  versionName?: string
  tags?: string[]
  changelog?: string
  notify: NotifySettings
  package: PackageSettings
  deployerName: string
}

export interface DefaultScripts {
  preInstall?: string
  postInstall?: string
  audit?: string
  enforce?: string
  runner?: string
}

export interface UpdateSettings {
  versionName?: string
  tags?: string[]
  changelog?: string
  metadata?: Record<string, unknown>
  disabled?: boolean
  defaultScripts?: DefaultScripts
}

/** status, os and versionName go to the API; tags are matched here (a build must carry every one). */
export interface BuildFilters {
  status?: string
  os?: string
  versionName?: string
  tags?: string[]
}

export interface ListSettings extends BuildFilters {
  /** How many builds to return at most, across pages. */
  limit: number
  /** Return only this page. */
  page?: number
}

export interface AttachSettings {
  files: FileRef[]
  description?: string
}

export interface PruneSettings {
  filters: BuildFilters
  /** How many of the newest finished builds to keep. */
  keep?: number
  /** Only builds created longer ago than this are deleted. */
  olderThanMs?: number
}

export type OperationSettings =
  | { operation: 'upload'; upload: UploadSettings }
  | { operation: 'get'; buildId: string }
  | { operation: 'list'; list: ListSettings }
  | { operation: 'update'; buildId: string; update: UpdateSettings }
  | { operation: 'delete'; buildId: string }
  | { operation: 'attach'; buildId: string; attach: AttachSettings }
  | { operation: 'prune'; prune: PruneSettings }

export type Settings = {
  connection: Connection
  wait: WaitSettings
  /** Make the reads, print the writes, change nothing. */
  dryRun: boolean
} & OperationSettings
