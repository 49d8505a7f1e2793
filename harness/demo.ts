// npm run demo: starts the sandbox and runs the built action through upload -> wait -> publish -> comment ->
// attach -> update -> list -> the next upload -> delete, the way a pull request's workflow steps would,
// printing each step's log and outputs, and ends with the install link and its QR code.
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { startSandbox } from '../sandbox/index.js'
import { actionNodeNotice, makeWorkspace, PR_EVENT, runAction, visibleLog, type ActionRun, type RunOptions } from './runner.js'
import { connectionInputs, offered } from './helpers.js'

const notice = actionNodeNotice()
if (notice) console.log(notice.replace('end-to-end tests run', 'demo runs'))
const sandbox = await startSandbox({ processingDelayMs: 1500 })
const workspace = makeWorkspace({
  'build/app-release.ipa': randomBytes(4 * 1024 * 1024),
  'build/App.dSYM.zip': randomBytes(256 * 1024),
  'reports/junit.xml': '<testsuite tests="42" failures="0"/>\n',
  'CHANGELOG.md': 'Fixed the crash on the login screen.\n'
})
const connection = connectionInputs(sandbox)
/** Pull request #12, commenting on the sandbox's GitHub. */
const onPullRequest: RunOptions = { workspace, event: PR_EVENT, env: { GITHUB_API_URL: sandbox.githubUrl } }
const sharing = { wait: 'true', publish: 'true', 'pr-comment': 'true', 'github-token': sandbox.githubTokens.write }

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
      ...sharing
    },
    onPullRequest
  )
  show('upload, wait, publish the pull request page, comment', upload)
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
  const next = await runAction({ ...connection, file: 'build/*.ipa', 'version-name': '2.4.0-rc2', ...sharing }, onPullRequest)
  show('the next push: upload, the same page, the comment updated', next)
  show('delete the first build', await runAction({ ...connection, operation: 'delete', 'build-id': buildId }, { workspace }))
  const url = next.outputs['publication-url']
  const page = await offered(url)
  console.log(`\nDemo finished: ${sandbox.requests.length} requests reached the sandbox; ${sandbox.builds().length} build remains.`)
  console.log(
    `Pull request #12 has ${sandbox.comments(12).length} comment from the action, updated ${sandbox.githubRequests.filter((r) => r.method === 'PATCH').length} time.`
  )
  console.log(`\nInstall page: ${url}\n(it offers build ${page.buildId}, the one uploaded last)\n\n${next.outputs['qr-code']}`)
} catch (err) {
  console.error(`\nDemo failed: ${(err as Error).message}`)
  failed = true
} finally {
  await sandbox.close()
  rmSync(workspace, { recursive: true, force: true })
}
process.exit(failed ? 1 : 0)
