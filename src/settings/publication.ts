// Install pages (publications) and the pull-request comment: publish, unpublish, and upload or get with them.
import type { ApiScope } from '../applivery/types.js'
import { branchOf, pullRequestOf, tagOf, type RunContext } from '../github/run.js'
import { InputError, parseBoolean, parseChoice, parseId, required, type InputReader } from './inputs.js'
import { githubApi, githubTokenOf } from './github.js'
import { SLUG_LENGTH, SLUG_PATTERN, SLUG_RULE } from '../applivery/slug.js'
import { parseTags } from './fields.js'
import {
  PUBLICATION_FILTERS,
  PUBLICATION_SECURITY,
  PUBLICATION_VISIBILITY,
  type CommentSettings,
  type InstallPageFilter,
  type InstallPageSettings,
  type InstallPageTarget
} from './types.js'

export function parseInstallPageTarget(read: InputReader, run: RunContext, scope: ApiScope): InstallPageTarget {
  const slug = read('slug')
  if (slug !== '' && (!SLUG_PATTERN.test(slug) || slug.length < SLUG_LENGTH.min || slug.length > SLUG_LENGTH.max)) {
    throw new InputError('slug', `'${slug}' is not a valid slug: use ${SLUG_RULE}`)
  }
  const runKey = runKeyOf(run)
  if (slug === '' && runKey === undefined) {
    throw new InputError('slug', 'is required here: this run is for no branch, tag or pull request, so no slug can be derived from it')
  }
  const storeId = parseId('store-id', read('store-id'))
  if (storeId !== undefined && scope.kind !== 'workspace') {
    throw new InputError(
      'store-id',
      'is for the Workspace API only (with organization-id and app-id); the Integrations API finds the page by its token'
    )
  }
  return { slug: slug || undefined, runKey, storeId }
}

/** The run's part of a derived slug: pull requests by number, tag pushes and releases by tag, else the branch. */
function runKeyOf(run: RunContext): string | undefined {
  const pullRequest = pullRequestOf(run)
  const number = pullRequest?.number ?? (run.payload as { number?: number }).number
  if (pullRequest && number !== undefined) return `pr-${number}`
  return tagOf(run) ?? branchOf(run)
}

export function parseInstallPage(
  read: InputReader,
  run: RunContext,
  scope: ApiScope,
  { buildIdInput, warn }: { buildIdInput?: string; warn: (message: string) => void }
): InstallPageSettings {
  const target = parseInstallPageTarget(read, run, scope)
  const security = required('publication-security', parseChoice('publication-security', read('publication-security'), PUBLICATION_SECURITY))
  const password = read('publication-password')
  if (security === 'password' && password === '') {
    throw new InputError('publication-password', 'is required with publication-security: password (pass it from a secret)')
  }
  if (security !== 'password' && password !== '') {
    throw new InputError(
      'publication-password',
      `is only used with publication-security: password, not '${security}'; remove it or change the security`
    )
  }
  return {
    ...target,
    filter: parseFilter(read, run, buildIdInput, warn),
    security,
    password: password || undefined,
    visibility: required(
      'publication-visibility',
      parseChoice('publication-visibility', read('publication-visibility'), PUBLICATION_VISIBILITY)
    )
  }
}

function parseFilter(
  read: InputReader,
  run: RunContext,
  buildIdInput: string | undefined,
  warn: (message: string) => void
): InstallPageFilter {
  const tag = tagOf(run)
  const kind =
    parseChoice('publication-filter', read('publication-filter'), PUBLICATION_FILTERS) ?? (tag !== undefined ? 'git-tag' : 'branch')
  switch (kind) {
    case 'branch': {
      const branch = branchOf(run)
      if (branch === undefined) {
        throw new InputError('publication-filter', "'branch' needs a branch, and this run is for none: choose git-tag, tags, build or last")
      }
      const fork = forkOf(run)
      if (fork) {
        warn(
          `publication-filter branch: pull request from the fork ${fork}, whose branch '${branch}' may share its name with ` +
            "a branch of this repository; the page would serve either one's newest build. publication-filter: build serves exactly this one"
        )
      }
      return { kind, branch }
    }
    case 'git-tag':
      if (tag === undefined) {
        throw new InputError(
          'publication-filter',
          "'git-tag' needs a tag push or a release, and this run is neither: choose branch, tags, build or last"
        )
      }
      return { kind, tag }
    case 'tags': {
      const tags = parseTags(read)
      if (!tags || tags.length === 0)
        throw new InputError('tags', "is required with publication-filter: tags (the tags the page's builds carry)")
      return { kind, tags }
    }
    case 'build':
      return { kind, buildId: buildIdInput }
    case 'last':
      return { kind }
  }
}

/** The fork a pull request comes from, if it does: its branch names are its own, not this repository's. */
function forkOf(run: RunContext): string | undefined {
  const head = pullRequestOf(run)?.head?.repo?.full_name
  return head && run.repository && head.toLowerCase() !== run.repository.toLowerCase() ? head : undefined
}

/** pr-comment: only where a build or a page can be shown. */
export function parseComment(read: InputReader, run: RunContext, operation: string): CommentSettings | undefined {
  if (!required('pr-comment', parseBoolean('pr-comment', read('pr-comment')))) return undefined
  if (!['upload', 'publish', 'get'].includes(operation)) {
    throw new InputError('pr-comment', `is for operations upload, publish and get, not '${operation}'`)
  }
  const githubToken = githubTokenOf(read)
  if (githubToken === '') {
    throw new InputError(
      'github-token',
      'is empty; pr-comment needs it (the default, ${{ github.token }}, with permissions: pull-requests: write)'
    )
  }
  const number = pullRequestOf(run)?.number
  const [owner, repo] = (run.repository ?? '').split('/')
  const pullRequest = number !== undefined && owner && repo ? { owner, repo, number } : undefined
  return { ...githubApi(githubToken, run), pullRequest }
}
