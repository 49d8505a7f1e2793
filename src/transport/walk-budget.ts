// Bounds on walking a paginated list: a server may never say it is the last page, send pages without end, or
// pages of huge entries. A walk past a bound fails, with nothing changed on the way (prune deletes only after a
// finished walk), and what it reads and keeps stays within the action's memory.
import { RECLAIM_EVERY_BYTES, reclaimMemory } from './reclaim.js'

export interface WalkLimits {
  /** Pages asked for. */
  pages: number
  /** Bytes of answers read, all pages together. */
  bytes: number
  /** Entries kept. */
  entries: number
  /** Characters of JSON in the entries kept. */
  chars: number
}

export const WALK_LIMITS: Readonly<WalkLimits> = {
  pages: 200,
  bytes: 32 * 1024 * 1024,
  entries: 20_000,
  chars: 24 * 1024 * 1024
}

export class WalkLimitError extends Error {
  override name = 'WalkLimitError'
}

export class WalkBudget {
  private pages = 0
  private bytes = 0
  private entries = 0
  private chars = 0
  private sinceReclaim = 0

  constructor(
    /** Names the list in messages, e.g. "List builds". */
    private readonly what: string,
    private readonly limits: Readonly<WalkLimits> = WALK_LIMITS
  ) {}

  /** Counts a page about to be asked for. */
  page(): void {
    if (++this.pages > this.limits.pages) this.exceeded(`went on past ${this.limits.pages} pages`)
  }

  /** Counts the bytes of a page read. */
  read(bytes: number): void {
    this.bytes += bytes
    if (this.bytes > this.limits.bytes) this.exceeded(`ran past ${mib(this.limits.bytes)} of answers`)
    this.sinceReclaim += bytes
    if (this.sinceReclaim >= RECLAIM_EVERY_BYTES) {
      this.sinceReclaim = 0
      reclaimMemory()
    }
  }

  /** Counts an entry about to be kept. */
  keep(entry: unknown): void {
    this.chars += JSON.stringify(entry)?.length ?? 0
    if (++this.entries > this.limits.entries) this.exceeded(`holds more than ${this.limits.entries.toLocaleString('en')} entries`)
    if (this.chars > this.limits.chars) this.exceeded(`holds more than ${mib(this.limits.chars)} of entries`)
  }

  private exceeded(why: string): never {
    throw new WalkLimitError(`${this.what}: the list ${why}; stopped there, and nothing was changed on the way`)
  }
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MiB`
}
