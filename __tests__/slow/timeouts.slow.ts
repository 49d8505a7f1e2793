// The real time limits, at their real defaults: minutes long, so run by `npm run test:slow` (CI), not `npm test`.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { startHostileServer } from '../../harness/hostile.js'
import { startIsolatedHost } from '../../harness/netns.js'
import { startProxy, type TestProxy } from '../../harness/proxy.js'
import { startSandbox, type Sandbox } from '../../sandbox/index.js'
import { actionNode, makeWorkspace, ROOT, runAction, visibleLog } from '../../harness/runner.js'

let sandbox: Sandbox
const ipa = randomBytes(2 * 1024 * 1024)
const MINUTE = 60_000

beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(() => sandbox.close())
beforeEach(() => sandbox.reset())

describe('connecting', () => {
  let listener: ChildProcess
  let port = 0
  beforeAll(async () => {
    // A listening socket that never accepts: once its backlog of one is taken, new connections hang unanswered.
    listener = spawn('python3', [
      '-c',
      [
        'import socket, sys, time',
        's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)',
        'c = socket.create_connection(s.getsockname())',
        'print(s.getsockname()[1], flush=True); time.sleep(900)'
      ].join('\n')
    ])
    port = await new Promise<number>((resolve) => listener.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))))
  })
  afterAll(() => {
    listener.kill()
  })

  it(
    'gives up connecting after 30 s, and tries again',
    async () => {
      const run = await runAction(
        {
          token: sandbox.tokens.app,
          'api-url': `http://127.0.0.1:${port}`,
          'upload-url': sandbox.uploadUrl,
          operation: 'get',
          'build-id': 'b1'
        },
        { timeoutMs: 5 * MINUTE }
      )
      expect(run.code).toBe(1)
      expect(visibleLog(run)).toMatch(
        /Get build b1 failed after 5 attempts: GET http:\/\/127\.0\.0\.1:\d+\/v1\/integrations\/builds\/b1: no connection after 30s/
      )
      expect(run.elapsedMs).toBeGreaterThan(150_000)
      expect(run.elapsedMs).toBeLessThan(150_000 + 20_000)
    },
    5 * MINUTE
  )

  describe('through a proxy that never answers CONNECT', () => {
    let silent: TestProxy
    beforeAll(async () => {
      silent = await startProxy({ silent: true })
    })
    afterAll(() => silent.close())

    it(
      'gives up on each attempt after 30 s, and ends',
      async () => {
        const run = await runAction(
          {
            token: sandbox.tokens.app,
            'api-url': 'https://api.applivery.test',
            'upload-url': sandbox.uploadUrl,
            operation: 'get',
            'build-id': 'b1'
          },
          { env: { HTTPS_PROXY: silent.url }, timeoutMs: 5 * MINUTE }
        )
        expect(run.code).toBe(1)
        expect(visibleLog(run)).toMatch(
          /Get build b1 failed after 5 attempts: proxy http:\/\/127\.0\.0\.1:\d+: no answer to CONNECT api\.applivery\.test:443 within 30s/
        )
        expect(silent.requests).toHaveLength(5)
        expect(run.elapsedMs).toBeGreaterThan(150_000)
        expect(run.elapsedMs).toBeLessThan(150_000 + 20_000)
      },
      5 * MINUTE
    )
  })
})

