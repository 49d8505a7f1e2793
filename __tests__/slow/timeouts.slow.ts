// The real timeouts, at their real defaults: minutes long, so run by `npm run test:slow` (CI), not `npm test`.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { startSandbox, type Sandbox } from '../../sandbox/index.js'
import { makeWorkspace, runAction, visibleLog } from '../../sandbox/runner.js'

let sandbox: Sandbox
const ipa = randomBytes(2 * 1024 * 1024)
const MINUTE = 60_000

beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(() => sandbox.close())
beforeEach(() => sandbox.reset())

describe('timeouts at their defaults', () => {
  it('gives a silent server 5 minutes after the whole body, then looks for the build before sending it again', async () => {
    sandbox.faults.add({ method: 'POST', path: /builds$/, action: { kind: 'stall' } })
    const run = await runAction(
      { token: sandbox.tokens.app, 'api-url': sandbox.apiUrl, 'upload-url': sandbox.uploadUrl, file: 'app.ipa' },
      { workspace: makeWorkspace({ 'app.ipa': ipa }), timeoutMs: 9 * MINUTE }
    )
    expect(run.code).toBe(0)
    expect(visibleLog(run)).toContain('no progress for 300s')
    expect(run.elapsedMs).toBeGreaterThan(5 * MINUTE)
    const builds = sandbox.builds()
    expect(builds).toHaveLength(1)
    expect(builds[0].checksum).toBe(createHash('sha256').update(ipa).digest('hex'))
    expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(2)
  }, 10 * MINUTE)

  describe('connecting', () => {
    let listener: ChildProcess
    let port = 0
    beforeAll(async () => {
      // A listening socket that never accepts: once its backlog of one is taken, new connections hang unanswered.
      listener = spawn('python3', ['-c', [
        'import socket, sys, time',
        's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)',
        'c = socket.create_connection(s.getsockname())',
        'print(s.getsockname()[1], flush=True); time.sleep(900)'
      ].join('\n')])
      port = await new Promise<number>((resolve) => listener.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))))
    })
    afterAll(() => {
      listener.kill()
    })

    it('gives up connecting after 30 s, and tries again', async () => {
      const run = await runAction(
        { token: sandbox.tokens.app, 'api-url': `http://127.0.0.1:${port}`, 'upload-url': sandbox.uploadUrl, operation: 'get', 'build-id': 'b1' },
        { timeoutMs: 5 * MINUTE }
      )
      expect(run.code).toBe(1)
      expect(visibleLog(run)).toMatch(/Get build b1 failed after 5 attempts: GET http:\/\/127\.0\.0\.1:\d+\/v1\/integrations\/builds\/b1: no connection after 30s/)
      expect(run.elapsedMs).toBeGreaterThan(150_000)
      expect(run.elapsedMs).toBeLessThan(150_000 + 20_000)
    }, 5 * MINUTE)
  })
})

describe('DNS', () => {
  it('retries an upload whose host cannot be resolved, and names the failure', async () => {
    const run = await runAction(
      { token: sandbox.tokens.app, 'api-url': sandbox.apiUrl, 'upload-url': 'https://upload.applivery.invalid', file: 'app.ipa' },
      { workspace: makeWorkspace({ 'app.ipa': ipa }), timeoutMs: MINUTE }
    )
    expect(run.code).toBe(1)
    expect(visibleLog(run)).toMatch(/Upload build failed after 5 attempts: POST https:\/\/upload\.applivery\.invalid\/v1\/integrations\/builds: getaddrinfo (ENOTFOUND|EAI_AGAIN)/)
    expect(sandbox.requests).toHaveLength(0)
  }, 2 * MINUTE)
})
