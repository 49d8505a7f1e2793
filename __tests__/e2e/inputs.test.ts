// Every bad input fails the built action before any request, with a message naming the input.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync } from 'node:fs'
import { join, sep } from 'node:path'
import { startSandbox, type Sandbox } from '../../sandbox/index.js'
import { makeWorkspace, runAction, visibleLog } from '../../harness/runner.js'
import { connectionInputs } from '../../harness/helpers.js'

let sandbox: Sandbox
let workspace: string

beforeAll(async () => {
  sandbox = await startSandbox()
  workspace = makeWorkspace({ 'app.ipa': 'ipa', 'a.apk': 'a', 'b.apk': 'b', 'empty.ipa': '', 'notes.md': 'n', 'icon.png': 'p' })
  mkdirSync(join(workspace, 'App.dSYM'))
})
afterAll(() => sandbox.close())
beforeEach(() => sandbox.reset())

const cases: [string, Record<string, string>, string][] = [
  [
    'unknown operation',
    { operation: 'release' },
    "Input 'operation': 'release' is not one of upload, get, list, update, delete, attach, prune, publish, unpublish"
  ],
  ['empty token', { token: '' }, "Input 'token': is empty. Pass an App API token or a Service Account token from a secret"],
  ['organization-id without app-id', { 'organization-id': 'org-1' }, "Input 'app-id': is required together with organization-id"],
  ['app-id without organization-id', { 'app-id': 'app-1' }, "Input 'organization-id': is required together with app-id"],
  ['a path in an id', { operation: 'get', 'build-id': '../../apps' }, "Input 'build-id': '../../apps' is not an Applivery id"],
  ['missing build-id', { operation: 'delete' }, "Input 'build-id': is required for operation 'delete'"],
  ['missing file', { file: '' }, "Input 'file': is required for operation 'upload'"],
  ['a file that does not exist', { file: 'missing.ipa' }, "Input 'file': <workspace>/missing.ipa does not exist"],
  ['a directory', { file: 'App.dSYM' }, "Input 'file': <workspace>/App.dSYM is a directory"],
  ['an empty file', { file: 'empty.ipa' }, "Input 'file': <workspace>/empty.ipa is empty"],
  ['a glob matching none', { file: '*.aab' }, "Input 'file': '*.aab' matches no file"],
  ['a glob matching several', { file: '*.apk' }, "Input 'file': '*.apk' matches 2 files"],
  [
    'a boolean that is not true or false',
    { 'notify-collaborators': 'yes' },
    "Input 'notify-collaborators': expected true or false, got 'yes'"
  ],
  ['wait that is not a boolean', { wait: 'always' }, "Input 'wait': expected true or false, got 'always'"],
  [
    'a language Applivery does not know',
    { 'notify-language': 'de' },
    "Input 'notify-language': 'de' is not one of es, en, fr, ge, it, zh, pt, ru (German is 'ge')"
  ],
  ['an unknown build platform', { 'build-platform': 'wii' }, "Input 'build-platform': 'wii' is not one of ios, macos, android"],
  [
    'a build platform without its package fields',
    { 'build-platform': 'ps5' },
    "Input 'package-name': is required with build-platform 'ps5'"
  ],
  ['a negative limit', { operation: 'list', limit: '-5' }, "Input 'limit': expected a whole number of at least 1, got '-5'"],
  ['a page that is not a number', { operation: 'list', page: 'two' }, "Input 'page': expected a whole number of at least 1, got 'two'"],
  ['a bad wait-timeout', { 'wait-timeout': '15 minutes' }, "Input 'wait-timeout': expected seconds or a number with a unit"],
  ['a wait-timeout of 0 seconds', { 'wait-timeout': '0' }, "Input 'wait-timeout': must be longer than zero, got '0'"],
  ['a token with a control character', { token: 'abc\u001bdef' }, "Input 'token': contains white space or a control character"],
  [
    'metadata that is not a JSON object',
    { operation: 'update', 'build-id': 'b1', 'organization-id': 'org-1', 'app-id': 'app-1', metadata: '["a"]' },
    "Input 'metadata': expected a JSON object"
  ],
  [
    'a Workspace-only field with an App token',
    { operation: 'update', 'build-id': 'b1', disabled: 'true' },
    "Input 'disabled': can only be updated through the Workspace API"
  ],
  [
    'an http URL to a remote host',
    { 'api-url': 'http://api.applivery.io' },
    "Input 'api-url': 'http://api.applivery.io' must use https:// (http:// is accepted only for loopback: localhost, 127.0.0.0/8, [::1])"
  ],
  [
    'a URL with credentials',
    { 'upload-url': 'https://user:pw@upload.applivery.io' },
    "Input 'upload-url': must not contain a user name or password"
  ],
  ['a URL with a query', { 'api-url': 'https://api.applivery.io/?x=1' }, "Input 'api-url': must not contain a query (?) or fragment (#)"],
  [
    'changelog and changelog-file together',
    { changelog: 'a', 'changelog-file': 'notes.md' },
    "Input 'changelog-file': cannot be used together with changelog"
  ],
  [
    'an age in minutes (or is it months?)',
    { operation: 'prune', 'older-than': '6m' },
    "Input 'older-than': expected a number with a unit (h, d, w), e.g. 12h, 30d, 2w, got '6m'; for months use weeks, e.g. 26w"
  ],
  ['a dry-run that is not a boolean', { 'dry-run': 'perhaps' }, "Input 'dry-run': expected true or false, got 'perhaps'"],
  [
    'an unknown if-no-files-found',
    { operation: 'attach', 'build-id': 'b1', 'if-no-files-found': 'skip' },
    "Input 'if-no-files-found': 'skip' is not one of error, warn, ignore"
  ]
]

describe('bad input', () => {
  it.each(cases)('%s', async (_name, bad, message) => {
    const defaults = { ...connectionInputs(sandbox), file: 'app.ipa' }
    const run = await runAction({ ...defaults, ...bad }, { workspace })
    expect(run.code).toBe(1)
    expect(visibleLog(run)).toContain(`::error::${message.replace('<workspace>/', workspace + sep)}`)
    expect(visibleLog(run)).not.toContain(sandbox.tokens.app)
    expect(sandbox.requests).toHaveLength(0)
  })
})
