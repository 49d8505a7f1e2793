// Tests of the sandbox's settings and start options: configure(), reset(), discard mode and the command line.
import { describe, expect, it } from '@jest/globals'
import { parseArgs } from '../../sandbox/args.js'
import { startSandbox } from '../../sandbox/index.js'
import { api, call, data, DELAY, form, GH, gh, install, INT, sb, sleep, upload, useSandbox } from './helpers.js'

useSandbox({ processingDelayMs: DELAY })

describe('configure', () => {
  it('changes settings from the next request; undefined restores a default; reset restores the starting ones', async () => {
    const own = await startSandbox({ listForm: 'paginated', maxPageSize: 5 })
    try {
      const listData = async (): Promise<Record<string, unknown>> =>
        data<Record<string, unknown>>(await call(own.apiUrl, `${INT}?limit=50`, { token: own.tokens.app }))
      expect(await listData()).toMatchObject({ limit: 5 })
      own.configure({ listForm: 'items' })
      expect(Object.keys(await listData())).toEqual(['items'])
      own.configure({ listForm: 'paginated', maxPageSize: undefined })
      expect(await listData()).toMatchObject({ limit: 50 })
      own.reset()
      expect(await listData()).toMatchObject({ limit: 5 })
    } finally {
      await own.close()
    }
  })

  it('refuses invalid values and keeps the current settings', async () => {
    expect(() => sb.configure({ listForm: 'pages' as never })).toThrow(TypeError)
    expect(() => sb.configure({ uploadHold: { ms: -1, visible: 'start' } })).toThrow(/uploadHold/)
    expect(() => sb.configure({ refuseLimitStatus: 500 as never, maxPageSize: 3 })).toThrow(/refuseLimitStatus/)
    for (let i = 0; i < 4; i++) sb.seedBuild({})
    const res = await api(`${INT}?limit=4`, { token: sb.tokens.app })
    expect(Object.keys(res.json.data as object)).toEqual(['items'])
    expect(data<{ items: unknown[] }>(res).items).toHaveLength(4)
  })

  it('setProcessingDelay is configure({ processingDelayMs })', async () => {
    sb.setProcessingDelay(20)
    await upload()
    await sleep(40)
    expect(sb.builds()[0].status).toBe('processed')
  })
})

describe('discard mode and reset', () => {
  it('discard: counts the upload body and answers a processed build without parsing it', async () => {
    const fast = await startSandbox({ discard: true })
    try {
      const res = await call(fast.uploadUrl, INT, {
        method: 'POST',
        token: fast.tokens.app,
        body: form({ name: 'a.apk', content: 'x'.repeat(10000) })
      })
      expect(res.status).toBe(200)
      const rec = fast.requests[0]
      expect(rec.files).toEqual([])
      expect(data(res)).toMatchObject({ status: 'processed', size: rec.bodyBytes })
      expect(rec.bodyBytes).toBeGreaterThan(10000)
      expect((await call(fast.uploadUrl, INT, { method: 'POST', body: 'x' })).status).toBe(401)
    } finally {
      await fast.close()
    }
  })

  it('reset forgets builds, requests and faults', async () => {
    sb.seedBuild({})
    sb.faults.add({ host: 'upload', action: { kind: 'stall' } })
    const held = sb.requests
    await api(INT, { token: sb.tokens.app })
    expect(held).toHaveLength(1)
    sb.reset()
    expect(sb.builds()).toEqual([])
    expect(held).toHaveLength(0)
    expect(sb.faults.pending).toBe(0)
    await api(INT, { token: sb.tokens.app })
    expect(held.map((r) => r.seq)).toEqual([1])
  })
})

describe('command line', () => {
  it('maps every flag onto startSandbox options', () => {
    expect(
      parseArgs([
        '--max-page-size',
        '500',
        '--list-form=paginated',
        '--refuse-limit-above',
        '1000',
        '--refuse-limit-status',
        '422',
        '--hold-upload',
        '180000',
        '--hold-visible',
        'end',
        '--trigger-timestamp',
        'iso',
        '--reject-early',
        '--tls-names',
        'localhost, 10.0.0.5',
        '--tls-expired',
        '--ca-file',
        '/tmp/ca.pem'
      ])
    ).toEqual({
      help: false,
      caFile: '/tmp/ca.pem',
      options: {
        maxPageSize: 500,
        listForm: 'paginated',
        refuseLimitAbove: 1000,
        refuseLimitStatus: 422,
        uploadHold: { ms: 180000, visible: 'end' },
        triggerTimestampAs: 'iso',
        rejectEarly: true,
        tls: { names: ['localhost', '10.0.0.5'], expired: true }
      }
    })
    expect(parseArgs(['--tls', '--hold-upload', '5']).options).toEqual({ tls: {}, uploadHold: { ms: 5, visible: 'start' } })
    expect(parseArgs([])).toEqual({ help: false, options: {} })
  })

  it('refuses bad values', () => {
    for (const argv of [
      ['--list-form', 'pages'],
      ['--hold-visible', 'end'],
      ['--refuse-limit-status', '500'],
      ['--trigger-timestamp'],
      ['--max-page-size', '0'],
      ['--tls-names', ',']
    ]) {
      expect(() => parseArgs(argv)).toThrow()
    }
  })
})

describe('reset, faults, settings and command line', () => {
  it('reset forgets publications, comments and GitHub requests, and restores the settings', async () => {
    sb.seedPublication({})
    sb.seedComment(1, 'x')
    await gh(`${GH}/1/comments`)
    sb.configure({ stores: 3, publicationListFilters: 'ignored' })
    sb.reset()
    expect([sb.publications(), sb.comments(1), sb.githubRequests, sb.storeIds]).toEqual([[], [], [], ['store-1']])
  })

  it('faults hit install pages; the GitHub host only through rules that name it', async () => {
    sb.seedPublication({ slug: 'faulty' })
    sb.faults.add({ path: /^\/install\//, action: { kind: 'status', status: 503 } })
    expect((await install('faulty')).status).toBe(503)
    sb.faults.add({ action: { kind: 'status', status: 502 } })
    expect((await gh(`${GH}/1/comments`)).status).toBe(200)
    sb.faults.clear()
    sb.faults.add({ host: 'github', action: { kind: 'status', status: 500 } })
    expect((await gh(`${GH}/1/comments`)).status).toBe(500)
  })

  it('refuses invalid settings and maps the new flags', () => {
    expect(() => sb.configure({ stores: -1 })).toThrow(/stores/)
    expect(() => sb.configure({ createStatus: 202 as never })).toThrow(/createStatus/)
    expect(() => sb.configure({ slugClash: { status: 1, code: 1, message: '' } })).toThrow(/slugClash/)
    const argv = ['--github-port', '9000', '--stores=0', '--publication-list-filters', 'ignored']
    expect(parseArgs(argv).options).toEqual({ githubPort: 9000, stores: 0, publicationListFilters: 'ignored' })
    expect(() => parseArgs(['--publication-list-filters', 'some'])).toThrow()
  })
})
