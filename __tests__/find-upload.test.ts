// Recognising the build an upload created when its answer was lost, whatever form the server kept the fields in.
import { describe, expect, it } from '@jest/globals'
import type { Build, DeployerInfo } from '../src/applivery/types.js'
import { isFromThisStep, pickUpload, timestampMs } from '../src/operations/find-upload.js'

const at = Date.parse('2026-11-30T10:15:42.318Z')
const deployer: DeployerInfo = {
  commit: '0123456789abcdef0123456789abcdef01234567',
  branch: 'main',
  buildUrl: 'https://github.com/acme/app/actions/runs/9876543210',
  buildNumber: '42',
  triggerTimestamp: String(at)
}
const build = (info: Record<string, unknown>, extra: Partial<Build> = {}): Build =>
  ({ id: extra.id ?? 'b1', status: 'pending', deployer: { name: 'GitHub Actions', info }, ...extra }) as Build

describe('timestamps in any form', () => {
  it('reads milliseconds, seconds, numbers, text and ISO dates', () => {
    expect(timestampMs(String(at))).toBe(at)
    expect(timestampMs(at)).toBe(at)
    expect(timestampMs(` ${at} `)).toBe(at)
    expect(timestampMs(Math.floor(at / 1000))).toBe(Math.floor(at / 1000) * 1000)
    expect(timestampMs(String(Math.floor(at / 1000)))).toBe(Math.floor(at / 1000) * 1000)
    expect(timestampMs('2026-11-30T10:15:42.318Z')).toBe(at)
    expect(timestampMs('')).toBeUndefined()
    expect(timestampMs('soon')).toBeUndefined()
    expect(timestampMs(null)).toBeUndefined()
  })
})

describe('a build from this step', () => {
  it.each([
    ['as sent', { ...deployer }],
    ['the timestamp as a number', { ...deployer, triggerTimestamp: at }],
    ['the timestamp as an ISO date', { ...deployer, triggerTimestamp: new Date(at).toISOString() }],
    ['the timestamp in seconds', { ...deployer, triggerTimestamp: Math.floor(at / 1000) }],
    ['strings padded', { ...deployer, commit: ` ${deployer.commit}\n`, buildUrl: `${deployer.buildUrl} ` }],
    ['the run fields dropped', { triggerTimestamp: String(at) }],
    ['no timestamp, but the commit and the run', { commit: deployer.commit, buildUrl: deployer.buildUrl }]
  ])('is recognised with %s', (_name, info) => {
    expect(isFromThisStep(build(info), deployer)).toBe(true)
  })

  it.each([
    ["another step's timestamp", { ...deployer, triggerTimestamp: String(at + 5000) }],
    ['another commit', { ...deployer, commit: 'ffffffffffffffffffffffffffffffffffffffff' }],
    ['another run', { ...deployer, buildUrl: 'https://github.com/acme/app/actions/runs/1' }],
    ['no timestamp and no run', { commit: deployer.commit }],
    ['nothing at all', {}]
  ])('is not taken for %s', (_name, info) => {
    expect(isFromThisStep(build(info), deployer)).toBe(false)
  })
})

describe('choosing among several', () => {
  const seconds = Math.floor(at / 1000)
  it('prefers the exact timestamp, then the file size, and refuses to guess', () => {
    const exact = build({ ...deployer }, { id: 'exact' })
    const near = build({ ...deployer, triggerTimestamp: String(at + 300) }, { id: 'near' })
    expect(pickUpload([near, exact], deployer, 10)?.id).toBe('exact')
    const a = build({ ...deployer, triggerTimestamp: seconds }, { id: 'a', size: 10 })
    const b = build({ ...deployer, triggerTimestamp: seconds }, { id: 'b', size: 20 })
    expect(pickUpload([a, b], deployer, 20)?.id).toBe('b')
    expect(() => pickUpload([a, b], deployer, 30)).toThrow(/2 new builds carry this step's deployer metadata \(a, b\)/)
    expect(pickUpload([], deployer, 30)).toBeUndefined()
  })
})
