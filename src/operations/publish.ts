// operation: publish (and upload with publish: true) — creates the run's install page, or brings it up to date.
import type { PublicationBody } from '../applivery/api.js'
import { reason } from '../transport/attempts.js'
import { ApiError } from '../applivery/errors.js'
import type { Build, Publication } from '../applivery/types.js'
import { isUnchanged, pins, platformOf, publicationBody, publicationFilter, shownBody } from '../install-pages/body.js'
import { locateInstallPage, InstallPageOfAnotherApp, readOwnInstallPage, type LocatedInstallPage } from '../install-pages/locate.js'
import { reportInstallPage } from '../install-pages/report.js'
import { verdict } from '../transport/retry.js'
import { writeShared } from '../transport/shared-write.js'
import type { InstallPageSettings } from '../settings/index.js'
import type { OperationContext } from './operation-context.js'
import { inline } from '../output/log.js'

export async function publish(ctx: OperationContext, settings: InstallPageSettings, uploaded?: Build): Promise<void> {
  // The pinned build (publication-filter: build): the one just uploaded, or build-id's.
  const buildId = settings.filter.kind === 'build' ? settings.filter.buildId : undefined
  const build = uploaded ?? (buildId !== undefined ? await ctx.api.getBuild(buildId) : undefined)
  // The build the page pins is the step's build: its outputs and its section of the comment.
  if (build) ctx.report.build = build
  const page = await locateInstallPage(ctx, settings, build)
  const application = ctx.scope.kind === 'workspace' ? ctx.scope.appId : undefined
  const compose = (current?: Publication): PublicationBody =>
    publicationBody(settings, { slug: page.slug, filter: publicationFilter(settings.filter, build, current?.filter), application }, current)

  const found = await readOwnInstallPage(ctx, page)
  if (found !== undefined && isUnchanged(found, compose(found))) return reportInstallPage(ctx, found, 'unchanged', settings.security)
  // Other jobs of the run may write the page at the same moment (a matrix pinning its builds): each write is
  // read back, and made again on top of theirs when it was written over.
  let change: 'created' | 'updated' = 'updated'
  const result = await writeShared<Publication>(
    {
      what: `Install page ${page.slug}`,
      read: () => readOwnInstallPage(ctx, page),
      holds: (current) => isUnchanged(current, compose(current), { password: 'unread' }),
      write: async (current) => {
        if (current === undefined) {
          const created = await create(ctx, page, compose())
          if (created === 'planned') return 'planned'
          if ('publication' in created) change = 'created'
          return 'publication' in created ? created.publication : created.raced
        }
        const body = compose(current)
        const written = await page.api.replacePublication(current.id, body, shownBody(body))
        return written.sent ? { ...current, ...written.value } : 'planned'
      },
      rereadMs: ctx.timings.rereadMs,
      maxWrites: MAX_WRITES,
      transient: (err) => verdict(err, true) === 'retry',
      conflict: (current) => pinConflict(current, build, found),
      log: (line) => ctx.log.info(line),
      signal: ctx.signal
    },
    found
  )
  if (result.value) await reportInstallPage(ctx, result.value, change, settings.security)
}

/** Writes of one page at most, when other jobs keep writing over this one's change. */
const MAX_WRITES = 5

/**
 * A page holds one pinned build per platform. When the page now pins another build of this build's platform, one
 * that it did not pin before this job wrote, another job pinned it meanwhile: the two cannot both hold.
 */
function pinConflict(current: Publication, build: Build | undefined, before: Publication | undefined): string | undefined {
  if (!build || !['build', 'builds'].includes(String(current.filter?.type))) return undefined
  const platform = platformOf(build)
  const pinned = pins(current.filter)[platform]
  if (pinned === undefined || pinned === build.id || pinned === pins(before?.filter)[platform]) return undefined
  return (
    `another job pinned another ${platform} build (${pinned}) meanwhile, and a page holds one build per platform: ` +
    'give each of them its own page (slug), or run them one after the other'
  )
}

/** After an upload: its page. A dry-run upload has no build; its page is planned all the same, unless it would pin it. */
export async function publishUploaded(ctx: OperationContext, settings: InstallPageSettings, build: Build | undefined): Promise<void> {
  if (build) return publish(ctx, settings, build)
  if (settings.filter.kind === 'build') ctx.log.info('Dry run: would publish the page, pinning the uploaded build')
  else await publish(ctx, settings)
}

type Created = { publication: Publication } | { raced: Publication } | 'planned'

async function create(ctx: OperationContext, page: LocatedInstallPage, body: PublicationBody): Promise<Created> {
  try {
    const written = await page.api.createPublication(body, shownBody(body)).catch((err: unknown) => {
      // The Integrations API takes the app from the token, but has been seen to ask for it as well.
      if (!needsApplication(err, body) || page.app.id === undefined) throw err
      const withApp = { ...body, application: page.app.id }
      return page.api.createPublication(withApp, shownBody(withApp))
    })
    return written.sent ? { publication: written.value } : 'planned'
  } catch (err) {
    if (!(err instanceof ApiError) || err.httpStatus === 401 || err.httpStatus === 403) throw err
    // Another job may have created it since the look (a matrix racing for one slug), or Applivery may refuse
    // the slug as taken in another way than documented: either way, the page with the slug tells.
    const raced = await readOwnInstallPage(ctx, page)
    if (raced) {
      ctx.log.info(`Publication ${page.slug} appeared meanwhile (${inline(reason(err), 300)}); bringing it up to date`)
      return { raced }
    }
    // Not this app's, and not visible to it: the Integrations API lists only the token's app's pages.
    if (Number(err.code) === 5024 || err.httpStatus === 409) throw new InstallPageOfAnotherApp(page.slug, 'hidden')
    throw err
  }
}

function needsApplication(err: unknown, body: PublicationBody): boolean {
  return err instanceof ApiError && Number(err.code) === 6002 && body.application === undefined && /\bapplication\b/i.test(err.apiMessage)
}
