// Operations against a plain fake of the Builds API: what they ask for, and what they report, sent or planned.
import { describe, expect, it } from '@jest/globals'
import type { BuildsApi, UpdateFields, Written } from '../src/applivery/api.js'
import { DEFAULT_TIMINGS } from '../src/transport/timings.js'
import type { Build } from '../src/applivery/types.js'
import type { Log } from '../src/output/log.js'
import { deleteBuild } from '../src/operations/delete.js'
import type { OperationContext } from '../src/operations/operation-context.js'
import { update } from '../src/operations/update.js'
import { Report } from '../src/report/report.js'

const build: Build = { id: 'b1', status: 'processed', versionName: '1.0' }
const plan = { method: 'PUT', url: 'https://api.applivery.io/v1/integrations/builds/b1', body: [] }
const quiet: Log = { info: () => {}, warning: () => {}, debug: () => {}, notice: () => {} }

/** A Builds API that answers from memory and remembers what it was asked. */
function fakeApi(sent: boolean): BuildsApi & { calls: string[] } {
  const calls: string[] = []
  const written = <T>(value: T): Written<T> => (sent ? { sent: true, value } : { sent: false, plan })
  return {
    calls,
    getBuild: async (id) => (calls.push(`get ${id}`), build),
    listPage: async () => (calls.push('list'), { items: [build] }),
    updateBuild: async (id, fields: UpdateFields) => (
      calls.push(`update ${id} ${JSON.stringify(fields)}`),
      written({ ...build, ...fields })
    ),
    deleteBuild: async (id) => (calls.push(`delete ${id}`), written({ alreadyGone: false })),
    uploadBuild: async () => written(build),
    attachFile: async () => written(build)
  }
}

function unused(what: string): never {
  throw new Error(`${what} is not used here`)
}

function context(api: BuildsApi): OperationContext {
  return {
    api,
    // An app without install pages: nothing for delete or prune to keep.
    publications: {
      listStores: async () => [],
      publicationsAt: () => ({
        listPublications: async () => [],
        findPublication: () => unused('findPublication'),
        getPublication: () => unused('getPublication'),
        createPublication: () => unused('createPublication'),
        replacePublication: () => unused('replacePublication'),
        deletePublication: () => unused('deletePublication')
      })
    },
    scope: { kind: 'integrations' },
    report: new Report(),
    log: quiet,
    run: { eventName: 'push', sha: '', ref: '', payload: {}, serverUrl: '', runId: 0, runNumber: 0 },
    startedAtMs: 0,
    timings: DEFAULT_TIMINGS,
    workspace: '.'
  }
}

describe('update', () => {
  it('sends the fields named as Applivery names them, and reports the answer', async () => {
    const api = fakeApi(true)
    const ctx = context(api)
    const fields = { versionName: '2.0', tags: ['qa'], defaultScripts: { preInstall: 'echo hi' } }
    await update(ctx, 'b1', { fields, autoChangelog: false })
    expect(api.calls).toEqual(['update b1 {"versionName":"2.0","tags":["qa"],"defaultScripts":{"preInstall":"echo hi"}}'])
    expect(ctx.report.build).toMatchObject({ id: 'b1', versionName: '2.0' })
  })

  it('in a dry run reads the build and reports it unchanged', async () => {
    const api = fakeApi(false)
    const ctx = context(api)
    await update(ctx, 'b1', { fields: { versionName: '2.0' }, autoChangelog: false })
    expect(api.calls).toEqual(['update b1 {"versionName":"2.0"}', 'get b1'])
    expect(ctx.report.build).toEqual(build)
  })

  it('with changelog: auto and nothing to make notes from, changes nothing, keeps the notes the build has and says why', async () => {
    const api = fakeApi(true)
    const notices: string[] = []
    const ctx = { ...context(api), log: { ...quiet, notice: (line: string) => notices.push(line) } }
    await update(ctx, 'b1', { fields: {}, autoChangelog: true })
    expect(api.calls).toEqual(['get b1'])
    expect(notices).toEqual([
      "changelog: auto: the run names no commit (GITHUB_SHA); the head commit's message is not known either, so no release notes are sent"
    ])
    expect(ctx.report.releaseNotes).toBeUndefined()
    expect(ctx.report.build).toEqual(build)
  })
})

describe('delete', () => {
  it('reports the build deleted once the delete was sent', async () => {
    const ctx = context(fakeApi(true))
    await deleteBuild(ctx, 'b1', 1000)
    expect(ctx.report.outputs()).toMatchObject({ 'build-id': 'b1', status: 'deleted', deleted: 'true' })
  })

  it('claims nothing in a dry run, and shows the build as it is', async () => {
    const ctx = context(fakeApi(false))
    await deleteBuild(ctx, 'b1', 1000)
    expect(ctx.report.outputs()).toMatchObject({ 'build-id': 'b1', status: 'processed' })
    expect(ctx.report.outputs().deleted).toBeUndefined()
  })
})
