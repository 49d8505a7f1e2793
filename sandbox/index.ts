// Public API of the sandbox, a local double of Applivery's Builds and Publications APIs and of GitHub's issue comments.
export { startSandbox, type Sandbox } from './sandbox.js'
export type { FaultAction, FaultPlan, FaultRule } from './faults.js'
export type {
  BuildStatus,
  GithubTokens,
  GithubUser,
  HostName,
  ListForm,
  PublicationListFilters,
  RecordedFile,
  RecordedHost,
  RecordedRequest,
  SandboxBehaviour,
  SandboxOptions,
  SeedBuild,
  SlugClash,
  StoredBuild,
  StoredComment,
  TlsOptions,
  Tokens,
  TriggerTimestampForm,
  UploadHold
} from './types.js'
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
} from './publication-types.js'
export { DEFAULT_TLS_NAMES } from './tls.js'
