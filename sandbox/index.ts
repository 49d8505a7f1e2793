// Public API of the sandbox, a local double of Applivery's Builds API.
export { startSandbox, type Sandbox } from './sandbox.js'
export type { FaultAction, FaultPlan, FaultRule } from './faults.js'
export type {
  BuildStatus,
  HostName,
  ListForm,
  RecordedFile,
  RecordedRequest,
  SandboxBehaviour,
  SandboxOptions,
  SeedBuild,
  StoredBuild,
  TlsOptions,
  Tokens,
  TriggerTimestampForm,
  UploadHold
} from './types.js'
export { DEFAULT_TLS_NAMES } from './tls.js'
