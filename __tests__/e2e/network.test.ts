// Where pipelines really run: behind a CONNECT proxy (proxy-chain, with and without credentials, and one that
// never answers), over real TLS (a CA made by the sandbox, trusted through NODE_EXTRA_CA_CERTS or not, a wrong
// host name, an expired certificate), and with an api-url and an upload-url of different schemes.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startProxy, type TestProxy } from '../../harness/proxy.js'
import { startSandbox, type Sandbox } from '../../sandbox/index.js'
import { makeWorkspace, PR_EVENT, PUSH_EVENT, runAction, visibleLog, type ActionRun } from '../../harness/runner.js'
import { connectionInputs, expectSucceeded, sha256 } from '../../harness/helpers.js'

let sandbox: Sandbox
let caFile: string
let proxy: TestProxy
let guarded: TestProxy
let silent: TestProxy
const ipa = randomBytes(3 * 1024 * 1024)
/** Names only the proxy resolves (to the sandbox), so the action cannot reach them without it. */
const HOSTS = { 'api.applivery.test': '127.0.0.1', 'upload.applivery.test': '127.0.0.1', 'api.github.test': '127.0.0.1' }
const CREDENTIALS = { username: 'ci-bot', password: 'p@ss:w0rd/!' }

beforeAll(async () => {
  sandbox = await startSandbox({ tls: true, processingDelayMs: 200 })
  caFile = join(mkdtempSync(join(tmpdir(), 'network-test-')), 'sandbox-ca.pem')
  writeFileSync(caFile, sandbox.ca!)
  proxy = await startProxy({ hosts: HOSTS })
  guarded = await startProxy({ hosts: HOSTS, credentials: CREDENTIALS })
  silent = await startProxy({ silent: true })
})
afterAll(async () => {
  await Promise.all([sandbox.close(), proxy.close(), guarded.close(), silent.close()])
})
beforeEach(() => {
  sandbox.reset()
  for (const p of [proxy, guarded, silent]) p.requests.length = 0
})

const port = (url: string): string => new URL(url).port
/** The sandbox by the names only the proxy knows. */
const viaNames = () => ({
  token: sandbox.tokens.app,
  'api-url': `https://api.applivery.test:${port(sandbox.apiUrl)}`,
  'upload-url': `https://upload.applivery.test:${port(sandbox.uploadUrl)}`
})
const direct = () => connectionInputs(sandbox)
const env = (extra: Record<string, string> = {}): Record<string, string> => ({
  NODE_EXTRA_CA_CERTS: caFile,
  APPLIVERY_TEST_TIMINGS: JSON.stringify({ retryBaseMs: 50, connectMs: 1000 }),
  RUNNER_DEBUG: '1',
  ...extra
})

function log(run: ActionRun): string {
  const text = visibleLog(run).replace(/%0A/g, '\n')
  expect(text).not.toContain(sandbox.tokens.app)
  for (const secret of [CREDENTIALS.password, encodeURIComponent(CREDENTIALS.password)]) expect(text).not.toContain(secret)
  return text
}

function ok(run: ActionRun): ActionRun {
  expectSucceeded(run)
  log(run)
  return run
}

