// Every input, parsed once into a typed Settings object. Nothing here makes a request; every error names the input.
import type { ApiScope } from './applivery/types.js'
import { loadGlobber, resolveFiles, resolveOneFile, type FileContext, type FileRef, type Globber, type IfNoFilesFound } from './files.js'
import {
  InputError,
  parseBoolean,
  parseChoice,
  parseDuration,
  parseGroups,
  parseId,
  parseJsonObject,
  parseServiceUrl,
  parseWholeNumber,
  splitList,
  type InputReader
} from './inputs.js'
import { readFileSync } from 'node:fs'

export const OPERATIONS = ['upload', 'get', 'list', 'update', 'delete', 'attach', 'prune'] as const
export type Operation = (typeof OPERATIONS)[number]

export const NOTIFY_LANGUAGES = ['es', 'en', 'fr', 'ge', 'it', 'zh', 'pt', 'ru'] as const
export const BUILD_PLATFORMS = ['ios', 'macos', 'android', 'ps4', 'ps5', 'switch', 'xbox-one', 'xbox-series'] as const
export const BUILD_STATUSES = ['pending', 'in_progress', 'processed', 'error'] as const
export const LIST_OS = ['ios', 'android'] as const

const WAIT_TIMEOUT_RULES = { secondsWithoutUnit: true, units: 'smh', example: '90s, 15m, 1h' }
/** Ages for pruning: no minutes or seconds, so '6m' cannot be misread as six months and prune everything. */
const OLDER_THAN_RULES = { secondsWithoutUnit: false, units: 'hdw', example: '12h, 30d, 2w', hint: 'for months use weeks, e.g. 26w' }

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

/** The inputs that name files: paths or globs. */
export const FILE_INPUTS = ['file', 'changelog-file', 'package-icon'] as const

/** The glob library, loaded when a file input may hold a glob (see files.ts). */
export function globberFor(read: InputReader): Promise<Globber | undefined> {
  return loadGlobber(FILE_INPUTS.flatMap((name) => read(name).split('\n')))
}

export interface ParseContext extends FileContext {
  warn: (message: string) => void
}

export function parseSettings(read: InputReader, { cwd, warn, globber, platform }: ParseContext): Settings {
  const files: FileContext = { cwd, globber, platform }
  const operation = parseChoice('operation', read('operation') || 'upload', OPERATIONS)!
  const connection = parseConnection(read)
  const wait: WaitSettings = {
    enabled: parseBoolean('wait', read('wait')) ?? false,
    timeoutMs: parseDuration('wait-timeout', read('wait-timeout') || '15m', WAIT_TIMEOUT_RULES)!
  }
  const requireBuildId = (): string => {
    const id = parseId('build-id', read('build-id'))
    if (id === undefined) throw new InputError('build-id', `is required for operation '${operation}'`)
    return id
  }
  const common = { connection, wait, dryRun: parseBoolean('dry-run', read('dry-run')) ?? false }
  switch (operation) {
    case 'upload':
      return { ...common, operation, upload: parseUpload(read, files) }
    case 'get':
      return { ...common, operation, buildId: requireBuildId() }
    case 'list':
      return { ...common, operation, list: parseList(read) }
    case 'update': {
      const buildId = requireBuildId()
      return { ...common, operation, buildId, update: parseUpdate(read, connection.scope, files) }
    }
    case 'delete':
      return { ...common, operation, buildId: requireBuildId() }
    case 'attach': {
      const buildId = requireBuildId()
      return { ...common, operation, buildId, attach: parseAttach(read, files, warn) }
    }
    case 'prune':
      return { ...common, operation, prune: parsePrune(read) }
  }
}

function parseConnection(read: InputReader): Connection {
  const token = read('token')
  if (token === '') {
    throw new InputError(
      'token',
      'is empty. Pass an App API token or a Service Account token from a secret, e.g. token: ${{ secrets.APPLIVERY_TOKEN }}. ' +
        'Workflows triggered by pull requests from forks receive no secrets.'
    )
  }
  if (/\s/.test(token)) throw new InputError('token', 'contains white space; check the secret for a stray line break')
  const organizationId = parseId('organization-id', read('organization-id'))
  const appId = parseId('app-id', read('app-id'))
  if ((organizationId === undefined) !== (appId === undefined)) {
    const missing = organizationId === undefined ? 'organization-id' : 'app-id'
    throw new InputError(
      missing,
      'is required together with ' +
        `${missing === 'app-id' ? 'organization-id' : 'app-id'}: set both to use the Workspace API with a Service Account token, ` +
        'or neither to use the Integrations API with an App API token'
    )
  }
  const scope: ApiScope =
    organizationId !== undefined && appId !== undefined
      ? { kind: 'workspace', organizationId, appId }
      : { kind: 'integrations' }
  return {
    token,
    scope,
    apiUrl: parseServiceUrl('api-url', read('api-url') || 'https://api.applivery.io'),
    uploadUrl: parseServiceUrl('upload-url', read('upload-url') || 'https://upload.applivery.io')
  }
}

function optional(value: string): string | undefined {
  return value === '' ? undefined : value
}

function parseTags(read: InputReader): string[] | undefined {
  const value = read('tags')
  return value === '' ? undefined : splitList(value)
}

function parseChangelog(read: InputReader, files: FileContext): string | undefined {
  const inline = read('changelog')
  const path = read('changelog-file')
  if (inline !== '' && path !== '') {
    throw new InputError('changelog-file', 'cannot be used together with changelog; set one of them')
  }
  if (path === '') return optional(inline)
  const file = resolveOneFile('changelog-file', path, files)
  return readFileSync(file.path, 'utf8').trim()
}

