// changelog: auto's parts that cross no HTTP: the cut, subjects, the build the notes start after, and reading git.
import { describe, expect, it } from '@jest/globals'
import type { Build, ListPage, ListQuery } from '../src/applivery/types.js'
import { subjectOf } from '../src/github/commits.js'
import type { RunContext } from '../src/github/run.js'
import { newestEarlierBuild, ofAnotherTag, ofBranch } from '../src/release-notes/base.js'
import { Clone, MAX_SUBJECTS, type RunGit } from '../src/release-notes/clone.js'
import { commitList, cutText, MAX_RELEASE_NOTES_CHARS } from '../src/release-notes/cut.js'

const HEAD = 'c'.repeat(40)

describe('a list of commits', () => {
  it('is every subject, newest first as given, when they fit', () => {
    expect(commitList(['Fix the crash', 'Add **login**'], 2)).toBe('- Fix the crash\n- Add **login**')
    expect(commitList(['', '  Trimmed  '], 2)).toBe('- (no message)\n- Trimmed')
  })

  it('keeps whole lines within the limit and counts the rest, those never read included', () => {
    const subjects = Array.from({ length: 250 }, (_, i) => `Change number ${i} of the release`)
    const text = commitList(subjects, 600)
    const lines = text.split('\n')
    expect(text.length).toBeLessThanOrEqual(MAX_RELEASE_NOTES_CHARS)
    expect(text.length).toBeGreaterThan(MAX_RELEASE_NOTES_CHARS - 40)
    expect(lines.slice(0, -1)).toEqual(subjects.slice(0, lines.length - 1).map((s) => `- ${s}`))
    expect(lines[lines.length - 1]).toBe(`… and ${600 - (lines.length - 1)} more commits`)
  })

  it('says "1 more commit" for one, and leaves the count out when nothing is left out', () => {
    const subjects = ['aaaa', 'b'.repeat(30)]
    expect(commitList(subjects, 2, 39)).toBe(`- aaaa\n- ${'b'.repeat(30)}`)
    expect(commitList(subjects, 2, 38)).toBe('- aaaa\n… and 1 more commit')
    expect(commitList(subjects, 3, 38)).toBe('- aaaa\n… and 2 more commits')
  })

  it('cuts a first subject longer than the notes, the only line ever cut', () => {
    const text = commitList(['x'.repeat(5000), 'next'], 2)
    expect(text.length).toBeLessThanOrEqual(MAX_RELEASE_NOTES_CHARS)
    expect(text).toMatch(/^- x+…\n… and 1 more commit$/)
    expect(commitList(['😀'.repeat(20)], 1, 12)).toBe(`- ${'😀'.repeat(4)}…`)
  })
})

