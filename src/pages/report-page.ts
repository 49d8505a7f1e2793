// What a step tells of an install page: the outputs, a notice with the link, and the QR code in the log.
import type { Publication } from '../applivery/types.js'
import type { OperationContext } from '../operations/operation-context.js'
import { qrText } from '../qr.js'
import type { PageReport } from '../report.js'
import { securityText } from './body.js'

export async function reportPage(
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
  const how = securityText(security ?? publication.security)
  if (change !== 'found') ctx.log.notice(`Install page ${change}: ${url}${how ? ` (${how})` : ''}`)
  ctx.log.info(`Install page ${publication.slug} (${publication.id}): ${url}`)
  // The log is shown on a dark background.
  ctx.log.info(await qrText(url, 'dark'))
}
