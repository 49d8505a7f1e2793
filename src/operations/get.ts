// operation: get — reports a build as it is, or waits until it is processed; with pr-comment, finds its page too.
import { reason } from '../transport/attempts.js'
import { locateInstallPage } from '../install-pages/locate.js'
import { reportInstallPage } from '../install-pages/report.js'
import type { InstallPageTarget, WaitSettings } from '../settings/index.js'
import type { OperationContext } from './operation-context.js'
import { waitForProcessing } from './wait.js'
import { inline } from '../output/log.js'

export async function get(ctx: OperationContext, buildId: string, wait: WaitSettings, installPage?: InstallPageTarget): Promise<void> {
  if (wait.enabled) {
    await waitForProcessing(ctx, buildId, wait.timeoutMs)
  } else {
    const build = await ctx.api.getBuild(buildId)
    ctx.report.build = build
    ctx.log.info(`Build ${build.id} is '${inline(build.status, 40)}'`)
  }
  if (installPage) await findInstallPage(ctx, installPage)
}

/** For the comment: the page's link when the run has one. Best effort: without it, the comment shows the build. */
async function findInstallPage(ctx: OperationContext, target: InstallPageTarget): Promise<void> {
  try {
    const located = await locateInstallPage(ctx, target, ctx.report.build)
    const found = await located.api.findPublication(located.slug)
    if (found) await reportInstallPage(ctx, found, 'found')
    else ctx.log.info(`No install page ${located.slug} yet; the comment shows the build only`)
  } catch (err) {
    ctx.log.warning(`Could not look for the run's install page (${inline(reason(err), 300)}); the comment shows the build only`)
  }
}
