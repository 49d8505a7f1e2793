// What the step reports: outputs, written once at the end, also when the step fails after a build was known.
import type { WritePlan } from '../applivery/api.js'
import type { AttachedFile, Build } from '../applivery/types.js'

/** GitHub refuses a step output over 1 MB; stay clear of it. */
export const MAX_OUTPUT_CHARS = 900_000

/** The fields a later step usually needs, for lists too large to output whole. */
function mainFields(build: Build): Partial<Build> {
  const { id, status, versionName, tags, os, size, createdAt } = build
  return { id, status, versionName, tags, os, size, createdAt, deployer: build.deployer }
}

/** The install page a step created, changed or found. */
export interface InstallPageReport {
  id: string
  slug: string
  url?: string
  /** The QR code of the URL, for a light background (see qr.ts). */
  qr?: string
  security?: string
  /** What publish did: created, updated, unchanged; found by get; or deleted. */
  change: 'created' | 'updated' | 'unchanged' | 'found' | 'deleted'
}

export class Report {
  /** The build acted on, as last seen. */
  build?: Build
  /** Overrides build-id and status when no build object is known (or it no longer exists). */
  buildId?: string
  status?: string
  builds?: Build[]
  deleted?: boolean
  files?: AttachedFile[]
  /** Writes a dry run would have made. */
  planned: WritePlan[] = []
  installPage?: InstallPageReport
  /** prune: builds the rules would delete, kept because install pages (their slugs) pin or serve them. */
  keptForPages?: { build: Build; pages: string[] }[]
  /** upload: whether the build an earlier attempt of this run uploaded was reused. */
  reused?: boolean
  /** The release notes sent (changelog), for the summary. */
  releaseNotes?: string
  /** The app, as its builds name it, once an install page was looked for. */
  app?: { id?: string; slug?: string; name?: string }

  outputs(): Record<string, string> {
    const out: Record<string, string> = {}
    const buildId = this.buildId ?? this.build?.id
    const status = this.status ?? this.build?.status
    if (buildId !== undefined) out['build-id'] = buildId
    // Some of Applivery's answers say 'success' for a processed build: one word for it, for the steps that follow.
    if (status !== undefined) out.status = status === 'success' ? 'processed' : String(status)
    if (this.build) {
      out.build = JSON.stringify(this.build)
      if (out.build.length > MAX_OUTPUT_CHARS) out.build = JSON.stringify(mainFields(this.build))
    }
    if (this.builds) {
      out.builds = JSON.stringify(this.builds)
      if (out.builds.length > MAX_OUTPUT_CHARS) out.builds = JSON.stringify(this.builds.map(mainFields))
      out['build-ids'] = JSON.stringify(this.builds.map((build) => build.id))
      out.count = String(this.builds.length)
    }
    if (this.deleted !== undefined) out.deleted = String(this.deleted)
    if (this.reused !== undefined) out.reused = String(this.reused)
    if (this.keptForPages !== undefined) out['kept-for-pages'] = String(this.keptForPages.length)
    if (this.files) out.files = JSON.stringify(this.files)
    if (this.installPage) {
      out['publication-id'] = this.installPage.id
      if (this.installPage.url) out['publication-url'] = this.installPage.url
      if (this.installPage.qr) out['qr-code'] = this.installPage.qr
    }
    return out
  }
}

const SECURITY_TEXT: Readonly<Record<string, string>> = {
  logged: 'testers sign in to Applivery to install',
  public: 'anyone with the link can install',
  password: 'testers need the password to install'
}

/** What a publication-security means for testers. */
export function securityText(security: string | undefined): string | undefined {
  return security === undefined ? undefined : SECURITY_TEXT[security]
}
