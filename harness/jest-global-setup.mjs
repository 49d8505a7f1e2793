// Jest's global setup, before the first test: a Node that can run the tests (else one message, at once), dist/
// rebuilt when the source is newer, and a temp folder for the run (removed by jest-global-teardown.mjs). Jest
// loads this file with Node's own loader, not its module mapper: the TypeScript comes in through tsx.
import { tsImport } from 'tsx/esm/api'

export default async function globalSetup() {
  const major = Number(process.versions.node.split('.')[0])
  if (major < 20) {
    throw new Error(
      `The tests need Node 20 or newer, and this is Node ${process.versions.node}. Install a current Node ` +
        '(nodejs.org, nvm, fnm or volta; .node-version names 24, what GitHub runs the action on), then npm ci.'
    )
  }
  const run = await tsImport('./test-run.ts', import.meta.url)
  run.rebuildIfStale((line) => console.log(`\n${line}`))
  const notice = (await tsImport('./runner.ts', import.meta.url)).actionNodeNotice()
  if (notice) console.log(`\n${notice}`)
  globalThis.appliveryTestRunTemp = run.openRunTemp()
}
