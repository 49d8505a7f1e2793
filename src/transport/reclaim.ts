// A walk reads answer after answer of up to 4 MiB each, and drops each once read. On a machine with much memory,
// V8 lets such garbage grow by about 100 MiB before it collects (its young generation grows, and Node keeps large
// answers outside the heap, which V8 counts loosely), so a walk's peak memory would follow how much it read. A
// full collection after every few MiB read keeps it flat, whatever the server sends; it costs a few milliseconds.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/** Bytes read between two collections: small walks, the usual case, never ask for one. */
export const RECLAIM_EVERY_BYTES = 4 * 1024 * 1024

let collect: (() => void) | null | undefined

/** V8's `gc()`, without the --expose-gc flag on the command line the runner starts Node with; null where it is absent. */
function collector(): (() => void) | null {
  if (collect !== undefined) return collect
  try {
    setFlagsFromString('--expose-gc')
    const gc: unknown = runInNewContext('typeof gc === "function" ? gc : undefined')
    collect = typeof gc === 'function' ? (gc as () => void) : null
  } catch {
    collect = null
  }
  return collect
}

/** Collects the garbage of answers already dropped; does nothing where V8 does not offer it. */
export function reclaimMemory(): void {
  collector()?.()
}
