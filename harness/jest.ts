// Jest's side of the harness: what only a test file can use (the demo and the benchmark import helpers.ts).
import { afterAll, beforeAll, beforeEach, expect } from '@jest/globals'
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/index.js'
import { connectionInputs, expectSucceeded, sha256 } from './helpers.js'
import { visibleLog, type ActionRun } from './runner.js'

/** A sandbox for one test file: started before its tests, reset before each, closed after them. */
export function sandboxForTests(options: SandboxOptions = {}): () => Sandbox {
  let sandbox: Sandbox | undefined
  beforeAll(async () => {
    sandbox = await startSandbox(options)
  })
  afterAll(() => sandbox?.close())
  beforeEach(() => sandbox?.reset())
  return () => {
    if (!sandbox) throw new Error('the sandbox is started in beforeAll: use it inside a test')
    return sandbox
  }
}

/** A test file's sandbox, the action's inputs pointing at it, and "the run succeeded and never showed the token". */
export function actionTests(options: SandboxOptions = {}): {
  sandbox: () => Sandbox
  inputs: (extra: Record<string, string>) => Record<string, string>
  ok: (run: ActionRun) => ActionRun
} {
  const sandbox = sandboxForTests(options)
  return {
    sandbox,
    inputs: (extra) => ({ ...connectionInputs(sandbox()), ...extra }),
    ok: (run) => {
      expectSucceeded(run)
      expect(visibleLog(run)).not.toContain(sandbox().tokens.app)
      return run
    }
  }
}

/** Exactly one build exists, it holds exactly the bytes of `file`, and the step's build-id names it. */
export function expectOneIntactBuild(sandbox: Sandbox, run: ActionRun, file: Uint8Array): void {
  expectSucceeded(run)
  const builds = sandbox.builds()
  expect(builds).toHaveLength(1)
  expect(builds[0].checksum).toBe(sha256(file))
  expect(run.outputs['build-id']).toBe(builds[0].id)
}
