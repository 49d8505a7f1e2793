// The transport's timeouts, against the sandbox's stalling and slow routes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { TransportError } from '../src/applivery/errors.js'
import { DEFAULT_TIMEOUTS, send } from '../src/applivery/http.js'
import { startSandbox, type Sandbox } from '../sandbox/index.js'

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(() => sandbox.close())

const headers = () => ({ Authorization: `Bearer ${sandbox.tokens.app}` })

describe('timeouts', () => {
  it('waits 30 s to connect and 5 minutes without progress by default', () => {
    expect(DEFAULT_TIMEOUTS).toEqual({ connectMs: 30_000, idleMs: 300_000 })
  })

  it('fails an attempt when the server stops answering, and says the body was sent', async () => {
    sandbox.faults.add({ method: 'PUT', action: { kind: 'stall' } })
    const started = Date.now()
    const url = new URL(`${sandbox.apiUrl}/v1/integrations/builds/x`)
    const error = await send({ method: 'PUT', url, headers: headers(), body: '{}' }, { connectMs: 1000, idleMs: 400 }).catch((e) => e)
    expect(error).toBeInstanceOf(TransportError)
    expect(error).toMatchObject({ code: 'ETIMEDOUT', bodySent: true })
    expect(error.message).toMatch(/no progress for 0.4s/)
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('waits as long as the server keeps the answer coming within the idle limit', async () => {
    const build = sandbox.seedBuild({ status: 'processed' })
    sandbox.faults.add({ method: 'GET', action: { kind: 'delay', ms: 300 } })
    const url = new URL(`${sandbox.apiUrl}/v1/integrations/builds/${build.id}`)
    const response = await send({ method: 'GET', url, headers: headers() }, { connectMs: 1000, idleMs: 1000 })
    expect(response.status).toBe(200)
  })
})
