// operation: unpublish — deletes the run's install page; its builds stay. A page already gone is success.
import { isGone } from '../applivery/errors.js'
import { locatePage } from '../pages/locate.js'
import { applicationIdOf } from '../pages/body.js'
import type { PageTarget } from '../settings/index.js'
import type { OperationContext } from './operation-context.js'

export async function unpublish(ctx: OperationContext, target: PageTarget): Promise<void> {
  const page = await locatePage(ctx, target)
  const found = await page.api.findPublication(page.slug)
  if (!found) {
    ctx.log.info(`Publication ${page.slug} does not exist (already deleted, or never published); nothing to do`)
    return
  }
  const owner = applicationIdOf(found)
  const app = ctx.scope.kind === 'workspace' ? ctx.scope.appId : page.app.id
  if (owner !== undefined && app !== undefined && owner !== app) {
    throw new Error(`Publication slug '${page.slug}' belongs to another app's install page; not deleting it. Check slug.`)
  }
  // Deleted by someone else since the look: what was asked for holds.
  const written = await page.api.deletePublication(found.id).catch((err: unknown) => {
    if (isGone(err)) return { sent: true as const, value: { alreadyGone: true } }
    throw err
  })
  if (!written.sent) return
  ctx.report.page = { id: found.id, slug: found.slug, change: 'deleted' }
  ctx.log.notice(`Install page ${found.slug} deleted${written.value.alreadyGone ? ' (it was already gone)' : ''}; its builds stay`)
}
