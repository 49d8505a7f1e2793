// Applivery's answers as the types the action reads: parsed within bounds, ids checked, fields of the expected types.
import { describe, expect, it } from '@jest/globals'
import { buildOf, publicationOf } from '../src/applivery/decode.js'
import { jsonBoundsProblem, JSON_LIMITS } from '../src/transport/json-bounds.js'
import { RECLAIM_EVERY_BYTES } from '../src/transport/reclaim.js'
import { WalkBudget, WALK_LIMITS } from '../src/transport/walk-budget.js'

describe('JSON bounds', () => {
  it('finds nesting and size past the limits without parsing, and skips what is inside strings', () => {
    expect(jsonBoundsProblem('['.repeat(JSON_LIMITS.depth + 1))).toMatch(/nests deeper than 64/)
    expect(jsonBoundsProblem(`{"a":"${'['.repeat(1000)}\\"["}`)).toBeUndefined()
    expect(jsonBoundsProblem(`[${'[],'.repeat(JSON_LIMITS.containers)}[]]`)).toMatch(/more than 200,000/)
    expect(jsonBoundsProblem('{"status":true,"data":{"items":[{"id":"a"}]}}')).toBeUndefined()
  })
})

describe('builds', () => {
  it('need an id of printable characters, at most 128', () => {
    expect(buildOf(null)).toBeUndefined()
    expect(buildOf({ status: 'processed' })).toBeUndefined()
    expect(buildOf({ id: 'a b' })).toBeUndefined()
    expect(buildOf({ id: 'x'.repeat(129) })).toBeUndefined()
    expect(buildOf({ id: 42 })).toMatchObject({ id: '42', status: 'unknown' })
  })

  it('have the fields the action reads of the types it reads them as; the rest as sent', () => {
    const build = buildOf({
      id: 'b1',
      status: { odd: true },
      tags: ['a', 3, null, 'b'],
      size: '12',
      versionName: 7,
      deployer: { info: { commit: 123, branch: { x: 1 } } },
      applicationInfo: { slug: ['x'], name: 'App' },
      custom: { kept: [1, 2] }
    })
    expect(build).toEqual({
      id: 'b1',
      status: 'unknown',
      tags: ['a', 'b'],
      versionName: '7',
      deployer: { info: { commit: '123' } },
      applicationInfo: { name: 'App' },
      custom: { kept: [1, 2] }
    })
  })

  it('install pages need an id; their slug is text', () => {
    expect(publicationOf({ slug: 'x' })).toBeUndefined()
    expect(publicationOf({ id: 'p1', slug: 5, distributionUrl: ['x'] })).toEqual({ id: 'p1', slug: '5' })
  })
})

describe('walk budget', () => {
  it('fails past its pages, entries or characters, saying nothing was changed', () => {
    const pages = new WalkBudget('List builds', { pages: 2, bytes: 1000, entries: 10, chars: 1000 })
    pages.page()
    pages.page()
    expect(() => pages.page()).toThrow('List builds: the list went on past 2 pages; stopped there, and nothing was changed on the way')
    const entries = new WalkBudget('List builds', { pages: 2, bytes: 1000, entries: 1, chars: 1000 })
    entries.keep({ id: 'a' })
    expect(() => entries.keep({ id: 'b' })).toThrow(/holds more than 1 entries/)
    const chars = new WalkBudget('List builds', { pages: 2, bytes: 1000, entries: 10, chars: 100 })
    expect(() => chars.keep({ id: 'x'.repeat(200) })).toThrow(/MiB of entries/)
    const bytes = new WalkBudget('List builds', { pages: 2, bytes: 1000, entries: 10, chars: 100 })
    bytes.read(600)
    expect(() => bytes.read(600)).toThrow(/ran past 0 MiB of answers/)
  })

  it('collects the garbage of dropped answers every few MiB read', async () => {
    // A WeakRef's target stays alive until the job that made it ends: the answer is dropped in the next one.
    const budget = new WalkBudget('List builds', WALK_LIMITS)
    budget.read(RECLAIM_EVERY_BYTES - 1)
    const answers: object[] = [{ body: 'x'.repeat(1024) }]
    const dropped = new WeakRef(answers[0])
    await new Promise((resolve) => setTimeout(resolve, 0))
    answers.length = 0
    budget.read(1)
    expect(dropped.deref()).toBeUndefined()
  })
})
