import { describe, expect, it, beforeAll, afterAll } from '@jest/globals'
import { mkdtempSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseDuration, parseGroups, splitList, parseServiceUrl, envInputs } from '../src/settings/inputs.js'
import * as tinyglobby from 'tinyglobby'
import type { RunContext } from '../src/github/run.js'
import { PUSH_RUN } from '../__fixtures__/run.js'
import { parseSettings, type Settings } from '../src/settings/index.js'

let dir: string
const warnings: string[] = []

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'settings-'))
  writeFileSync(join(dir, 'app.ipa'), 'ipa')
  writeFileSync(join(dir, 'app-release.apk'), 'apk')
  writeFileSync(join(dir, 'app-debug.apk'), 'apk')
  writeFileSync(join(dir, 'empty.ipa'), '')
  writeFileSync(join(dir, 'icon.png'), 'png')
  writeFileSync(join(dir, 'notes.md'), '  Fixed the login crash\n')
  mkdirSync(join(dir, 'App.dSYM'))
  mkdirSync(join(dir, 'symbols'))
  writeFileSync(join(dir, 'symbols', 'a.dSYM.zip'), 'a')
  writeFileSync(join(dir, 'symbols', 'b.dSYM.zip'), 'b')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function parse(inputs: Record<string, string>, run: RunContext = PUSH_RUN): Settings {
  return parseSettings((name) => (inputs[name] ?? '').trim(), { cwd: dir, warn: (m) => warnings.push(m), globber: tinyglobby, run })
}

function error(inputs: Record<string, string>): string {
  try {
    parse(inputs)
  } catch (err) {
    return (err as Error).message
  }
  throw new Error('expected an input error')
}

const token = 'secret-token'

describe('connection', () => {
  it('uses the Integrations API without organization-id and app-id, with default hosts', () => {
    const s = parse({ token, operation: 'get', 'build-id': 'b1' })
    expect(s.connection.scope).toEqual({ kind: 'integrations' })
    expect(s.connection.apiUrl.href).toBe('https://api.applivery.io/')
    expect(s.connection.uploadUrl.href).toBe('https://upload.applivery.io/')
  })

  it('uses the Workspace API with both ids', () => {
    const s = parse({ token, operation: 'get', 'build-id': 'b1', 'organization-id': 'org-1', 'app-id': 'app_1' })
    expect(s.connection.scope).toEqual({ kind: 'workspace', organizationId: 'org-1', appId: 'app_1' })
  })

  it('rejects one id alone, naming the missing one', () => {
    expect(error({ token, operation: 'get', 'build-id': 'b', 'organization-id': 'o' })).toMatch(
      /^Input 'app-id': is required together with organization-id/
    )
    expect(error({ token, operation: 'get', 'build-id': 'b', 'app-id': 'a' })).toMatch(/^Input 'organization-id':/)
  })

  it('explains an empty token', () => {
    expect(error({ operation: 'get', 'build-id': 'b' })).toMatch(/Input 'token': is empty.*forks receive no secrets/)
  })

  it('rejects ids that could change the path', () => {
    expect(error({ token, operation: 'get', 'build-id': '../apps' })).toMatch(/Input 'build-id': '..\/apps' is not an Applivery id/)
    expect(error({ token, operation: 'get', 'build-id': 'b', 'organization-id': 'a/b', 'app-id': 'c' })).toMatch(/Input 'organization-id'/)
  })

  it('accepts https and loopback http URLs only', () => {
    expect(parseServiceUrl('api-url', 'http://127.0.0.1:8080').port).toBe('8080')
    expect(parseServiceUrl('api-url', 'http://localhost:1').hostname).toBe('localhost')
    expect(parseServiceUrl('api-url', 'http://[::1]:1').hostname).toBe('[::1]')
    expect(() => parseServiceUrl('api-url', 'http://api.applivery.io')).toThrow(/Input 'api-url': .* must use https/)
    expect(() => parseServiceUrl('upload-url', 'https://u:p@x.io')).toThrow(/Input 'upload-url': must not contain a user name/)
    expect(() => parseServiceUrl('api-url', 'https://x.io/?a=1')).toThrow(/query/)
    expect(() => parseServiceUrl('api-url', 'not a url')).toThrow(/Input 'api-url': 'not a url' is not a URL/)
  })
})

