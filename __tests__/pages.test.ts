// Install pages without a server: slugs, the inputs that shape a page, the body sent, the comment, the QR code.
import { describe, expect, it } from '@jest/globals'
import * as tinyglobby from 'tinyglobby'
import { PULL_REQUEST_RUN, PUSH_RUN, RELEASE_RUN, TAG_RUN } from '../__fixtures__/run.js'
import { decodeQrText } from '../harness/qr.js'
import type { Publication } from '../src/applivery/types.js'
import type { RunContext } from '../src/github/run.js'
import { sectionsOf, stampOf, wrapSection } from '../src/github/comment-sections.js'
import { commentBody, commentMarker, sectionContent, sectionKey } from '../src/report/comment-body.js'
import { isUnchanged, publicationBody, publicationFilter, shownBody } from '../src/install-pages/body.js'
import { derivedSlug, normaliseSlug } from '../src/applivery/slug.js'
import { MAX_QR_TEXT, qrText } from '../src/report/qr.js'
import { parseSettings, type InstallPageSettings, type Settings } from '../src/settings/index.js'

const token = 't'
/** When a comment section's content was made. */
const AT = '2026-01-01T00:00:00Z'
function parse(inputs: Record<string, string>, run: RunContext = PUSH_RUN): Settings {
  return parseSettings((name) => inputs[name] ?? '', { cwd: '.', warn: () => {}, globber: tinyglobby, run })
}
function error(inputs: Record<string, string>, run: RunContext = PUSH_RUN): string {
  try {
    parse(inputs, run)
  } catch (err) {
    return (err as Error).message
  }
  throw new Error('expected an input error')
}
function page(inputs: Record<string, string>, run: RunContext = PUSH_RUN): InstallPageSettings {
  const settings = parse({ token, operation: 'publish', ...inputs }, run)
  if (settings.operation !== 'publish') throw new Error('not publish')
  return settings.publish
}

describe('slugs', () => {
  it('are derived per run: pull request number, tag, or branch, after the app slug', () => {
    expect(page({}, PULL_REQUEST_RUN).runKey).toBe('pr-12')
    expect(page({}, TAG_RUN).runKey).toBe('v1.2.0')
    expect(page({}, RELEASE_RUN).runKey).toBe('v2.0.0')
    expect(page({}, PUSH_RUN).runKey).toBe('main')
    expect(derivedSlug('my-app', 'pr-12')).toBe('my-app-pr-12')
    expect(derivedSlug('my-app', 'v1.2.0')).toBe('my-app-v1-2-0')
    expect(derivedSlug('my-app', 'feature/Login_Fix')).toBe('my-app-feature-login-fix')
    expect(normaliseSlug('Café Über--App')).toBe('cafe-uber-app')
  })

  it('keep to the rule when too long or too short, and stay apart by a hash', () => {
    const long = 'x'.repeat(200)
    const a = derivedSlug('app', `${long}-a`)
    const b = derivedSlug('app', `${long}-b`)
    for (const slug of [a, b]) expect(slug).toMatch(/^[a-z0-9][a-z0-9-]{1,126}[a-z0-9]$/)
    expect(a).not.toBe(b)
    expect(normaliseSlug('é')).toMatch(/^e-[0-9a-f]{8}$/)
  })

  it('given as input must follow the rule, which the error states', () => {
    expect(error({ token, operation: 'publish', slug: 'My-Page' })).toBe(
      "Input 'slug': 'My-Page' is not a valid slug: use 3 to 128 lower-case letters, digits and '-', starting and ending with a letter or digit"
    )
    expect(error({ token, operation: 'unpublish', slug: 'ab' })).toContain("Input 'slug'")
    expect(error({ token, operation: 'unpublish', slug: '-abc' })).toContain("Input 'slug'")
    expect(page({ slug: 'qa-build' }).slug).toBe('qa-build')
  })

  it('cannot be derived from a run without branch, tag or pull request', () => {
    expect(error({ token, operation: 'unpublish' }, { ...PUSH_RUN, ref: '' })).toContain("Input 'slug': is required here")
  })
})

