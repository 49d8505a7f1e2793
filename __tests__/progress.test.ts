import { describe, expect, it } from '@jest/globals'
import { formatBytes } from '../src/output/format.js'
import { MIN_REPORTED_BYTES, progressLogger } from '../src/output/progress.js'

describe('upload progress', () => {
  it('logs at most every 10 % or 10 seconds, never per chunk', () => {
    const lines: string[] = []
    let clock = 0
    const total = 1024 * 1024 * 1024
    const report = progressLogger(
      { info: (m) => lines.push(m), warning: () => {}, debug: () => {}, notice: () => {} },
      'Uploading app.ipa',
      total,
      () => clock
    )!
    for (let sent = 1024 * 1024; sent <= total; sent += 1024 * 1024) {
      clock += 5 // 1 MiB every 5 ms
      report(sent)
    }
    expect(lines).toHaveLength(10)
    expect(lines[0]).toMatch(/^Uploading app.ipa: 10\d\.\d MiB of 1\.0 GiB \(10%\), \d+\.\d MiB\/s, \d+s left$/)
    expect(lines.at(-1)).toMatch(/1\.0 GiB of 1\.0 GiB \(100%\)/)
  })

  it('logs a slow upload every 10 seconds', () => {
    const lines: string[] = []
    let clock = 0
    const report = progressLogger(
      { info: (m) => lines.push(m), warning: () => {}, debug: () => {}, notice: () => {} },
      'x',
      10 * MIN_REPORTED_BYTES,
      () => clock
    )!
    for (let i = 1; i <= 60; i++) {
      clock = i * 1000
      report(i * 1024) // far below 10 % in a minute
    }
    expect(lines).toHaveLength(6)
  })

  it('stays quiet for small bodies', () => {
    expect(
      progressLogger({ info: () => {}, warning: () => {}, debug: () => {}, notice: () => {} }, 'x', MIN_REPORTED_BYTES - 1)
    ).toBeUndefined()
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KiB')
  })
})