describe('operation', () => {
  it('defaults to upload and rejects unknown operations', () => {
    expect(parse({ token, file: 'app.ipa' }).operation).toBe('upload')
    expect(error({ token, operation: 'release' })).toBe(
      "Input 'operation': 'release' is not one of upload, get, list, update, delete, attach, prune, publish, unpublish"
    )
  })

  it('requires build-id where a build is acted on', () => {
    for (const operation of ['get', 'update', 'delete', 'attach']) {
      expect(error({ token, operation, file: 'app.ipa', tags: 'x' })).toBe(`Input 'build-id': is required for operation '${operation}'`)
    }
  })
})

describe('upload', () => {
  it('maps every input', () => {
    const s = parse({
      token,
      file: 'a*.ipa',
      'version-name': 'v1',
      tags: 'a, b\nc,,',
      changelog: 'notes',
      'notify-collaborators': 'true',
      'notify-employees': 'FALSE',
      'notify-message': 'hi',
      'notify-language': 'ge',
      'notify-groups': 'qa, beta\nleads|ops',
      'build-platform': 'ps5',
      'package-name': 'com.x',
      'package-version': '1.0',
      'package-icon': 'icon.png',
      wait: 'true',
      'wait-timeout': '90s'
    })
    if (s.operation !== 'upload') throw new Error('not upload')
    expect(s.upload.file).toEqual({
      path: realpathSync.native(join(dir, 'app.ipa')),
      name: 'app.ipa',
      size: 3,
      mtimeMs: expect.any(Number),
      ino: expect.any(Number),
      dev: expect.any(Number)
    })
    expect(s.upload.tags).toEqual(['a', 'b', 'c'])
    expect(s.upload.notify).toEqual({
      collaborators: true,
      employees: false,
      message: 'hi',
      language: 'ge',
      groups: [['qa', 'beta'], ['leads'], ['ops']]
    })
    expect(s.upload.package.buildPlatform).toBe('ps5')
    expect(s.upload.package.packageIcon?.name).toBe('icon.png')
    expect(s.upload.deployerName).toBe('GitHub Actions')
    expect(s.wait).toEqual({ enabled: true, timeoutMs: 90_000 })
  })

  it('leaves unset inputs unset', () => {
    const s = parse({ token, file: 'app.ipa' })
    if (s.operation !== 'upload') throw new Error('not upload')
    expect(s.upload.notify).toEqual({})
    expect(s.upload.tags).toBeUndefined()
    expect(s.upload.versionName).toBeUndefined()
  })

  it('names the input for every bad value', () => {
    expect(error({ token })).toMatch(/^Input 'file': is required/)
    expect(error({ token, file: 'missing.ipa' })).toMatch(/^Input 'file': .*missing.ipa does not exist/)
    expect(error({ token, file: '*.aab' })).toBe("Input 'file': '*.aab' matches no file")
    expect(error({ token, file: '*.apk' })).toMatch(/^Input 'file': '\*\.apk' matches 2 files .* it must match exactly one/)
    expect(error({ token, file: 'App.dSYM' })).toMatch(/^Input 'file': .* is a directory/)
    expect(error({ token, file: 'empty.ipa' })).toMatch(/^Input 'file': .* is empty/)
    expect(error({ token, file: 'app.ipa', 'notify-employees': 'yes' })).toBe("Input 'notify-employees': expected true or false, got 'yes'")
    expect(error({ token, file: 'app.ipa', 'notify-language': 'de' })).toMatch(
      /^Input 'notify-language': 'de' is not one of .*German is 'ge'/
    )
    expect(error({ token, file: 'app.ipa', 'build-platform': 'wii' })).toMatch(/^Input 'build-platform': 'wii' is not one of ios, macos/)
    expect(error({ token, file: 'app.ipa', 'build-platform': 'ps5', 'package-name': 'x' })).toBe(
      "Input 'package-version': is required with build-platform 'ps5' (set package-version, package-icon)"
    )
    expect(error({ token, file: 'app.ipa', 'package-icon': 'notes.md' })).toMatch(/^Input 'package-icon': notes.md must be a .png/)
    expect(error({ token, file: 'app.ipa', 'wait-timeout': '10 minutes' })).toMatch(/^Input 'wait-timeout': expected seconds or/)
    expect(error({ token, file: 'app.ipa', changelog: 'a', 'changelog-file': 'notes.md' })).toMatch(
      /^Input 'changelog-file': cannot be used together/
    )
  })

  it('reads changelog-file', () => {
    const s = parse({ token, file: 'app.ipa', 'changelog-file': 'notes.md' })
    if (s.operation !== 'upload') throw new Error('not upload')
    expect(s.upload.changelog).toEqual({ text: 'Fixed the login crash' })
  })

  it("takes changelog: auto, to be made from the run when the step runs, and 'upload' or 'reuse' on a re-run", () => {
    const s = parse({ token, file: 'app.ipa', changelog: 'auto', 'on-rerun': 'upload' })
    if (s.operation !== 'upload') throw new Error('not upload')
    expect(s.upload).toMatchObject({ changelog: 'auto', onRerun: 'upload' })
    expect(() => parse({ token, file: 'app.ipa', 'on-rerun': 'skip' })).toThrow("Input 'on-rerun': 'skip' is not one of reuse, upload")
    expect(() => parse({ token, operation: 'get', 'build-id': 'b', force: 'true' })).toThrow(
      "Input 'force': is for operation 'delete', not 'get'"
    )
  })
})

