// The transport's timeouts, against the sandbox's stalling and slow routes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TransportError } from '../src/transport/errors.js'
import { multipartBody } from '../src/transport/multipart.js'
import { roundTrip } from '../src/transport/http.js'
import { DEFAULT_TIMINGS } from '../src/transport/timings.js'
import { startSandbox, type Sandbox } from '../sandbox/index.js'

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(() => sandbox.close())

const headers = () => ({ Authorization: `Bearer ${sandbox.tokens.app}` })

describe('timeouts', () => {
  it('fails an attempt when the server stops answering, and says the body was sent', async () => {
    sandbox.faults.add({ method: 'PUT', action: { kind: 'stall' } })
    const started = Date.now()
    const url = new URL(`${sandbox.apiUrl}/v1/integrations/builds/x`)
    const error = await roundTrip(
      { method: 'PUT', url, headers: headers(), body: '{}' },
      { ...DEFAULT_TIMINGS, connectMs: 1000, idleMs: 400 }
    ).catch((e) => e)
    expect(error).toBeInstanceOf(TransportError)
    expect(error).toMatchObject({ code: 'ETIMEDOUT', bodySent: true })
    expect(error.message).toMatch(/no progress for 0.4s/)
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('waits as long as the server keeps the answer coming within the idle limit', async () => {
    const build = sandbox.seedBuild({ status: 'processed' })
    sandbox.faults.add({ method: 'GET', action: { kind: 'delay', ms: 300 } })
    const url = new URL(`${sandbox.apiUrl}/v1/integrations/builds/${build.id}`)
    const response = await roundTrip({ method: 'GET', url, headers: headers() }, { ...DEFAULT_TIMINGS, connectMs: 1000, idleMs: 1000 })
    expect(response.status).toBe(200)
  })

  describe('a file sent in full', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'http-test-')), 'app.apk')
    writeFileSync(path, Buffer.alloc(64 * 1024, 7))
    const upload = () => ({
      method: 'POST',
      url: new URL(`${sandbox.uploadUrl}/v1/integrations/builds`),
      headers: headers(),
      body: multipartBody([{ name: 'build', filename: 'app.apk', file: { path, size: 64 * 1024 } }])
    })
    // Far apart, so a loaded machine cannot blur them: the idle limit passes long before the answer limit.
    const timings = { ...DEFAULT_TIMINGS, connectMs: 2000, idleMs: 1000, responseMs: 3000 }

    it('is answered later than the idle limit: the server may be working on it', async () => {
      sandbox.faults.add({ method: 'POST', action: { kind: 'delay', ms: 1800 } })
      const response = await roundTrip(upload(), timings)
      expect(response.status).toBe(200)
    })

    it('is given up on only after the answer limit, saying the body was sent', async () => {
      sandbox.faults.add({ method: 'POST', action: { kind: 'stall' } })
      const started = Date.now()
      const error = await roundTrip(upload(), timings).catch((e) => e)
      expect(error).toMatchObject({ code: 'ETIMEDOUT', bodySent: true })
      expect(error.message).toMatch(/no answer 3s after the last byte/)
      expect(Date.now() - started).toBeGreaterThanOrEqual(3000)
      expect(Date.now() - started).toBeLessThan(8000)
    })
  })
})
