// GitHub runs for unit tests: what a derived slug, a page's branch or tag, and the pull request come from.
import type { RunContext } from '../src/github/run.js'

export const PUSH_RUN: RunContext = {
  eventName: 'push',
  sha: 'abc1234',
  ref: 'refs/heads/main',
  payload: {},
  serverUrl: 'https://github.com',
  runId: 1,
  runNumber: 1,
  repository: 'acme/app'
}

export const TAG_RUN: RunContext = { ...PUSH_RUN, ref: 'refs/tags/v1.2.0' }

export const RELEASE_RUN: RunContext = {
  ...PUSH_RUN,
  eventName: 'release',
  ref: 'refs/tags/v2.0.0',
  payload: { release: { tag_name: 'v2.0.0' } }
}

export const PULL_REQUEST_RUN: RunContext = {
  ...PUSH_RUN,
  eventName: 'pull_request',
  ref: 'refs/pull/12/merge',
  payload: { number: 12, pull_request: { number: 12, head: { ref: 'feature/Login-Fix', sha: 'def5678' } } }
}
