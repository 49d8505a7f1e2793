// Every relative link in the project's Markdown resolves: its file exists, and its #anchor names a heading there.
import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { ROOT } from '../harness/runner.js'

/** The Markdown users and contributors read. */
const DOCUMENTS = [
  'README.md',
  'CONTRIBUTING.md',
  'SECURITY.md',
  'CHANGELOG.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`)
]

/** The lines outside fenced code blocks, with fenced lines blanked (so line numbers stay right). */
function outsideFences(markdown: string): string[] {
  let fence: string | undefined
  return markdown.split('\n').map((line) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1]
    if (fence === undefined && marker) {
      fence = marker
      return ''
    }
    if (fence !== undefined) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined
      return ''
    }
    return line
  })
}

/** The text GitHub renders for a heading's Markdown: code, links, images and emphasis reduced to their text. */
function headingText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[`*]/g, '')
    .trim()
}

/** GitHub's anchor for a heading: lower-case, punctuation but `-` and `_` removed, each space a `-`. */
function slug(heading: string): string {
  return headingText(heading)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-')
}

/** The anchors of a Markdown file's headings (ATX and setext), a repeated one numbered as GitHub does. */
function anchors(markdown: string): Set<string> {
  const lines = outsideFences(markdown)
  const seen = new Map<string, number>()
  const found = new Set<string>()
  lines.forEach((line, index) => {
    const atx = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line)
    const next = lines[index + 1] ?? ''
    const setext = line.trim() !== '' && !/^\s*[|>-]/.test(line) && /^ {0,3}(=+|-+)[ \t]*$/.test(next) ? line.trim() : undefined
    const text = atx ? (atx[1] ?? '') : setext
    if (text === undefined) return
    const base = slug(text)
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    found.add(count === 0 ? base : `${base}-${count}`)
  })
  return found
}

/** Every link and image target of a Markdown file, outside code, with its line number. */
function targets(markdown: string): { target: string; line: number }[] {
  const found: { target: string; line: number }[] = []
  outsideFences(markdown).forEach((raw, index) => {
    const line = raw.replace(/(`+)[^`]*?\1/g, '')
    const patterns = [
      /!?\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g,
      /^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/g,
      /<(?:a|img)\s[^>]*?(?:href|src)="([^"]*)"/g
    ]
    for (const pattern of patterns) for (const match of line.matchAll(pattern)) found.push({ target: match[1], line: index + 1 })
  })
  return found
}

/** The relative links of `file` (a path under `root`) that do not resolve, as `file:line: target (why)`. */
function brokenLinks(root: string, file: string): string[] {
  const path = join(root, file)
  const markdown = readFileSync(path, 'utf8')
  const broken: string[] = []
  for (const { target, line } of targets(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue // https:, mailto: ...: not checked
    const hash = target.indexOf('#')
    const pathPart = decodeURIComponent(hash < 0 ? target : target.slice(0, hash))
    const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1))
    const resolved = pathPart === '' ? path : resolve(dirname(path), pathPart)
    const where = `${file}:${line}: ${target}`
    if (target === '') broken.push(`${where} (empty link)`)
    else if (!existsSync(resolved)) broken.push(`${where} (no file ${relative(root, resolved)})`)
    else if (anchor !== undefined && resolved.endsWith('.md') && !anchors(readFileSync(resolved, 'utf8')).has(anchor))
      broken.push(`${where} (no heading with anchor #${anchor} in ${relative(root, resolved)})`)
  }
  return broken
}

describe('GitHub heading anchors', () => {
  it.each([
    ['Reliability and security', 'reliability-and-security'],
    ['Workspace API (Service Account)', 'workspace-api-service-account'],
    ['Pull requests: a build, its install page and a comment', 'pull-requests-a-build-its-install-page-and-a-comment'],
    ["Step through the action's source with `local-action`", 'step-through-the-actions-source-with-local-action'],
    ['`upload`', 'upload'],
    ['1.0.0', '100'],
    ['snake_case and kebab-case', 'snake_case-and-kebab-case'],
    ['A [linked](https://example.com) heading', 'a-linked-heading']
  ])('%s -> #%s', (heading, anchor) => {
    expect(slug(heading)).toBe(anchor)
  })

  it('numbers repeated headings, skips code blocks and reads setext headings', () => {
    const markdown = ['# Usage', '', '```', '# not a heading', '```', '', '## Usage', '', 'Setext', '------', ''].join('\n')
    expect([...anchors(markdown)]).toEqual(['usage', 'usage-1', 'setext'])
  })
})

describe('the link checker', () => {
  it('reports a missing file and a missing anchor, and passes what resolves', () => {
    const root = mkdtempSync(join(tmpdir(), 'links-'))
    mkdirSync(join(root, 'docs'))
    writeFileSync(join(root, 'docs', 'guide.md'), '# Guide\n\n## Set up\n\n[back](../README.md#top-heading)\n')
    writeFileSync(
      join(root, 'README.md'),
      [
        '# Top heading',
        '',
        '[guide](docs/guide.md#set-up), [self](#top-heading), ![logo](docs/guide.md) and [site](https://example.com/x.md#nope)',
        '[gone](docs/missing.md) and [wrong](docs/guide.md#setup)',
        '`[in code](nowhere.md)`',
        '```',
        '[in a block](nowhere.md)',
        '```',
        '[ref]: docs/guide.md#nothing-here'
      ].join('\n')
    )
    expect(brokenLinks(root, 'docs/guide.md')).toEqual([])
    expect(brokenLinks(root, 'README.md')).toEqual([
      'README.md:4: docs/missing.md (no file docs/missing.md)',
      'README.md:4: docs/guide.md#setup (no heading with anchor #setup in docs/guide.md)',
      'README.md:9: docs/guide.md#nothing-here (no heading with anchor #nothing-here in docs/guide.md)'
    ])
  })
})

describe('relative links', () => {
  it('checks the README, the contributing guide, the security policy, the changelog and docs/', () => {
    expect(DOCUMENTS).toEqual(expect.arrayContaining(['docs/operations.md', 'docs/workflows.md']))
  })

  it.each(DOCUMENTS)('in %s all resolve', (file) => {
    expect(brokenLinks(ROOT, file)).toEqual([])
  })
})
