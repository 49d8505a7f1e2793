// What the operations need of Applivery's Builds API: one method per endpoint. The HTTP client implements it;
// a test may pass a plain object instead.
import type { AppliedCheck } from '../transport/attempts.js'
import type { MultipartBody } from '../transport/multipart.js'
import type { AppStore, Build, ListPage, ListQuery, Publication } from './types.js'

/** A write a dry run would have made. */
export interface WritePlan {
  method: string
  url: string
  /** The body, one line per field or file; never headers. */
  body: string[]
}

/** A write's outcome: sent, with Applivery's answer, or only planned (a dry run sends no write). */
export type Written<T> = { sent: true; value: T } | { sent: false; plan: WritePlan }

export type { AppliedCheck } from '../transport/attempts.js'

/** The fields of a build that an update changes, named as Applivery names them; the rest stay as they are. */
export interface UpdateFields {
  versionName?: string
  tags?: string[]
  changelog?: string
  /** Workspace API only, like the two below. */
  metadata?: Record<string, unknown>
  disabled?: boolean
  defaultScripts?: { preInstall?: string; postInstall?: string; audit?: string; enforce?: string; runner?: string }
}

export interface Deletion {
  /** A retried delete found the build gone: an earlier attempt had deleted it. */
  alreadyGone: boolean
}

export interface BuildsApi {
  getBuild(buildId: string): Promise<Build>
  /** With `fallback`, a refused page size is asked again smaller, for the rest of the step. */
  listPage(query: ListQuery, options?: { fallback?: boolean }): Promise<ListPage>
  updateBuild(buildId: string, fields: UpdateFields): Promise<Written<Build>>
  deleteBuild(buildId: string): Promise<Written<Deletion>>
  /** `applied` finds the build if the upload's answer is lost, so the file is not sent twice. */
  uploadBuild(body: MultipartBody, applied: AppliedCheck<Build>, onProgress?: (sentBytes: number) => void): Promise<Written<Build>>
  attachFile(buildId: string, fileName: string, body: MultipartBody, applied: AppliedCheck<Build>): Promise<Written<Build>>
}

/** A publication body as Applivery takes it on create and on PUT (which replaces the whole publication). */
export type PublicationBody = Record<string, unknown> & { slug: string }

/** The install pages of one app (Integrations API) or of one App Store (Workspace API). */
export interface PublicationsApi {
  /** The publication with this slug, matched here too: a list may ignore its filter. */
  findPublication(slug: string): Promise<Publication | undefined>
  /** Every publication the list answers (all of an App Store's apps, in the Workspace API). */
  listPublications(): Promise<Publication[]>
  /** The whole publication (a list may answer less of each). */
  getPublication(id: string): Promise<Publication>
  /** `shown` is what a dry run prints in place of the body (no password). */
  createPublication(body: PublicationBody, shown: PublicationBody): Promise<Written<Publication>>
  /** The page as answered, or undefined when the answer holds none (PUT's answer is not established). */
  replacePublication(id: string, body: PublicationBody, shown: PublicationBody): Promise<Written<Publication | undefined>>
  deletePublication(id: string): Promise<Written<Deletion>>
}

export interface PublicationsAccess {
  /** Workspace API: the organization's App Stores. */
  listStores(): Promise<AppStore[]>
  /** The publications API; `storeId` is needed by the Workspace API only. */
  publicationsAt(storeId: string | undefined): PublicationsApi
}
