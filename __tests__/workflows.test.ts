// The workflows that check and publish the action: valid YAML, least permissions, third-party actions pinned
// to commits, and the release and dependency policies in place.
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ROOT } from '../harness/runner.js'

type Job = {
  permissions?: Record<string, string>
  needs?: string
  uses?: string
  steps?: { uses?: string; run?: string; if?: string }[]
  strategy?: { matrix?: { os?: string[] } }
}
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job> }

const dir = join(ROOT, '.github', 'workflows')
const files = readdirSync(dir).filter((name) => name.endsWith('.yml'))
const text = (name: string) => readFileSync(join(dir, name), 'utf8')
const workflow = (name: string) => parse(text(name), { strict: true, uniqueKeys: true }) as Workflow

describe('every workflow', () => {
  it.each(files)('%s parses, and grants only reading by default', (name) => {
    const parsed = workflow(name)
    expect(parsed.permissions).toEqual({ contents: 'read' })
    for (const job of Object.values(parsed.jobs)) {
      // Scopes by name, never read-all or write-all.
      expect(typeof (job.permissions ?? {})).toBe('object')
      for (const level of Object.values(job.permissions ?? {})) expect(['read', 'write', 'none']).toContain(level)
    }
  })

  it.each(files)('%s pins every third-party action to a commit, with its version in a comment', (name) => {
    const lines = text(name)
      .split('\n')
      .filter((line) => /^\s*(-\s+)?uses:/.test(line))
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) {
      const target = /uses:\s*(\S+)/.exec(line)![1]
      if (target.startsWith('./')) continue // this repository's own action or workflow
      expect([line, /@[0-9a-f]{40}$/.test(target)]).toEqual([line, true])
      expect([line, /#\s*v\d+(\.\d+){0,2}\s*$/.test(line)]).toEqual([line, true])
    }
  })

  it('grants writing only where it is needed', () => {
    const writes = files.flatMap((name) =>
      Object.entries(workflow(name).jobs).flatMap(([id, job]) =>
        Object.entries(job.permissions ?? {})
          .filter(([, level]) => level === 'write')
          .map(([scope]) => `${name} ${id} ${scope}`)
      )
    )
    expect(writes.sort()).toEqual(['codeql.yml analyze security-events', 'release.yml release contents'])
  })
})

describe('CI', () => {
  const ci = workflow('ci.yml')

  it('tests and runs the action on Linux, macOS and Windows', () => {
    for (const job of ['test', 'action'])
      expect(ci.jobs[job].strategy?.matrix?.os).toEqual(['ubuntu-latest', 'macos-latest', 'windows-latest'])
    expect(ci.jobs.action.steps!.filter((step) => step.uses === './')).toHaveLength(4)
    expect(ci.jobs.ci.steps!.some((step) => step.run === 'bash .ci/run')).toBe(true)
  })

  it('keeps the expected dist/ as an artifact when the committed one is out of date', () => {
    const steps = ci.jobs['check-dist'].steps!
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'))
    expect(upload?.if).toMatch(/failure\(\)/)
    expect(steps.some((step) => step.run === 'npm run build')).toBe(true)
  })

  it('can be called by the release workflow for a given ref', () => {
    expect(ci.on).toHaveProperty('workflow_call.inputs.ref')
  })
})

describe('releases', () => {
  const release = workflow('release.yml')

  it('run on a pushed version tag, or by hand for an existing tag', () => {
    expect(release.on).toMatchObject({
      push: { tags: ['v[0-9]+.[0-9]+.[0-9]+*'] },
      workflow_dispatch: { inputs: { tag: { required: true } } }
    })
  })

  it('pass CI on the tag, check dist/, release the changelog section and move the major tag', () => {
    expect(release.jobs.ci.uses).toBe('./.github/workflows/ci.yml')
    expect(release.jobs.release.needs).toBe('ci')
    const runs = release.jobs.release.steps!.map((step) => step.run ?? '').join('\n')
    expect(runs).toContain('scripts/release.ts check "$TAG"')
    expect(runs).toMatch(/npm run build\s+.*\n\s*if \[ -n "\$\(git status --porcelain -- dist\)" \]; then/)
    expect(runs).toContain('scripts/release.ts notes "$TAG"')
    expect(runs).toMatch(/gh release create "\$TAG" --verify-tag/)
    expect(runs).toContain('scripts/release.ts move-major "$TAG" --push')
  })
})

describe('dependencies and code scanning', () => {
  it("Dependabot updates npm packages, development ones grouped, and the workflows' actions", () => {
    const config = parse(readFileSync(join(ROOT, '.github', 'dependabot.yml'), 'utf8'), { strict: true }) as {
      version: number
      updates: { 'package-ecosystem': string; groups?: Record<string, { 'dependency-type'?: string }> }[]
    }
    expect(config.version).toBe(2)
    const npm = config.updates.find((update) => update['package-ecosystem'] === 'npm')
    expect(Object.values(npm?.groups ?? {}).map((group) => group['dependency-type'])).toContain('development')
    expect(config.updates.map((update) => update['package-ecosystem'])).toContain('github-actions')
  })

  it('CodeQL analyses the JavaScript and TypeScript', () => {
    const codeql = workflow('codeql.yml')
    const steps = codeql.jobs.analyze.steps!
    expect(steps.some((step) => step.uses?.startsWith('github/codeql-action/init@'))).toBe(true)
    expect(steps.some((step) => step.uses?.startsWith('github/codeql-action/analyze@'))).toBe(true)
    expect(text('codeql.yml')).toContain('languages: javascript-typescript')
  })
})
