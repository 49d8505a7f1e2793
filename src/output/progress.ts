// Upload progress for the log: at most one line every 10 seconds or 10 percent, never per chunk.
import { formatBytes } from './format.js'
import type { Log } from './log.js'

const MIN_INTERVAL_MS = 10_000
const MIN_STEP = 0.1
/** Smaller bodies go up in a moment; progress lines would only be noise. */
export const MIN_REPORTED_BYTES = 32 * 1024 * 1024

export function progressLogger(log: Log, label: string, total: number, now: () => number = Date.now): ((sent: number) => void) | undefined {
  if (total < MIN_REPORTED_BYTES) return undefined
  const started = now()
  let lastAt = started
  let lastFraction = 0
  return (sent) => {
    const at = now()
    const fraction = total > 0 ? Math.min(sent / total, 1) : 1
    const due = at - lastAt >= MIN_INTERVAL_MS || fraction - lastFraction >= MIN_STEP || fraction === 1
    if (!due || fraction === lastFraction) return
    lastAt = at
    lastFraction = fraction
    const seconds = Math.max((at - started) / 1000, 0.001)
    const rate = sent / seconds
    const left = rate > 0 ? Math.round((total - sent) / rate) : 0
    log.info(
      `${label}: ${formatBytes(sent)} of ${formatBytes(total)} (${Math.floor(fraction * 100)}%), ` + `${formatBytes(rate)}/s, ${left}s left`
    )
  }
}
