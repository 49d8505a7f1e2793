// The job summary and the annotations each operation leaves.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { makeWorkspace, runAction } from '../../harness/runner.js'
import { actionTests } from '../../harness/jest.js'
import type { Sandbox } from '../../sandbox/index.js'

const { sandbox: current, inputs, ok } = actionTests({ maxPageSize: 5 })
let sandbox: Sandbox
beforeEach(() => {
  sandbox = current()
})
const DAY = 86_400_000

/** Builds d days old for each d, newest first in the returned array's order of age. */
function seedAges(days: number[], extra: Record<string, unknown> = {}): string[] {
  return days.map(
    (d) => sandbox.seedBuild({ status: 'processed', createdAt: new Date(Date.now() - d * DAY), versionName: `${d}d`, ...extra }).id
  )
}

describe('job summary and annotations', () => {
  it('upload: a table of the build with the commit linked, and a notice', async () => {
    const run = ok(
      await runAction(inputs({ file: 'app.ipa', 'version-name': '<b>v1</b>', tags: 'qa' }), {
        workspace: makeWorkspace({ 'app.ipa': 'ipa' })
      })
    )
    const id = run.outputs['build-id']
    expect(run.summary).toContain('<h3>Applivery: upload</h3>')
    expect(run.summary).toContain(`<td><code>${id}</code></td><td>&#60;b&#62;v1&#60;/b&#62;</td><td>pending</td>`)
    expect(run.summary).toContain(
      '<a href="https://github.com/acme/mobile-app/commit/0123456789abcdef0123456789abcdef01234567">0123456</a>'
    )
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
    const run = ok(
      await runAction(inputs({ operation: 'attach', 'build-id': build.id, file: 'a.zip', description: 'dSYM' }), {
        workspace: makeWorkspace({ 'a.zip': Buffer.alloc(1536) })
      })
    )
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
