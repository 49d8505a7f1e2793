// Writing to a request with flat memory: file bytes are read into a few fixed buffers, and a buffer is
// read into again only after the socket has taken its previous contents. Memory stays the same for any
// file size, where a read stream piped into the request allocates a fresh chunk for every read.
import type { FileHandle } from 'node:fs/promises'
import type { Writable } from 'node:stream'

const BUFFER_BYTES = 1024 * 1024
const BUFFER_COUNT = 4

/** Writes a chunk; resolves once the sink can take more (at once, after 'drain', or when the ring allows). */
export function writeChunk(sink: Writable, chunk: Buffer, onFlushed?: () => void): Promise<void> {
  const ready = sink.write(chunk, () => onFlushed?.())
  // For a ring buffer, waiting for its flush is the backpressure; not waiting for 'drain' as well lets the
  // next read from disk overlap the socket's sending, with at most the ring's bytes in flight.
  if (ready || onFlushed) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const done = (err?: Error): void => {
      sink.off('drain', onDrain)
      sink.off('close', onClose)
      if (err) reject(err)
      else resolve()
    }
    const onDrain = (): void => done()
    const onClose = (): void => done(new SinkClosedError('the connection closed while the body was being sent'))
    sink.on('drain', onDrain)
    sink.on('close', onClose)
  })
}

/** The request ended under the body; the request itself reports why. */
export class SinkClosedError extends Error {
  override name = 'SinkClosedError'
  readonly code = 'ESINKCLOSED'
}

/** A fixed set of buffers handed out in turn; each is lent again only after its write was flushed. */
export class BufferRing {
  private readonly buffers = Array.from({ length: BUFFER_COUNT }, () => Buffer.allocUnsafe(BUFFER_BYTES))
  private readonly free: Promise<void>[] = this.buffers.map(() => Promise.resolve())
  private next = 0

  private closed = false
  private readonly sinkClosed: Promise<void>

  /** A destroyed request may never call back for the writes it held: its close frees every buffer. */
  constructor(sink: Writable) {
    this.sinkClosed = new Promise((resolve) => sink.once('close', () => resolve()))
    void this.sinkClosed.then(() => (this.closed = true))
  }

  /** The next buffer, once its previous write has been flushed, and the function that marks it flushed. */
  async take(): Promise<{ buffer: Buffer; flushed: () => void }> {
    const index = this.next
    this.next = (this.next + 1) % this.buffers.length
    await Promise.race([this.free[index], this.sinkClosed])
    if (this.closed) throw new SinkClosedError('the connection closed while the body was being sent')
    let flushed!: () => void
    this.free[index] = new Promise<void>((resolve) => (flushed = resolve))
    return { buffer: this.buffers[index], flushed }
  }
}

export type ChunkWriter = (chunk: Buffer, onFlushed: () => void) => Promise<void>

/** Sends up to `size` bytes of an open file; returns how many bytes the file really had (more means it grew). */
export async function sendFileBytes(handle: FileHandle, size: number, ring: BufferRing, send: ChunkWriter): Promise<number> {
  let sent = 0
  for (;;) {
    const { buffer, flushed } = await ring.take()
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null)
    if (bytesRead === 0) {
      flushed()
      return sent
    }
    sent += bytesRead
    if (sent > size) {
      flushed()
      return sent
    }
    await send(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead), flushed)
  }
}
