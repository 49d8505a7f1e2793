// The release scripts: the read-only checks (scripts/release.ts), and the write job's tag logic
// (scripts/publish-release.mjs, run as the workflow runs it) on a throwaway repository with a remote of its own.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { changelogSection, check, parseTag } from '../scripts/release.js'
import { ROOT } from '../harness/runner.js'

let dir: string
let repo: string
let remote: string
// stderr is captured, so an expected failure says nothing on the terminal.
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
const commit = (message: string): string => {
  writeFileSync(join(repo, 'file.txt'), message)
  git(repo, 'add', 'file.txt')
  git(repo, 'commit', '-q', '-m', message)
  return git(repo, 'rev-parse', 'HEAD')
}
/** An annotated release tag on the current commit, pushed as a maintainer does. */
const tag = (name: string) => {
  git(repo, 'tag', '--annotate', name, '--message', name)
  git(repo, 'push', '-q', 'origin', `refs/tags/${name}`)
}
const pointsAt = (cwd: string, name: string) => git(cwd, 'rev-parse', `${name}^{commit}`)

/** scripts/publish-release.mjs in the repository, as the write job runs it: its output, or its error. */
const publish = (...args: string[]): { ok: boolean; output: string } => {
  try {
    const output = execFileSync(process.execPath, [join(ROOT, 'scripts', 'publish-release.mjs'), ...args], {
      cwd: repo,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GH_TOKEN: '' }
    })
    return { ok: true, output: output.trim() }
  } catch (err) {
    return { ok: false, output: String((err as { stderr?: string }).stderr).trim() }
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'release-test-'))
  repo = join(dir, 'repo')
  remote = join(dir, 'remote.git')
  git(dir, 'init', '-q', '--bare', remote)
  git(dir, 'init', '-q', repo)
  git(repo, 'remote', 'add', 'origin', remote)
  git(repo, 'config', 'user.name', 'Release test')
  git(repo, 'config', 'user.email', 'release-test@example.com')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('tags', () => {
  it('reads vMAJOR.MINOR.PATCH and pre-releases, and refuses anything else, in both scripts', () => {
    expect(parseTag('v1.2.3')).toEqual({ tag: 'v1.2.3', version: '1.2.3', major: 1, minor: 2, patch: 3, prerelease: undefined })
    expect(parseTag('v2.0.0-rc.1')).toMatchObject({ major: 2, prerelease: 'rc.1' })
    for (const bad of ['1.2.3', 'v1', 'v1.2', 'v01.2.3', 'v1.2.3.4', 'release-1.2.3']) {
      expect(() => parseTag(bad)).toThrow(`'${bad}' is not a release tag`)
      expect(publish('move-major', bad, '0'.repeat(40))).toEqual({
        ok: false,
        output: expect.stringContaining(`'${bad}' is not a release tag`)
      })
    }
  })

  it('are given to the write job with the full commit SHA', () => {
    expect(publish('move-major', 'v1.0.0', 'HEAD')).toEqual({ ok: false, output: expect.stringMatching(/^usage: /) })
    expect(publish('publish', 'v1.0.0', '0'.repeat(40))).toEqual({ ok: false, output: expect.stringMatching(/^usage: /) })
  })
})