describe('github-token for changelog: auto', () => {
  it("asks GitHub's compare API with it, on upload and on update; without it, or unevaluated, it is not asked", () => {
    const run = { ...PUSH_RUN, apiUrl: 'https://ghe.example.com/api/v3' }
    const upload = parseSettings((name) => ({ token, file: 'app.ipa', changelog: 'auto', 'github-token': 'ghs_abc' })[name] ?? '', {
      cwd: dir,
      warn: () => {},
      globber: tinyglobby,
      run
    })
    expect(upload.commitHistory).toEqual({ githubToken: 'ghs_abc', apiUrl: 'https://ghe.example.com/api/v3' })
    const update = parse({ token, operation: 'update', 'build-id': 'b1', changelog: 'auto', 'github-token': 'ghs_abc' })
    expect(update.commitHistory).toEqual({ githubToken: 'ghs_abc', apiUrl: 'https://api.github.com' })
    expect(parse({ token, file: 'app.ipa', changelog: 'auto' }).commitHistory).toBeUndefined()
    expect(parse({ token, file: 'app.ipa', changelog: 'auto', 'github-token': '${{ github.token }}' }).commitHistory).toBeUndefined()
    expect(parse({ token, file: 'app.ipa', changelog: 'Notes', 'github-token': 'ghs_abc' }).commitHistory).toBeUndefined()
  })

  it('refuses a token with a line break, as for pr-comment', () => {
    expect(error({ token, file: 'app.ipa', changelog: 'auto', 'github-token': 'ghs_abc\nx' })).toBe(
      "Input 'github-token': contains white space or a control character; check the secret for a stray line break"
    )
  })
})

describe('update', () => {
  it('keeps Workspace-only inputs for the Workspace API', () => {
    const s = parse({
      token,
      operation: 'update',
      'build-id': 'b',
      'organization-id': 'o',
      'app-id': 'a',
      metadata: '{"team":"mobile"}',
      disabled: 'true',
      'pre-install-script': 'echo pre',
      'script-runner': 'bash'
    })
    if (s.operation !== 'update') throw new Error('not update')
    expect(s.update).toEqual({
      fields: { metadata: { team: 'mobile' }, disabled: true, defaultScripts: { preInstall: 'echo pre', runner: 'bash' } },
      autoChangelog: false
    })
  })

  it('rejects Workspace-only inputs with an App token, and empty updates', () => {
    expect(error({ token, operation: 'update', 'build-id': 'b', disabled: 'true' })).toMatch(
      /^Input 'disabled': can only be updated through the Workspace API/
    )
    expect(error({ token, operation: 'update', 'build-id': 'b' })).toMatch(/^Input 'operation': 'update' has nothing to change/)
    expect(error({ token, operation: 'update', 'build-id': 'b', 'organization-id': 'o', 'app-id': 'a', metadata: '[1]' })).toMatch(
      /^Input 'metadata': expected a JSON object/
    )
    expect(error({ token, operation: 'update', 'build-id': 'b', 'organization-id': 'o', 'app-id': 'a', metadata: '{x' })).toMatch(
      /^Input 'metadata': is not valid JSON/
    )
  })
})

