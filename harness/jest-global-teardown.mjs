// Jest's global teardown, after the last test, passed or failed: the run's temp folder goes, with whatever a
// test that failed half-way left in it.
import { tsImport } from 'tsx/esm/api'

export default async function globalTeardown() {
  const temp = globalThis.appliveryTestRunTemp
  if (temp) (await tsImport('./test-run.ts', import.meta.url)).closeRunTemp(temp)
}
