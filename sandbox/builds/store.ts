// In-memory state of Applivery's side of the sandbox: apps, tokens, builds and their processing state machine.
import { randomBytes } from 'node:crypto'
import type { BuildStatus, SeedBuild, StoredBuild, Tokens } from './types.js'

export interface App {
  id: string
  organizationId: string
  name: string
  slug: string
}

export type TokenGrant = { kind: 'app'; appId: string } | { kind: 'serviceAccount'; organizationId: string } | { kind: 'expired' }

export interface AttachedFile {
  id: string
  type: 'attachment'
  description: string
  file: {
    originalName: string
    mimetype: string
    size: number
    checksum: string
    location: string
    createdAt: string
    updatedAt: string
  }
}

/** Where a build is headed; resolved lazily on each read so no timers are needed. */
interface Processing {
  startMs: number
  delayMs: number
  from: 'pending' | 'in_progress'
  outcome: { status: 'processed' } | { status: 'error'; error: string; errorCode: string }
  receivedLog?: string
}

interface BuildRecord {
  appId: string
  /** Insertion order, to break createdAt ties (newest inserted first). */
  order: number
  build: StoredBuild
  processing?: Processing
  /** Hidden from reads until then: a build the server finished after its gateway had given up. */
  visibleFromMs?: number
}

export const SUPPORTED_EXTENSIONS = [
  'ipa',
  'apk',
  'aab',
  'dmg',
  'pkg',
  'exe',
  'msi',
  'msix',
  'msixbundle',
  'appx',
  'appxbundle',
  'nsp',
  'zip',
  'tar.gz'
]

export function newId(): string {
  return randomBytes(12).toString('hex') // 24 hex chars, like a Mongo ObjectId
}

export function extensionOf(filename: string): string {
  const name = filename.toLowerCase()
  if (name.endsWith('.tar.gz')) return 'tar.gz'
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot + 1) : ''
}

/** Why a build file would fail processing, or undefined when it would be processed. */
export function buildFileProblem(filename: string, size: number): string | undefined {
  if (size === 0) return 'Empty build file'
  const ext = extensionOf(filename)
  if (!SUPPORTED_EXTENSIONS.includes(ext)) {
    return `Unsupported build file extension ${ext ? '.' + ext : '(none)'}`
  }
  return undefined
}

export class Store {
  readonly organizationId = 'org-1'
  readonly appId = 'app-1'
  readonly apps: App[] = [
    { id: 'app-1', organizationId: 'org-1', name: 'Sandbox App One', slug: 'sandbox-app-one' },
    { id: 'app-2', organizationId: 'org-1', name: 'Sandbox App Two', slug: 'sandbox-app-two' },
    { id: 'app-3', organizationId: 'org-2', name: 'Other Org App', slug: 'other-org-app' }
  ]
  readonly tokens: Tokens
  private readonly grants = new Map<string, TokenGrant>()
  private records: BuildRecord[] = []
  private order = 0
  private lastCreatedMs = 0
  /** Counts clear() calls, so work begun before a reset (a held upload) can tell it must not add its build. */
  epoch = 0

  /** `fixedTokens`: the same tokens every start (ending in 'sandbox'), for a committed .env.example. */
  constructor(fixedTokens = false) {
    // Random per start by default, so a test can grep logs for a token and never match a constant.
    const hex = (): string => (fixedTokens ? 'sandbox' : randomBytes(16).toString('hex'))
    this.tokens = {
      app: `app-token-1-${hex()}`,
      otherApp: `app-token-2-${hex()}`,
      serviceAccount: `sa-token-org-1-${hex()}`,
      otherOrgServiceAccount: `sa-token-org-2-${hex()}`,
      expired: `expired-app-token-1-${hex()}`
    }
    this.grants.set(this.tokens.app, { kind: 'app', appId: 'app-1' })
    this.grants.set(this.tokens.otherApp, { kind: 'app', appId: 'app-2' })
    this.grants.set(this.tokens.serviceAccount, { kind: 'serviceAccount', organizationId: 'org-1' })
    this.grants.set(this.tokens.otherOrgServiceAccount, { kind: 'serviceAccount', organizationId: 'org-2' })
    this.grants.set(this.tokens.expired, { kind: 'expired' })
  }

  grant(token: string): TokenGrant | undefined {
    return this.grants.get(token)
  }

  app(appId: string): App | undefined {
    return this.apps.find((a) => a.id === appId)
  }

  /** Strictly increasing, so "newest first" is never ambiguous between builds of this sandbox. */
  nextTimestamp(): number {
    this.lastCreatedMs = Math.max(Date.now(), this.lastCreatedMs + 1)
    return this.lastCreatedMs
  }

  clear(): void {
    this.records = []
    this.epoch++
  }

