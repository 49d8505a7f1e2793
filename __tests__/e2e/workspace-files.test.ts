// Files the action reads stay in the workspace (or the runner's temp folder), symbolic links resolved, and never
// in a .git folder, whose config holds the checkout's token; globs stay in the workspace and their walk is
// bounded; a file replaced or deleted while it is sent fails the step, and no build is made from it.
import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { actionTests } from '../../harness/jest.js'
import { startThrottle } from '../../harness/throttle.js'
import { makeWorkspace, runAction, visibleLog } from '../../harness/runner.js'

const { sandbox, inputs, ok } = actionTests({ processingDelayMs: 50 })

/** A checkout: its .git/config holds the token actions/checkout persisted. */
function checkout(files: Record<string, string | Buffer> = {}): string {
  return makeWorkspace({
    '.git/config': '[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzX3NlY3JldA==\n',
    'app.apk': 'apk bytes',
    ...files
  })
}

function outsideFile(name: string, content: string | Buffer = 'outside'): string {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-outside-'))
  writeFileSync(join(dir, name), content)
  return join(dir, name)
}

describe('files outside the workspace', () => {
  it('a changelog-file that links to .git/config is refused before any request, naming the input and where it leads', async () => {
    const workspace = checkout()
    symlinkSync(join(workspace, '.git', 'config'), join(workspace, 'CHANGELOG.md'))
    const run = await runAction(inputs({ file: 'app.apk', 'changelog-file': 'CHANGELOG.md' }), { workspace })
    expect(run.code).toBe(1)
    const real = join(realpathSync(workspace), '.git', 'config')
    expect(visibleLog(run)).toContain(
      `Input 'changelog-file': ${join(workspace, 'CHANGELOG.md')}, which resolves to ${real}, is inside a .git folder`
    )
    expect(visibleLog(run)).not.toContain('AUTHORIZATION')
    expect(sandbox().requests).toHaveLength(0)
  })

  it('a git credentials file (actions/checkout v6 keeps the token in one) is refused wherever it is', async () => {
    const workspace = checkout({ 'git-credentials-0b1c.config': '[http]\n\textraheader = AUTHORIZATION: basic x\n' })
    const run = await runAction(inputs({ file: 'app.apk', 'changelog-file': 'git-credentials-0b1c.config' }), { workspace })
    expect(run.code).toBe(1)
    expect(visibleLog(run)).toContain("Input 'changelog-file':")
    expect(visibleLog(run)).toContain('is a git credentials or config file')
    expect(sandbox().requests).toHaveLength(0)
  })

  it('a .git file named directly is refused, even with allow-outside-workspace', async () => {
    const workspace = checkout()
    const run = await runAction(inputs({ operation: 'attach', 'build-id': 'b1', file: '.git/config', 'allow-outside-workspace': 'true' }), {
      workspace
    })
    expect(run.code).toBe(1)
    expect(visibleLog(run)).toContain("Input 'file':")
    expect(visibleLog(run)).toContain('is inside a .git folder')
    expect(sandbox().requests).toHaveLength(0)
  })

  it('a build that links out of the workspace is refused; allow-outside-workspace lets it through', async () => {
    const target = outsideFile('passwd.apk', 'root:x:0:0')
    const workspace = checkout()
    symlinkSync(target, join(workspace, 'linked.apk'))
    const refused = await runAction(inputs({ file: 'linked.apk' }), { workspace })
    expect(refused.code).toBe(1)
    expect(visibleLog(refused)).toContain(
      `Input 'file': ${join(workspace, 'linked.apk')} resolves to ${realpathSync(target)}, which is outside the workspace`
    )
    expect(visibleLog(refused)).toContain('set allow-outside-workspace: true')
    expect(sandbox().requests).toHaveLength(0)

    const allowed = ok(await runAction(inputs({ file: 'linked.apk', 'allow-outside-workspace': 'true' }), { workspace }))
    expect(sandbox().builds()[0].id).toBe(allowed.outputs['build-id'])
    expect(sandbox().requests.find((r) => r.method === 'POST')?.files[0].filename).toBe('linked.apk')
  })

  it.each([
    ['file', () => ({ file: join('..', 'elsewhere.apk') })],
    [
      'package-icon',
      () => ({
        file: 'app.apk',
        'build-platform': 'ps5',
        'package-name': 'x',
        'package-version': '1',
        'package-icon': outsideFile('icon.png')
      })
    ]
  ])('%s outside the workspace, by .. or an absolute path, is refused', async (input, extra) => {
    const parent = mkdtempSync(join(tmpdir(), 'e2e-parent-'))
    writeFileSync(join(parent, 'elsewhere.apk'), 'apk')
    const workspace = join(parent, 'workspace')
    mkdirSync(workspace)
    writeFileSync(join(workspace, 'app.apk'), 'apk')
    try {
      const run = await runAction(inputs(extra()), { workspace })
      expect(run.code).toBe(1)
      expect(visibleLog(run)).toContain(`Input '${input}':`)
      expect(visibleLog(run)).toContain('outside the workspace')
      expect(sandbox().requests).toHaveLength(0)
    } finally {
      rmSync(parent, { recursive: true, force: true })
    }
  })

  it('a glob over / is refused before it walks; within the workspace a glob walk is bounded in time', async () => {
    const workspace = checkout()
    const wide = await runAction(inputs({ file: '/**/*.apk' }), { workspace })
    expect(wide.code).toBe(1)
    expect(visibleLog(wide)).toContain("Input 'file': '/**/*.apk' searches /, outside the workspace")
    expect(wide.elapsedMs).toBeLessThan(10_000)

    const slow = await runAction(inputs({ file: '**/*.apk' }), { workspace, env: { APPLIVERY_TEST_TIMINGS: '{"globMs":0}' } })
    expect(slow.code).toBe(1)
    expect(visibleLog(slow)).toContain("Input 'file': '**/*.apk' walked more than 500,000 folder entries or 0s; narrow it")
    expect(sandbox().requests).toHaveLength(0)
  })
})

