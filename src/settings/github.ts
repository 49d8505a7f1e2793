// github-token and GitHub's API URL: required for the pull-request comment, optional for changelog: auto (without
// it, the notes come from the checkout or the head commit).
import type { RunContext } from '../github/run.js'
import { checkToken, type InputReader } from './inputs.js'
import type { GitHubApiSettings } from './types.js'

/** github-token as given; '' when unset. Outside the runner (a local run) the default expression arrives unevaluated. */
export function githubTokenOf(read: InputReader): string {
  const token = read('github-token')
  if (token.startsWith('${{')) return ''
  if (token !== '') checkToken('github-token', token)
  return token
}

export function githubApi(token: string, run: RunContext): GitHubApiSettings {
  return { githubToken: token, apiUrl: run.apiUrl || 'https://api.github.com' }
}

/** GitHub's compare API for changelog: auto, when there is a token to ask it with. */
export function parseCommitHistory(read: InputReader, run: RunContext): GitHubApiSettings | undefined {
  const token = githubTokenOf(read)
  return token === '' ? undefined : githubApi(token, run)
}
