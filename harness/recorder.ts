// A second loopback origin that answers 200 to anything and records what reached it,
// e.g. to prove an Authorization header is not forwarded across a redirect.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { flatHeaders } from '../sandbox/transport/http.js'
import type { RecordedRequest } from '../sandbox/types.js'

/** What the recorder keeps of a request: the sandbox's record, less what only the sandbox parses. */
export type RecorderRequest = Pick<RecordedRequest, 'seq' | 'method' | 'path' | 'query' | 'headers' | 'bodyBytes'>

export interface Recorder {
  url: string
  requests: RecorderRequest[]
  close(): Promise<void>
}

export async function startRecorder(host = '127.0.0.1'): Promise<Recorder> {
  const requests: RecorderRequest[] = []
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://recorder')
    const rec: RecorderRequest = {
      seq: requests.length + 1,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: flatHeaders(req),
      bodyBytes: 0
    }
    requests.push(rec)
    req.on('data', (chunk: Buffer) => {
      rec.bodyBytes += chunk.length
    })
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ status: true, data: {} }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${host}:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
