// A TCP proxy that slices traffic to the sandbox into small, paced pieces: a slow, choppy CI network.
import { createServer, connect, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { Transform, type TransformCallback } from 'node:stream'

export interface Throttle {
  url: string
  close(): Promise<void>
}

/** Re-chunks a stream into pieces of at most `sliceBytes`, paced to `bytesPerSecond`. */
class Pacer extends Transform {
  private readonly started = Date.now()
  private passed = 0

  constructor(
    private readonly sliceBytes: number,
    private readonly bytesPerSecond: number
  ) {
    super()
  }

  override async _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): Promise<void> {
    for (let offset = 0; offset < chunk.length; offset += this.sliceBytes) {
      const slice = chunk.subarray(offset, offset + this.sliceBytes)
      this.passed += slice.length
      const due = this.started + (this.passed / this.bytesPerSecond) * 1000
      const wait = due - Date.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      this.push(slice)
    }
    done()
  }
}

export async function startThrottle(target: string, { sliceBytes = 16 * 1024, bytesPerSecond = 16 * 1024 * 1024 } = {}): Promise<Throttle> {
  const { hostname, port } = new URL(target)
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(new Pacer(sliceBytes, bytesPerSecond)).pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}
