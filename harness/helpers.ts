// What the end-to-end tests, the demo and the benchmark share: the sandbox's inputs for the action, the check
// that a run succeeded, checksums, and what an install page offers.
import { createHash } from 'node:crypto'
import type { Sandbox } from '../sandbox/index.js'
import type { ActionRun } from './runner.js'

export type Api = 'integrations' | 'workspace'

/** The inputs that point the action at the sandbox: an App token (Integrations API) or a Service Account (Workspace API). */
export function connectionInputs(sandbox: Sandbox, api: Api = 'integrations'): Record<string, string> {
  const hosts = { 'api-url': sandbox.apiUrl, 'upload-url': sandbox.uploadUrl }
  return api === 'integrations'
    ? { ...hosts, token: sandbox.tokens.app }
    : { ...hosts, token: sandbox.tokens.serviceAccount, 'organization-id': sandbox.organizationId, 'app-id': sandbox.appId }
}

/** The run, when it succeeded; otherwise an error that carries its whole log. */
export function expectSucceeded(run: ActionRun): ActionRun {
  if (run.code !== 0) throw new Error(`action failed (${run.code}):\n${run.stdout}\n${run.stderr}`)
  return run
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex')
}

/** What the install page at a distributionUrl offers now, as a tester's phone would find out. */
export async function offered(url: string, query = ''): Promise<{ status: number; buildId?: string }> {
  const response = await fetch(url + query)
  const body = (await response.json()) as { build?: { id: string } | null }
  return { status: response.status, buildId: body.build?.id ?? undefined }
}
