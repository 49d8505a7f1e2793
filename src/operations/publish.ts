// operation: publish (and upload with publish: true) — creates the run's install page, or brings it up to date.
import type { PublicationBody } from '../applivery/api.js'
import { reason } from '../transport/attempts.js'
import { ApiError } from '../applivery/errors.js'
import type { Build, Publication } from '../applivery/types.js'
import { isUnchanged, publicationBody, publicationFilter, shownBody } from '../install-pages/body.js'
import { locateInstallPage, InstallPageOfAnotherApp, readOwnInstallPage, type LocatedInstallPage } from '../install-pages/locate.js'
import { reportInstallPage } from '../install-pages/report.js'
import type { InstallPageSettings } from '../settings/index.js'
import type { OperationContext } from './operation-context.js'
import { inline } from '../output/log.js'

export async function publish(ctx: OperationContext, settings: InstallPageSettings, uploaded?: Build): Promise<void> {
  // The pinned build (publication-filter: build): the one just uploaded, or build-id's.
  const buildId = settings.filter.kind === 'build' ? settings.filter.buildId : undefined
  const build = uploaded ?? (buildId !== undefined ? await ctx.api.getBuild(buildId) : undefined)
  const page = await locateInstallPage(ctx, settings, build)
  const application = ctx.scope.kind === 'workspace' ? ctx.scope.appId : undefined
  const compose = (current?: Publication): PublicationBody =>
    publicationBody(settings, { slug: page.slug, filter: publicationFilter(settings.filter, build, current?.filter), application }, current)

  let current = await readOwnInstallPage(ctx, page)
  if (current === undefined) {
    const created = await create(ctx, page, compose())
    if (created === 'planned') return
    if (!('raced' in created)) return reportInstallPage(ctx, created.publication, 'created', settings.security)
    current = created.raced
  }
  const body = compose(current)
  if (isUnchanged(current, body)) return reportInstallPage(ctx, current, 'unchanged', settings.security)
  const written = await page.api.replacePublication(current.id, body, shownBody(body))
  if (written.sent) await reportInstallPage(ctx, { ...current, ...written.value }, 'updated', settings.security)
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
