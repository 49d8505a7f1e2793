// Answering before the request body has been read, then closing: what Applivery's upload host does with a bad
// token in the middle of a large upload (the client sees the answer, then EPIPE or a reset while still sending).
import type { IncomingMessage, ServerResponse } from 'node:http'
import { isReply, type Reply } from './http.js'
import { authorize, matchRoute } from './routes.js'
import type { Store } from './store.js'
import type { RecordedHost, RecordedRequest } from './types.js'

/** How long the connection stays open after the answer, so the client can read it (nginx's lingering close). */
export const LINGER_MS = 50

/** The refusal of an upload or attach request whose token is not accepted; undefined for anything else. */
export function refusedUpload(
  store: Store,
  host: RecordedHost,
  rec: RecordedRequest,
  authorization: string | undefined
): Reply | undefined {
  if (host !== 'upload') return undefined
  const route = matchRoute(rec.method, host, rec.path)
  if (isReply(route)) return undefined // not an upload route: answered the usual way
  const auth = authorize(store, route, authorization)
  return isReply(auth) ? auth : undefined
}

/** Writes the answer at once, stops reading the body, and destroys the socket LINGER_MS after the answer was sent. */
export function answerEarly(req: IncomingMessage, res: ServerResponse, status: number, text: string): Promise<void> {
  req.unpipe() // stop reading: node then stops taking the body off the socket, and the client's sends back up
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close', 'content-length': String(Buffer.byteLength(text)) })
  return new Promise((resolve) => {
    res.once('close', () => resolve())
    // write(), not end(): at end() node would either read and discard the rest of the body or close at once.
    res.write(text, () => {
      setTimeout(() => req.socket.destroy(), LINGER_MS).unref()
    })
  })
}
