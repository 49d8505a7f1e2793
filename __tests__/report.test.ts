import { describe, expect, it } from '@jest/globals'
import { MAX_OUTPUT_CHARS, Report } from '../src/report/report.js'

describe('outputs', () => {
  it("keeps the builds output under GitHub's 1 MB limit by trimming each build to its main fields", () => {
    const report = new Report()
    report.builds = Array.from({ length: 1000 }, (_, i) => ({
      id: `b${i}`,
      status: 'processed',
      versionName: `v${i}`,
      info: { blob: 'x'.repeat(2000) }
    }))
    const outputs = report.outputs()
    expect(outputs.builds.length).toBeLessThan(MAX_OUTPUT_CHARS)
    expect(JSON.parse(outputs.builds)[999]).toEqual({ id: 'b999', status: 'processed', versionName: 'v999' })
    expect(outputs.count).toBe('1000')
    report.builds = report.builds.slice(0, 2)
    expect(JSON.parse(report.outputs().builds)[0].info.blob).toHaveLength(2000)
  })
})
