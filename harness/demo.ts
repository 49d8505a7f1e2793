// npm run demo: starts the sandbox and runs the built action through upload -> wait -> attach -> update ->
// list -> delete, the way a workflow's steps would, printing each step's log and outputs.
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { startSandbox } from '../sandbox/index.js'
import { makeWorkspace, runAction, visibleLog, type ActionRun } from './runner.js'
import { connectionInputs } from './helpers.js'

const sandbox = await startSandbox({ processingDelayMs: 1500 })
const workspace = makeWorkspace({
  'build/app-release.ipa': randomBytes(4 * 1024 * 1024),
  'build/App.dSYM.zip': randomBytes(256 * 1024),
  'reports/junit.xml': '<testsuite tests="42" failures="0"/>\n',
  'CHANGELOG.md': 'Fixed the crash on the login screen.\n'
})
const connection = connectionInputs(sandbox)

function show(step: string, run: ActionRun): void {
  console.log(`\n=== ${step} (exit ${run.code}, ${run.elapsedMs} ms)`)
  for (const line of visibleLog(run).split('\n')) if (line.trim()) console.log(`  | ${line}`)
  for (const [name, value] of Object.entries(run.outputs)) {
    console.log(`  ${name} = ${value.length > 160 ? `${value.slice(0, 160)}... (${value.length} chars)` : value}`)
  }
  if (run.code !== 0) throw new Error(`step '${step}' failed`)
}

let failed = false
try {
  console.log(`Sandbox: API ${sandbox.apiUrl}, upload ${sandbox.uploadUrl}`)
  const upload = await runAction(
    {
      ...connection,
      file: 'build/*.ipa',
      'version-name': '2.4.0-rc1',
      tags: 'staging, sprint-42',
      'changelog-file': 'CHANGELOG.md',
      wait: 'true'
    },
    { workspace }
  )
  show('upload and wait', upload)
  const buildId = upload.outputs['build-id']

  show(
    'attach dSYM and test report',
    await runAction(
      { ...connection, operation: 'attach', 'build-id': buildId, file: 'build/*.dSYM.zip\nreports/*.xml', description: 'CI artifacts' },
      { workspace }
    )
  )
  show(
    'update',
    await runAction({ ...connection, operation: 'update', 'build-id': buildId, 'version-name': '2.4.0', tags: 'production' }, { workspace })
  )
  show(
    'list (Workspace API, Service Account token)',
    await runAction(
      {
        ...connection,
        token: sandbox.tokens.serviceAccount,
        'organization-id': sandbox.organizationId,
        'app-id': sandbox.appId,
        operation: 'list',
        limit: '10'
      },
      { workspace }
    )
  )
  show('delete', await runAction({ ...connection, operation: 'delete', 'build-id': buildId }, { workspace }))
  console.log(`\nDemo finished: ${sandbox.requests.length} requests reached the sandbox; ${sandbox.builds().length} builds remain.`)
} catch (err) {
  console.error(`\nDemo failed: ${(err as Error).message}`)
  failed = true
} finally {
  await sandbox.close()
  rmSync(workspace, { recursive: true, force: true })
}
process.exit(failed ? 1 : 0)
