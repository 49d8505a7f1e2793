// Reads of what several jobs write at once (install pages, a pull request's comments), answered late. Each answer
// is the state as it was when the read arrived, so what a job writes meanwhile is not in another's answer: the
// window between a read and a write in which matrix jobs lose each other's update. With `readTogether`, reads are
// held until that many are waiting (each at most `readDelayMs`), so two jobs read the same state however far
// apart a loaded machine started them.
import { setTimeout as sleep } from 'node:timers/promises'
import type { Behaviour } from '../behaviour.js'

export class SharedReads {
  private waiting: (() => void)[] = []

  /** Resolves when the read may be answered. */
  async hold({ readDelayMs, readTogether }: Pick<Behaviour, 'readDelayMs' | 'readTogether'>): Promise<void> {
    if (readTogether <= 1) return void (await sleep(readDelayMs))
    await new Promise<void>((answer) => {
      const release = (): void => {
        clearTimeout(timer)
        answer()
      }
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((waiting) => waiting !== release)
        answer()
      }, readDelayMs)
      this.waiting.push(release)
      if (this.waiting.length >= readTogether) this.waiting.splice(0).forEach((waiting) => waiting())
    })
  }
}
