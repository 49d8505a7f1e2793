// operation: get — reports a build as it is, or waits until it is processed; with pr-comment, finds its page too.
import { locatePage } from '../pages/locate.js'
import type { PageTarget, WaitSettings } from '../settings/index.js'
import type { OperationContext } from './operation-context.js'
import { report } from './publish.js'
import { waitForProcessing } from './wait.js'

export async function get(ctx: OperationContext, buildId: string, wait: WaitSettings, page?: PageTarget): Promise<void> {
  if (wait.enabled) {
    await waitForProcessing(ctx, buildId, wait.timeoutMs)
  } else {
    const build = await ctx.api.getBuild(buildId)
    ctx.report.build = build
    ctx.log.info(`Build ${build.id} is '${build.status}'`)
  }
  if (page) {
    // The comment shows the page's link when the run has one; without it, the build alone.
    const located = await locatePage(ctx, page, ctx.report.build)
    const found = await located.api.findPublication(located.slug)
    if (found) await report(ctx, found, 'found')
    else ctx.log.info(`No install page ${located.slug} yet; the comment shows the build only`)
  }
}
