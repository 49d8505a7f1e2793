// startSandbox: wires the store, the fault plan and the two hosts (api and upload) together.
import { FaultList, type FaultPlan } from './faults.js'
import { closeServer, createHostServer, listen, type SandboxState } from './server.js'
import { Store } from './store.js'
import type { RecordedRequest, SandboxOptions, SeedBuild, StoredBuild, Tokens } from './types.js'

export interface Sandbox {
  apiUrl: string
  uploadUrl: string
  organizationId: string
  appId: string
  tokens: Tokens
  /** Every request, in arrival order (entries are filled in while the request runs). */
  requests: RecordedRequest[]
  /** Builds of an app (default app-1), newest first, statuses resolved at call time. Copies. */
  builds(appId?: string): StoredBuild[]
  seedBuild(partial: SeedBuild): StoredBuild
  /** Applies to builds uploaded from now on. */
  setProcessingDelay(ms: number): void
  faults: FaultPlan
  /** Forgets builds, requests and faults, and restores the starting processing delay. */
  reset(): void
  close(): Promise<void>
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1'
  const initialDelay = options.processingDelayMs ?? 300
  const store = new Store(initialDelay)
  const faults = new FaultList()
  const requests: RecordedRequest[] = []
  const state: SandboxState = {
    store,
    faults,
    requests,
    uploadUrl: '',
    maxPageSize: options.maxPageSize ?? 100,
    discard: options.discard ?? false
  }
  const apiServer = createHostServer('api', state)
  const uploadServer = createHostServer('upload', state)
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
    requests,
    builds: (appId = store.appId) => structuredClone(store.list(appId)),
    seedBuild: (partial) => structuredClone(store.seed(partial)),
    setProcessingDelay: (ms) => {
      store.processingDelayMs = ms
    },
    faults,
    reset: () => {
      store.clear()
      requests.length = 0 // in place: callers may hold a reference to the array
      faults.clear()
      store.processingDelayMs = initialDelay
    },
    close: async () => {
      await Promise.all([closeServer(apiServer), closeServer(uploadServer)])
    }
  }
}
