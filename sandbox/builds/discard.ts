// The benchmark's mode: upload and attach bodies are counted as they pass, never parsed or hashed, so the
// client, not the sandbox, is what a benchmark measures.
import { drain, notFound, ok, type Reply } from '../transport/http.js'
import type { HandlerContext } from './handlers.js'
import { heldAnswer } from './hold.js'
import { baseBuild } from './store.js'

export async function discard(ctx: HandlerContext): Promise<Reply> {
  const { store, appId, route, rec } = ctx
  await drain(ctx.body)
  if (route.op === 'attach') {
    const build = store.get(appId, route.buildId ?? '')
    return build ? ok(build) : notFound()
  }
  const app = store.app(appId)
  if (!app) return notFound()
  return heldAnswer(store, ctx.behaviour, () => {
    const createdIso = new Date(store.nextTimestamp()).toISOString()
    const build = { ...baseBuild(app, createdIso), status: 'processed', size: rec.bodyBytes, processLogs: ['Discarded (benchmark mode)'] }
    return { build, add: () => store.addFinished(appId, build) }
  })
}
