// Every operation through both APIs, run as the runner runs the built action, checked on what the sandbox received.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { startSandbox, type RecordedRequest, type Sandbox } from '../../sandbox/index.js'
import { makeWorkspace, PUSH_EVENT, runAction, visibleLog, type ActionRun, type RunOptions } from '../../harness/runner.js'
import { connectionInputs, expectSucceeded, sha256, type Api } from '../../harness/helpers.js'

/** Waits poll every 50 ms (APPLIVERY_TEST_TIMINGS), so waiting for the sandbox's processing takes no longer than it. */
const FAST_POLLS = { APPLIVERY_TEST_TIMINGS: JSON.stringify({ pollFirstMs: 50, pollMaxMs: 200 }) }
const runFast = (inputs: Record<string, string>, options: RunOptions = {}): Promise<ActionRun> =>
  runAction(inputs, { ...options, env: { ...FAST_POLLS, ...options.env } })

let sandbox: Sandbox
const ipa = randomBytes(256 * 1024 + 17)
const dsym = randomBytes(40_000)
const mapping = Buffer.from('com.acme.A -> a:\n')

beforeAll(async () => {
  sandbox = await startSandbox({ processingDelayMs: 600, maxPageSize: 10 })
})
afterAll(() => sandbox.close())
beforeEach(() => sandbox.reset())

const APIS: Api[] = ['integrations', 'workspace']

function connection(api: Api): Record<string, string> {
  return connectionInputs(sandbox, api)
}

function prefix(api: Api): string {
  return api === 'integrations' ? '/v1/integrations/builds' : `/v1/organizations/org-1/apps/app-1/builds`
}

/** The upload request; an upload is preceded by one read of the newest builds. */
function uploadRequest(): RecordedRequest {
  const uploads = sandbox.requests.filter((r) => r.host === 'upload' && r.method === 'POST')
  expect(uploads).toHaveLength(1)
  return uploads[0]
}

function expectSuccess(run: ActionRun): void {
  expectSucceeded(run)
  expect(visibleLog(run)).not.toContain(sandbox.tokens.app)
  expect(visibleLog(run)).not.toContain(sandbox.tokens.serviceAccount)
}

async function uploadProcessed(api: Api): Promise<string> {
  const run = await runFast({ ...connection(api), file: 'app.ipa', wait: 'true' }, { workspace: makeWorkspace({ 'app.ipa': ipa }) })
  expectSuccess(run)
  sandbox.requests.length = 0
  return run.outputs['build-id']
}

