// changelog: auto on a push or a tag: the subjects of the commits since the build testers had before, read from
// the checkout when it has them, else from GitHub's compare API; when neither can say, the head commit's message,
// with a notice that says why.
import { branchOf, tagOf } from '../github/run.js'
import type { CommitRange } from '../github/commits.js'
import { inline } from '../output/log.js'
import { reason } from '../transport/attempts.js'
import { commitOf, MAX_BUILDS_SEARCHED, newestEarlierBuild, ofAnotherTag, ofBranch } from './base.js'
import { Clone, COMMIT_ID } from './clone.js'
import { commitList, cutText, MAX_RELEASE_NOTES_CHARS } from './cut.js'
import type { ReleaseNotesContext } from './context.js'

/** The commit the notes start after, and what it is to a reader of the log. */
type Base = { commit: string; what: string } | { why: string }

const SEARCHED = `among the newest ${MAX_BUILDS_SEARCHED.toLocaleString('en')} builds in Applivery`

async function baseOf(ctx: ReleaseNotesContext, clone: Clone): Promise<Base> {
  const thisRun = { run: ctx.run, buildId: ctx.buildId }
  const tag = tagOf(ctx.run)
  try {
    if (tag !== undefined) {
      const previous = await clone.previousTag(ctx.run.sha)
      if (previous) return { commit: previous.commit, what: `tag ${inline(previous.tag)}` }
      const build = await newestEarlierBuild(ctx.api, thisRun, ofAnotherTag(tag))
      if (build) return { commit: commitOf(build)!, what: `build ${inline(build.id)} of tag ${inline(build.deployer?.info?.tag)}` }
      return { why: `the checkout has no earlier tag, and there is no build of another tag ${SEARCHED}` }
    }
    const branch = branchOf(ctx.run)
    if (branch === undefined) return { why: 'the run is for no branch or tag' }
    const build = await newestEarlierBuild(ctx.api, thisRun, ofBranch(branch))
    if (build) return { commit: commitOf(build)!, what: `build ${inline(build.id)} of branch ${inline(branch)}` }
    return { why: `there is no earlier build of branch ${inline(branch)} ${SEARCHED}` }
  } catch (err) {
    return { why: `the builds in Applivery could not be listed (${inline(reason(err), 300)})` }
  }
}

/** The commits after `base` up to `head`: from the checkout, else from GitHub; or why neither could say. */
async function rangeOf(ctx: ReleaseNotesContext, clone: Clone, base: string, head: string): Promise<CommitRange | { why: string }> {
  const local = await clone.commitsBetween(base, head)
  if ('range' in local) return local.range
  const repository = ctx.run.repository || ctx.run.payload.repository?.full_name
  if (!ctx.commits) return { why: `${local.why}, and GitHub's compare API was not asked: there is no github-token` }
  if (!repository) return { why: `${local.why}, and the run names no repository (GITHUB_REPOSITORY) to ask GitHub about` }
  try {
    const range = await ctx.commits.commitsBetween(repository, base, head)
    ctx.log.info(`changelog: auto: ${local.why}; the commits come from GitHub's compare API`)
    return range
  } catch (err) {
    return { why: `${local.why}, and ${inline(err instanceof Error ? err.message : String(err), 400)}` }
  }
}

export async function commitNotes(ctx: ReleaseNotesContext): Promise<string> {
  const clone = new Clone(ctx.workspace, ctx.git)
  const head = ctx.run.sha ?? ''
  const base: Base = COMMIT_ID.test(head) ? await baseOf(ctx, clone) : { why: 'the run names no commit (GITHUB_SHA)' }
  if ('why' in base) return headCommitNotes(ctx, clone, base.why)
  const since = `${base.what} (${base.commit.slice(0, 7)})`
  const range = await rangeOf(ctx, clone, base.commit, head)
  if ('why' in range) return headCommitNotes(ctx, clone, `the commits since ${since} are not known: ${range.why}`)
  if (range.total === 0) return headCommitNotes(ctx, clone, `there are no commits since ${since}`)
  ctx.log.info(`changelog: auto: the ${range.total} commit${range.total === 1 ? '' : 's'} since ${since}`)
  return commitList(range.subjects, range.total)
}

/** The head commit's message, from the event or the checkout, and a notice that says why it is sent. */
async function headCommitNotes(ctx: ReleaseNotesContext, clone: Clone, why: string): Promise<string> {
  const message = ctx.run.payload.head_commit?.message?.trim() || (await clone.message(ctx.run.sha ?? ''))
  if (!message) {
    ctx.log.notice(`changelog: auto: ${why}; the head commit's message is not known either, so no release notes are sent`)
    return ''
  }
  ctx.log.notice(`changelog: auto: ${why}; sending the head commit's message instead`)
  const cap = MAX_RELEASE_NOTES_CHARS.toLocaleString('en')
  return cutText(message, `cut at ${cap} characters`)
}