describe('through a CONNECT proxy', () => {
  it("runs every operation, reading GitHub's context and reaching both hosts only through the proxy", async () => {
    const workspace = makeWorkspace({ 'app.ipa': ipa, 'App.dSYM.zip': randomBytes(1024) })
    const run = (inputs: Record<string, string>) =>
      runAction({ ...viaNames(), ...inputs }, { workspace, env: env({ HTTPS_PROXY: proxy.url }) })
    const uploaded = ok(await run({ file: 'app.ipa', wait: 'true' }))
    const buildId = uploaded.outputs['build-id']
    expect(uploaded.outputs.status).toBe('processed')
    expect(sandbox.builds()[0]).toMatchObject({ id: buildId, checksum: sha256(ipa) })
    expect(sandbox.builds()[0].deployer).toMatchObject({ info: { commit: PUSH_EVENT.sha, branch: 'main', buildNumber: '42' } })
    ok(await run({ operation: 'attach', 'build-id': buildId, file: 'App.dSYM.zip' }))
    ok(await run({ operation: 'update', 'build-id': buildId, 'version-name': '2.4.0' }))
    expect(ok(await run({ operation: 'get', 'build-id': buildId })).outputs.build).toContain('"versionName":"2.4.0"')
    expect(ok(await run({ operation: 'list' })).outputs.count).toBe('1')
    sandbox.seedBuild({ status: 'processed', createdAt: '2020-01-01T00:00:00Z' })
    expect(ok(await run({ operation: 'prune', 'older-than': '1w' })).outputs.count).toBe('1')
    expect(ok(await run({ operation: 'delete', 'build-id': buildId })).outputs.deleted).toBe('true')
    expect(sandbox.builds()).toHaveLength(0)

    expect(proxy.requests.length).toBeGreaterThanOrEqual(7)
    expect(proxy.requests.every((r) => r.method === 'CONNECT' && r.allowed && HOSTS[r.hostname as keyof typeof HOSTS])).toBe(true)
    expect(new Set(proxy.requests.map((r) => r.hostname))).toEqual(new Set(['api.applivery.test', 'upload.applivery.test']))
    expect(sandbox.requests.map((r) => r.status).every((status) => status === 200)).toBe(true)
  })

  it('publishes and comments on the pull request through the proxy, GitHub included', async () => {
    sandbox.seedBuild({ status: 'processed' })
    const github = `https://api.github.test:${port(sandbox.githubUrl)}`
    const run = ok(
      await runAction(
        {
          ...viaNames(),
          operation: 'publish',
          'publication-filter': 'last',
          'pr-comment': 'true',
          'github-token': sandbox.githubTokens.write
        },
        { event: PR_EVENT, env: env({ HTTPS_PROXY: proxy.url, GITHUB_API_URL: github }) }
      )
    )
    expect(sandbox.comments(12)).toHaveLength(1)
    expect(sandbox.comments(12)[0].body).toContain(run.outputs['publication-url'])
    expect(proxy.requests.filter((r) => r.hostname === 'api.github.test' && r.allowed).length).toBeGreaterThanOrEqual(1)
    expect(log(run)).not.toContain(sandbox.githubTokens.write)
  })

  it('reads https_proxy too, and leaves loopback URLs direct whatever the proxy variables say', async () => {
    ok(await runAction({ ...viaNames(), operation: 'list' }, { env: env({ https_proxy: proxy.url }) }))
    expect(proxy.requests).toHaveLength(1)
    const workspace = makeWorkspace({ 'app.ipa': ipa })
    const loopback = ok(
      await runAction(
        { ...direct(), file: 'app.ipa' },
        { workspace, env: env({ HTTPS_PROXY: 'http://proxy.invalid:3128', HTTP_PROXY: '::not a url::', NO_PROXY: 'github.com' }) }
      )
    )
    expect(loopback.outputs['build-id']).toBe(sandbox.builds()[0].id)
  })

  it('sends percent-encoded credentials from the proxy URL, and never logs them', async () => {
    const url = guarded.urlWith(CREDENTIALS.username, CREDENTIALS.password)
    const run = ok(await runAction({ ...viaNames(), operation: 'list' }, { env: env({ HTTPS_PROXY: url }) }))
    expect(guarded.requests).toEqual([expect.objectContaining({ ...CREDENTIALS, allowed: true })])
    expect(run.stdout).toContain(`::add-mask::${CREDENTIALS.password}`)
    expect(log(run)).toMatch(/::debug::GET https:\/\/api\.applivery\.test:\d+\/v1\/integrations\/builds\?page=1&limit=100 -> 200/)
  })

  it('stops at a 407 without asking again, naming the proxy but not the credentials', async () => {
    const url = guarded.urlWith(CREDENTIALS.username, 'wrong-password')
    const run = await runAction({ ...viaNames(), operation: 'get', 'build-id': 'b1' }, { env: env({ HTTPS_PROXY: url }) })
    expect(run.code).toBe(1)
    expect(log(run)).toMatch(
      /::error::Get build b1 failed: The proxy http:\/\/127\.0\.0\.1:\d+ refused the credentials in HTTPS_PROXY \(HTTP 407 Proxy Authentication Required\)/
    )
    expect(log(run)).not.toContain('wrong-password')
    expect(log(run)).not.toContain('retrying')
    expect(guarded.requests).toHaveLength(1)
    expect(sandbox.requests).toHaveLength(0)
    const none = await runAction({ ...viaNames(), operation: 'get', 'build-id': 'b1' }, { env: env({ HTTPS_PROXY: guarded.url }) })
    expect(log(none)).toMatch(/asks for credentials \(HTTP 407 Proxy Authentication Required\) and HTTPS_PROXY has none/)
  })

  it('gives up on a proxy that never answers CONNECT at the connect limit, attempt after attempt, and ends', async () => {
    const run = await runAction(
      { ...viaNames(), operation: 'get', 'build-id': 'b1' },
      { env: env({ HTTPS_PROXY: silent.url }), timeoutMs: 30_000 }
    )
    expect(run.code).toBe(1)
    expect(log(run)).toMatch(
      /::error::Get build b1 failed after 5 attempts: proxy http:\/\/127\.0\.0\.1:\d+: no answer to CONNECT api\.applivery\.test:\d+ within 1s/
    )
    expect(silent.requests).toHaveLength(5)
    // 5 connect limits of 1 s and the backoff between them: the step ends, it does not hang.
    expect(run.elapsedMs).toBeLessThan(12_000)
  })

  it('goes direct to the hosts NO_PROXY names', async () => {
    const run = await runAction(
      { ...viaNames(), file: 'app.ipa' },
      { workspace: makeWorkspace({ 'app.ipa': ipa }), env: env({ HTTPS_PROXY: proxy.url, NO_PROXY: 'upload.applivery.test' }) }
    )
    expect(run.code).toBe(1)
    // The read before the upload went through the proxy; the upload went direct, where the name does not resolve.
    expect(proxy.requests.map((r) => r.hostname)).toEqual(['api.applivery.test'])
    expect(log(run)).toMatch(
      /Upload build failed after 5 attempts: POST https:\/\/upload\.applivery\.test:\d+\/v1\/integrations\/builds: getaddrinfo (ENOTFOUND|EAI_AGAIN)/
    )
    expect(sandbox.builds()).toHaveLength(0)
  })

  it('fails clearly on a proxy variable that is not a URL, without repeating it', async () => {
    const run = await runAction({ ...viaNames(), operation: 'list' }, { env: env({ HTTPS_PROXY: 'http://ci:s3cret@[::bad' }) })
    expect(run.code).toBe(1)
    expect(log(run)).toContain(
      '::error::List builds failed: HTTPS_PROXY is not a URL; expected http://host:port or http://user:password@host:port'
    )
    expect(log(run)).not.toContain('s3cret')
    expect(sandbox.requests).toHaveLength(0)
  })
})

