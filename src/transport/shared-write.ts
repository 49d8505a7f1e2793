// A write to something other jobs write at the same moment (an install page, a pull request's comment), where the
// service has no conditional update: the whole thing is replaced by whoever writes last. So the write is verified
// by reading it back a while later, longer than another job takes from reading to writing; when this job's change
// is missing, another job wrote over it from an older read, and the change is made again on top of what is there.
import { setTimeout as sleep } from 'node:timers/promises'

export class LostRaceError extends Error {
  override name = 'LostRaceError'
}

export interface SharedWrite<T> {
  /** Names the thing in messages, e.g. "Install page acme-pr-12". */
  what: string
  /** The thing as it is now; undefined when it does not exist (yet). */
  read(): Promise<T | undefined>
  /** Whether `current` already holds this job's change. */
  holds(current: T): boolean
  /** Writes this job's change on top of `current` (undefined: creates it); 'planned' in a dry run. */
  write(current: T | undefined): Promise<T | 'planned'>
  /** How long to wait before reading back: at least this, at most half as long again (a random part keeps jobs apart). */
  rereadMs: number
  /** Writes at most, before the step fails saying it lost the race. */
  maxWrites: number
  /** Whether a failed write is worth making again (from a fresh read); otherwise the failure is the step's. */
  transient?(err: unknown): boolean
  /** What makes this job's change impossible, as the thing is now (another job's different intent); undefined: none. */
  conflict?(current: T): string | undefined
  log(line: string): void
  signal?: AbortSignal
}

export interface SharedWriteResult<T> {
  /** The thing as last read, holding this job's change; undefined in a dry run. */
  value?: T
  /** How many writes it took. */
  writes: number
}

/**
 * Writes this job's change on top of `current` (the thing as just read), and again until it holds. With
 * `alreadyWritten`, `current` is what this job has just written: it is only read back.
 */
export async function writeShared<T>(
  shared: SharedWrite<T>,
  current: T | undefined,
  { alreadyWritten = false } = {}
): Promise<SharedWriteResult<T>> {
  for (let writes = 1; ; writes++) {
    let failed: unknown
    const written = alreadyWritten && writes === 1 ? current : await shared.write(current).catch((err: unknown) => (failed = err))
    if (failed !== undefined && !shared.transient?.(failed)) throw failed
    if (written === 'planned') return { writes }
    await sleep(shared.rereadMs * (1 + Math.random() / 2), undefined, { signal: shared.signal })
    current = await shared.read()
    if (current !== undefined && shared.holds(current)) return { value: current, writes }
    const conflict = current === undefined ? undefined : shared.conflict?.(current)
    if (conflict) throw new LostRaceError(`${shared.what}: ${conflict}`)
    if (writes >= shared.maxWrites) {
      throw new LostRaceError(
        `${shared.what}: another job's write replaced this job's change after each of ${writes} writes; giving up ` +
          '(run the jobs that share it one after the other, or try again)'
      )
    }
    const why =
      failed === undefined
        ? 'another job wrote it after this one did'
        : `the write failed (${(failed as Error)?.message ?? String(failed)})`
    shared.log(`${shared.what}: ${why}; writing this job's change again on top (${writes + 1} of ${shared.maxWrites})`)
  }
}
