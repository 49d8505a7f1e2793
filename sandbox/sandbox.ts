// startSandbox: wires the stores, the fault plan and the three hosts (Applivery's api and upload, GitHub's API) together.
import { DEFAULT_BEHAVIOUR, mergeBehaviour, type SandboxBehaviour } from './behaviour.js'
import { Store } from './builds/store.js'
import type { SeedBuild, StoredBuild, Tokens } from './builds/types.js'
import { GithubStore } from './github/store.js'
import type { GithubTokens, SeedCommit, StoredComment, StoredCommit } from './github/types.js'
import { storeIdsOf } from './publications/app-stores.js'
import { seedPublication } from './publications/seed.js'
import { installUrl, Publications } from './publications/store.js'
import type { SeedPublication, StoredPublication } from './publications/types.js'
import { closeServer, createHostServer, listen, type SandboxState } from './server.js'
import { FaultList, type FaultPlan } from './transport/faults.js'
import { SharedReads } from './transport/shared-reads.js'
import { makeCertificates, type TlsMaterial } from './transport/tls.js'
import type { RecordedRequest, SandboxOptions } from './types.js'

const DEFAULT_REPO = 'acme/mobile-app'

export interface Sandbox {
  apiUrl: string
  uploadUrl: string
  organizationId: string
  appId: string
  tokens: Tokens
  /** The CA certificate (PEM) that signed the hosts' certificate; undefined without TLS. */
  ca?: string
  /** Every request, in arrival order (entries are filled in while the request runs). */
  requests: RecordedRequest[]
  /** Builds of an app (default app-1), newest first, statuses resolved at call time. Copies. */
  builds(appId?: string): StoredBuild[]
  seedBuild(partial: SeedBuild): StoredBuild
  /** org-1's stores as of now (the `stores` setting): store-1..store-N. */
  readonly storeIds: string[]
  /** Publications of every app and organization, oldest first, `password` included. Copies. */
  publications(): StoredPublication[]
  /** Defaults: app-1, security logged, visibility unlisted, filter {type:'last'}, store-1. Throws on a slug already used. */
  seedPublication(partial?: SeedPublication): StoredPublication
  /** The install page of a slug, as a publication's distributionUrl gives it. */
  installUrl(slug: string): string
  /** GitHub's REST API (GITHUB_API_URL), plain HTTP. */
  githubUrl: string
  githubTokens: GithubTokens
  /** Every request to the GitHub host, in arrival order (not in `requests`). */
  githubRequests: RecordedRequest[]
  /** Comments of an issue or pull request, oldest first. Copies. */
  comments(number: number, repo?: string): StoredComment[]
  /** A comment as if written earlier; by github-actions[bot] unless `login` says who. Repo default acme/mobile-app. */
  seedComment(number: number, body: string, options?: { repo?: string; login?: string }): StoredComment
  /**
   * Commits added to the end of a repository's line (default acme/mobile-app), oldest first, each the parent of
   * the next; GitHub's compare API answers from it. Copies, with their shas.
   */
  seedCommits(commits: SeedCommit[], options?: { repo?: string }): StoredCommit[]
  /**
   * Changes the settings `partial` names, from the next request on (a held upload keeps its hold; a processing
   * delay applies to builds stored from now on). A setting given as undefined goes back to its default.
   */
  configure(partial: SandboxBehaviour): void
  /** configure({ processingDelayMs: ms }). */
  setProcessingDelay(ms: number): void
  faults: FaultPlan
  /**
   * Forgets builds, publications, comments, commits, requests (both lists) and faults, and restores the settings
   * startSandbox was given.
   */
  reset(): void
  close(): Promise<void>
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1'
  const initial = mergeBehaviour(DEFAULT_BEHAVIOUR, options)
  const store = new Store(options.fixedTokens)
  const faults = new FaultList()
  const requests: RecordedRequest[] = []
  const githubRequests: RecordedRequest[] = []
  const github = new GithubStore(options.fixedTokens)
  const publications = new Publications()
  const state: SandboxState = {
    store,
    faults,
    requests,
    apiUrl: '',
    uploadUrl: '',
    publications,
    github,
    githubRequests,
    behaviour: { ...initial },
    sharedReads: new SharedReads(),
    discard: options.discard ?? false
  }
  const configure = (partial: SandboxBehaviour): void => {
    Object.assign(state.behaviour, mergeBehaviour(state.behaviour, partial)) // in place: handlers hold it
  }
  const tls: TlsMaterial | undefined = options.tls ? await makeCertificates(options.tls === true ? {} : options.tls) : undefined
  const tlsHosts = (typeof options.tls === 'object' ? options.tls.hosts : undefined) ?? ['api', 'upload', 'github']
  const apiServer = createHostServer('api', state, tlsHosts.includes('api') ? tls : undefined)
  const uploadServer = createHostServer('upload', state, tlsHosts.includes('upload') ? tls : undefined)
  const githubServer = createHostServer('github', state, tlsHosts.includes('github') ? tls : undefined)
  const servers = [apiServer, uploadServer, githubServer]
  try {
    state.apiUrl = await listen(apiServer, host, options.apiPort ?? 0)
    state.uploadUrl = await listen(uploadServer, host, options.uploadPort ?? 0)
    github.baseUrl = await listen(githubServer, host, options.githubPort ?? 0)
  } catch (err) {
    await Promise.all(servers.map(closeServer)).catch(() => {})
    throw err
  }
  const { apiUrl } = state

  return {
    apiUrl,
    uploadUrl: state.uploadUrl,
    organizationId: store.organizationId,
    appId: store.appId,
    tokens: { ...store.tokens },
    ca: tls?.ca,
    requests,
    builds: (appId = store.appId) => {
      store.advance()
      return structuredClone(store.list(appId))
    },
    seedBuild: (partial) => structuredClone(store.seed(partial)),
    get storeIds() {
      return storeIdsOf(store.organizationId, state.behaviour.stores)
    },
    publications: () => publications.all().map((r) => structuredClone(r.pub)),
    seedPublication: (partial = {}) => seedPublication({ store, publications, apiUrl, stores: state.behaviour.stores }, partial),
    installUrl: (slug) => installUrl(apiUrl, slug),
    githubUrl: github.baseUrl,
    githubTokens: { ...github.tokens },
    githubRequests,
    comments: (number, repo = DEFAULT_REPO) => structuredClone(github.list(repo, number)),
    seedComment: (number, body, { repo = DEFAULT_REPO, login }: { repo?: string; login?: string } = {}) =>
      structuredClone(github.add(repo, number, body, login)),
    seedCommits: (commits, { repo = DEFAULT_REPO }: { repo?: string } = {}) => structuredClone(github.seedCommits(repo, commits)),
    configure,
    setProcessingDelay: (ms) => configure({ processingDelayMs: ms }),
    faults,
    reset: () => {
      store.clear()
      publications.clear()
      github.clear()
      requests.length = 0 // in place: callers may hold a reference to the arrays
      githubRequests.length = 0
      faults.clear()
      configure(initial)
    },
    close: async () => {
      await Promise.all(servers.map(closeServer))
    }
  }
}