describe('text cut to the limit', () => {
  it('is left alone when it fits, line endings made \\n', () => {
    expect(cutText('Title\r\n\r\nBody', 'cut')).toBe('Title\n\nBody')
  })

  it('is cut after the last whole line that fits, with a line that says so', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `Line ${i} of the description`)
    const text = cutText(lines.join('\n'), 'cut at 4,000 characters')
    expect(text.length).toBeLessThanOrEqual(MAX_RELEASE_NOTES_CHARS)
    const [kept, note] = text.split('\n\n… ')
    expect(note).toBe('(cut at 4,000 characters)')
    expect(lines.join('\n').startsWith(`${kept}\n`)).toBe(true)
    expect(kept.length).toBeGreaterThan(MAX_RELEASE_NOTES_CHARS - 100)
  })

  it('closes a code block the cut leaves open, with its own fence', () => {
    const text = cutText(`Intro\n~~~sh\n${'echo step\n'.repeat(600)}~~~\nAfter`, 'cut')
    expect(text.length).toBeLessThanOrEqual(MAX_RELEASE_NOTES_CHARS)
    expect(text.endsWith('echo step\n~~~\n\n… (cut)')).toBe(true)
    expect(cutText(`\`\`\`\ncode\n\`\`\`\n${'word '.repeat(1000)}`, 'cut')).not.toMatch(/```\n\n…/)
  })

  it('cuts a paragraph longer than half the notes between words', () => {
    const text = cutText(`Title\n\n${'word '.repeat(2000)}`, 'cut')
    expect(text.length).toBeLessThanOrEqual(MAX_RELEASE_NOTES_CHARS)
    expect(text).toMatch(/^Title\n\n(word )+word\n\n… \(cut\)$/)
    expect(text.length).toBeGreaterThan(MAX_RELEASE_NOTES_CHARS - 20)
  })
})

describe("a commit's subject", () => {
  it("is its first paragraph on one line, as git's %s gives it", () => {
    expect(subjectOf('Fix the crash\r\nin login\r\n\r\nBecause of a race.')).toBe('Fix the crash in login')
    expect(subjectOf('\n\n  Only line  \n')).toBe('Only line')
  })
})

const RUN: RunContext = {
  eventName: 'push',
  sha: HEAD,
  ref: 'refs/heads/main',
  payload: {},
  serverUrl: 'https://github.com',
  runId: 77,
  runNumber: 5,
  repository: 'acme/app'
}

function build(id: string, info: Record<string, string>, status = 'processed'): Build {
  return { id, status, deployer: { name: 'GitHub Actions', info } }
}

/** Builds in pages of `size`, newest first, and the pages asked for. */
function pages(builds: Build[], size: number): { listPage: (query: ListQuery) => Promise<ListPage>; asked: number[] } {
  const asked: number[] = []
  return {
    asked,
    listPage: async ({ page = 1 }) => {
      asked.push(page)
      return { items: builds.slice((page - 1) * size, page * size) } as ListPage
    }
  }
}

describe('the build the notes start after', () => {
  it('is the newest of the branch with a commit, not of this run, this commit, the build updated, nor failed', async () => {
    const api = pages(
      [
        build('other-branch', { branch: 'develop', commit: 'd'.repeat(40) }),
        build('this-run', { branch: 'main', commit: 'e'.repeat(40), buildUrl: 'https://github.com/acme/app/actions/runs/77/attempts/1' }),
        build('this-commit', { branch: 'main', commit: HEAD.slice(0, 10) }),
        build('updated', { branch: 'main', commit: 'f'.repeat(40) }),
        build('failed', { branch: 'main', commit: '1'.repeat(40) }, 'error'),
        build('no-commit', { branch: 'main', commit: 'not a commit' }),
        build('option', { branch: 'main', commit: '--output=/tmp/x' }),
        build('base', { branch: ' main ', commit: '2'.repeat(40), buildUrl: 'https://github.com/acme/app/actions/runs/76' }),
        build('older', { branch: 'main', commit: '3'.repeat(40) })
      ],
      3
    )
    const found = await newestEarlierBuild(api, { run: RUN, buildId: 'updated' }, ofBranch('main'))
    expect(found?.id).toBe('base')
    expect(api.asked).toEqual([1, 2, 3])
  })

  it('for a tag, is the newest build of another tag', async () => {
    const api = pages(
      [
        build('same', { tag: 'v2', commit: 'a'.repeat(40) }),
        build('untagged', { commit: 'b'.repeat(40) }),
        build('v1', { tag: 'v1', commit: '1'.repeat(40) })
      ],
      10
    )
    expect((await newestEarlierBuild(api, { run: RUN }, ofAnotherTag('v2')))?.id).toBe('v1')
  })

  it('is looked for among the newest 1,000 builds only, and stops at an empty page', async () => {
    const many = Array.from({ length: 1500 }, (_, i) => build(`b${i}`, { branch: 'develop', commit: '4'.repeat(40) }))
    const api = pages([...many, build('too-old', { branch: 'main', commit: '5'.repeat(40) })], 100)
    expect(await newestEarlierBuild(api, { run: RUN }, ofBranch('main'))).toBeUndefined()
    expect(api.asked).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    const few = pages([build('x', { branch: 'develop', commit: '4'.repeat(40) })], 100)
    expect(await newestEarlierBuild(few, { run: RUN }, ofBranch('main'))).toBeUndefined()
    expect(few.asked).toEqual([1, 2])
  })
})

describe('the checkout', () => {
  /** git as a table of answers: the arguments joined by spaces, to what git prints. */
  function fakeGit(answers: Record<string, { code?: number; stdout?: string; stderr?: string }>): { git: RunGit; calls: string[] } {
    const calls: string[] = []
    return {
      calls,
      git: async (_dir, args) => {
        calls.push(args.join(' '))
        const answer = answers[args.join(' ')] ?? { code: 128, stderr: `fatal: unexpected ${args.join(' ')}` }
        return { code: answer.code ?? 0, stdout: answer.stdout ?? '', stderr: answer.stderr ?? '' }
      }
    }
  }
  const BASE = 'b'.repeat(40)

  it('lists the subjects with git log, at most enough to fill the notes, and counts them all', async () => {
    const { git, calls } = fakeGit({
      'rev-parse --is-shallow-repository': { stdout: 'false\n' },
      [`cat-file -e ${BASE}^{commit}`]: {},
      [`cat-file -e ${HEAD}^{commit}`]: {},
      [`rev-list --count ${BASE}..${HEAD}`]: { stdout: '1200\n' },
      [`log --no-color --format=%s --max-count=${MAX_SUBJECTS} ${BASE}..${HEAD}`]: { stdout: 'Newest\nOlder\n' }
    })
    expect(await new Clone('/w', git).commitsBetween(BASE, HEAD)).toEqual({ range: { subjects: ['Newest', 'Older'], total: 1200 } })
    expect(calls).not.toContain(`merge-base --is-ancestor ${BASE} ${HEAD}`)
  })

  it('says why it cannot: not a checkout, a commit missing from a shallow clone, a history that does not join', async () => {
    const notRepo = fakeGit({ 'rev-parse --is-shallow-repository': { code: 128, stderr: 'fatal: not a git repository\n' } })
    expect(await new Clone('/w', notRepo.git).commitsBetween(BASE, HEAD)).toEqual({
      why: 'the workspace is not a git checkout (fatal: not a git repository)'
    })
    const shallow = fakeGit({ 'rev-parse --is-shallow-repository': { stdout: 'true\n' }, [`cat-file -e ${HEAD}^{commit}`]: {} })
    expect(await new Clone('/w', shallow.git).commitsBetween(BASE, HEAD)).toEqual({
      why: `the checkout does not have commit ${BASE.slice(0, 12)} (a shallow clone: actions/checkout with fetch-depth: 0 fetches the history)`
    })
    const cut = fakeGit({
      'rev-parse --is-shallow-repository': { stdout: 'true\n' },
      [`cat-file -e ${BASE}^{commit}`]: {},
      [`cat-file -e ${HEAD}^{commit}`]: {},
      [`merge-base --is-ancestor ${BASE} ${HEAD}`]: { code: 1 }
    })
    expect(await new Clone('/w', cut.git).commitsBetween(BASE, HEAD)).toMatchObject({ why: expect.stringContaining('does not join') })
    const missing: RunGit = async () => Promise.reject(new Error('git is not installed on the runner'))
    expect(await new Clone('/w', missing).commitsBetween(BASE, HEAD)).toEqual({ why: 'git is not installed on the runner' })
  })

  it('never passes git a commit id that is not one', async () => {
    const { git, calls } = fakeGit({})
    expect(await new Clone('/w', git).commitsBetween('--output=/tmp/x', HEAD)).toEqual({ why: 'the commits are not named by their ids' })
    expect(await new Clone('/w', git).previousTag('-p')).toBeUndefined()
    expect(await new Clone('/w', git).message('HEAD~1')).toBeUndefined()
    expect(calls).toEqual([])
  })
})
