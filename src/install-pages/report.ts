// What a step tells of an install page: the outputs, a notice with the link, and the QR code in the log.
import type { Publication } from '../applivery/types.js'
import type { OperationContext } from '../operations/operation-context.js'
import { MAX_QR_TEXT, qrText } from '../qr.js'
import type { PageReport } from '../report.js'
import { inline } from '../log.js'
import { securityText } from './body.js'

/** A longer distributionUrl is not a link anyone can use: it is reported, not used. */
const MAX_URL = 8192

export async function reportPage(
  ctx: OperationContext,
  publication: Publication,
  change: PageReport['change'],
  security?: string
): Promise<void> {
  const answered = publication.distributionUrl
  const url = answered !== undefined && answered.length <= MAX_URL ? answered : undefined
  ctx.report.page = {
    id: publication.id,
    slug: publication.slug,
    url,
    qr: url ? await qrText(url, 'light') : undefined,
    security: security ?? publication.security,
    change
  }
  if (!url) {
    const what = answered ? `with a distributionUrl of ${answered.length} characters, not used` : 'without its distributionUrl'
    ctx.log.warning(`Publication ${inline(publication.slug)} (${publication.id}): Applivery answered ${what}`)
    return
  }
  const how = securityText(security ?? publication.security)
  if (change !== 'found') ctx.log.notice(`Install page ${change}: ${inline(url, MAX_URL)}${how ? ` (${how})` : ''}`)
  ctx.log.info(`Install page ${inline(publication.slug)} (${publication.id}): ${inline(url, MAX_URL)}`)
  // The log is shown on a dark background.
  const qr = await qrText(url, 'dark')
  ctx.log.info(qr ?? `The link is longer than ${MAX_QR_TEXT} bytes: no QR code`)
}
