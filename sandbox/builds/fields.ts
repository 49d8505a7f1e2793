// Maps multipart upload fields and JSON updates onto build objects.
import type { TriggerTimestampForm } from '../behaviour.js'
import type { RecordedFile } from '../types.js'
import type { ApiKind } from './routes.js'
import { baseBuild, extensionOf, type App } from './store.js'
import type { StoredBuild } from './types.js'

const DEPLOYER_INFO_KEYS = [
  'commitMessage',
  'commit',
  'branch',
  'tag',
  'triggerTimestamp',
  'buildUrl',
  'ciUrl',
  'repositoryUrl',
  'buildNumber'
]
const SCRIPT_KEYS = ['preInstall', 'postInstall', 'audit', 'enforce', 'runner']

export function splitTags(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
}

/** `filter[i][j]` fields → string[][]: outer index an OR clause, inner an AND term; gaps closed up. */
export function filterGroups(fields: Record<string, string>): string[][] {
  const cells: { i: number; j: number; value: string }[] = []
  for (const [name, value] of Object.entries(fields)) {
    const m = /^filter\[(\d+)\]\[(\d+)\]$/.exec(name)
    if (m) cells.push({ i: Number(m[1]), j: Number(m[2]), value })
  }
  const rows = new Map<number, { j: number; value: string }[]>()
  for (const c of cells) rows.set(c.i, [...(rows.get(c.i) ?? []), c])
  return [...rows.entries()].sort(([a], [b]) => a - b).map(([, row]) => row.sort((a, b) => a.j - b.j).map((c) => c.value))
}

function osFor(ext: string, buildPlatform: string | undefined): string {
  if (ext === 'ipa') return 'ios'
  if (ext === 'apk' || ext === 'aab') return 'android'
  return buildPlatform || 'unknown'
}

/** A numeric triggerTimestamp (Unix ms) in the stored form; anything else is kept as sent. */
export function storedTimestamp(value: string, form: TriggerTimestampForm): string | number {
  if (form === 'string' || !/^-?\d+(\.\d+)?$/.test(value)) return value
  if (form === 'number') return Number(value)
  const date = new Date(Number(value))
  return Number.isNaN(date.getTime()) ? value : date.toISOString() // out of Date's range: keep it
}

/** The build object an upload creates, in `pending`. */
export function uploadedBuild(
  app: App,
  fields: Record<string, string>,
  file: RecordedFile,
  createdIso: string,
  triggerTimestampAs: TriggerTimestampForm = 'string'
): StoredBuild {
  const ext = extensionOf(file.filename)
  // The real server trims the deployer's strings.
  const info: Record<string, string | number> = {}
  for (const key of DEPLOYER_INFO_KEYS) info[key] = (fields[`deployer.info.${key}`] ?? '').trim()
  info.triggerTimestamp = storedTimestamp(info.triggerTimestamp as string, triggerTimestampAs)
  const optional: Record<string, string> = {}
  for (const key of ['buildPlatform', 'packageName', 'packageVersion']) {
    if (fields[key] !== undefined) optional[key] = fields[key]
  }
  return {
    ...baseBuild(app, createdIso),
    tags: splitTags(fields.tags),
    versionName: fields.versionName ?? '',
    changelog: fields.changelog ?? '',
    size: file.size,
    originalExtension: ext,
    os: osFor(ext, fields.buildPlatform),
    ...optional,
    checksum: file.sha256,
    deployer: { name: (fields['deployer.name'] ?? '').trim(), info },
    notifications: {
      collaborators: fields.notifyCollaborators === 'true',
      employees: fields.notifyEmployees === 'true',
      message: fields.notifyMessage ?? '',
      language: fields.notifyLanguage ?? '',
      filter: filterGroups(fields)
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Applies a PUT body to `build`. Returns the name of the first ill-typed field instead, leaving
 * the build untouched. Workspace-only fields are silently ignored on the Integrations API.
 */
export function applyUpdate(build: StoredBuild, body: Record<string, unknown>, api: ApiKind): string | undefined {
  const changes: Record<string, unknown> = {}
  for (const key of ['versionName', 'changelog']) {
    if (body[key] === undefined) continue
    if (typeof body[key] !== 'string') return key
    changes[key] = body[key]
  }
  if (body.tags !== undefined) {
    if (!Array.isArray(body.tags) || !body.tags.every((t) => typeof t === 'string')) return 'tags'
    changes.tags = [...body.tags]
  }
  if (api === 'workspace') {
    if (body.metadata !== undefined) {
      if (!isObject(body.metadata)) return 'metadata'
      changes.metadata = structuredClone(body.metadata)
    }
    if (body.defaultScripts !== undefined) {
      if (!isObject(body.defaultScripts)) return 'defaultScripts'
      const scripts = { ...(build.defaultScripts as Record<string, unknown>) }
      for (const key of SCRIPT_KEYS) {
        if (body.defaultScripts[key] !== undefined) scripts[key] = body.defaultScripts[key]
      }
      changes.defaultScripts = scripts
    }
    if (body.disabled !== undefined) {
      if (typeof body.disabled !== 'boolean') return 'disabled'
      changes.disabled = body.disabled
    }
  }
  Object.assign(build, changes, { updatedAt: new Date().toISOString() })
  return undefined
}