describe('TLS', () => {
  it('trusts a CA given in NODE_EXTRA_CA_CERTS', async () => {
    const run = ok(
      await runAction({ ...direct(), file: 'app.ipa', wait: 'true' }, { workspace: makeWorkspace({ 'app.ipa': ipa }), env: env() })
    )
    expect(run.outputs).toMatchObject({ 'build-id': sandbox.builds()[0].id, status: 'processed' })
    expect(sandbox.builds()[0].checksum).toBe(sha256(ipa))
  })

  it.each([
    ['directly', () => ({}), () => direct()],
    ['through a proxy', () => ({ HTTPS_PROXY: proxy.url }), () => viaNames()]
  ])('fails once, naming the host, the reason and how to trust a CA, when the CA is not trusted (%s)', async (_how, extraEnv, inputs) => {
    const environment = env(extraEnv())
    delete environment.NODE_EXTRA_CA_CERTS
    const run = await runAction({ ...inputs(), operation: 'get', 'build-id': 'b1' }, { env: environment })
    expect(run.code).toBe(1)
    const host = new URL(inputs()['api-url']).hostname
    expect(log(run)).toContain(`the TLS certificate of ${host} was not accepted (unable to verify the first certificate)`)
    expect(log(run)).toContain('NODE_EXTRA_CA_CERTS set to its PEM file, or NODE_USE_SYSTEM_CA=1')
    expect(log(run)).not.toContain('retrying')
    expect(log(run)).not.toContain('after 5 attempts')
  })
})