describe('a connection that dies while the answer to an upload is awaited', () => {
  interface Ready {
    apiUrl: string
    uploadUrl: string
    tokens: { app: string }
  }

  function listBuilds(ready: Ready, ca: string): Promise<{ id: string; checksum?: string }[]> {
    return new Promise((resolve, reject) => {
      const req = request(
        `${ready.apiUrl}/v1/integrations/builds`,
        { ca, headers: { authorization: `Bearer ${ready.tokens.app}` }, timeout: 5000 },
        (res) => {
          let text = ''
          res.on('data', (chunk: Buffer) => (text += chunk.toString()))
          res.on('end', () => resolve((JSON.parse(text) as { data: { items: { id: string }[] } }).data.items))
        }
      )
      req.on('timeout', () => req.destroy(new Error('no answer')))
      req.on('error', reject)
      req.end()
    })
  }

  it(
    'waits on a silent but live server past the old 5-minute limit, notices when it dies, and finds the build rather than send it again',
    async () => {
      const host = startIsolatedHost()
      try {
        const caFile = join(mkdtempSync(join(tmpdir(), 'slow-test-')), 'ca.pem')
        const args = ['--import', 'tsx', 'sandbox/cli.ts', '--host', host.address, '--tls-names', host.address, '--ca-file', caFile]
        // The server holds the answer for 20 minutes; the build is listed as soon as the body has arrived.
        const server = host.spawn(actionNode(), [...args, '--hold-upload', String(20 * MINUTE), '--hold-visible', 'start'], { cwd: ROOT })
        const ready = await new Promise<Ready>((resolve, reject) => {
          createInterface({ input: server.stdout! }).on('line', (line) => {
            if (line.startsWith('SANDBOX_READY ')) resolve(JSON.parse(line.slice('SANDBOX_READY '.length)) as Ready)
          })
          server.on('exit', () => reject(new Error('the sandbox exited before it was ready')))
        })
        const ca = readFileSync(caFile, 'utf8')
        const running = runAction(
          { token: ready.tokens.app, 'api-url': ready.apiUrl, 'upload-url': ready.uploadUrl, file: 'app.ipa' },
          { workspace: makeWorkspace({ 'app.ipa': ipa }), env: { NODE_EXTRA_CA_CERTS: caFile }, timeoutMs: 15 * MINUTE }
        )
        while ((await listBuilds(ready, ca)).length === 0) await sleep(200)
        // Past the 5 minutes after which the action used to give up and send the file again.
        await sleep(5.5 * MINUTE)
        host.cut()
        // Keepalive probes start at most 30 s after the last answered one and give up 10 s later; the look that
        // follows finds the host again once it is back.
        await sleep(MINUTE)
        host.restore()
        const run = await running
        if (run.code !== 0) throw new Error(`action failed (${run.code}):\n${run.stdout}\n${run.stderr}`)
        const text = visibleLog(run)
        expect(text).toMatch(
          /Upload build: the answer was lost, but the request had been applied; not repeating it \(POST https:\/\/\S+: read ETIMEDOUT\)/
        )
        expect(run.elapsedMs).toBeGreaterThan(6.5 * MINUTE)
        const builds = await listBuilds(ready, ca)
        expect(builds).toHaveLength(1)
        expect(builds[0].checksum).toBe(createHash('sha256').update(ipa).digest('hex'))
        expect(run.outputs['build-id']).toBe(builds[0].id)
      } finally {
        host.close()
      }
    },
    12 * MINUTE
  )
})

describe('an answer that trickles, a byte every 10 s', () => {
  it(
    'ends the attempt at 2 minutes, however long the trickle would go on, and the next attempt gets the answer',
    async () => {
      const answer = JSON.stringify({ status: true, data: { id: 'b1', status: 'processed' } })
      const server = await startHostileServer(() => ({ json: JSON.parse(answer) }))
      server.handle(() => (server.requests.length === 1 ? { trickle: { text: answer, everyMs: 10_000 } } : { text: answer }))
      try {
        const run = await runAction(
          { token: sandbox.tokens.app, 'api-url': server.url, 'upload-url': server.url, operation: 'get', 'build-id': 'b1' },
          { timeoutMs: 5 * MINUTE }
        )
        if (run.code !== 0) throw new Error(`action failed (${run.code}):\n${run.stdout}\n${run.stderr}`)
        expect(visibleLog(run)).toMatch(/Get build b1: attempt 1 of 5 failed \(GET http:\/\/\S+: no complete answer within 120s\)/)
        expect(server.requests).toHaveLength(2)
        expect(run.elapsedMs).toBeGreaterThan(2 * MINUTE)
        expect(run.elapsedMs).toBeLessThan(2 * MINUTE + 20_000)
      } finally {
        await server.close()
      }
    },
    4 * MINUTE
  )
})

describe('DNS', () => {
  it(
    'retries an upload whose host cannot be resolved, and names the failure',
    async () => {
      const run = await runAction(
        { token: sandbox.tokens.app, 'api-url': sandbox.apiUrl, 'upload-url': 'https://upload.applivery.invalid', file: 'app.ipa' },
        { workspace: makeWorkspace({ 'app.ipa': ipa }), timeoutMs: MINUTE }
      )
      expect(run.code).toBe(1)
      expect(visibleLog(run)).toMatch(
        /Upload build failed after 5 attempts: POST https:\/\/upload\.applivery\.invalid\/v1\/integrations\/builds: getaddrinfo (ENOTFOUND|EAI_AGAIN)/
      )
      // Only the read of the newest builds before the upload reached the sandbox.
      expect(sandbox.requests.map((r) => r.method)).toEqual(['GET'])
    },
    2 * MINUTE
  )
})