  /**
   * Moves every build's processing on to where it is by now: the one place time changes state. The server calls
   * it as each request arrives, so reads (list, get) only read.
   */
  advance(now = Date.now()): void {
    for (const rec of this.records) this.progress(rec, now)
  }

  /** Builds of an app, newest first, as of the last advance(). Returns the live objects: callers copy. */
  list(appId: string): StoredBuild[] {
    return this.records
      .filter((r) => r.appId === appId && this.visible(r))
      .sort((a, b) => Date.parse(b.build.createdAt) - Date.parse(a.build.createdAt) || b.order - a.order)
      .map((r) => r.build)
  }

  get(appId: string, buildId: string): StoredBuild | undefined {
    return this.records.find((r) => r.appId === appId && r.build.id === buildId && this.visible(r))?.build
  }

  /** Hides a build from every read for `ms`. */
  hide(buildId: string, ms: number): void {
    const rec = this.records.find((r) => r.build.id === buildId)
    if (rec) rec.visibleFromMs = Date.now() + ms
  }

  private visible(rec: BuildRecord): boolean {
    return rec.visibleFromMs === undefined || rec.visibleFromMs <= Date.now()
  }

  remove(appId: string, buildId: string): void {
    this.records = this.records.filter((r) => !(r.appId === appId && r.build.id === buildId))
  }

  /** Adds an uploaded build in `pending`, finished `delayMs` after `createdMs`; its outcome is decided now from the file. */
  addUploaded(appId: string, build: StoredBuild, file: { name: string; size: number }, createdMs: number, delayMs: number): void {
    const problem = buildFileProblem(file.name, file.size)
    this.records.push({
      appId,
      order: this.order++,
      build,
      processing: {
        startMs: createdMs,
        delayMs,
        from: 'pending',
        outcome: problem ? { status: 'error', error: problem, errorCode: '5006' } : { status: 'processed' },
        receivedLog: `Received ${file.name} (${file.size} bytes)`
      }
    })
  }

  /** Adds a build already in a terminal state (discard mode). */
  addFinished(appId: string, build: StoredBuild): void {
    this.records.push({ appId, order: this.order++, build })
  }

  seed(partial: SeedBuild): StoredBuild {
    const { appId = this.appId, status = 'processed', createdAt, processingDelayMs, ...rest } = partial
    const app = this.app(appId)
    if (!app) throw new Error(`seedBuild: unknown app ${appId}`)
    const createdIso = createdAt === undefined ? new Date(this.nextTimestamp()).toISOString() : new Date(createdAt).toISOString()
    const n = this.order + 1
    const build: StoredBuild = {
      ...baseBuild(app, createdIso),
      status,
      versionName: `seed-${n}`,
      originalExtension: 'apk',
      os: 'android',
      size: 1024,
      processLogs: status === 'processed' ? ['Processed'] : [],
      ...rest,
      id: typeof rest.id === 'string' ? rest.id : newId()
    }
    const rec: BuildRecord = { appId, order: this.order++, build }
    if ((status === 'pending' || status === 'in_progress') && processingDelayMs !== undefined) {
      rec.processing = { startMs: Date.now(), delayMs: processingDelayMs, from: status, outcome: { status: 'processed' } }
    }
    this.records.push(rec)
    return build
  }

  private progress(rec: BuildRecord, now: number): void {
    const p = rec.processing
    if (!p) return
    const elapsed = now - p.startMs
    if (elapsed < p.delayMs) {
      rec.build.status = p.from === 'pending' && elapsed < p.delayMs / 2 ? 'pending' : 'in_progress'
      return
    }
    const b = rec.build
    b.status = p.outcome.status
    if (p.outcome.status === 'error') {
      b.error = p.outcome.error
      b.errorCode = p.outcome.errorCode
    }
    const logs = p.receivedLog ? [p.receivedLog] : []
    logs.push(p.outcome.status === 'error' ? `Processing failed: ${p.outcome.error}` : 'Processed')
    b.processLogs = logs
    b.updatedAt = new Date(p.startMs + p.delayMs).toISOString()
    rec.processing = undefined // terminal: nothing left to move on
  }
}

/** Fields every build carries, whatever created it. */
export function baseBuild(app: App, createdIso: string): StoredBuild & { status: BuildStatus } {
  return {
    id: newId(),
    status: 'pending',
    tags: [],
    versionName: '',
    changelog: '',
    application: app.id,
    applicationInfo: { id: app.id, name: app.name, slug: app.slug },
    size: 0,
    originalExtension: '',
    os: 'unknown',
    error: '',
    errorCode: '',
    processLogs: [],
    files: [],
    metadata: {},
    defaultScripts: {},
    disabled: false,
    createdAt: createdIso,
    updatedAt: createdIso
  }
}
