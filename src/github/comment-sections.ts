// A comment that several jobs write, each its own section: a section is held between markers that name its key,
// and a job replaces only the section of its key, keeping the others as it found them.

const start = (key: string): string => `<!-- applivery-builds-action:section=${key} -->`
const end = (key: string): string => `<!-- applivery-builds-action:end=${key} -->`

/** A key names a section in a marker: a short word. */
export const SECTION_KEY = /^[a-z0-9-]{1,20}$/

/** `content` between the markers of `key`. */
export function wrapSection(key: string, content: string): string {
  if (!SECTION_KEY.test(key)) throw new Error(`not a comment section key: ${key}`)
  return `${start(key)}\n${content}\n${end(key)}`
}

/** The sections of a comment, by key, each with its markers. */
export function sectionsOf(body: string): Map<string, string> {
  const sections = new Map<string, string>()
  const pattern = /<!-- applivery-builds-action:section=([a-z0-9-]{1,20}) -->\n[\s\S]*?\n<!-- applivery-builds-action:end=\1 -->/g
  for (const match of body.matchAll(pattern)) sections.set(match[1], match[0])
  return sections
}
