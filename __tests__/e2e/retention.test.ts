// Prune, dry runs, job summaries, globs and changelog files: run as the runner runs the built action.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../../sandbox/index.js'
import { makeWorkspace, runAction, visibleLog, type ActionRun } from '../../sandbox/runner.js'

let sandbox: Sandbox
const DAY = 86_400_000

beforeAll(async () => {
  sandbox = await startSandbox({ maxPageSize: 5 })
})
afterAll(() => sandbox.close())
beforeEach(() => sandbox.reset())

function inputs(extra: Record<string, string>): Record<string, string> {
  return { token: sandbox.tokens.app, 'api-url': sandbox.apiUrl, 'upload-url': sandbox.uploadUrl, ...extra }
}

function ok(run: ActionRun): ActionRun {
  if (run.code !== 0) throw new Error(`action failed (${run.code}):\n${run.stdout}\n${run.stderr}`)
  expect(visibleLog(run)).not.toContain(sandbox.tokens.app)
  return run
}

const writes = () => sandbox.requests.filter((r) => r.method !== 'GET')
const ids = (run: ActionRun): string[] => JSON.parse(run.outputs['build-ids'])

/** Builds d days old for each d, newest first in the returned array's order of age. */
function seedAges(days: number[], extra: Record<string, unknown> = {}): string[] {
  return days.map((d) => sandbox.seedBuild({ status: 'processed', createdAt: new Date(Date.now() - d * DAY), versionName: `${d}d`, ...extra }).id)
}

