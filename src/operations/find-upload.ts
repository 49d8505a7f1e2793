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

/** The ids of the newest builds; reading them also checks the token and the app before any file is sent. */
export async function recentBuildIds(ctx: OperationContext): Promise<Set<string>> {
  const { items } = await ctx.api.listPage({ page: 1, limit: RECENT_BUILDS }, { fallback: true })
  return new Set(items.map((build) => build.id))
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