describe.each(APIS)('%s API', (api) => {
  it('uploads a build with every field, streamed with an exact length, and reports it', async () => {
    const workspace = makeWorkspace({ 'build/app.ipa': ipa, 'icon.png': Buffer.from('png') })
    const run = await runFast(
      {
        ...connection(api),
        file: 'build/*.ipa',
        'version-name': 'v2.4.0-rc1',
        tags: 'staging, sprint-42',
        changelog: 'Fixed crash on login screen\nSecond line',
        'notify-collaborators': 'true',
        'notify-employees': 'false',
        'notify-message': 'New build ready for QA',
        'notify-language': 'en',
        'notify-groups': 'group1, group2\ngroup3',
        'build-platform': 'ios',
        'package-name': 'com.acme.app',
        'package-version': '2.4.0',
        'package-icon': 'icon.png'
      },
      { workspace }
    )
    expectSuccess(run)
    expect(sandbox.requests.map((r) => [r.host, r.method, r.path, r.query])).toEqual([
      ['api', 'GET', prefix(api), { page: '1', limit: '100' }],
      ['upload', 'POST', prefix(api), {}]
    ])
    const request = uploadRequest()
    expect(request.headers.authorization).toBe(`Bearer ${connection(api).token}`)
    expect(request.headers['transfer-encoding']).toBeUndefined()
    expect(Number(request.headers['content-length'])).toBe(request.bodyBytes)
    expect(request.fields).toEqual({
      versionName: 'v2.4.0-rc1',
      tags: 'staging,sprint-42',
      changelog: 'Fixed crash on login screen\nSecond line',
      notifyCollaborators: 'true',
      notifyEmployees: 'false',
      notifyMessage: 'New build ready for QA',
      notifyLanguage: 'en',
      'filter[0][0]': 'group1',
      'filter[0][1]': 'group2',
      'filter[1][0]': 'group3',
      buildPlatform: 'ios',
      packageName: 'com.acme.app',
      packageVersion: '2.4.0',
      'deployer.name': 'GitHub Actions',
      'deployer.info.commit': PUSH_EVENT.sha,
      'deployer.info.branch': 'main',
      'deployer.info.commitMessage': 'Fix the login crash',
      'deployer.info.triggerTimestamp': expect.stringMatching(/^\d{13}$/),
      'deployer.info.repositoryUrl': 'https://github.com/acme/mobile-app',
      'deployer.info.ciUrl': 'https://github.com/acme/mobile-app/actions',
      'deployer.info.buildUrl': 'https://github.com/acme/mobile-app/actions/runs/9876543210/attempts/1',
      'deployer.info.buildNumber': '42'
    })
    expect(request.files).toEqual([
      { field: 'packageIcon', filename: 'icon.png', contentType: 'image/png', size: 3, sha256: sha256(Buffer.from('png')) },
      { field: 'build', filename: 'app.ipa', contentType: 'application/octet-stream', size: ipa.length, sha256: sha256(ipa) }
    ])
    const [build] = sandbox.builds()
    expect(sandbox.builds()).toHaveLength(1)
    expect(run.outputs['build-id']).toBe(build.id)
    expect(run.outputs.status).toBe('pending')
    expect(JSON.parse(run.outputs.build)).toMatchObject({ id: build.id, versionName: 'v2.4.0-rc1', tags: ['staging', 'sprint-42'] })
  })

  it('uploads with only the file set, sending no optional field', async () => {
    const run = await runFast({ ...connection(api), file: 'app.apk' }, { workspace: makeWorkspace({ 'app.apk': ipa }) })
    expectSuccess(run)
    const fields = Object.keys(uploadRequest().fields)
    expect(fields.filter((name) => !name.startsWith('deployer.'))).toEqual([])
  })

  it('uploads and waits until the build is processed', async () => {
    const run = await runFast({ ...connection(api), file: 'app.ipa', wait: 'true' }, { workspace: makeWorkspace({ 'app.ipa': ipa }) })
    expectSuccess(run)
    expect(run.outputs.status).toBe('processed')
    expect(run.stdout).toMatch(/'pending' -> '(in_progress|processed)'/)
    const gets = sandbox.requests.filter((r) => r.method === 'GET').slice(1)
    expect(sandbox.requests[0].path).toBe(prefix(api))
    expect(gets.length).toBeGreaterThanOrEqual(1)
    expect(gets.every((r) => r.host === 'api' && r.path === `${prefix(api)}/${run.outputs['build-id']}`)).toBe(true)
  })

  it('gets a build as it is, and waits for it with wait: true', async () => {
    const buildId = sandbox.seedBuild({ status: 'pending', processingDelayMs: 6000, checksum: sha256(ipa) }).id
    const now = await runFast({ ...connection(api), operation: 'get', 'build-id': buildId })
    expectSuccess(now)
    expect(now.outputs.status).toMatch(/^(pending|in_progress)$/)
    const waited = await runFast({ ...connection(api), operation: 'get', 'build-id': buildId, wait: 'true' })
    expectSuccess(waited)
    expect(waited.outputs).toMatchObject({ 'build-id': buildId, status: 'processed' })
    expect(JSON.parse(waited.outputs.build).checksum).toBe(sha256(ipa))
  })

  it('lists builds newest first across pages, with filters passed to the API', async () => {
    const base = Date.parse('2026-01-01T00:00:00Z')
    for (let i = 0; i < 23; i++) {
      sandbox.seedBuild({ status: i % 2 ? 'processed' : 'error', os: 'ios', versionName: `v${i}`, createdAt: new Date(base + i * 60_000) })
    }
    const all = await runFast({ ...connection(api), operation: 'list', limit: '1000' })
    expectSuccess(all)
    const ids = JSON.parse(all.outputs['build-ids']) as string[]
    expect(ids).toEqual(sandbox.builds().map((b) => b.id))
    expect(all.outputs.count).toBe('23')
    expect(all.outputs['build-id']).toBe(ids[0])
    expect(JSON.parse(all.outputs.builds)[0].versionName).toBe('v22')
    expect(sandbox.requests.map((r) => r.query.page)).toEqual(['1', '2', '3', '4'])

    sandbox.requests.length = 0
    const filtered = await runFast({ ...connection(api), operation: 'list', status: 'processed', os: 'ios', 'version-name': 'v7' })
    expectSuccess(filtered)
    expect(sandbox.requests[0].query).toMatchObject({ status: 'processed', os: 'ios', versionName: 'v7', page: '1' })
    expect(filtered.outputs.count).toBe('1')

    const limited = await runFast({ ...connection(api), operation: 'list', limit: '12' })
    expect(JSON.parse(limited.outputs['build-ids'])).toEqual(ids.slice(0, 12))
    const page = await runFast({ ...connection(api), operation: 'list', limit: '5', page: '2' })
    expect(JSON.parse(page.outputs['build-ids'])).toEqual(ids.slice(5, 10))
  })

  it('updates only the fields that are set', async () => {
    const buildId = await uploadProcessed(api)
    const run = await runFast({
      ...connection(api),
      operation: 'update',
      'build-id': buildId,
      'version-name': 'v2.5.0-rc2',
      tags: 'staging\nsprint-43'
    })
    expectSuccess(run)
    expect(sandbox.requests).toHaveLength(1)
    expect(sandbox.requests[0]).toMatchObject({ host: 'api', method: 'PUT', path: `${prefix(api)}/${buildId}` })
    expect(sandbox.requests[0].json).toEqual({ versionName: 'v2.5.0-rc2', tags: ['staging', 'sprint-43'] })
    expect(sandbox.builds()[0]).toMatchObject({ versionName: 'v2.5.0-rc2', tags: ['staging', 'sprint-43'] })
    expect(JSON.parse(run.outputs.build).versionName).toBe('v2.5.0-rc2')
  })

  it('attaches each file in its own request, waiting for processing first', async () => {
    const buildId = sandbox.seedBuild({ status: 'pending', processingDelayMs: 6000 }).id
    const workspace = makeWorkspace({ 'symbols/App.dSYM.zip': dsym, 'mapping.txt': mapping })
    const run = await runFast(
      { ...connection(api), operation: 'attach', 'build-id': buildId, file: 'symbols/*.zip\nmapping.txt', description: 'Symbols' },
      { workspace }
    )
    expectSuccess(run)
    const posts = sandbox.requests.filter((r) => r.method === 'POST')
    expect(posts.map((r) => r.status)).toEqual([400, 200, 200])
    expect(posts.every((r) => r.host === 'upload' && r.path === `${prefix(api)}/${buildId}/files`)).toBe(true)
    expect(posts.slice(1).map((r) => r.fields)).toEqual([{ description: 'Symbols' }, { description: 'Symbols' }])
    expect(posts.slice(1).map((r) => r.files[0])).toEqual([
      expect.objectContaining({ field: 'file', filename: 'App.dSYM.zip', size: dsym.length, sha256: sha256(dsym) }),
      expect.objectContaining({ field: 'file', filename: 'mapping.txt', size: mapping.length, sha256: sha256(mapping) })
    ])
    const files = JSON.parse(run.outputs.files)
    expect(files.map((f: { description: string; file: { checksum: string } }) => [f.description, f.file.checksum])).toEqual([
      ['Symbols', sha256(dsym)],
      ['Symbols', sha256(mapping)]
    ])
    expect(run.stdout).toMatch(/still being processed; waiting/)
  })

  it('deletes a build, waiting while it is still being processed', async () => {
    const buildId = sandbox.seedBuild({ status: 'pending', processingDelayMs: 6000 }).id
    const run = await runFast({ ...connection(api), operation: 'delete', 'build-id': buildId })
    expectSuccess(run)
    expect(run.outputs).toMatchObject({ 'build-id': buildId, deleted: 'true', status: 'deleted' })
    const deletes = sandbox.requests.filter((r) => r.method === 'DELETE')
    expect(deletes.map((r) => r.status)).toEqual([400, 200])
    expect(deletes[1]).toMatchObject({ host: 'api', path: `${prefix(api)}/${buildId}` })
    expect(sandbox.builds()).toHaveLength(0)
  })
})