describe('page inputs', () => {
  it('default to the branch on pushes and pull requests, the tag on tags and releases', () => {
    expect(page({}).filter).toEqual({ kind: 'branch', branch: 'main' })
    expect(page({}, PULL_REQUEST_RUN).filter).toEqual({ kind: 'branch', branch: 'feature/Login-Fix' })
    expect(page({}, TAG_RUN).filter).toEqual({ kind: 'git-tag', tag: 'v1.2.0' })
    expect(page({}, RELEASE_RUN).filter).toEqual({ kind: 'git-tag', tag: 'v2.0.0' })
    expect(page({})).toMatchObject({ security: 'logged', visibility: 'unlisted' })
  })

  it('name the input and what it accepts', () => {
    const publish = { token, operation: 'publish' }
    expect(error({ ...publish, 'publication-filter': 'newest' })).toBe(
      "Input 'publication-filter': 'newest' is not one of branch, git-tag, tags, build, last"
    )
    expect(error({ ...publish, 'publication-filter': 'git-tag' })).toContain(
      "Input 'publication-filter': 'git-tag' needs a tag push or a release"
    )
    expect(error({ ...publish, 'publication-filter': 'tags' })).toContain("Input 'tags': is required with publication-filter: tags")
    expect(error({ ...publish, 'publication-filter': 'build' })).toContain("Input 'build-id': is required for operation 'publish'")
    expect(error({ ...publish, 'publication-security': 'password' })).toContain("Input 'publication-password': is required")
    expect(error({ ...publish, 'publication-password': 'pw' })).toContain("Input 'publication-password': is only used with")
    expect(error({ ...publish, 'publication-visibility': 'hidden' })).toContain("Input 'publication-visibility'")
    expect(error({ ...publish, 'store-id': 'store-1' })).toContain("Input 'store-id': is for the Workspace API only")
    expect(error({ token, operation: 'get', 'build-id': 'b', publish: 'true' })).toContain("Input 'publish': is for operation 'upload'")
    expect(error({ token, operation: 'list', 'pr-comment': 'true' })).toContain(
      "Input 'pr-comment': is for operations upload, publish and get"
    )
    expect(error({ token, operation: 'publish', 'pr-comment': 'true', 'github-token': '${{ github.token }}' })).toContain(
      "Input 'github-token': is empty"
    )
  })

  it("warn that a fork's branch name may be this repository's too", () => {
    const warnings: string[] = []
    const fork = {
      ...PULL_REQUEST_RUN,
      payload: { number: 12, pull_request: { number: 12, head: { ref: 'main', repo: { full_name: 'someone/app' } } } }
    }
    parseSettings((name) => ({ token, operation: 'publish' })[name] ?? '', {
      cwd: '.',
      warn: (m) => warnings.push(m),
      globber: tinyglobby,
      run: fork
    })
    expect(warnings).toEqual([
      expect.stringContaining("publication-filter branch: pull request from the fork someone/app, whose branch 'main'")
    ])
    warnings.length = 0
    parseSettings((name) => ({ token, operation: 'publish' })[name] ?? '', {
      cwd: '.',
      warn: (m) => warnings.push(m),
      globber: tinyglobby,
      run: PULL_REQUEST_RUN
    })
    expect(warnings).toEqual([])
  })

  it('read the pull request to comment on, or none outside pull requests', () => {
    const withComment = { token, operation: 'publish', 'pr-comment': 'true', 'github-token': 'ghs' }
    expect(parse(withComment, PULL_REQUEST_RUN).comment).toEqual({
      githubToken: 'ghs',
      apiUrl: 'https://api.github.com',
      pullRequest: { owner: 'acme', repo: 'app', number: 12 }
    })
    expect(parse(withComment, PUSH_RUN).comment?.pullRequest).toBeUndefined()
  })

  it('take branch as a list and prune filter', () => {
    const settings = parse({ token, operation: 'prune', keep: '2', branch: 'feature/x' })
    expect(settings.operation === 'prune' && settings.prune.filters.branch).toBe('feature/x')
  })
})

