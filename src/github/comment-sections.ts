// A comment that several jobs write, each its own section: a section is held between markers that name its key
// and when its content was made (an ISO time), and a job replaces only the section of its key, keeping the others
// as it found them. Two jobs of one key (two builds of one platform) agree that the newer content stays.

/** A key names a section in a marker: a short word. */
export const SECTION_KEY = /^[a-z0-9-]{1,20}$/
const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/

const start = (key: string, stamp: string): string => `<!-- applivery-builds-action:section=${key} at=${stamp} -->`
const end = (key: string): string => `<!-- applivery-builds-action:end=${key} -->`

/** `content` between the markers of `key`; `stamp` says when it was made (an ISO time; anything else counts as oldest). */
export function wrapSection(key: string, content: string, stamp: string): string {
  if (!SECTION_KEY.test(key)) throw new Error(`not a comment section key: ${key}`)
  return `${start(key, STAMP.test(stamp) ? stamp : '-')}\n${content}\n${end(key)}`
}

/** The sections of a comment, by key, each with its markers. */
export function sectionsOf(body: string): Map<string, string> {
  const sections = new Map<string, string>()
  const pattern =
    /<!-- applivery-builds-action:section=([a-z0-9-]{1,20}) at=[^ >]{1,40} -->\n[\s\S]*?\n<!-- applivery-builds-action:end=\1 -->/g
  for (const match of body.matchAll(pattern)) sections.set(match[1], match[0])
  return sections
}

/** When a section's content was made, as its marker says ('' when it does not). */
export function stampOf(section: string): string {
  const stamp = / at=([^ >]{1,40}) -->/.exec(section)?.[1] ?? ''
  return STAMP.test(stamp) ? stamp : ''
}