function parseUpload(read: InputReader, files: FileContext): UploadSettings {
  const pattern = read('file')
  if (pattern === '') throw new InputError('file', "is required for operation 'upload': the path or glob of the build file")
  const languageHint = read('notify-language') === 'de' ? " (German is 'ge')" : ''
  const notify: NotifySettings = {
    collaborators: parseBoolean('notify-collaborators', read('notify-collaborators')),
    employees: parseBoolean('notify-employees', read('notify-employees')),
    message: optional(read('notify-message')),
    language: parseChoice('notify-language', read('notify-language'), NOTIFY_LANGUAGES, languageHint),
    groups: read('notify-groups') === '' ? undefined : parseGroups(read('notify-groups'))
  }
  const pkg: PackageSettings = {
    buildPlatform: parseChoice('build-platform', read('build-platform'), BUILD_PLATFORMS),
    packageName: optional(read('package-name')),
    packageVersion: optional(read('package-version')),
    packageIcon: read('package-icon') === '' ? undefined : resolveOneFile('package-icon', read('package-icon'), files)
  }
  if (pkg.packageIcon && !/\.(png|jpe?g)$/i.test(pkg.packageIcon.name)) {
    throw new InputError('package-icon', `${pkg.packageIcon.name} must be a .png or .jpeg image`)
  }
  if (pkg.buildPlatform !== undefined) {
    const missing = (['package-name', 'package-version', 'package-icon'] as const).filter((name) => read(name) === '')
    if (missing.length > 0) {
      throw new InputError(missing[0], `is required with build-platform '${pkg.buildPlatform}' (set ${missing.join(', ')})`)
    }
  }
  return {
    file: resolveOneFile('file', pattern, files),
    versionName: optional(read('version-name')),
    tags: parseTags(read),
    changelog: parseChangelog(read, files),
    notify,
    package: pkg,
    deployerName: read('deployer-name') || 'GitHub Actions'
  }
}

const WORKSPACE_ONLY_UPDATE_INPUTS = [
  'metadata',
  'disabled',
  'pre-install-script',
  'post-install-script',
  'audit-script',
  'enforce-script',
  'script-runner'
] as const

function parseUpdate(read: InputReader, scope: ApiScope, files: FileContext): UpdateSettings {
  if (scope.kind === 'integrations') {
    const used = WORKSPACE_ONLY_UPDATE_INPUTS.find((name) => read(name) !== '')
    if (used) {
      throw new InputError(
        used,
        'can only be updated through the Workspace API: set organization-id and app-id and use a Service Account token'
      )
    }
  }
  const scripts: DefaultScripts = {
    preInstall: optional(read('pre-install-script')),
    postInstall: optional(read('post-install-script')),
    audit: optional(read('audit-script')),
    enforce: optional(read('enforce-script')),
    runner: optional(read('script-runner'))
  }
  const update: UpdateSettings = {
    versionName: optional(read('version-name')),
    tags: parseTags(read),
    changelog: parseChangelog(read, files),
    metadata: parseJsonObject('metadata', read('metadata')),
    disabled: parseBoolean('disabled', read('disabled')),
    defaultScripts: Object.values(scripts).some((value) => value !== undefined) ? scripts : undefined
  }
  if (Object.values(update).every((value) => value === undefined)) {
    const names = ['version-name', 'tags', 'changelog', 'changelog-file', ...(scope.kind === 'workspace' ? WORKSPACE_ONLY_UPDATE_INPUTS : [])]
    throw new InputError('operation', `'update' has nothing to change: set at least one of ${names.join(', ')}`)
  }
  return update
}

function parseFilters(read: InputReader, statuses: readonly string[]): BuildFilters {
  return {
    status: parseChoice('status', read('status'), statuses),
    os: parseChoice('os', read('os'), LIST_OS),
    versionName: optional(read('version-name')),
    tags: parseTags(read)
  }
}

function parseList(read: InputReader): ListSettings {
  return {
    ...parseFilters(read, BUILD_STATUSES),
    limit: parseWholeNumber('limit', read('limit') || '100', { min: 1 })!,
    page: parseWholeNumber('page', read('page'), { min: 1 })
  }
}

function parsePrune(read: InputReader): PruneSettings {
  const keep = parseWholeNumber('keep', read('keep'), { min: 0 })
  const olderThanMs = parseDuration('older-than', read('older-than'), OLDER_THAN_RULES)
  if (keep === undefined && olderThanMs === undefined) {
    throw new InputError('keep', "or older-than is required for operation 'prune' (set one or both), e.g. keep: 20 or older-than: 30d")
  }
  // Builds still being processed are never pruned, so only finished statuses make sense as a filter.
  return { filters: parseFilters(read, ['processed', 'error']), keep, olderThanMs }
}

function parseAttach(read: InputReader, files: FileContext, warn: (message: string) => void): AttachSettings {
  const patterns = read('file')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
  if (patterns.length === 0) {
    throw new InputError('file', "is required for operation 'attach': one path or glob per line")
  }
  const ifNone = parseChoice<IfNoFilesFound>('if-no-files-found', read('if-no-files-found') || 'error', ['error', 'warn', 'ignore'])!
  return { files: resolveFiles('file', patterns, files, ifNone, warn), description: optional(read('description')) }
}