describe('publication bodies', () => {
  const settings = page({ 'publication-security': 'password', 'publication-password': 's3cret' })
  const build = { id: 'b2', status: 'processed', os: 'android' }

  it('map each filter onto Applivery names', () => {
    expect(publicationFilter({ kind: 'branch', branch: 'main' }, undefined)).toEqual({ type: 'gitBranch', value: 'main' })
    expect(publicationFilter({ kind: 'git-tag', tag: 'v1' }, undefined)).toEqual({ type: 'gitTag', value: 'v1' })
    expect(publicationFilter({ kind: 'tags', tags: ['qa', 'rc'] }, undefined)).toEqual({ type: 'tag', value: 'qa,rc' })
    expect(publicationFilter({ kind: 'last' }, undefined)).toEqual({ type: 'last' })
    // The build is pinned for its OS; another OS keeps its pin.
    expect(
      publicationFilter({ kind: 'build' }, build, { type: 'builds', ios: 'b1', builds: [{ buildPlatform: 'ios', id: 'b1' }] })
    ).toEqual({
      type: 'builds',
      ios: 'b1',
      android: 'b2',
      builds: [
        { buildPlatform: 'ios', id: 'b1' },
        { buildPlatform: 'android', id: 'b2' }
      ]
    })
  })

  it('pin only builds whose platform Applivery names, each form with the platforms it documents', () => {
    expect(() => publicationFilter({ kind: 'build' }, { id: 'b9', status: 'processed', os: 'unknown' }, undefined)).toThrow(
      "publication-filter build: Applivery does not say build b9's platform"
    )
    expect(
      publicationFilter(
        { kind: 'build' },
        { id: 'b3', status: 'processed', os: 'unknown', buildPlatform: 'ps5' },
        { type: 'builds', windows: 'w1' }
      )
    ).toEqual({
      type: 'builds',
      windows: 'w1',
      builds: [{ buildPlatform: 'ps5', id: 'b3' }]
    })
  })

  it('send back what is not being changed, and nothing read-only', () => {
    const current: Publication = {
      id: 'p1',
      slug: 'app-main',
      distributionUrl: 'https://x/app-main',
      createdAt: '2026-01-01',
      security: 'logged',
      visibility: 'active',
      application: { id: 'app-1' },
      filter: { type: 'gitBranch', value: 'main' },
      showHistory: true,
      terms: { active: true, text: 'NDA' },
      groups: [['qa']]
    }
    const body = publicationBody(settings, { slug: 'app-main', filter: { type: 'gitBranch', value: 'main' } }, current)
    expect(body).toEqual({
      slug: 'app-main',
      security: 'password',
      password: 's3cret',
      visibility: 'unlisted',
      application: 'app-1',
      filter: { type: 'gitBranch', value: 'main' },
      showHistory: true,
      terms: { active: true, text: 'NDA' },
      groups: [['qa']]
    })
    expect(shownBody(body).password).toBe('***')
    // A password that is not read back cannot be compared: the page is written again.
    expect(isUnchanged({ ...current, security: 'password', visibility: 'unlisted' }, body)).toBe(false)
    const open = page({})
    const same = publicationBody(open, { slug: 'app-main', filter: { type: 'gitBranch', value: 'main' } }, current)
    expect(isUnchanged({ ...current, visibility: 'unlisted', filter: { type: 'gitBranch', value: 'main', ios: null } }, same)).toBe(true)
    expect(isUnchanged({ ...current, visibility: 'unlisted', filter: { type: 'gitBranch', value: 'dev' } }, same)).toBe(false)
  })
})