describe('Workspace API only', () => {
  it('updates metadata, disabled and the default scripts through the Workspace API', async () => {
    const buildId = await uploadProcessed('workspace')
    const run = await runFast({
      ...connection('workspace'),
      operation: 'update',
      'build-id': buildId,
      changelog: 'Notes',
      metadata: '{"team":"mobile","nested":{"n":1}}',
      disabled: 'true',
      'pre-install-script': 'echo pre',
      'post-install-script': 'echo post',
      'audit-script': 'echo audit',
      'enforce-script': 'echo enforce',
      'script-runner': 'bash'
    })
    expectSuccess(run)
    expect(sandbox.requests[0].json).toEqual({
      changelog: 'Notes',
      metadata: { team: 'mobile', nested: { n: 1 } },
      disabled: true,
      defaultScripts: { preInstall: 'echo pre', postInstall: 'echo post', audit: 'echo audit', enforce: 'echo enforce', runner: 'bash' }
    })
    expect(sandbox.builds()[0]).toMatchObject({
      changelog: 'Notes',
      metadata: { team: 'mobile', nested: { n: 1 } },
      disabled: true,
      defaultScripts: { preInstall: 'echo pre', runner: 'bash' }
    })
  })
})

describe('delete of a failed build', () => {
  it('waits for processing to end, and deletes the build even when it failed', async () => {
    sandbox.setProcessingDelay(1500)
    const upload = await runFast(
      { ...connection('integrations'), file: 'notes.txt' },
      { workspace: makeWorkspace({ 'notes.txt': 'not a build' }) }
    )
    const run = await runFast({ ...connection('integrations'), operation: 'delete', 'build-id': upload.outputs['build-id'] })
    expectSuccess(run)
    expect(run.stdout).toContain('failed processing; deleting it anyway')
    expect(run.outputs.deleted).toBe('true')
    expect(sandbox.builds()).toHaveLength(0)
  })
})

