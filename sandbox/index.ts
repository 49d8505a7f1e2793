// Public API of the sandbox, a local double of Applivery's Builds and Publications APIs and of GitHub's issue comments
// and commit comparisons.
export { startSandbox, type Sandbox } from './sandbox.js'
export type { FaultAction, FaultPlan, FaultRule } from './transport/faults.js'
export type { HostName, RecordedFile, RecordedHost, RecordedRequest, SandboxOptions, TlsOptions } from './types.js'
export type { ListForm, PublicationListFilters, SandboxBehaviour, SlugClash, TriggerTimestampForm, UploadHold } from './behaviour.js'
export type { BuildStatus, SeedBuild, StoredBuild, Tokens } from './builds/types.js'
export type { GithubTokens, GithubUser, SeedCommit, StoredComment, StoredCommit } from './github/types.js'
export type {
  AppStore,
  InstallPage,
  PinnedBuild,
  PublicationFields,
  PublicationFilter,
  PublicationFilterType,
  PublicationSecurity,
  PublicationVisibility,
  SeedPublication,
  StoredPublication
} from './publications/types.js'
export { DEFAULT_TLS_NAMES } from './transport/tls.js'
