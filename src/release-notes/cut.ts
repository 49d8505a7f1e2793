// Release notes cut to what Applivery takes, at whole lines, with a last line that says what was left out.
// Markdown stays as written; a code block left open by the cut is closed.

/** Applivery's limit is not documented: this is well within what its double takes (see docs/operations.md). */
export const MAX_RELEASE_NOTES_CHARS = 4000

const FENCE = /^ {0,3}(```|~~~)/

/** The first `length` characters, without splitting a character outside the Basic Multilingual Plane. */
function head(text: string, length: number): string {
  const code = text.charCodeAt(length - 1)
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length)
}

function moreCommits(count: number): string {
  return count === 0 ? '' : `… and ${count} more commit${count === 1 ? '' : 's'}`
}

/**
 * Commit subjects as a Markdown list in the order given (newest first), as many whole lines as fit in `max`
 * with, when some are left out, a last line counting them (`total` counts those never read too).
 */
export function commitList(subjects: string[], total: number, max = MAX_RELEASE_NOTES_CHARS): string {
  const lines = subjects.map((subject) => `- ${subject.trim() || '(no message)'}`)
  const withTrailer = (kept: number, length: number): number => {
    const more = moreCommits(total - kept)
    return more === '' ? length : length + (kept > 0 ? 1 : 0) + more.length
  }
  let best = 0
  let length = 0
  for (let kept = 1; kept <= lines.length; kept++) {
    length += (kept > 1 ? 1 : 0) + lines[kept - 1].length
    if (length > max) break
    if (withTrailer(kept, length) <= max) best = kept
  }
  if (best === 0 && lines.length > 0) {
    // A first subject longer than the notes themselves: the only line that is ever cut.
    const rest = moreCommits(total - 1)
    const room = max - (rest === '' ? 0 : rest.length + 1) - 1
    return [`${head(lines[0], room)}…`, rest].filter((line) => line !== '').join('\n')
  }
  return [...lines.slice(0, best), moreCommits(total - best)].filter((line) => line !== '').join('\n')
}

/**
 * Text (a pull request's title and body, a commit message) within `max`: cut after the last whole line that
 * fits, with a last line that says so. A paragraph longer than half the notes is cut between words instead,
 * so that most of it is kept.
 */
export function cutText(text: string, why: string, max = MAX_RELEASE_NOTES_CHARS): string {
  const normal = text.replace(/\r\n?/g, '\n')
  if (normal.length <= max) return normal
  const trailer = `\n\n… (${why})`
  // Room for the trailer and a fence that closes a code block the cut left open.
  const room = max - trailer.length - 4
  const atLine = normal.lastIndexOf('\n', room)
  const atWord = normal.slice(0, room + 1).search(/\s\S*$/)
  const end = atLine > room / 2 ? atLine : atWord > room / 2 ? atWord : room
  const kept = head(normal, end).trimEnd()
  const fences = kept.split('\n').flatMap((line) => FENCE.exec(line)?.[1] ?? [])
  const close = fences.length % 2 === 1 ? `\n${fences[fences.length - 1]}` : ''
  return `${kept}${close}${trailer}`
}
