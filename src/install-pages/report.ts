// What a step tells of an install page: the outputs, a notice with the link, and the QR code in the log.
import type { Publication } from '../applivery/types.js'
import type { InstallPageContext } from './context.js'
import { MAX_QR_TEXT, qrText } from '../report/qr.js'
import { securityText, type InstallPageReport } from '../report/report.js'
import { inline } from '../output/log.js'

/** A longer distributionUrl is not a link anyone can use: it is reported, not used. */
const MAX_URL = 8192

export async function reportInstallPage(
  ctx: InstallPageContext,
  publication: Publication,
  change: InstallPageReport['change'],
  security?: string
): Promise<void> {
  const given = publication.distributionUrl
  const url = given !== undefined && given.length <= MAX_URL ? given : undefined
  ctx.report.installPage = {
    id: publication.id,
    slug: publication.slug,
    url,
    qr: url ? await qrText(url, 'light') : undefined,
    security: security ?? publication.security,
    change
  }
  if (!url) {
    const what = given ? `with a distributionUrl of ${given.length} characters, not used` : 'without its distributionUrl'
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
