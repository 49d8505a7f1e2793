// Public types shared by the sandbox modules (re-exported from index.ts).

/** Settings that can change while the sandbox runs: `sandbox.configure()`; `reset()` restores the starting ones. */
export interface SandboxBehaviour {
  /** Time from upload to a terminal status: pending for the first half, in_progress for the second. */
  processingDelayMs?: number
  /** List caps `limit` at this. */
  maxPageSize?: number
  /** Answer an upload only this long after its body was received (the real server works before it answers). */
  uploadHold?: UploadHold
  /** How `deployer.info.triggerTimestamp` is stored (default 'string', as sent). */
  triggerTimestampAs?: TriggerTimestampForm
  /** Shape of a list answer's data (default 'items'). */
  listForm?: ListForm
  /** Refuse a list whose `limit` query is above this, instead of clamping it. */
  refuseLimitAbove?: number
  /** HTTP status (and error code) of that refusal; default 400. */
  refuseLimitStatus?: 400 | 422
  /** Upload host: answer a refused token before reading the body, then close the connection. */
  rejectEarly?: boolean
  /** How many stores org-1 has: store-1..store-N (default 1; 0 allowed). */
  stores?: number
  /** The answer to a publication slug already used in the organization (the real one is not established). */
  slugClash?: SlugClash
  /** HTTP status of a created publication (default 200; the real one is not established). */
  createStatus?: 200 | 201
  /** Whether publication lists apply their query filters (default 'honoured'). */
  publicationListFilters?: PublicationListFilters
  /** What a publication list answers of each page: all of it (default) or a summary without `application`, groups, terms... */
  publicationListItems?: 'full' | 'summary'
  /** The Integrations API requires `application` on a create, as it once answered (6002 "application is required"). */
  integrationsNeedApplication?: boolean
}

export interface SandboxOptions extends SandboxBehaviour {
  host?: string
  apiPort?: number
  uploadPort?: number
  /** Port of the GitHub REST API double (default: any free port). Always plain HTTP. */
  githubPort?: number
  /** Benchmark mode: upload routes count body bytes and answer without parsing or hashing. */
  discard?: boolean
  /** The same tokens at every start (app-token-1-sandbox, ...), for local runs from a committed .env.example. */
  fixedTokens?: boolean
  /** Serve the hosts over HTTPS (see TlsOptions.hosts), with a certificate from a CA made at start (`sandbox.ca`). Fixed at start. */
  tls?: boolean | TlsOptions
}

export interface UploadHold {
  ms: number
  /** When the build shows in list and get: as soon as the body has arrived, or when the hold ends. */
  visible: 'start' | 'end'
}

/** 'number': a JSON number; 'iso': an ISO 8601 date string. Values that are not numeric are kept as sent. */
export type TriggerTimestampForm = 'string' | 'number' | 'iso'

/** 'items': `{items}` only, as documented; 'paginated': mongoose-paginate-v2's totals and page links too. */
export type ListForm = 'items' | 'paginated'

/** How a publication create or update whose slug is taken is answered: `{status:false,error:{code,message}}` with `status`. */
export interface SlugClash {
  status: number
  code: number
  message: string
}

/** 'ignored': every query filter of a publication list is ignored, as some real answers may. */
export type PublicationListFilters = 'honoured' | 'ignored'

export interface TlsOptions {
  /** Subject alternative names of the server certificate: DNS names and IP addresses. */
  names?: string[]
  /** Make the server certificate's validity end yesterday. */
  expired?: boolean
  /** The hosts that serve HTTPS (default all three); the others stay plain HTTP, e.g. for an api-url and an upload-url of different schemes. */
  hosts?: RecordedHost[]
}

/** Applivery's hosts. */
export type HostName = 'api' | 'upload'
/** Applivery's hosts and the GitHub REST API double (recorded in `sandbox.githubRequests`). */
export type RecordedHost = HostName | 'github'

export interface RecordedFile {
  field: string
  filename: string
  contentType: string
  size: number
  sha256: string
}

export interface RecordedRequest {
  seq: number
  host: RecordedHost
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  bodyBytes: number
  fields: Record<string, string>
  files: RecordedFile[]
  json?: unknown
  /** 0 while in flight, when a fault dropped the connection, or when the client left during an upload hold. */
  status: number
  response?: unknown
  fault?: string
}

export interface StoredBuild {
  id: string
  status: string
  createdAt: string
  [k: string]: unknown
}

/** 'success' is how some of Applivery's answers show a processed build. */
export type BuildStatus = 'pending' | 'in_progress' | 'processed' | 'error' | 'success'

export interface SeedBuild {
  appId?: string
  status?: BuildStatus
  createdAt?: string | Date
  versionName?: string
  tags?: string[]
  os?: string
  /** Only for a pending/in_progress seed: let it finish this long after seeding. */
  processingDelayMs?: number
  [k: string]: unknown
}

export interface Tokens {
  app: string
  otherApp: string
  serviceAccount: string
  otherOrgServiceAccount: string
  expired: string
}

/** GitHub tokens: `write` is a workflow's GITHUB_TOKEN; `readOnly` is what a pull request from a fork gets. */
export interface GithubTokens {
  /** An installation token that may comment (a workflow's GITHUB_TOKEN): comments as github-actions[bot]; /user refused. */
  write: string
  /** An installation token that may only read (a fork's pull request). */
  readOnly: string
  /** A personal access token of the user `octo-releaser`: comments as that user; /user answers. */
  user: string
}

export interface GithubUser {
  login: string
  id: number
  type: 'Bot' | 'User'
}

/** An issue (or pull request) comment, as GitHub's REST API answers it. */
export interface StoredComment {
  id: number
  node_id: string
  url: string
  html_url: string
  issue_url: string
  body: string
  user: GithubUser
  created_at: string
  updated_at: string
  author_association: string
}
