// A small loopback server that answers as a hostile or broken Applivery (and GitHub) would: every text field a
// payload, lists that never end, answers that trickle in a byte at a time, JSON nested without end. Each test
// gives it a handler; the helpers below build the usual answers. It records what reached it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Text that would be workflow commands if it reached the log as it is: LF, bare CR, legacy `##[`, leading spaces. */
export const PAYLOAD = 'x\n::add-mask::PWNMASK\n::error::PWNED\r::notice::PWNCR\n  ::warning::PWNSPACE ##[error]PWNV1'

export interface HostileRequest {
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string | string[] | undefined>
  body: string
}

export interface Answer {
  status?: number
  headers?: Record<string, string>
  /** Sent as JSON. */
  json?: unknown
  /** Sent as it is. */
  text?: string
  /** The text sent one byte every `everyMs`, until the client gives up. */
  trickle?: { text: string; everyMs: number }
  /** This text sent again and again, as fast as the client reads, until it gives up: a body without end. */
  endless?: string
}

export type Handler = (req: HostileRequest) => Answer | Promise<Answer>

export interface HostileServer {
  url: string
  requests: HostileRequest[]
  /** Replaces the handler, e.g. between runs of one test. */
  handle(handler: Handler): void
  close(): Promise<void>
}

export async function startHostileServer(handler: Handler): Promise<HostileServer> {
  let current = handler
  const requests: HostileRequest[] = []
  const timers = new Set<NodeJS.Timeout>()
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://hostile')
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      // Only the start of a large body (an upload) is kept.
      if (size <= 1024 * 1024) chunks.push(chunk)
    })
    req.on('end', () => {
      const request: HostileRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8')
      }
      requests.push(request)
      void Promise.resolve(current(request)).then((answer) => send(res, answer, timers))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle: (next) => {
      current = next
    },
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearInterval(timer)
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

function send(res: ServerResponse, answer: Answer, timers: Set<NodeJS.Timeout>): void {
  const status = answer.status ?? 200
  if (answer.endless !== undefined) {
    const chunk = Buffer.from(answer.endless)
    res.writeHead(status, { 'content-type': 'application/json', ...answer.headers })
    const more = (): void => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', more)
    }
    more()
    return
  }
  if (answer.trickle) {
    const { text, everyMs } = answer.trickle
    res.writeHead(status, { 'content-type': 'application/json', ...answer.headers })
    let at = 0
    const timer = setInterval(() => {
      if (res.destroyed || at >= text.length) {
        clearInterval(timer)
        timers.delete(timer)
        if (!res.destroyed) res.end()
        return
      }
      res.write(text[at++])
    }, everyMs)
    timers.add(timer)
    return
  }
  const text = answer.text ?? JSON.stringify(answer.json ?? null)
  res.writeHead(status, { 'content-type': 'application/json', ...answer.headers, 'content-length': String(Buffer.byteLength(text)) })
  res.end(text)
}

/** Applivery's envelope around `data`. */
export function ok(data: unknown): Answer {
  return { json: { status: true, data } }
}

/** A build whose every text field is `text`. */
export function textBuild(id: string, text: string): Record<string, unknown> {
  return {
    id,
    status: text,
    versionName: text,
    os: text,
    createdAt: text,
    updatedAt: text,
    tags: [text],
    changelog: text,
    error: text,
    errorCode: text,
    processLogs: [text],
    size: 1024,
    deployer: { name: text, info: { commit: text, branch: text, tag: text, buildUrl: text, triggerTimestamp: text } },
    applicationInfo: { id: 'app-1', slug: text, name: text },
    files: [{ id: 'file-1', description: text, file: { originalName: text, size: 1 } }]
  }
}

/** An install page whose every text field is `text`, but its slug (the one asked for, so the action takes it as its own). */
export function textPublication(slug: string, text: string): Record<string, unknown> {
  return {
    id: 'pub-1',
    slug,
    distributionUrl: `https://acme.applivery.com/${text}`,
    application: 'app-1',
    security: text,
    visibility: text,
    filter: { type: text, value: text },
    tags: [text]
  }
}

/** A GitHub issue comment. */
export function comment(id: number, body: string, login = 'github-actions[bot]'): Record<string, unknown> {
  return {
    id,
    body,
    html_url: `https://github.com/acme/mobile-app/pull/12#issuecomment-${id}`,
    user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' }
  }
}

/**
 * Answers for every route the action uses, with every text field `text`: builds, install pages, GitHub's
 * comments (installation token: /user refused). `pageExists`: a page list holds the page asked for.
 */
export function textWorld(text: string, { pageExists = false } = {}): Handler {
  return (req) => {
    const { method, path } = req
    if (path === '/user') return { status: 403, json: { message: 'Resource not accessible by integration' } }
    if (/\/issues\/\d+\/comments$/.test(path)) {
      return method === 'GET' ? { json: [comment(1, text, 'octocat')] } : { status: 201, json: comment(2, text) }
    }
    if (/\/issues\/comments\/\d+$/.test(path)) return { json: comment(2, text) }
    const firstPage = (req.query.page ?? '1') === '1'
    if (/\/distributions/.test(path)) {
      if (method === 'GET' && /\/distributions\/?$/.test(path)) {
        return ok({ items: firstPage && pageExists && req.query.slug ? [textPublication(req.query.slug, text)] : [] })
      }
      if (method === 'DELETE') return ok({ delete: text })
      const slug =
        method === 'GET' ? (req.query.slug ?? 'acme-main') : ((JSON.parse(req.body || '{}') as { slug?: string }).slug ?? 'acme-main')
      return ok(textPublication(slug, text))
    }
    if (/\/builds\/?$/.test(path)) {
      // A finished build (prune deletes it, and logs it) and one whose status is the text too.
      const items = firstPage ? [{ ...textBuild('b-1', text), status: 'processed' }, textBuild('b-3', text)] : []
      return method === 'GET' ? ok({ items }) : ok(textBuild('b-2', text))
    }
    if (method === 'DELETE') return ok({ deleted: text })
    return ok(textBuild('b-1', text))
  }
}

/** A build list whose pages never end: each page full, each build new. */
export function endlessBuilds(pageSize = 100): Handler {
  return (req) => {
    const page = Number(req.query.page ?? 1)
    const items = Array.from({ length: pageSize }, (_, i) => ({
      id: `b${page}x${i}`,
      status: 'processed',
      versionName: '1.0',
      createdAt: '2020-01-01T00:00:00.000Z',
      deployer: { info: { branch: 'elsewhere' } }
    }))
    return ok({ items })
  }
}

/**
 * The runner's reading of a step's output: every line (CR, LF or CRLF ends one) that is a workflow command,
 * `::name props::data` after leading white space, or the legacy `##[name props]data` anywhere in the line.
 */
export function workflowCommands(output: string): { name: string; data: string }[] {
  const commands: { name: string; data: string }[] = []
  for (const line of output.split(/\r\n|\r|\n/)) {
    const trimmed = line.replace(/^[\s\u0085]+/, '')
    const v2 = /^::([^\s:]+)(?: [^:]*)?::(.*)$/.exec(trimmed)
    if (v2) {
      commands.push({ name: v2[1], data: v2[2] })
      continue
    }
    const v1 = /##\[([^\s\]]+)[^\]]*\](.*)$/.exec(line)
    if (v1) commands.push({ name: v1[1], data: v1[2] })
  }
  return commands
}
