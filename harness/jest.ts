// Jest's side of the harness: what only a test file can use (the demo and the benchmark import helpers.ts).
import { afterAll, beforeAll, beforeEach } from '@jest/globals'
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/index.js'

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
