import { describe, expect, it } from '@jest/globals'
import type { Build } from '../src/applivery/types.js'
import { pruneCandidates } from '../src/operations/prune.js'

const now = Date.parse('2026-11-24T12:00:00Z')
const DAY = 86_400_000
const build = (id: string, daysOld: number, status = 'processed'): Build => ({
  id,
  status,
  createdAt: new Date(now - daysOld * DAY).toISOString()
})

describe('prune candidates', () => {
  const builds = [
    build('d3', 3),
    build('p0', 0, 'pending'),
    build('d1', 1),
    build('e5', 5, 'error'),
    build('i2', 2, 'in_progress'),
    build('d10', 10)
  ]

  it('sorts finished builds newest first and skips the first keep', () => {
    expect(pruneCandidates(builds, { filters: {}, keep: 2 }, now).map((b) => b.id)).toEqual(['e5', 'd10'])
    expect(pruneCandidates(builds, { filters: {}, keep: 0 }, now).map((b) => b.id)).toEqual(['d1', 'd3', 'e5', 'd10'])
    expect(pruneCandidates(builds, { filters: {}, keep: 9 }, now)).toEqual([])
  })

  it('deletes only builds strictly older than older-than', () => {
    expect(pruneCandidates(builds, { filters: {}, olderThanMs: 3 * DAY }, now).map((b) => b.id)).toEqual(['e5', 'd10'])
  })

  it('applies both rules together', () => {
    expect(pruneCandidates(builds, { filters: {}, keep: 3, olderThanMs: 2 * DAY }, now).map((b) => b.id)).toEqual(['d10'])
  })

  it('never touches a build without a readable creation time when older-than is set', () => {
    expect(pruneCandidates([{ id: 'x', status: 'processed' }], { filters: {}, olderThanMs: DAY }, now)).toEqual([])
  })
})
