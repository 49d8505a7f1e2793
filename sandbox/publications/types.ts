// Public types of the Publications API double (install pages) and of the workspace's stores (re-exported from ../index.ts).

export type PublicationSecurity = 'public' | 'password' | 'logged'
export type PublicationVisibility = 'active' | 'unlisted' | 'inactive'
export type PublicationFilterType = 'last' | 'build' | 'builds' | 'gitBranch' | 'gitTag' | 'tag'

/** A build pinned for one platform, the `filter.builds[]` form. */
export interface PinnedBuild {
  buildPlatform: string
  id: string
}

/** Which build the install page offers; kept as sent, unknown keys included. */
export interface PublicationFilter {
  type: PublicationFilterType
  /** Branch, git tag, or comma-separated build tags. */
  value?: string
  ios?: string
  android?: string
  macos?: string
  windows?: string
  builds?: PinnedBuild[]
  [k: string]: unknown
}

/** The fields a create or update body sets (each omitted one back to its default). */
export interface PublicationFields {
  slug: string
  filter: PublicationFilter
  security: PublicationSecurity
  visibility: PublicationVisibility
  /** Kept to check the install page's password; never answered. */
  password?: string
  tags: string[]
  groups: string[][]
  showHistory: boolean
  showDevInfo: boolean
  activateUserAudiences: boolean
  userAudienceMap: unknown[]
  configuration: Record<string, unknown>
  terms: { active: boolean; text: string }
  allowedCountries: string[]
  blockedCountries: string[]
  hideAttachedFiles: boolean
}

/** A publication as the sandbox keeps it. Answers are the same object less `password`. */
export interface StoredPublication extends PublicationFields {
  id: string
  distributionUrl: string
  application: string
  createdAt: string
  updatedAt: string
  /** Body fields the sandbox does not know, kept as sent. */
  [k: string]: unknown
}

/** sandbox.seedPublication(): any publication field, plus where it goes. */
export interface SeedPublication extends Partial<PublicationFields> {
  id?: string
  /** Default app-1. */
  appId?: string
  /** Default store-1 (store-org-2 for an app of org-2). */
  storeId?: string
  createdAt?: string | Date
  /** Fields the sandbox does not know, kept as given. */
  [k: string]: unknown
}

/** An organization's App Store, as `GET /v1/organizations/{org}/stores` answers it. */
export interface AppStore {
  id: string
  organization: string
  security: 'public' | 'logged'
  customDomain: string
  branding: { buttonColor: string }
  configuration: { allowPublicPubApps: boolean }
  createdAt: string
  updatedAt: string
}

/** What `GET /install/{slug}` answers (not the envelope): the page and the build it offers now. */
export interface InstallPage {
  slug: string
  publication: string
  security: PublicationSecurity
  visibility: PublicationVisibility
  build: Record<string, unknown> | null
}