describe('the major tag', () => {
  it('follows each newest release of its major version, never goes back, and ignores pre-releases', () => {
    const first = commit('one')
    tag('v1.0.0')
    expect(publish('move-major', 'v1.0.0', first).output).toMatch(/^v1 now points at v1\.0\.0 \([0-9a-f]{12}\)$/)
    expect(pointsAt(remote, 'v1')).toBe(first)
    expect(publish('move-major', 'v1.0.0', first).output).toBe('v1 already points at v1.0.0')

    const second = commit('two')
    tag('v1.1.0')
    expect(publish('move-major', 'v1.1.0', second).ok).toBe(true)
    expect(pointsAt(remote, 'v1')).toBe(second)

    // A fix for the older minor version, released after 1.1.0: @v1 stays on 1.1.0.
    git(repo, 'checkout', '-q', first)
    const fix = commit('fix for 1.0')
    tag('v1.0.1')
    expect(publish('move-major', 'v1.0.1', fix)).toEqual({ ok: true, output: 'v1.1.0 is newer: v1 stays where it is' })
    expect(pointsAt(remote, 'v1')).toBe(second)

    git(repo, 'checkout', '-q', second)
    const third = commit('three')
    tag('v2.0.0-rc.1')
    expect(publish('move-major', 'v2.0.0-rc.1', third).output).toBe('v2.0.0-rc.1 is a pre-release: v2 stays where it is')
    expect(() => pointsAt(remote, 'v2')).toThrow()
    tag('v2.0.0')
    expect(publish('move-major', 'v2.0.0', third).ok).toBe(true)
    expect(pointsAt(remote, 'v2')).toBe(third)
    expect(pointsAt(remote, 'v1')).toBe(second)
  })

  it('refuses a tag that does not exist on the remote', () => {
    const head = git(repo, 'rev-parse', 'HEAD')
    git(repo, 'tag', 'v9.9.9')
    expect(publish('move-major', 'v9.9.9', head)).toEqual({ ok: false, output: 'v9.9.9 is not a tag on origin' })
    expect(publish('check-tag', 'v9.9.9', head)).toEqual({ ok: false, output: 'v9.9.9 is not a tag on origin' })
  })

  it('is not overwritten when another release moved it since it was read: the decision is made again', () => {
    git(repo, 'checkout', '-q', git(repo, 'rev-parse', 'v2.0.0^{commit}'))
    const older = commit('four')
    tag('v2.1.0')
    const newer = commit('five')
    git(repo, 'push', '-q', 'origin', `${newer}:refs/heads/newer`)
    // Between the script's reading of the remote and its push (when it tags v2 locally), a release of v2.2.0
    // lands and moves v2.
    const hook = join(repo, '.git', 'hooks', 'reference-transaction')
    const path = (file: string) => file.replace(/\\/g, '/')
    writeFileSync(
      hook,
      [
        '#!/bin/sh',
        `[ "$1" = committed ] && [ ! -e "${path(join(dir, 'raced'))}" ] || exit 0`,
        `touch "${path(join(dir, 'raced'))}"`,
        `git --git-dir="${path(remote)}" update-ref refs/tags/v2.2.0 ${newer}`,
        `git --git-dir="${path(remote)}" update-ref refs/tags/v2 ${newer}`,
        ''
      ].join('\n'),
      { mode: 0o755 }
    )
    try {
      expect(publish('move-major', 'v2.1.0', older)).toEqual({ ok: true, output: 'v2.2.0 is newer: v2 stays where it is' })
      expect(pointsAt(remote, 'v2')).toBe(newer)
    } finally {
      rmSync(hook)
    }
  })
})

describe('the tag before anything is written', () => {
  it('still names the commit that was checked, or nothing is released', () => {
    const checked = git(repo, 'rev-parse', 'v2.1.0^{commit}')
    expect(publish('check-tag', 'v2.1.0', checked)).toEqual({ ok: true, output: `v2.1.0 names ${checked}, the commit that was checked` })
    // The tag moved on the remote during the run.
    const other = commit('six')
    git(repo, 'tag', '--force', '--annotate', 'v2.1.0', '--message', 'moved', other)
    git(repo, 'push', '-q', '--force', 'origin', 'refs/tags/v2.1.0')
    const refused = `v2.1.0 now names ${other}, not ${checked}, the commit that was checked: nothing is released`
    expect(publish('check-tag', 'v2.1.0', checked)).toEqual({ ok: false, output: refused })
    expect(publish('move-major', 'v2.1.0', checked)).toEqual({ ok: false, output: refused })
  })
})

describe('release notes', () => {
  const changelog = ['# Changelog', '', '## 1.1.0 (2026-12-01)', '', '- Publications.', '', '## [1.0.0]', '- First.', '## 0.9.0', ''].join(
    '\n'
  )

  it("are the version's section of the changelog", () => {
    expect(changelogSection(changelog, '1.1.0')).toBe('- Publications.')
    expect(changelogSection(changelog, '1.0.0')).toBe('- First.')
    expect(() => changelogSection(changelog, '1.2.0')).toThrow("CHANGELOG.md has no section '## 1.2.0'")
    expect(() => changelogSection(changelog, '0.9.0')).toThrow("CHANGELOG.md's section '## 0.9.0' is empty")
  })

  it("exist for this project's own version, which the tag must name", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
    expect(check(`v${version}`, ROOT).version).toBe(version)
    expect(() => check('v99.0.0', ROOT)).toThrow(`package.json says version ${version}, the tag says 99.0.0`)
  })
})