describe('prune', () => {
  it('keeps the newest builds and deletes the rest, across several pages', async () => {
    const seeded = seedAges([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    const run = ok(await runAction(inputs({ operation: 'prune', keep: '3' })))
    expect(ids(run).sort()).toEqual(seeded.slice(3).sort())
    expect(run.outputs.count).toBe('9')
    expect(sandbox.builds().map((b) => b.id)).toEqual(seeded.slice(0, 3))
    expect(sandbox.requests.filter((r) => r.method === 'GET').map((r) => r.query.page)).toEqual(['1', '2', '3', '4'])
  })

  it('deletes only builds older than older-than', async () => {
    const seeded = seedAges([1, 5, 20, 40, 60])
    const run = ok(await runAction(inputs({ operation: 'prune', 'older-than': '30d' })))
    expect(ids(run).sort()).toEqual(seeded.slice(3).sort())
    expect(sandbox.builds()).toHaveLength(3)
  })

  it('with both, deletes what is beyond keep and older than older-than', async () => {
    const seeded = seedAges([1, 2, 10, 20, 40, 60])
    const run = ok(await runAction(inputs({ operation: 'prune', keep: '5', 'older-than': '2w' })))
    expect(ids(run)).toEqual([seeded[5]])
  })

  it('keep: 0 with filters deletes every match, tags matched on the build', async () => {
    const qa = seedAges([1, 2, 3], { tags: ['pr-7', 'qa'], os: 'android' })
    seedAges([4], { tags: ['pr-7'], os: 'android' })
    seedAges([5], { tags: ['pr-7', 'qa'], os: 'ios' })
    sandbox.seedBuild({ status: 'error', tags: ['pr-7', 'qa'], os: 'android', createdAt: new Date(Date.now() - 6 * DAY) })
    const run = ok(await runAction(inputs({ operation: 'prune', keep: '0', tags: 'pr-7, qa', os: 'android', status: 'processed' })))
    expect(ids(run).sort()).toEqual(qa.sort())
    expect(sandbox.requests[0].query).toMatchObject({ os: 'android', status: 'processed' })
    expect(sandbox.builds()).toHaveLength(3)
  })

  it('leaves builds that are still being processed alone, and does not count them', async () => {
    const pending = sandbox.seedBuild({ status: 'pending', createdAt: new Date() }).id
    const running = sandbox.seedBuild({ status: 'in_progress', createdAt: new Date(Date.now() - 1000) }).id
    const finished = seedAges([1, 2])
    const failed = sandbox.seedBuild({ status: 'error', createdAt: new Date(Date.now() - 3 * DAY) }).id
    const run = ok(await runAction(inputs({ operation: 'prune', keep: '1' })))
    expect(ids(run).sort()).toEqual([finished[1], failed].sort())
    expect(sandbox.builds().map((b) => b.id).sort()).toEqual([pending, running, finished[0]].sort())
  })

  it('deletes several at a time and counts a build already gone as deleted', async () => {
    const seeded = seedAges([1, 2, 3, 4, 5, 6, 7, 8])
    sandbox.faults.add({ method: 'DELETE', path: new RegExp(seeded[7]), action: { kind: 'status', status: 404, body: '{"status":false,"error":{"code":3001,"message":"Entity not found"}}' } })
    const run = ok(await runAction(inputs({ operation: 'prune', keep: '0' })))
    expect(run.outputs.count).toBe('8')
    expect(sandbox.requests.filter((r) => r.method === 'DELETE')).toHaveLength(8)
  })

  it('a dry run names the builds it would delete and deletes none', async () => {
    const seeded = seedAges([1, 2, 3, 4])
    const run = ok(await runAction(inputs({ operation: 'prune', keep: '2', 'dry-run': 'true' })))
    expect(ids(run).sort()).toEqual(seeded.slice(2).sort())
    expect(writes()).toHaveLength(0)
    expect(sandbox.builds()).toHaveLength(4)
    expect(run.stdout).toContain(`Dry run: would DELETE ${sandbox.apiUrl}/v1/integrations/builds/${seeded[2]}`)
    expect(run.summary).toContain('Builds that would be deleted: 2')
  })

  it('needs keep or older-than, and older-than needs a unit', async () => {
    const neither = await runAction(inputs({ operation: 'prune' }))
    expect(neither.stdout).toContain("::error::Input 'keep': or older-than is required for operation 'prune'")
    const unitless = await runAction(inputs({ operation: 'prune', 'older-than': '30' }))
    expect(unitless.stdout).toContain("::error::Input 'older-than': expected a number with a unit")
    const pendingFilter = await runAction(inputs({ operation: 'prune', keep: '1', status: 'pending' }))
    expect(pendingFilter.stdout).toContain("::error::Input 'status': 'pending' is not one of processed, error")
    expect(sandbox.requests).toHaveLength(0)
  })
})

describe('dry run', () => {
  it('upload: prints the request and its fields, sends nothing, claims no build', async () => {
    const workspace = makeWorkspace({ 'app.ipa': Buffer.alloc(2048, 1) })
    const run = ok(await runAction(inputs({ file: 'app.ipa', 'version-name': '1.0', tags: 'a,b', 'dry-run': 'true', wait: 'true' }), { workspace }))
    // Only the read that checks the token and the app.
    expect(sandbox.requests.map((r) => [r.method, r.path])).toEqual([['GET', '/v1/integrations/builds']])
    expect(run.outputs['build-id']).toBeUndefined()
    expect(run.stdout).toContain(`Dry run: would POST ${sandbox.uploadUrl}/v1/integrations/builds`)
    expect(run.stdout).toContain('  versionName: "1.0"')
    expect(run.stdout).toContain('  tags: "a,b"')
    expect(run.stdout).toContain('  build: app.ipa (2048 bytes)')
    expect(run.summary).toContain('Dry run: nothing was changed')
  })

  it.each([
    ['update', { 'version-name': '2.0' }, 'PUT'],
    ['delete', {}, 'DELETE'],
    ['attach', { file: 'notes.txt' }, 'POST']
  ] as const)('%s: reads the build, prints the write, changes nothing', async (operation, extra, method) => {
    const build = sandbox.seedBuild({ status: 'processed', versionName: '1.0' })
    const workspace = makeWorkspace({ 'notes.txt': 'n' })
    const run = ok(await runAction(inputs({ operation, 'build-id': build.id, 'dry-run': 'true', ...extra }), { workspace }))
    expect(writes()).toHaveLength(0)
    expect(sandbox.requests.length).toBeGreaterThan(0)
    expect(run.stdout).toContain(`Dry run: would ${method} ${operation === 'attach' ? sandbox.uploadUrl : sandbox.apiUrl}/v1/integrations/builds/${build.id}`)
    expect(sandbox.builds()[0]).toMatchObject({ id: build.id, versionName: '1.0', files: [] })
    expect(run.outputs.deleted).toBeUndefined()
    expect(run.outputs.files).toBeUndefined()
    expect(run.outputs.status).toBe('processed')
  })

  it('get and list only read', async () => {
    const build = sandbox.seedBuild({ status: 'processed' })
    ok(await runAction(inputs({ operation: 'get', 'build-id': build.id, 'dry-run': 'true' })))
    ok(await runAction(inputs({ operation: 'list', 'dry-run': 'true' })))
    expect(writes()).toHaveLength(0)
  })
})

describe('job summary and annotations', () => {
  it('upload: a table of the build with the commit linked, and a notice', async () => {
    const run = ok(await runAction(inputs({ file: 'app.ipa', 'version-name': '<b>v1</b>', tags: 'qa' }), { workspace: makeWorkspace({ 'app.ipa': 'ipa' }) }))
    const id = run.outputs['build-id']
    expect(run.summary).toContain('<h3>Applivery: upload</h3>')
    expect(run.summary).toContain(`<td><code>${id}</code></td><td>&#60;b&#62;v1&#60;/b&#62;</td><td>pending</td>`)
    expect(run.summary).toContain('<a href="https://github.com/acme/mobile-app/commit/0123456789abcdef0123456789abcdef01234567">0123456</a>')
    expect(run.stdout).toContain(`::notice::Uploaded app.ipa to Applivery as build ${id} (<b>v1</b>)`)
  })

  it('keeps text from builds as text: no markup, no Markdown after a blank line, links only to this repository', async () => {
    sandbox.seedBuild({
      status: 'processed',
      versionName: 'v1\n\n[Sign in](https://evil.example/login) ![x](https://evil.example/p.png)',
      deployer: { info: { commit: 'abcdef1234567', repositoryUrl: 'https://evil.example/repo' } }
    })
    const run = ok(await runAction(inputs({ operation: 'list' })))
    expect(run.summary).toContain('<td>v1<br><br>[Sign in](https://evil.example/login) ![x](https://evil.example/p.png)</td>')
    expect(run.summary).not.toMatch(/\n\s*\n\[Sign in\]/)
    expect(run.summary).toContain('<a href="https://github.com/acme/mobile-app/commit/abcdef1234567">abcdef1</a>')
    expect(run.summary).not.toContain('evil.example/repo')
  })

  it('list: a table of the builds', async () => {
    seedAges([1, 2, 3])
    const run = ok(await runAction(inputs({ operation: 'list' })))
    expect(run.summary).toContain('Builds: 3')
    expect(run.summary.match(/<tr>/g)).toHaveLength(4)
  })

  it('attach: the files with their sizes', async () => {
    const build = sandbox.seedBuild({ status: 'processed' })
    const run = ok(await runAction(inputs({ operation: 'attach', 'build-id': build.id, file: 'a.zip', description: 'dSYM' }), {
      workspace: makeWorkspace({ 'a.zip': Buffer.alloc(1536) })
    }))
    expect(run.summary).toContain('<h4>Attached files</h4>')
    expect(run.summary).toContain('<td>a.zip</td><td>dSYM</td><td>1.5 KiB</td>')
  })

  it('get, update and delete: the build', async () => {
    const build = sandbox.seedBuild({ status: 'processed', versionName: 'v9' })
    const get = ok(await runAction(inputs({ operation: 'get', 'build-id': build.id })))
    expect(get.summary).toContain(`<td><code>${build.id}</code></td><td>v9</td>`)
    const update = ok(await runAction(inputs({ operation: 'update', 'build-id': build.id, 'version-name': 'v10' })))
    expect(update.summary).toContain('<h3>Applivery: update</h3>')
    expect(update.summary).toContain('<td>v10</td>')
    const del = ok(await runAction(inputs({ operation: 'delete', 'build-id': build.id })))
    expect(del.summary).toContain(`Build <code>${build.id}</code> was deleted.`)
  })

  it('a failure leaves an error annotation and says so in the summary', async () => {
    const run = await runAction(inputs({ operation: 'get', 'build-id': 'nope' }))
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/::error::Get build nope failed \(HTTP 404\)/)
    expect(run.summary).toContain('<strong>Failed:</strong> Get build nope failed (HTTP 404)')
  })
})

describe('files', () => {
  it('attach expands globs per line; a line matching nothing fails, warns or is ignored', async () => {
    const build = sandbox.seedBuild({ status: 'processed' })
    const workspace = makeWorkspace({ 'ios/A.app.dSYM.zip': 'a', 'ios/sub/B.app.dSYM.zip': 'b', 'report.xml': 'r' })
    const lines = '**/*.dSYM.zip\nreport.xml\nmissing/*.txt'
    const failed = await runAction(inputs({ operation: 'attach', 'build-id': build.id, file: lines }), { workspace })
    expect(failed.stdout).toContain("::error::Input 'file': 'missing/*.txt' matches no file")
    expect(sandbox.requests).toHaveLength(0)

    const warned = ok(await runAction(inputs({ operation: 'attach', 'build-id': build.id, file: lines, 'if-no-files-found': 'warn' }), { workspace }))
    expect(warned.stdout).toContain("::warning::Input 'file': 'missing/*.txt' matches no file")
    expect(JSON.parse(warned.outputs.files).map((f: { file: { originalName: string } }) => f.file.originalName)).toEqual([
      'A.app.dSYM.zip',
      'B.app.dSYM.zip',
      'report.xml'
    ])
    const ignored = ok(await runAction(inputs({ operation: 'attach', 'build-id': build.id, file: 'missing/*.txt', 'if-no-files-found': 'ignore' }), { workspace }))
    expect(ignored.stdout).not.toContain('::warning::Input')
    expect(ignored.stdout).toContain('No files to attach')
  })

  it('changelog-file fills the changelog of an upload and of an update', async () => {
    const workspace = makeWorkspace({ 'app.ipa': 'ipa', 'CHANGELOG.md': '## 2.4.0\n- Fixed <login> crash\n' })
    const upload = ok(await runAction(inputs({ file: 'app.ipa', 'changelog-file': 'CHANGELOG.md' }), { workspace }))
    expect(sandbox.requests.find((r) => r.method === 'POST')?.fields.changelog).toBe('## 2.4.0\n- Fixed <login> crash')
    sandbox.requests.length = 0
    ok(await runAction(inputs({ operation: 'update', 'build-id': upload.outputs['build-id'], 'changelog-file': 'CHANGELOG.md' }), { workspace }))
    expect(sandbox.requests[0].json).toEqual({ changelog: '## 2.4.0\n- Fixed <login> crash' })
  })
})