describe('failures', () => {
  it('fails when processing ends in error, with the code, message and log, and still reports the build', async () => {
    const run = await runFast(
      { ...connection('integrations'), file: 'notes.txt', wait: 'true' },
      { workspace: makeWorkspace({ 'notes.txt': 'not a build' }) }
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/::error::Applivery could not process build \w+ \(error code 5006\): Unsupported build file extension/)
    expect(run.stdout).toMatch(/Processing log:/)
    expect(run.outputs).toMatchObject({ 'build-id': sandbox.builds()[0].id, status: 'error' })
  })

  it('fails a wait that times out, naming the build and its last status', async () => {
    sandbox.setProcessingDelay(60_000)
    const run = await runFast(
      { ...connection('integrations'), file: 'app.ipa', wait: 'true', 'wait-timeout': '2s' },
      { workspace: makeWorkspace({ 'app.ipa': ipa }) }
    )
    const buildId = sandbox.builds()[0].id
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`::error::Build ${buildId} was still 'pending' after waiting 2s (wait-timeout)`)
    expect(run.outputs).toMatchObject({ 'build-id': buildId, status: 'pending' })
    expect(run.elapsedMs).toBeLessThan(10_000)
  })

  it.each([
    [
      'an App token on the Workspace API',
      { 'organization-id': 'org-1', 'app-id': 'app-1' },
      'app',
      /HTTP 401\)\. Applivery error 4004: Invalid token\nHint: /
    ],
    ['an expired token', {}, 'expired', /HTTP 401\)\. Applivery error 3002: Token Expired\nHint: The token has expired/],
    ['a build of another app', {}, 'otherApp', /HTTP 404\)\. Applivery error 3001: Entity not found/]
  ] as const)('reports %s with the status, code, message and a hint', async (_name, extra, tokenName, expected) => {
    const seeded = sandbox.seedBuild({ status: 'processed' })
    const token = sandbox.tokens[tokenName]
    const run = await runFast({ ...connection('integrations'), ...extra, token, operation: 'get', 'build-id': seeded.id })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(new RegExp(`::error::Get build ${seeded.id} failed \\(`))
    expect(run.stdout.replace(/%0A/g, '\n')).toMatch(expected)
    expect(visibleLog(run)).not.toContain(token)
  })

  it('rejects bad input before any request, naming the input', async () => {
    const run = await runFast({ ...connection('integrations'), operation: 'update', 'build-id': 'b1', metadata: '{"a":1}' })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain("::error::Input 'metadata': can only be updated through the Workspace API")
    expect(sandbox.requests).toHaveLength(0)
  })
})

describe('deployer metadata', () => {
  it('sends the head commit and branch of a pull request', async () => {
    const event = {
      name: 'pull_request',
      ref: 'refs/pull/7/merge',
      sha: 'ffffffffffffffffffffffffffffffffffffffff',
      payload: { pull_request: { number: 7, head: { sha: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', ref: 'feature/login' } } }
    }
    const run = await runFast({ ...connection('integrations'), file: 'app.ipa' }, { event, workspace: makeWorkspace({ 'app.ipa': ipa }) })
    expectSuccess(run)
    expect(uploadRequest().fields).toMatchObject({
      'deployer.info.commit': 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      'deployer.info.branch': 'feature/login'
    })
    expect(uploadRequest().fields['deployer.info.commitMessage']).toBeUndefined()
  })

  it('sends the tag of a release-tag push', async () => {
    const event = { ...PUSH_EVENT, ref: 'refs/tags/v2.4.0' }
    const run = await runFast(
      { ...connection('integrations'), file: 'app.ipa', 'deployer-name': 'Release bot' },
      { event, workspace: makeWorkspace({ 'app.ipa': ipa }) }
    )
    expectSuccess(run)
    expect(uploadRequest().fields).toMatchObject({ 'deployer.name': 'Release bot', 'deployer.info.tag': 'v2.4.0' })
    expect(uploadRequest().fields['deployer.info.branch']).toBeUndefined()
  })
})
