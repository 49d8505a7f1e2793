// operation: unpublish — deletes the run's install page; its builds stay. A page already gone is success.
import { ApiError, isGone } from '../applivery/errors.js'
import type { Publication } from '../applivery/types.js'
import { locateInstallPage, readOwnInstallPage } from '../install-pages/locate.js'
import type { InstallPageTarget } from '../settings/index.js'
import type { OperationContext } from './operation-context.js'
import { inline } from '../output/log.js'

export async function unpublish(ctx: OperationContext, target: InstallPageTarget): Promise<void> {
  const page = await locateInstallPage(ctx, target)
  const found = await readOwnInstallPage(ctx, page)
  if (!found) {
    ctx.log.info(`Publication ${page.slug} does not exist (already deleted, or never published); nothing to do`)
    return
  }
  const written = await page.api.deletePublication(found.id).catch((err: unknown) => {
    // Deleted by someone else since the look: what was asked for holds.
    if (isGone(err)) return { sent: true as const, value: { alreadyGone: true } }
    throw withHint(err, found)
  })
  if (!written.sent) return
  ctx.report.installPage = { id: found.id, slug: found.slug, change: 'deleted' }
  ctx.log.notice(`Install page ${inline(found.slug)} deleted${written.value.alreadyGone ? ' (it was already gone)' : ''}; its builds stay`)
}

/** The Workspace API keeps an app's last page that serves its newest build: say so when that is what was refused. */
function withHint(err: unknown, page: Publication): unknown {
  if (!(err instanceof ApiError) || err.httpStatus !== 400 || page.filter?.type !== 'last') return err
  return new Error(
    `${err.message}\nHint: Applivery keeps an app's last install page that serves its newest build (filter last); ` +
      'to close it without deleting it, publish it with publication-visibility: inactive.',
    { cause: err }
  )
}