describe('TLS certificates that do not fit', () => {
  let other: Sandbox | undefined
  afterAll(() => other?.close())

  it.each([
    [
      'a host name the certificate does not name',
      { names: ['127.0.0.1'] },
      'localhost',
      /Hostname\/IP does not match certificate's altnames/
    ],
    ['an expired certificate', { expired: true }, '127.0.0.1', /certificate has expired/]
  ])('fails once on %s', async (_name, tls, host, reason) => {
    await other?.close()
    other = await startSandbox({ tls })
    const ca = join(mkdtempSync(join(tmpdir(), 'network-test-')), 'ca.pem')
    writeFileSync(ca, other.ca!)
    const apiUrl = `https://${host}:${port(other.apiUrl)}`
    const run = await runAction(
      { token: other.tokens.app, 'api-url': apiUrl, 'upload-url': other.uploadUrl, operation: 'get', 'build-id': 'b1' },
      { env: env({ NODE_EXTRA_CA_CERTS: ca }) }
    )
    expect(run.code).toBe(1)
    const text = visibleLog(run)
    expect(text).toContain(
      `::error::Get build b1 failed: GET ${apiUrl}/v1/integrations/builds/b1: the TLS certificate of ${host} was not accepted (`
    )
    expect(text).toMatch(reason)
    // A certificate for other names is not mended by trusting a CA.
    if ('names' in tls) {
      expect(text).toContain(`The certificate was issued for other host names than ${host}: check the host in api-url and upload-url`)
      expect(text).not.toContain('NODE_EXTRA_CA_CERTS')
    } else {
      expect(text).toContain('NODE_EXTRA_CA_CERTS')
    }
    expect(text).not.toContain('retrying')
    expect(other.requests).toHaveLength(0)
  })
})

describe('an api-url and an upload-url of different schemes', () => {
  it.each([
    ['https API, http upload', ['api'] as const],
    ['http API, https upload', ['upload'] as const]
  ])('%s: each origin gets its own connection', async (_name, hosts) => {
    const mixed = await startSandbox({ tls: { hosts: [...hosts] }, processingDelayMs: 200 })
    try {
      const ca = join(mkdtempSync(join(tmpdir(), 'network-test-')), 'ca.pem')
      writeFileSync(ca, mixed.ca!)
      expect(new URL(mixed.apiUrl).protocol).not.toBe(new URL(mixed.uploadUrl).protocol)
      const workspace = makeWorkspace({ 'app.ipa': ipa, 'notes.txt': 'notes' })
      const connection = { token: mixed.tokens.app, 'api-url': mixed.apiUrl, 'upload-url': mixed.uploadUrl }
      const uploaded = ok(
        await runAction({ ...connection, file: 'app.ipa', wait: 'true' }, { workspace, env: env({ NODE_EXTRA_CA_CERTS: ca }) })
      )
      expect(uploaded.outputs.status).toBe('processed')
      const attached = ok(
        await runAction(
          { ...connection, operation: 'attach', 'build-id': uploaded.outputs['build-id'], file: 'notes.txt' },
          { workspace, env: env({ NODE_EXTRA_CA_CERTS: ca }) }
        )
      )
      expect(JSON.parse(attached.outputs.files)).toHaveLength(1)
      expect(mixed.builds()).toHaveLength(1)
    } finally {
      await mixed.close()
    }
  })
})
