// The release script's tag logic, on a throwaway repository with a remote of its own.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { changelogSection, check, moveMajor, parseTag } from '../scripts/release.js'
import { ROOT } from '../harness/runner.js'

let dir: string
let repo: string
let remote: string
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim()
const commit = (message: string): string => {
  writeFileSync(join(repo, 'file.txt'), message)
  git(repo, 'add', 'file.txt')
  git(repo, 'commit', '-q', '-m', message)
  return git(repo, 'rev-parse', 'HEAD')
}
const tag = (name: string) => git(repo, 'tag', name)
const pointsAt = (cwd: string, name: string) => git(cwd, 'rev-parse', `${name}^{commit}`)

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
  it('reads vMAJOR.MINOR.PATCH and pre-releases, and refuses anything else', () => {
    expect(parseTag('v1.2.3')).toEqual({ tag: 'v1.2.3', version: '1.2.3', major: 1, minor: 2, patch: 3, prerelease: undefined })
    expect(parseTag('v2.0.0-rc.1')).toMatchObject({ major: 2, prerelease: 'rc.1' })
    for (const bad of ['1.2.3', 'v1', 'v1.2', 'v01.2.3', 'v1.2.3.4', 'release-1.2.3']) {
      expect(() => parseTag(bad)).toThrow(`'${bad}' is not a release tag`)
    }
  })
})

describe('the major tag', () => {
  it('follows each newest release of its major version, never goes back, and ignores pre-releases', () => {
    const first = commit('one')
    tag('v1.0.0')
    expect(moveMajor('v1.0.0', { cwd: repo, push: true })).toMatch(/^v1 now points at v1\.0\.0 .*, pushed$/)
    expect(pointsAt(remote, 'v1')).toBe(first)

    const second = commit('two')
    tag('v1.1.0')
    moveMajor('v1.1.0', { cwd: repo, push: true })
    expect(pointsAt(remote, 'v1')).toBe(second)

    // A fix for the older minor version, released after 1.1.0: @v1 stays on 1.1.0.
    git(repo, 'checkout', '-q', first)
    commit('fix for 1.0')
    tag('v1.0.1')
    expect(moveMajor('v1.0.1', { cwd: repo, push: true })).toBe('v1.1.0 is newer: v1 stays where it is')
    expect(pointsAt(remote, 'v1')).toBe(second)

    git(repo, 'checkout', '-q', second)
    const third = commit('three')
    tag('v2.0.0-rc.1')
    expect(moveMajor('v2.0.0-rc.1', { cwd: repo, push: true })).toBe('v2.0.0-rc.1 is a pre-release: v2 stays where it is')
    expect(() => pointsAt(remote, 'v2')).toThrow()
    tag('v2.0.0')
    moveMajor('v2.0.0', { cwd: repo, push: true })
    expect(pointsAt(remote, 'v2')).toBe(third)
    expect(pointsAt(remote, 'v1')).toBe(second)
  })

  it('refuses a tag that does not exist', () => {
    expect(() => moveMajor('v9.9.9', { cwd: repo })).toThrow()
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
