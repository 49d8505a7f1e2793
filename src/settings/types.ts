// The typed settings every input is parsed into, and the values some inputs accept.
import type { UpdateFields } from '../applivery/api.js'
import type { ApiScope } from '../applivery/types.js'
import type { FileRef } from './files.js'

export const OPERATIONS = ['upload', 'get', 'list', 'update', 'delete', 'attach', 'prune', 'publish', 'unpublish'] as const
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

/** Release notes: as the inputs give them, or `auto` (made from the run when the step runs: release-notes/). */
export type Changelog = { text: string } | 'auto'

export const ON_RERUN = ['reuse', 'upload'] as const
export type OnRerun = (typeof ON_RERUN)[number]

export interface UploadSettings {
  file: FileRef
  versionName?: string
  tags?: string[]
  changelog?: Changelog
  notify: NotifySettings
  package: PackageSettings
  deployerName: string
  /** On a re-run: go on from the build an earlier attempt uploaded from the same file, or upload again. */
  onRerun: OnRerun
}

export interface UpdateSettings {
  /** The fields to change, named and shaped as Applivery's update takes them; only those set. */
  fields: UpdateFields
  /** changelog: auto, added to the fields when the step runs. */
  autoChangelog: boolean
}
export type DefaultScripts = NonNullable<UpdateFields['defaultScripts']>

/** status, os and versionName go to the API; tags (a build must carry every one) and branch are matched here. */
export interface BuildFilters {
  status?: string
  os?: string
  versionName?: string
  tags?: string[]
  /** The deployer branch the build was uploaded from. */
  branch?: string
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

export const PUBLICATION_FILTERS = ['branch', 'git-tag', 'tags', 'build', 'last'] as const
export const PUBLICATION_SECURITY = ['logged', 'public', 'password'] as const
export const PUBLICATION_VISIBILITY = ['unlisted', 'active', 'inactive'] as const
export type PublicationSecurity = (typeof PUBLICATION_SECURITY)[number]
export type PublicationVisibility = (typeof PUBLICATION_VISIBILITY)[number]

/** Which install page (publication): its slug, given or derived, and where it lives. */
export interface InstallPageTarget {
  /** The slug input; undefined: `<app slug>-<runKey>`, normalised (see applivery/slug.ts). */
  slug?: string
  /** The run's part of a derived slug: pr-12, the tag, or the branch, as the run names them. */
  runKey?: string
  /** Workspace API: the App Store; undefined: the organization's only one. */
  storeId?: string
}

/** What the install page serves, with the run's branch or tag resolved when the inputs are read. */
export type InstallPageFilter =
  | { kind: 'branch'; branch: string }
  | { kind: 'git-tag'; tag: string }
  | { kind: 'tags'; tags: string[] }
  /** buildId: the build-id input; undefined: the build this step uploads. */
  | { kind: 'build'; buildId?: string }
  | { kind: 'last' }

export interface InstallPageSettings extends InstallPageTarget {
  filter: InstallPageFilter
  security: PublicationSecurity
  password?: string
  visibility: PublicationVisibility
}

/** GitHub's REST API (GITHUB_API_URL) and the token to ask it with. */
export interface GitHubApiSettings {
  githubToken: string
  apiUrl: string
}

/** The pull-request comment; `pullRequest` undefined: the run is not for one, so there is nothing to comment on. */
export interface CommentSettings extends GitHubApiSettings {
  pullRequest?: { owner: string; repo: string; number: number }
}

export type OperationSettings =
  | { operation: 'upload'; upload: UploadSettings; publish?: InstallPageSettings }
  | { operation: 'get'; buildId: string; installPage?: InstallPageTarget }
  | { operation: 'list'; list: ListSettings }
  | { operation: 'update'; buildId: string; update: UpdateSettings }
  /** force: delete a build an install page pins (with a warning naming each page). */
  | { operation: 'delete'; buildId: string; force: boolean }
  | { operation: 'attach'; buildId: string; attach: AttachSettings }
  | { operation: 'prune'; prune: PruneSettings }
  | { operation: 'publish'; buildId?: string; publish: InstallPageSettings }
  | { operation: 'unpublish'; installPage: InstallPageTarget }

export type Settings = {
  connection: Connection
  wait: WaitSettings
  /** Make the reads, print the writes, change nothing. */
  dryRun: boolean
  /** pr-comment (upload, publish, get). */
  comment?: CommentSettings
  /** GitHub's compare API for changelog: auto (upload, update); undefined without it or without github-token. */
  commitHistory?: GitHubApiSettings
} & OperationSettings
