// "Re-run failed jobs": an upload on a later attempt of the same run goes on from the build an earlier attempt
// uploaded from the same file, instead of uploading (and notifying testers) twice; each job of a matrix finds its
// own; a build that ended in error, or none at all, is uploaded again.
import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { actionTests } from '../../harness/jest.js'
import { makeWorkspace, PUSH_EVENT, runAction, visibleLog } from '../../harness/runner.js'

const { sandbox, inputs, ok } = actionTests({ processingDelayMs: 100 })
const FAST = { APPLIVERY_TEST_TIMINGS: JSON.stringify({ pollFirstMs: 50, pollMaxMs: 100, rereadMs: 50 }) }
const RUN_URL = 'https://github.com/acme/mobile-app/actions/runs/9876543210'
const ipa = randomBytes(40 * 1024)
const apk = randomBytes(30 * 1024)
const files = () => makeWorkspace({ 'build/App.ipa': ipa, 'build/app-release.apk': apk })

function attempt(n: number, extra: Record<string, string>, workspace = files()) {
  return runAction(inputs(extra), { workspace, env: { ...FAST, GITHUB_RUN_ATTEMPT: String(n) } })
}

const uploads = () => sandbox().requests.filter((r) => r.method === 'POST' && r.path.endsWith('/builds'))

describe('a re-run', () => {
  it('goes on from the build the first attempt uploaded: no second upload, reused: true, the attempt named', async () => {
    const workspace = files()
    const first = ok(await attempt(1, { file: 'build/App.ipa', wait: 'true' }, workspace))
    expect(first.outputs.reused).toBe('false')
    expect(sandbox().builds()[0].deployer).toMatchObject({ info: { buildUrl: `${RUN_URL}/attempts/1` } })

    const second = ok(await attempt(2, { file: 'build/App.ipa', wait: 'true', publish: 'true' }, workspace))
    expect(second.outputs).toMatchObject({ 'build-id': first.outputs['build-id'], reused: 'true', status: 'processed' })
    expect(uploads()).toHaveLength(1)
    expect(sandbox().builds()).toHaveLength(1)
    expect(visibleLog(second)).toMatch(
      new RegExp(`::notice::Re-run \\(attempt 2\\): App.ipa was uploaded by attempt 1 of this run as build ${first.outputs['build-id']}`)
    )
    // It goes on as after an upload: the page serves that build.
    expect(second.outputs['publication-url']).toBeTruthy()
  })

  it('in a matrix, each job finds the build of its own file', async () => {
    const workspace = files()
    const ios = ok(await attempt(1, { file: 'build/App.ipa' }, workspace))
    const android = ok(await attempt(1, { file: 'build/app-release.apk' }, workspace))
    const [iosAgain, androidAgain] = await Promise.all([
      attempt(3, { file: 'build/App.ipa' }, workspace),
      attempt(3, { file: 'build/app-release.apk' }, workspace)
    ])
    expect(ok(iosAgain).outputs).toMatchObject({ 'build-id': ios.outputs['build-id'], reused: 'true' })
    expect(ok(androidAgain).outputs).toMatchObject({ 'build-id': android.outputs['build-id'], reused: 'true' })
    expect(uploads()).toHaveLength(2)
  })

  it('uploads again when the earlier build ended in error, and with on-rerun: upload', async () => {
    sandbox().seedBuild({
      status: 'error',
      os: 'ios',
      size: ipa.length,
      originalExtension: 'ipa',
      deployer: { name: 'GitHub Actions', info: { buildUrl: `${RUN_URL}/attempts/1`, commit: PUSH_EVENT.sha! } }
    })
    const afterError = ok(await attempt(2, { file: 'build/App.ipa' }))
    expect(afterError.outputs.reused).toBe('false')
    expect(visibleLog(afterError)).toContain('Re-run (attempt 2): no earlier attempt of this run uploaded App.ipa; uploading it')
    expect(uploads()).toHaveLength(1)

    const always = ok(await attempt(3, { file: 'build/App.ipa', 'on-rerun': 'upload' }))
    expect(always.outputs.reused).toBe('false')
    expect(uploads()).toHaveLength(2)
  })

  it("does not take another run's or another commit's build, nor a later attempt's", async () => {
    const info = (buildUrl: string, commit = PUSH_EVENT.sha!) => ({ name: 'GitHub Actions', info: { buildUrl, commit } })
    const like = { status: 'processed' as const, os: 'ios', size: ipa.length, originalExtension: 'ipa' }
    sandbox().seedBuild({ ...like, deployer: info('https://github.com/acme/mobile-app/actions/runs/1/attempts/1') })
    sandbox().seedBuild({ ...like, deployer: info(`${RUN_URL}/attempts/1`, 'b'.repeat(40)) })
    sandbox().seedBuild({ ...like, deployer: info(`${RUN_URL}/attempts/4`) })
    const run = ok(await attempt(2, { file: 'build/App.ipa' }))
    expect(run.outputs.reused).toBe('false')
    expect(uploads()).toHaveLength(1)
  })
})
