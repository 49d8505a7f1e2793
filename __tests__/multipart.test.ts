import { describe, expect, it, beforeAll, afterAll } from '@jest/globals'
import busboy from 'busboy'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable, Writable } from 'node:stream'
import { multipartBody, type MultipartBody, type Part } from '../src/transport/multipart.js'
import { uploadParts } from '../src/operations/upload.js'

let dir: string
let buildPath: string
const content = randomBytes(9 * 1024 * 1024 + 123)

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'multipart-'))
  buildPath = join(dir, 'app "v1".ipa')
  writeFileSync(buildPath, content)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/**
 * Collects a body the way a socket takes it: a chunk is copied only when its write completes, after a
 * pause, so a buffer reused before its write was flushed would show up as corrupt bytes.
 */
async function collect(body: MultipartBody, progress: number[] = []): Promise<Buffer> {
  const chunks: Buffer[] = []
  const sink = new Writable({
    highWaterMark: 64 * 1024 * 1024, // takes every chunk at once: only the flush callbacks protect reused buffers
    write(chunk: Buffer, _encoding, done) {
      setTimeout(() => {
        chunks.push(Buffer.from(chunk))
        done()
      }, 1)
    }
  })
  await body.writeTo(sink, (sent) => progress.push(sent))
  await new Promise<void>((resolve) => sink.end(resolve))
  return Buffer.concat(chunks)
}

async function parse(contentType: string, body: Buffer) {
  const fields: [string, string][] = []
  const files: { name: string; filename: string; sha256: string; size: number; mimeType: string }[] = []
  await new Promise<void>((resolve, reject) => {
    const parser = busboy({ headers: { 'content-type': contentType } })
    parser.on('field', (name, value) => fields.push([name, value]))
    parser.on('file', (name, stream, info) => {
      const hash = createHash('sha256')
      let size = 0
      stream.on('data', (chunk: Buffer) => {
        hash.update(chunk)
        size += chunk.length
      })
      stream.on('end', () =>
        files.push({ name, filename: info.filename ?? '', sha256: hash.digest('hex'), size, mimeType: info.mimeType ?? '' })
      )
    })
    parser.on('close', resolve)
    parser.on('error', reject)
    Readable.from([body]).pipe(parser)
  })
  return { fields, files }
}

describe('multipart body', () => {
  const parts: Part[] = [
    { name: 'versionName', value: 'v1 ✓' },
    { name: 'changelog', value: 'line 1\r\nline 2' },
    { name: 'build', filename: 'app "v1".ipa', file: { path: '', size: content.length } }
  ]

  it('declares exactly the length it streams, and streams the same bytes every time it is opened', async () => {
    const body = multipartBody(parts.map((p) => ('file' in p ? { ...p, file: { ...p.file, path: buildPath } } : p)))
    const progress: number[] = []
    const first = await collect(body, progress)
    const second = await collect(body)
    expect(first.length).toBe(body.contentLength)
    expect(progress.at(-1)).toBe(body.contentLength)
    expect(second.equals(first)).toBe(true)
    const parsed = await parse(body.contentType, first)
    expect(parsed.fields).toEqual([
      ['versionName', 'v1 ✓'],
      ['changelog', 'line 1\r\nline 2']
    ])
    expect(parsed.files).toEqual([
      {
        name: 'build',
        filename: 'app %22v1%22.ipa',
        size: content.length,
        sha256: createHash('sha256').update(content).digest('hex'),
        mimeType: 'application/octet-stream'
      }
    ])
  })

  it('fails when the file grows or shrinks after it was sized', async () => {
    const path = join(dir, 'growing.apk')
    writeFileSync(path, 'abc')
    const body = multipartBody([{ name: 'build', filename: 'growing.apk', file: { path, size: 3 } }])
    appendFileSync(path, 'more')
    await expect(collect(body)).rejects.toThrow(/growing.apk changed while it was being uploaded/)
  })
})

describe('upload fields', () => {
  it('names fields as Applivery does, sends only what is set, and puts the build last', () => {
    const parts = uploadParts(
      {
        file: { path: '/w/app.ipa', name: 'app.ipa', size: 10, mtimeMs: 1, ino: 1, dev: 1 },
        versionName: 'v2',
        tags: ['staging', 'sprint-42'],
        notify: { collaborators: true, employees: false, language: 'en', groups: [['g1', 'g2'], ['g3']] },
        package: {
          buildPlatform: 'ps5',
          packageName: 'com.x',
          packageVersion: '1',
          packageIcon: { path: '/w/i.png', name: 'i.png', size: 2, mtimeMs: 1, ino: 2, dev: 1 }
        },
        deployerName: 'GitHub Actions',
        onRerun: 'reuse'
      },
      { commit: 'abc', branch: 'main', triggerTimestamp: '1' },
      undefined
    )
    expect(parts.map((p) => ('value' in p ? `${p.name}=${p.value}` : `${p.name}@${p.filename}`))).toEqual([
      'versionName=v2',
      'tags=staging,sprint-42',
      'notifyCollaborators=true',
      'notifyEmployees=false',
      'notifyLanguage=en',
      'filter[0][0]=g1',
      'filter[0][1]=g2',
      'filter[1][0]=g3',
      'buildPlatform=ps5',
      'packageName=com.x',
      'packageVersion=1',
      'deployer.name=GitHub Actions',
      'deployer.info.commit=abc',
      'deployer.info.branch=main',
      'deployer.info.triggerTimestamp=1',
      'packageIcon@i.png',
      'build@app.ipa'
    ])
  })
})
