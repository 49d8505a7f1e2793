// File inputs: globs per line for attach, and changelog files.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { makeWorkspace, runAction } from '../../harness/runner.js'
import { actionTests } from '../../harness/jest.js'
import type { Sandbox } from '../../sandbox/index.js'

const { sandbox: current, inputs, ok } = actionTests({ maxPageSize: 5 })
let sandbox: Sandbox
beforeEach(() => {
  sandbox = current()
})

describe('files', () => {
  it('attach expands globs per line; a line matching nothing fails, warns or is ignored', async () => {
    const build = sandbox.seedBuild({ status: 'processed' })
    const workspace = makeWorkspace({ 'ios/A.app.dSYM.zip': 'a', 'ios/sub/B.app.dSYM.zip': 'b', 'report.xml': 'r' })
    const lines = '**/*.dSYM.zip\nreport.xml\nmissing/*.txt'
    const failed = await runAction(inputs({ operation: 'attach', 'build-id': build.id, file: lines }), { workspace })
    expect(failed.stdout).toContain("::error::Input 'file': 'missing/*.txt' matches no file")
    expect(sandbox.requests).toHaveLength(0)

    const warned = ok(
      await runAction(inputs({ operation: 'attach', 'build-id': build.id, file: lines, 'if-no-files-found': 'warn' }), { workspace })
    )
    expect(warned.stdout).toContain("::warning::Input 'file': 'missing/*.txt' matches no file")
    expect(JSON.parse(warned.outputs.files).map((f: { file: { originalName: string } }) => f.file.originalName)).toEqual([
      'A.app.dSYM.zip',
      'B.app.dSYM.zip',
      'report.xml'
    ])
    const ignored = ok(
      await runAction(inputs({ operation: 'attach', 'build-id': build.id, file: 'missing/*.txt', 'if-no-files-found': 'ignore' }), {
        workspace
      })
    )
    expect(ignored.stdout).not.toContain('::warning::Input')
    expect(ignored.stdout).toContain('No files to attach')
  })

  it('changelog-file fills the changelog of an upload and of an update', async () => {
    const workspace = makeWorkspace({ 'app.ipa': 'ipa', 'CHANGELOG.md': '## 2.4.0\n- Fixed <login> crash\n' })
    const upload = ok(await runAction(inputs({ file: 'app.ipa', 'changelog-file': 'CHANGELOG.md' }), { workspace }))
    expect(sandbox.requests.find((r) => r.method === 'POST')?.fields.changelog).toBe('## 2.4.0\n- Fixed <login> crash')
    sandbox.requests.length = 0
    ok(
      await runAction(inputs({ operation: 'update', 'build-id': upload.outputs['build-id'], 'changelog-file': 'CHANGELOG.md' }), {
        workspace
      })
    )
    expect(sandbox.requests[0].json).toEqual({ changelog: '## 2.4.0\n- Fixed <login> crash' })
  })
})
