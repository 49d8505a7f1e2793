// startSandbox: wires the store, the fault plan and the two hosts (api and upload) together.
import { DEFAULT_BEHAVIOUR, mergeBehaviour } from './behaviour.js'
import { FaultList, type FaultPlan } from './faults.js'
import { closeServer, createHostServer, listen, type SandboxState } from './server.js'
import { Store } from './store.js'
import { makeCertificates, type TlsMaterial } from './tls.js'
import type { RecordedRequest, SandboxBehaviour, SandboxOptions, SeedBuild, StoredBuild, Tokens } from './types.js'

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
  /**
   * Changes the settings `partial` names, from the next request on (a held upload keeps its hold; a processing
   * delay applies to builds stored from now on). A setting given as undefined goes back to its default.
   */
  configure(partial: SandboxBehaviour): void
  /** configure({ processingDelayMs: ms }). */
  setProcessingDelay(ms: number): void
  faults: FaultPlan
  /** Forgets builds, requests and faults, and restores the settings startSandbox was given. */
  reset(): void
  close(): Promise<void>
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1'
  const initial = mergeBehaviour(DEFAULT_BEHAVIOUR, options)
  const store = new Store(options.fixedTokens)
  const faults = new FaultList()
  const requests: RecordedRequest[] = []
  const state: SandboxState = {
    store,
    faults,
    requests,
    uploadUrl: '',
    behaviour: { ...initial },
    discard: options.discard ?? false
  }
  const configure = (partial: SandboxBehaviour): void => {
    Object.assign(state.behaviour, mergeBehaviour(state.behaviour, partial)) // in place: handlers hold it
  }
  const tls: TlsMaterial | undefined = options.tls ? await makeCertificates(options.tls === true ? {} : options.tls) : undefined
  const tlsHosts = (typeof options.tls === 'object' ? options.tls.hosts : undefined) ?? ['api', 'upload']
  const apiServer = createHostServer('api', state, tlsHosts.includes('api') ? tls : undefined)
  const uploadServer = createHostServer('upload', state, tlsHosts.includes('upload') ? tls : undefined)
  let apiUrl: string
  try {
    apiUrl = await listen(apiServer, host, options.apiPort ?? 0)
    state.uploadUrl = await listen(uploadServer, host, options.uploadPort ?? 0)
  } catch (err) {
    await Promise.all([closeServer(apiServer), closeServer(uploadServer)]).catch(() => {})
    throw err
  }

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
    configure,
    setProcessingDelay: (ms) => configure({ processingDelayMs: ms }),
    faults,
    reset: () => {
      store.clear()
      requests.length = 0 // in place: callers may hold a reference to the array
      faults.clear()
      configure(initial)
    },
    close: async () => {
      await Promise.all([closeServer(apiServer), closeServer(uploadServer)])
    }
  }
}
