// The six Builds API operations, once the route and the token have been checked.
import type { IncomingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import type { Behaviour } from '../behaviour.js'
import { fail, invalidFile, isReply, notFound, notProcessed, ok, readJsonObject, type Reply } from '../transport/http.js'
import type { RecordedRequest } from '../types.js'
import { applyUpdate, uploadedBuild } from './fields.js'
import { heldAnswer, type NewBuild } from './hold.js'
import { MultipartError, parseMultipart } from './multipart.js'
import { DEFAULT_LIMIT, limitRefusal, pageData, positiveInt } from './paging.js'
import type { Route } from './routes.js'
import { newId, type AttachedFile, type Store } from './store.js'
import { changelogRefusal } from './validation.js'

export interface HandlerContext {
  store: Store
  route: Route
  appId: string
  body: Readable
  headers: IncomingHttpHeaders
  rec: RecordedRequest
  uploadUrl: string
  /** Live: configure() changes it in place, so a long upload gets the processing delay current at its end. */
  behaviour: Behaviour
}

export function handle(ctx: HandlerContext): Promise<Reply> | Reply {
  switch (ctx.route.op) {
    case 'list':
      return list(ctx)
    case 'details':
      return details(ctx)
    case 'update':
      return update(ctx)
    case 'delete':
      return remove(ctx)
    case 'upload':
      return upload(ctx)
    case 'attach':
      return attach(ctx)
  }
}

function list({ store, appId, rec, behaviour }: HandlerContext): Reply {
  const q = rec.query
  const page = positiveInt(q.page, 1)
  const limit = positiveInt(q.limit, DEFAULT_LIMIT)
  if (page === undefined || limit === undefined) return fail(400, 400, 'Invalid query')
  const refusal = q.limit === undefined ? undefined : limitRefusal(limit, behaviour.refuseLimitAbove, behaviour.refuseLimitStatus)
  if (refusal) return refusal
  const size = Math.min(limit, behaviour.maxPageSize)
  // An empty filter value means "no filter", as most query-string APIs treat it.
  const wanted = (key: string, actual: unknown): boolean => !q[key] || q[key] === actual
  const items = store.list(appId).filter((b) => wanted('versionName', b.versionName) && wanted('status', b.status) && wanted('os', b.os))
  return ok(pageData(items, { page, size }, behaviour.listForm))
}

function details({ store, appId, route }: HandlerContext): Reply {
  const build = store.get(appId, route.buildId ?? '')
  return build ? ok(build) : notFound()
}

async function update({ store, appId, route, body }: HandlerContext): Promise<Reply> {
  const json = await readJsonObject(body)
  if (isReply(json)) return json
  const refusal = changelogRefusal(json.changelog)
  if (refusal) return refusal
  const build = store.get(appId, route.buildId ?? '')
  if (!build) return notFound()
  const badField = applyUpdate(build, json, route.api)
  return badField ? fail(400, 400, `Invalid field ${badField}`) : ok(build)
}

function remove({ store, appId, route }: HandlerContext): Reply {
  const build = store.get(appId, route.buildId ?? '')
  if (!build) return notFound()
  if (build.status === 'pending' || build.status === 'in_progress') return notProcessed()
  store.remove(appId, build.id)
  return ok({ deleted: true })
}

/** Parses the multipart body into the recorded request; false when it was not valid multipart. */
async function receiveParts({ body, headers, rec }: HandlerContext): Promise<boolean> {
  try {
    await parseMultipart(body, headers, rec)
    return true
  } catch (err) {
    if (err instanceof MultipartError) return false
    throw err // the client went away
  }
}

async function upload(ctx: HandlerContext): Promise<Reply> {
  const { store, appId, rec, behaviour } = ctx
  const app = store.app(appId)
  if (!app) return notFound()
  const parsed = await receiveParts(ctx)
  const file = rec.files.find((f) => f.field === 'build')
  if (!parsed || !file) return invalidFile()
  const refusal = changelogRefusal(rec.fields.changelog)
  if (refusal) return refusal
  const make = (): NewBuild => {
    const createdMs = store.nextTimestamp()
    const build = uploadedBuild(app, rec.fields, file, new Date(createdMs).toISOString(), behaviour.triggerTimestampAs)
    return {
      build,
      add: () => store.addUploaded(appId, build, { name: file.filename, size: file.size }, createdMs, behaviour.processingDelayMs)
    }
  }
  return heldAnswer(store, behaviour, make)
}

async function attach(ctx: HandlerContext): Promise<Reply> {
  const { store, appId, route, rec } = ctx
  const parsed = await receiveParts(ctx)
  store.advance() // processing may have finished while the file arrived
  const build = store.get(appId, route.buildId ?? '')
  if (!build) return notFound()
  // Some of Applivery's answers call a processed build 'success'.
  if (build.status !== 'processed' && build.status !== 'success') return notProcessed()
  const parts = rec.files.filter((f) => f.field === 'file')
  if (!parsed || parts.length === 0) return invalidFile()
  const now = new Date().toISOString()
  const files = Array.isArray(build.files) ? (build.files as AttachedFile[]) : []
  for (const part of parts) {
    const id = newId()
    files.push({
      id,
      type: 'attachment',
      description: rec.fields.description ?? '',
      file: {
        originalName: part.filename,
        mimetype: part.contentType,
        size: part.size,
        checksum: part.sha256,
        location: `${ctx.uploadUrl}/files/${id}`,
        createdAt: now,
        updatedAt: now
      }
    })
  }
  build.files = files
  build.updatedAt = now
  return ok(build)
}
