import { describe, expect, it } from '@jest/globals'
import { deployerInfo, type RunContext } from '../src/github/run.js'

const base: Omit<RunContext, 'eventName' | 'ref' | 'payload'> = {
  sha: 'merge0000',
  serverUrl: 'https://github.com',
  runId: 4242,
  runNumber: 17,
  repository: 'acme/app'
}
const links = {
  repositoryUrl: 'https://github.com/acme/app',
  ciUrl: 'https://github.com/acme/app/actions',
  buildUrl: 'https://github.com/acme/app/actions/runs/4242',
  buildNumber: '17',
  triggerTimestamp: '1700000000000'
}

describe('deployer metadata', () => {
  it('push to a branch: commit, branch and the head commit message', () => {
    const info = deployerInfo(
      { ...base, eventName: 'push', sha: 'abc123', ref: 'refs/heads/release/2.4', payload: { head_commit: { message: 'Fix login' } } },
      1700000000000
    )
    expect(info).toEqual({ commit: 'abc123', branch: 'release/2.4', commitMessage: 'Fix login', ...links })
  })

  it('tag push: the tag, no branch', () => {
    const info = deployerInfo(
      { ...base, eventName: 'push', sha: 'abc123', ref: 'refs/tags/v2.4.0', payload: { head_commit: { message: 'Release' } } },
      1700000000000
    )
    expect(info).toEqual({ commit: 'abc123', tag: 'v2.4.0', commitMessage: 'Release', ...links })
  })

  it('pull request: the head commit and head branch, not the merge commit', () => {
    const info = deployerInfo(
      {
        ...base,
        eventName: 'pull_request',
        ref: 'refs/pull/7/merge',
        payload: { pull_request: { head: { sha: 'head999', ref: 'feature/login' } } }
      },
      1700000000000
    )
    expect(info).toEqual({ commit: 'head999', branch: 'feature/login', ...links })
  })

  it('release: the release tag', () => {
    const info = deployerInfo(
      { ...base, eventName: 'release', sha: 'rel1', ref: 'refs/tags/v3.0.0', payload: { release: { tag_name: 'v3.0.0' } } },
      1700000000000
    )
    expect(info).toEqual({ commit: 'rel1', tag: 'v3.0.0', ...links })
  })

  it('workflow_dispatch: commit and branch, no message', () => {
    const info = deployerInfo({ ...base, eventName: 'workflow_dispatch', sha: 'wd1', ref: 'refs/heads/main', payload: {} }, 1700000000000)
    expect(info).toEqual({ commit: 'wd1', branch: 'main', ...links })
  })

  it('copes with a run that has no ref or sha at all', () => {
    const info = deployerInfo(
      { eventName: '', payload: {}, serverUrl: 'https://github.com', runId: 0, runNumber: 0 } as unknown as RunContext,
      9
    )
    expect(info).toEqual({ triggerTimestamp: '9' })
  })

  it('falls back to the payload repository and leaves out what is unknown', () => {
    const info = deployerInfo(
      {
        eventName: 'push',
        sha: '',
        ref: '',
        serverUrl: 'https://ghe.example',
        runId: 0,
        runNumber: 0,
        payload: { repository: { full_name: 'o/r' } }
      },
      5
    )
    expect(info).toEqual({ triggerTimestamp: '5', repositoryUrl: 'https://ghe.example/o/r', ciUrl: 'https://ghe.example/o/r/actions' })
  })
})
