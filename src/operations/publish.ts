// operation: publish (and upload with publish: true) — creates the run's install page, or brings it up to date.
import type { PublicationBody } from '../applivery/api.js'
import { reason } from '../applivery/attempts.js'
import { ApiError } from '../applivery/errors.js'
import type { Build, Publication } from '../applivery/types.js'
import { applicationIdOf, isUnchanged, SECURITY_TEXT, pageBody, pageFilter, shownBody } from '../pages/body.js'
import { locatePage, type LocatedPage } from '../pages/locate.js'
import { qrText } from '../qr.js'
import type { PageReport } from '../report.js'
import type { PageSettings } from '../settings/index.js'
import type { OperationContext } from './operation-context.js'

export async function publish(ctx: OperationContext, settings: PageSettings, uploaded?: Build): Promise<void> {
  // The pinned build (publication-filter: build): the one just uploaded, or build-id's.
  const buildId = settings.filter.kind === 'build' ? settings.filter.buildId : undefined
  const build = uploaded ?? (buildId !== undefined ? await ctx.api.getBuild(buildId) : undefined)
  const page = await locatePage(ctx, settings, build)
  const application = ctx.scope.kind === 'workspace' ? ctx.scope.appId : undefined
  const compose = (current?: Publication): PublicationBody =>
    pageBody(settings, { slug: page.slug, filter: pageFilter(settings.filter, build, current?.filter), application }, current)

  let current = await ownPage(ctx, page)
  if (current === undefined) {
    const created = await create(ctx, page, compose())
    if (created === 'planned') return
    if (!('raced' in created)) return report(ctx, created.publication, 'created', settings.security)
    current = created.raced
  }
  const body = compose(current)
  if (isUnchanged(current, body)) return report(ctx, current, 'unchanged', settings.security)
  const written = await page.api.replacePublication(current.id, body, shownBody(body))
  if (written.sent) await report(ctx, { ...current, ...written.value }, 'updated', settings.security)
}

/** The page with the slug, if it is this app's: a slug is unique across the workspace. */
async function ownPage(ctx: OperationContext, page: LocatedPage): Promise<Publication | undefined> {
  const found = await page.api.findPublication(page.slug)
  const owner = found && applicationIdOf(found)
  const app = ctx.scope.kind === 'workspace' ? ctx.scope.appId : page.app.id
  if (owner !== undefined && app !== undefined && owner !== app) throw usedElsewhere(page.slug)
  return found
}

type Created = { publication: Publication } | { raced: Publication } | 'planned'

async function create(ctx: OperationContext, page: LocatedPage, body: PublicationBody): Promise<Created> {
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
    const raced = await ownPage(ctx, page)
    if (raced) {
      ctx.log.info(`Publication ${page.slug} appeared meanwhile (${reason(err)}); bringing it up to date`)
      return { raced }
    }
    if (Number(err.code) === 5024 || err.httpStatus === 409) throw usedElsewhere(page.slug)
    throw err
  }
}

function needsApplication(err: unknown, body: PublicationBody): boolean {
  return err instanceof ApiError && Number(err.code) === 6002 && body.application === undefined && /\bapplication\b/i.test(err.apiMessage)
}

function usedElsewhere(slug: string): Error {
  return new Error(
    `Publication slug '${slug}' is used by another app's install page in this Applivery workspace (slugs are unique ` +
      'across the workspace). Set slug to another one.'
  )
}

/** Outputs, a notice with the link, and the QR code in the log. */
export async function report(
  ctx: OperationContext,
  publication: Publication,
  change: PageReport['change'],
  security?: string
): Promise<void> {
  const url = publication.distributionUrl
  ctx.report.page = {
    id: publication.id,
    slug: publication.slug,
    url,
    qr: url ? await qrText(url, 'light') : undefined,
    security: security ?? publication.security,
    change
  }
  if (!url) {
    ctx.log.warning(`Publication ${publication.slug} (${publication.id}): Applivery answered without its distributionUrl`)
    return
  }
  const how = SECURITY_TEXT[security ?? publication.security ?? ''] ?? ''
  if (change !== 'found') ctx.log.notice(`Install page ${change}: ${url}${how ? ` (${how})` : ''}`)
  ctx.log.info(`Install page ${publication.slug} (${publication.id}): ${url}`)
  ctx.log.info(await qrText(url, 'dark'))
}
