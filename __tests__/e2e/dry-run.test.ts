// Dry runs: the reads are made, the writes are printed and not sent, and outputs claim no write.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { makeWorkspace, runAction } from '../../harness/runner.js'
import { actionTests } from '../../harness/jest.js'
import type { Sandbox } from '../../sandbox/index.js'

const { sandbox: current, inputs, ok } = actionTests({ maxPageSize: 5 })
let sandbox: Sandbox
beforeEach(() => {
  sandbox = current()
})

const writes = () => sandbox.requests.filter((r) => r.method !== 'GET')

describe('dry run', () => {
  it('upload: prints the request and its fields, sends nothing, claims no build', async () => {
    const workspace = makeWorkspace({ 'app.ipa': Buffer.alloc(2048, 1) })
    const run = ok(
      await runAction(inputs({ file: 'app.ipa', 'version-name': '1.0', tags: 'a,b', 'dry-run': 'true', wait: 'true' }), { workspace })
    )
    // Only the read that checks the token and the app.
    expect(sandbox.requests.map((r) => [r.method, r.path])).toEqual([['GET', '/v1/integrations/builds']])
    expect(run.outputs['build-id']).toBeUndefined()
    expect(run.stdout).toContain(`Dry run: would POST ${sandbox.uploadUrl}/v1/integrations/builds`)
    expect(run.stdout).toContain('  versionName: "1.0"')
    expect(run.stdout).toContain('  tags: "a,b"')
    expect(run.stdout).toContain('  build: "app.ipa" (2048 bytes)')
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
    expect(run.stdout).toContain(
      `Dry run: would ${method} ${operation === 'attach' ? sandbox.uploadUrl : sandbox.apiUrl}/v1/integrations/builds/${build.id}`
    )
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