describe('list and attach', () => {
  it('parses list filters and paging', () => {
    const s = parse({ token, operation: 'list', status: 'processed', os: 'ios', limit: '1000', page: '2' })
    if (s.operation !== 'list') throw new Error('not list')
    expect(s.list).toEqual({ status: 'processed', os: 'ios', versionName: undefined, limit: 1000, page: 2 })
    expect(error({ token, operation: 'list', limit: '-1' })).toBe("Input 'limit': expected a whole number of at least 1, got '-1'")
    expect(error({ token, operation: 'list', page: 'two' })).toMatch(/^Input 'page':/)
    expect(error({ token, operation: 'list', status: 'done' })).toMatch(/^Input 'status':/)
    expect(error({ token, operation: 'list', os: 'windows' })).toMatch(/^Input 'os':/)
  })

  it('expands attach globs line by line and applies if-no-files-found', () => {
    const s = parse({ token, operation: 'attach', 'build-id': 'b', file: 'symbols/*.zip\nnotes.md', description: 'dSYM' })
    if (s.operation !== 'attach') throw new Error('not attach')
    expect(s.attach.files.map((f) => f.name)).toEqual(['a.dSYM.zip', 'b.dSYM.zip', 'notes.md'])
    expect(error({ token, operation: 'attach', 'build-id': 'b', file: '**/*.txt' })).toMatch(
      /^Input 'file': '\*\*\/\*\.txt' matches no file/
    )
    const warned = parse({ token, operation: 'attach', 'build-id': 'b', file: '**/*.txt\nnotes.md', 'if-no-files-found': 'warn' })
    if (warned.operation !== 'attach') throw new Error('not attach')
    expect(warned.attach.files).toHaveLength(1)
    expect(warnings.at(-1)).toMatch(/matches no file/)
    expect(error({ token, operation: 'attach', 'build-id': 'b', file: 'x', 'if-no-files-found': 'fail' })).toMatch(
      /^Input 'if-no-files-found'/
    )
  })
})

describe('prune and dry run', () => {
  it('parses keep, older-than, filters and dry-run', () => {
    const s = parse({ token, operation: 'prune', keep: '0', 'older-than': '2w', tags: 'nightly', status: 'error', 'dry-run': 'true' })
    if (s.operation !== 'prune') throw new Error('not prune')
    expect(s.prune).toEqual({
      keep: 0,
      olderThanMs: 14 * 86_400_000,
      filters: { status: 'error', os: undefined, versionName: undefined, tags: ['nightly'] }
    })
    expect(s.dryRun).toBe(true)
    expect(parse({ token, file: 'app.ipa' }).dryRun).toBe(false)
  })

  it('rejects prune without rules, unit-less ages and unfinished statuses', () => {
    expect(error({ token, operation: 'prune' })).toMatch(/^Input 'keep': or older-than is required/)
    expect(error({ token, operation: 'prune', 'older-than': '30' })).toMatch(/^Input 'older-than': expected a number with a unit/)
    expect(error({ token, operation: 'prune', keep: '-1' })).toMatch(/^Input 'keep': expected a whole number \(0 or more\)/)
    expect(error({ token, operation: 'prune', keep: '1', status: 'in_progress' })).toMatch(/^Input 'status'/)
    expect(error({ token, file: 'app.ipa', 'dry-run': 'maybe' })).toBe("Input 'dry-run': expected true or false, got 'maybe'")
  })
})

describe('readers', () => {
  it('reads INPUT_ variables the way the runner names them', () => {
    const read = envInputs({ 'INPUT_BUILD-ID': ' b1 ', INPUT_WAIT_TIMEOUT: 'x' })
    expect(read('build-id')).toBe('b1')
    expect(read('wait timeout')).toBe('x')
    expect(read('app-id')).toBe('')
  })

  it('parses durations, lists and groups', () => {
    const wait = { secondsWithoutUnit: true, units: 'smh', example: '15m' }
    const age = { secondsWithoutUnit: false, units: 'hdw', example: '30d', hint: 'for months use weeks, e.g. 26w' }
    expect(parseDuration('wait-timeout', '90', wait)).toBe(90_000)
    expect(parseDuration('wait-timeout', '1h30m', wait)).toBe(5_400_000)
    expect(parseDuration('older-than', '2w', age)).toBe(1_209_600_000)
    expect(parseDuration('older-than', '1w3d', age)).toBe(864_000_000)
    expect(() => parseDuration('older-than', '30', age)).toThrow(/Input 'older-than'/)
    expect(() => parseDuration('older-than', '6m', age)).toThrow(
      "Input 'older-than': expected a number with a unit (h, d, w), e.g. 30d, got '6m'; for months use weeks, e.g. 26w"
    )
    expect(() => parseDuration('wait-timeout', '0s', wait)).toThrow(/longer than zero/)
    expect(splitList(' a ,\n b,, ')).toEqual(['a', 'b'])
    expect(parseGroups('a,b|c\n\n d ')).toEqual([['a', 'b'], ['c'], ['d']])
  })
})
