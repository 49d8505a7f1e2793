// Finding the build an upload created when its answer was lost. The newest builds are read before the upload,
// so only a build that appeared since can be this one; among those, this step's deployer metadata must agree,
// read in whatever form the server stored it (a timestamp as seconds, milliseconds or a date; strings trimmed).
import type { Build, DeployerInfo } from '../applivery/types.js'
import type { OperationContext } from './operation-context.js'

/** How many of the newest builds are read before an upload, and searched after one whose answer was lost. */
export const RECENT_BUILDS = 100

/** Fields that, where both sides have them, must be equal for a build to be this step's. */
const RUN_KEYS = ['commit', 'buildUrl', 'buildNumber', 'branch', 'tag'] as const

export class AmbiguousUploadError extends Error {
  override name = 'AmbiguousUploadError'
}

/** The newest builds; reading them also checks the token and the app before any file is sent. */
export async function recentBuilds(ctx: OperationContext): Promise<Build[]> {
  return (await ctx.api.listPage({ page: 1, limit: RECENT_BUILDS }, { fallback: true })).items
}

function text(value: unknown): string | undefined {
  const trimmed = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : ''
  return trimmed === '' ? undefined : trimmed
}

/** A timestamp as Unix milliseconds, from seconds, milliseconds (number or text) or an ISO date. */
export function timestampMs(value: unknown): number | undefined {
  const raw = typeof value === 'number' ? value : typeof value === 'string' ? value.trim() : undefined
  if (raw === undefined || raw === '') return undefined
  const number = Number(raw)
  if (Number.isFinite(number)) return number < 1e11 ? number * 1000 : number
  const parsed = typeof raw === 'string' ? Date.parse(raw) : NaN
  return Number.isNaN(parsed) ? undefined : parsed
}

/** Whether a build carries this step's deployer metadata; a build that says too little does not count. */
export function isFromThisStep(build: Build, deployer: DeployerInfo): boolean {
  const info = (build.deployer?.info ?? {}) as Record<string, unknown>
  for (const key of RUN_KEYS) {
    const theirs = text(info[key])
    const ours = deployer[key]
    if (theirs !== undefined && ours !== undefined && theirs !== ours) return false
  }
  const at = timestampMs(info.triggerTimestamp)
  // Within a second: a server that keeps seconds has dropped the milliseconds.
  if (at !== undefined) return Math.abs(at - Number(deployer.triggerTimestamp)) < 1000
  const commit = text(info.commit)
  const run = text(info.buildUrl)
  return commit !== undefined && run !== undefined && commit === deployer.commit && run === deployer.buildUrl
}

/** Of the builds that may be this upload's, the one it is; throws rather than guess between several. */
export function pickUpload(candidates: Build[], deployer: DeployerInfo, fileSize: number): Build | undefined {
  if (candidates.length <= 1) return candidates[0]
  const ours = Number(deployer.triggerTimestamp)
  const narrowings = [
    (build: Build) => timestampMs(build.deployer?.info?.triggerTimestamp) === ours,
    (build: Build) => build.size === fileSize
  ]
  for (const narrowing of narrowings) {
    const narrowed = candidates.filter(narrowing)
    if (narrowed.length === 1) return narrowed[0]
  }
  throw new AmbiguousUploadError(
    `${candidates.length} new builds carry this step's deployer metadata (${candidates.map((build) => build.id).join(', ')}); ` +
      'cannot tell which one this upload created'
  )
}

/** Looks among the newest builds for the one this upload created; undefined when it is not (yet) there. */
export function findUploaded(
  ctx: OperationContext,
  deployer: DeployerInfo,
  fileSize: number,
  before: Set<string>
): () => Promise<Build | undefined> {
  return async () => {
    const { items } = await ctx.api.listPage({ page: 1, limit: RECENT_BUILDS }, { fallback: true })
    const candidates = items.filter((build) => !before.has(build.id) && isFromThisStep(build, deployer))
    return pickUpload(candidates, deployer, fileSize)
  }
}

/** The platform Applivery files a build of this file under: the custom build platform, or its extension's. */
export function platformOfFile(fileName: string, buildPlatform: string | undefined): string | undefined {
  if (buildPlatform) return buildPlatform
  if (/\.ipa$/i.test(fileName)) return 'ios'
  return /\.(apk|aab)$/i.test(fileName) ? 'android' : undefined
}

/** The file an upload sends, as far as Applivery's answer can describe it. */
export interface UploadedFile {
  name: string
  size: number
  /** Undefined: Applivery's platform for it is not known here, so it is not compared. */
  platform?: string
}

export interface EarlierUpload {
  build: Build
  /** The attempt that uploaded it; undefined when its run URL does not say (a build of an older version). */
  attempt?: number
}

/**
 * On a re-run: the newest build that an earlier attempt of this run uploaded from this file, and that did not end
 * in error. Its run URL is this run's (an attempt's is under it), its commit this step's, and its platform, size
 * and extension the file's, wherever the answer says them.
 */
export function earlierAttemptsUpload(
  builds: Build[],
  deployer: DeployerInfo,
  attempt: number,
  file: UploadedFile
): EarlierUpload | undefined {
  const runUrl = deployer.buildUrl?.replace(/\/attempts\/\d+$/, '')
  if (!runUrl || !deployer.commit) return undefined
  const extension = /\.([^.]+)$/.exec(file.name)?.[1]?.toLowerCase()
  for (const build of builds) {
    const info = (build.deployer?.info ?? {}) as Record<string, unknown>
    const url = text(info.buildUrl ?? info.build_url)
    const made = url === runUrl ? { attempt: undefined } : attemptUnder(url, runUrl)
    if (!made || (made.attempt !== undefined && made.attempt >= attempt)) continue
    if (text(info.commit ?? info.git_commit) !== deployer.commit || build.status === 'error') continue
    const platforms = [build.os, build.buildPlatform].map((value) => String(value ?? '').toLowerCase())
    if (file.platform !== undefined && !platforms.includes(file.platform)) continue
    // Without the size Applivery's answer cannot tell this file from another job's of the same platform.
    if (typeof build.size !== 'number' || build.size !== file.size) continue
    const theirs = text(build.originalExtension)?.replace(/^\./, '').toLowerCase()
    if (theirs !== undefined && extension !== undefined && theirs !== extension) continue
    return { build, attempt: made.attempt }
  }
  return undefined
}

/** The attempt an attempt's page under `runUrl` names, or undefined when `url` is not one. */
function attemptUnder(url: string | undefined, runUrl: string): { attempt: number } | undefined {
  const match = url === undefined ? null : /^(.*)\/attempts\/(\d+)$/.exec(url)
  return match && match[1] === runUrl ? { attempt: Number(match[2]) } : undefined
}
