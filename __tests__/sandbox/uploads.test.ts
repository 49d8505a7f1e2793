// Tests of the sandbox's upload host: uploads and their processing, attachments, held answers and deployer fields.
import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { request } from 'node:http'
import { Readable } from 'node:stream'
import { sha256 } from '../../harness/helpers.js'
import type { StoredBuild } from '../../sandbox/index.js'
import { api, data, DELAY, form, INT, lastRequest, sb, sleep, up, upload, useSandbox, ws, type Answer } from './helpers.js'

useSandbox({ processingDelayMs: DELAY })

describe('upload', () => {
  it('records fields and the file, and creates a pending build that is processed after the delay', async () => {
    const content = 'fake apk ' + 'x'.repeat(5000)
    const fields = {
      versionName: 'v2.4.0-rc1',
      tags: ' staging, sprint-42,, ',
      changelog: 'Fixed crash',
      notifyCollaborators: 'true',
      notifyEmployees: 'false',
      notifyMessage: 'New build',
      notifyLanguage: 'en',
      'filter[1][0]': 'group3',
      'filter[0][1]': 'group2',
      'filter[0][0]': 'group1',
      'deployer.name': 'GitHub Actions',
      'deployer.info.commit': 'f52ace0',
      'deployer.info.branch': 'release/2.4',
      'deployer.info.triggerTimestamp': '1558359012580'
    }
    const build = await upload({ name: 'My App.apk', content, fields })
    const rec = lastRequest()
    expect(rec.host).toBe('upload')
    expect(rec.method).toBe('POST')
    expect(Object.entries(rec.fields)).toEqual(Object.entries(fields))
    expect(rec.files).toEqual([
      { field: 'build', filename: 'My App.apk', contentType: 'application/octet-stream', size: content.length, sha256: sha256(content) }
    ])
    expect(rec.bodyBytes).toBe(Number(rec.headers['content-length']))
    expect(rec.status).toBe(200)
    expect(rec.response).toEqual({ status: true, data: build })

    expect(build.id).toMatch(/^[0-9a-f]{24}$/)
    expect(build).toMatchObject({
      status: 'pending',
      tags: ['staging', 'sprint-42'],
      versionName: 'v2.4.0-rc1',
      changelog: 'Fixed crash',
      application: 'app-1',
      applicationInfo: { id: 'app-1' },
      size: content.length,
      originalExtension: 'apk',
      os: 'android',
      checksum: sha256(content),
      deployer: { name: 'GitHub Actions', info: { commit: 'f52ace0', branch: 'release/2.4', triggerTimestamp: '1558359012580' } },
      notifications: {
        collaborators: true,
        employees: false,
        message: 'New build',
        language: 'en',
        filter: [['group1', 'group2'], ['group3']]
      },
      error: '',
      errorCode: '',
      processLogs: [],
      files: [],
      metadata: {},
      defaultScripts: {},
      disabled: false
    })
    expect(build).not.toHaveProperty('buildPlatform')
    expect(build).not.toHaveProperty('packageName')
    expect(Date.parse(build.createdAt)).not.toBeNaN()

    await sleep(DELAY + 50)
    const done = data(await api(`${INT}/${build.id}`, { token: sb.tokens.app }))
    expect(done.status).toBe('processed')
    expect(done.processLogs).toEqual([`Received My App.apk (${content.length} bytes)`, 'Processed'])
    expect(sb.builds()[0]).toEqual(done)
  })

  it('goes through in_progress in the second half of the delay', async () => {
    // Each phase is long enough that a loaded machine's late timers still land in it.
    sb.setProcessingDelay(4_000)
    const build = await upload()
    expect(sb.builds()[0].status).toBe('pending')
    await sleep(2_500)
    expect(sb.builds()[0].status).toBe('in_progress')
    await sleep(1_600)
    expect(sb.builds()[0].status).toBe('processed')
    expect(build.status).toBe('pending')
  })

  it('ends in error for an empty file and for an unsupported extension', async () => {
    const empty = await upload({ name: 'empty.ipa', content: '' })
    const txt = await upload({ name: 'notes.TXT', content: 'hello' })
    expect(empty.os).toBe('ios')
    await sleep(DELAY + 50)
    const [t, e] = sb.builds()
    expect(e).toMatchObject({
      id: empty.id,
      status: 'error',
      errorCode: '5006',
      error: 'Empty build file',
      processLogs: ['Received empty.ipa (0 bytes)', 'Processing failed: Empty build file']
    })
    expect(t).toMatchObject({
      id: txt.id,
      status: 'error',
      errorCode: '5006',
      error: 'Unsupported build file extension .txt',
      originalExtension: 'txt',
      os: 'unknown'
    })
  })

  it('knows tar.gz, takes os from buildPlatform for other files and keeps optional fields', async () => {
    const b = await upload({
      name: 'game.tar.gz',
      content: 'tgz',
      fields: { buildPlatform: 'switch', packageName: 'com.x.game', packageVersion: '1.2' }
    })
    expect(b).toMatchObject({
      originalExtension: 'tar.gz',
      os: 'switch',
      buildPlatform: 'switch',
      packageName: 'com.x.game',
      packageVersion: '1.2'
    })
  })

  it('answers 5006 without a build part or with a body that is not multipart', async () => {
    const noBuild = await up(INT, {
      token: sb.tokens.app,
      body: form({ field: 'other', name: 'a.apk', content: 'x' }, { versionName: 'v' })
    })
    expect([noBuild.status, noBuild.json.error]).toEqual([400, { code: 5006, message: 'Invalid file' }])
    expect(lastRequest().fields).toEqual({ versionName: 'v' })
    const notMultipart = await up(INT, { token: sb.tokens.app, body: 'plain', headers: { 'content-type': 'text/plain' } })
    expect([notMultipart.status, notMultipart.json.error?.code]).toEqual([400, 5006])
    expect(sb.builds()).toEqual([])
  })

  it('refuses a changelog over 10,000 characters with 6002, after reading the body, and creates no build', async () => {
    const refused = await up(INT, { token: sb.tokens.app, body: form({ name: 'a.apk', content: 'x' }, { changelog: 'n'.repeat(10_001) }) })
    expect([refused.status, refused.json.error?.code, refused.json.error?.message]).toEqual([400, 6002, 'Body Validation Error'])
    expect(refused.json.error?.data?.errors.map((e) => [e.field, e.messages])).toEqual([
      [['changelog'], ['"changelog" length must be less than or equal to 10000 characters long']]
    ])
    expect(lastRequest().files.map((f) => f.filename)).toEqual(['a.apk'])
    const workspace = await up(ws(), {
      token: sb.tokens.serviceAccount,
      body: form({ name: 'a.apk', content: 'x' }, { changelog: 'n'.repeat(10_001) })
    })
    expect([workspace.status, workspace.json.error?.code]).toEqual([400, 6002])
    expect(sb.builds()).toEqual([])
    const taken = await upload({ fields: { changelog: 'n'.repeat(10_000) } })
    expect(taken.changelog).toHaveLength(10_000)
  })

  it('uploads through the Workspace API to the app in the path', async () => {
    const b = await upload({ name: 'a.aab', content: 'aab', token: sb.tokens.serviceAccount, path: ws('org-1', 'app-2') })
    expect(b.application).toBe('app-2')
    expect(sb.builds('app-2').map((x) => x.id)).toEqual([b.id])
    expect(sb.builds()).toEqual([])
  })

  it('gives builds strictly increasing createdAt', async () => {
    const builds = await Promise.all([1, 2, 3, 4, 5].map((i) => upload({ name: `b${i}.apk` })))
    const times = builds.map((b) => Date.parse(b.createdAt)).sort((a, b) => a - b)
    expect(new Set(times).size).toBe(5)
  })

  it('survives a client that gives up half-way through the body', async () => {
    const boundary = 'gives-up'
    const req = request(`${sb.uploadUrl}${INT}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sb.tokens.app}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': 1_000_000
      }
    })
    req.on('error', () => {})
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="build"; filename="a.apk"\r\n\r\n` + 'x'.repeat(10_000))
    // Given up once the sandbox has what was written, however loaded the machine.
    for (let waited = 0; (sb.requests.at(-1)?.bodyBytes ?? 0) <= 10_000 && waited < 5000; waited += 20) await sleep(20)
    req.destroy()
    await sleep(100)
    expect(lastRequest()).toMatchObject({ status: 0, files: [] })
    expect(lastRequest().bodyBytes).toBeGreaterThan(10_000)
    expect(sb.builds()).toEqual([])
    expect((await api(INT, { token: sb.tokens.app })).status).toBe(200)
  })

  it('streams a large body with Content-Length and hashes it exactly', async () => {
    const chunk = Buffer.alloc(64 * 1024, 7)
    const chunks = 128 // 8 MiB
    const boundary = 'sandbox-test-boundary'
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="build"; filename="big.zip"\r\nContent-Type: application/zip\r\n\r\n`
    )
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
    const hash = createHash('sha256')
    for (let i = 0; i < chunks; i++) hash.update(chunk)
    const length = head.length + chunk.length * chunks + tail.length
    const source = Readable.from(
      (function* () {
        yield head
        for (let i = 0; i < chunks; i++) yield chunk
        yield tail
      })()
    )
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${sb.uploadUrl}${INT}`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${sb.tokens.app}`,
            'content-type': `multipart/form-data; boundary=${boundary}`,
            'content-length': length
          }
        },
        (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode ?? 0))
        }
      )
      req.on('error', reject)
      source.pipe(req)
    })
    expect(status).toBe(200)
    expect(lastRequest().bodyBytes).toBe(length)
    expect(lastRequest().files[0]).toMatchObject({
      filename: 'big.zip',
      contentType: 'application/zip',
      size: chunk.length * chunks,
      sha256: hash.digest('hex')
    })
  })
})

describe('attach', () => {
  const attach = (id: string, fd: FormData, token = sb.tokens.app, prefix = INT): Promise<Answer> =>
    up(`${prefix}/${id}/files`, { token, body: fd })

  it('answers 5014 until the build is processed, then records the file', async () => {
    // Long enough that a loaded machine still asks before the build is processed.
    const processingMs = 2_000
    sb.setProcessingDelay(processingMs)
    const b = await upload()
    const report = 'test report contents'
    const early = await attach(b.id, form({ field: 'file', name: 'report.html', content: report, type: 'text/html' }))
    expect([early.status, early.json.error]).toEqual([400, { code: 5014, message: 'Build Not Processed' }])
    await sleep(processingMs + 50)
    const res = await attach(
      b.id,
      form({ field: 'file', name: 'report.html', content: report, type: 'text/html' }, { description: 'QA report' })
    )
    expect(res.status).toBe(200)
    const build = data(res)
    expect(build.id).toBe(b.id)
    const files = build.files as { id: string; type: string; description: string; file: Record<string, unknown> }[]
    expect(files).toHaveLength(1)
    expect(files[0]).toMatchObject({
      type: 'attachment',
      description: 'QA report',
      file: {
        originalName: 'report.html',
        mimetype: 'text/html',
        size: report.length,
        checksum: sha256(report),
        location: `${sb.uploadUrl}/files/${files[0].id}`
      }
    })
    expect(files[0].id).toMatch(/^[0-9a-f]{24}$/)
    expect(sb.builds()[0].files).toEqual(files)
  })

  it('answers 5014 for an error build, 5006 without a file part and 3001 for an unknown build', async () => {
    const broken = sb.seedBuild({ status: 'error' })
    const fine = sb.seedBuild({})
    expect((await attach(broken.id, form({ field: 'file', name: 'a', content: 'a' }))).json.error?.code).toBe(5014)
    const noFile = await attach(fine.id, form(undefined, { description: 'd' }), sb.tokens.serviceAccount, ws())
    expect([noFile.status, noFile.json.error]).toEqual([400, { code: 5006, message: 'Invalid file' }])
    expect((await attach('ffffffffffffffffffffffff', form({ field: 'file', name: 'a', content: 'a' }))).status).toBe(404)
  })
})

describe('upload hold', () => {
  const listed = async (): Promise<string[]> =>
    data<{ items: StoredBuild[] }>(await api(INT, { token: sb.tokens.app })).items.map((b) => b.id)

  it('answers only after the hold; with visible start the build is listed during it', async () => {
    sb.configure({ uploadHold: { ms: 400, visible: 'start' } })
    const started = Date.now()
    const answer = upload()
    await sleep(150)
    const during = await listed()
    expect(during).toHaveLength(1)
    const posted = sb.requests.find((r) => r.method === 'POST')
    expect(posted?.status).toBe(0) // still held
    const build = await answer
    expect(Date.now() - started).toBeGreaterThanOrEqual(400)
    expect(during).toEqual([build.id])
    expect(posted?.status).toBe(200)
  })

  it('with visible end, the build is listed only when the hold ends', async () => {
    sb.configure({ uploadHold: { ms: 400, visible: 'end' } })
    const started = Date.now()
    const answer = upload()
    await sleep(150)
    expect(await listed()).toEqual([])
    expect(sb.builds()).toEqual([])
    const build = await answer
    expect(Date.now() - started).toBeGreaterThanOrEqual(400)
    expect(await listed()).toEqual([build.id])
    expect(build.status).toBe('pending')
  })

  it.each(['start', 'end'] as const)(
    'visible %s: a client that gives up during the hold still leaves exactly one build',
    async (visible) => {
      // A hold far longer than a loaded machine needs to get the body there and give up.
      sb.configure({ uploadHold: { ms: 2000, visible } })
      const body = form({ name: 'a.apk', content: 'apk' })
      const giveUp = new AbortController()
      // Given up once the sandbox has the body (and, held visibly from the start, lists the build).
      const arrived = setInterval(() => {
        const received = sb.requests.some((r) => r.method === 'POST' && r.files.length > 0)
        if (received && (visible === 'end' || sb.builds().length > 0)) giveUp.abort()
      }, 5)
      await expect(
        fetch(`${sb.uploadUrl}${INT}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${sb.tokens.app}` },
          body,
          signal: giveUp.signal
        })
      ).rejects.toThrow()
      clearInterval(arrived)
      expect(sb.builds()).toHaveLength(visible === 'start' ? 1 : 0)
      // The hold ends: the work is done, with nobody left to answer.
      const rec = sb.requests.find((r) => r.method === 'POST')
      for (let waited = 0; rec?.response === undefined && waited < 5000; waited += 50) await sleep(50)
      expect(sb.builds()).toHaveLength(1)
      expect(rec).toMatchObject({ status: 0, files: [expect.objectContaining({ filename: 'a.apk' })] })
      expect(rec?.response).toMatchObject({ status: true, data: { id: sb.builds()[0].id } })
    }
  )

  it('does not hold attachments or refused uploads', async () => {
    sb.configure({ uploadHold: { ms: 2000, visible: 'start' } })
    const b = sb.seedBuild({})
    const started = Date.now()
    expect(
      (await up(`${INT}/${b.id}/files`, { token: sb.tokens.app, body: form({ field: 'file', name: 'r.txt', content: 'r' }) })).status
    ).toBe(200)
    expect((await up(INT, { token: sb.tokens.app, body: form(undefined, { versionName: 'v' }) })).status).toBe(400)
    expect(Date.now() - started).toBeLessThan(1000)
  })
})

describe('deployer fields', () => {
  const deployer = async (triggerTimestamp: string): Promise<Record<string, unknown>> => {
    const b = await upload({
      name: 'a.apk',
      content: 'x',
      fields: {
        'deployer.name': '  GitHub Actions ',
        'deployer.info.branch': ' main\n',
        'deployer.info.triggerTimestamp': triggerTimestamp
      }
    })
    return b.deployer as Record<string, unknown>
  }

  it('are stored trimmed, triggerTimestamp as sent by default', async () => {
    expect(await deployer(' 1558359012580 ')).toEqual({
      name: 'GitHub Actions',
      info: expect.objectContaining({ branch: 'main', triggerTimestamp: '1558359012580', commit: '' })
    })
  })

  it('triggerTimestampAs number or iso converts numeric values and keeps the others as sent', async () => {
    sb.configure({ triggerTimestampAs: 'number' })
    expect(await deployer('1558359012580')).toMatchObject({ info: { triggerTimestamp: 1558359012580 } })
    expect(await deployer('2019-05-20T13:30:12Z')).toMatchObject({ info: { triggerTimestamp: '2019-05-20T13:30:12Z' } })
    sb.configure({ triggerTimestampAs: 'iso' })
    expect(await deployer(' 1558359012580')).toMatchObject({ info: { triggerTimestamp: '2019-05-20T13:30:12.580Z' } })
    expect(await deployer('')).toMatchObject({ info: { triggerTimestamp: '' } })
    expect(await deployer('99999999999999999999')).toMatchObject({ info: { triggerTimestamp: '99999999999999999999' } })
    expect(sb.builds()[4].deployer).toMatchObject({ info: { triggerTimestamp: 1558359012580 } })
  })
})