describe('a file that is replaced or deleted while it is uploaded', () => {
  it.each([
    [
      'replaced by a rename',
      (path: string) => renameSync(`${path}.next`, path),
      /app\.ipa was replaced by another file while it was being uploaded/
    ],
    ['deleted', (path: string) => unlinkSync(path), /app\.ipa was deleted while it was being uploaded/]
  ])('%s: the step fails and no build is made', async (_name, change, message) => {
    // Far larger than the socket buffers: when a tenth has arrived, the action is still reading the file.
    const ipa = randomBytes(24 * 1024 * 1024)
    const workspace = makeWorkspace({ 'app.ipa': ipa, 'app.ipa.next': randomBytes(ipa.length) })
    const path = join(workspace, 'app.ipa')
    // A slow network: the file is being sent for about three seconds.
    const throttle = await startThrottle(sandbox().uploadUrl, { sliceBytes: 16 * 1024, bytesPerSecond: 8 * 1024 * 1024 })
    const watch = setInterval(() => {
      const upload = sandbox().requests.find((r) => r.method === 'POST')
      if (upload && upload.bodyBytes > 2 * 1024 * 1024) {
        clearInterval(watch)
        change(path)
      }
    }, 10)
    try {
      const run = await runAction(inputs({ file: 'app.ipa', 'upload-url': throttle.url }), { workspace })
      expect(run.code).toBe(1)
      expect(visibleLog(run)).toMatch(message)
      expect(sandbox().builds()).toHaveLength(0)
    } finally {
      clearInterval(watch)
      await throttle.close()
    }
  })

  it('replaced after its last byte went, while Applivery works on it: the step fails, naming the build', async () => {
    const workspace = makeWorkspace({ 'app.ipa': 'first bytes', 'app.ipa.next': 'other bytes' })
    sandbox().configure({ uploadHold: { ms: 1500, visible: 'start' } })
    const watch = setInterval(() => {
      if (sandbox().builds().length > 0) {
        clearInterval(watch)
        renameSync(join(workspace, 'app.ipa.next'), join(workspace, 'app.ipa'))
      }
    }, 10)
    try {
      const run = await runAction(inputs({ file: 'app.ipa' }), { workspace })
      expect(run.code).toBe(1)
      const [build] = sandbox().builds()
      expect(visibleLog(run)).toContain(
        `was replaced by another file while it was being uploaded; upload a file that nothing else is changing. Build ${build.id} was made from the file as it was read`
      )
      expect(run.outputs['build-id']).toBe(build.id)
    } finally {
      clearInterval(watch)
    }
  })
})