describe('the pull-request comment', () => {
  const page = (url: string) => ({ id: 'p', slug: 's', url, change: 'found' as const })
  const whole = (appName: string, key: string, content: string) =>
    commentBody('m', appName, new Map([[key, wrapSection(key, content, AT)]]), 'f')

  it('shows the build, the link and the QR code, under a marker per app, with nothing from the build as markup', () => {
    const build = {
      id: 'b1',
      status: 'success',
      os: 'ios',
      versionName: '1.0 <script>|@acme/team `x`',
      applicationInfo: { name: 'Acme', slug: 'acme' },
      deployer: { info: { commit: 'abcdef1234567' } }
    }
    const installPage = {
      id: 'p1',
      slug: 'acme-pr-12',
      url: 'https://acme.applivery.com/acme-pr-12',
      qr: 'QR',
      security: 'logged',
      change: 'created' as const
    }
    expect(sectionKey(build)).toBe('ios')
    const content = sectionContent('ios', build, installPage)
    const body = commentBody(commentMarker('acme'), 'Acme', new Map([['ios', wrapSection('ios', content, AT)]]), 'Updated now')
    expect(body.startsWith('<!-- applivery-builds-action:app=acme -->\n### Acme\n')).toBe(true)
    expect(body).toContain('#### iOS: ready to install')
    // In code spans: no markup, no mention, and the table holds.
    expect(body).toContain('| `b1` | `1.0 <script> @acme/team  x` | `processed` | `abcdef1` |')
    expect(body).toContain(
      '**[Install](https://acme.applivery.com/acme-pr-12)** from the page `acme-pr-12` (testers sign in to Applivery to install)'
    )
    expect(body).toContain('```text\nQR\n```')
    expect(sectionsOf(body).get('ios')).toBe(wrapSection('ios', content, AT))
  })

  it('escapes the app name and makes only http(s) links', () => {
    expect(whole('@team', 'page', sectionContent('page', undefined, page('https://x.test/a(b)')))).toContain('### @\u200bteam')
    expect(sectionContent('page', undefined, page('https://x.test/a(b)'))).toContain('**[Install](https://x.test/a%28b%29)**')
    expect(sectionContent('page', undefined, page('javascript:alert(1)'))).toContain('Install: `javascript:alert(1)`')
  })

  it("keeps every job's section, each between its own markers, sorted by platform", () => {
    const body = commentBody(
      'm',
      'A',
      new Map([
        ['ios', wrapSection('ios', 'iOS build', AT)],
        ['android', wrapSection('android', 'Android build', AT)]
      ]),
      'f'
    )
    expect(body.indexOf('Android build')).toBeLessThan(body.indexOf('iOS build'))
    expect([...sectionsOf(body).keys()]).toEqual(['android', 'ios'])
    expect(() => wrapSection('not a key!', 'x', AT)).toThrow()
  })

  it('stamps each section with when its content was made, and reads an unstamped one as the oldest', () => {
    const section = wrapSection('ios', 'iOS build', AT)
    expect(section.split('\n')[0]).toBe(`<!-- applivery-builds-action:section=ios at=${AT} -->`)
    expect(stampOf(section)).toBe(AT)
    const unstamped = wrapSection('ios', 'iOS build', 'yesterday')
    expect(stampOf(unstamped)).toBe('')
    expect(sectionsOf(`x\n${unstamped}\ny`).get('ios')).toBe(unstamped)
  })
})

describe('QR codes', () => {
  it('decode back to the URL, each for the background it is drawn for', async () => {
    const url = 'https://acme.applivery.com/acme-feature-login-fix'
    expect(decodeQrText((await qrText(url, 'light'))!, 'light')).toBe(url)
    expect(decodeQrText((await qrText(url, 'dark'))!, 'dark')).toBe(url)
    expect(decodeQrText((await qrText(url, 'light'))!, 'dark')).toBeUndefined()
  })

  it('are not made for text too long to scan', async () => {
    expect(await qrText(`https://acme.applivery.com/${'x'.repeat(MAX_QR_TEXT)}`)).toBeUndefined()
  })
})
