// Releasing a version: what the release workflow's read-only job checks for a tag vX.Y.Z. The job that writes
// (creates the release, moves the major tag) runs scripts/publish-release.mjs, with nothing installed.
//   tsx scripts/release.ts check vX.Y.Z   the tag, package.json and CHANGELOG.md agree
//   tsx scripts/release.ts notes vX.Y.Z   prints the version's CHANGELOG section
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

export interface Version {
  tag: string
  version: string
  major: number
  minor: number
  patch: number
  /** '-rc.1' and the like: a pre-release never moves the major tag (scripts/publish-release.mjs). */
  prerelease?: string
}

export class ReleaseError extends Error {
  override name = 'ReleaseError'
}

export function parseTag(tag: string): Version {
  const match = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?$/.exec(tag)
  if (!match) throw new ReleaseError(`'${tag}' is not a release tag: expected vMAJOR.MINOR.PATCH, e.g. v1.2.3 or v1.3.0-rc.1`)
  const [, major, minor, patch, prerelease] = match
  return { tag, version: tag.slice(1), major: Number(major), minor: Number(minor), patch: Number(patch), prerelease }
}

/** The body of the `## X.Y.Z` section (a date or brackets around the version are allowed), up to the next `## `. */
export function changelogSection(changelog: string, version: string): string {
  const lines = changelog.split(/\r?\n/)
  const escaped = version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const heading = new RegExp(`^## \\[?v?${escaped}\\]?(\\s|$)`)
  const start = lines.findIndex((line) => heading.test(line))
  if (start < 0) throw new ReleaseError(`CHANGELOG.md has no section '## ${version}': add what this version changes`)
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '))
  const body = lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim()
  if (body === '') throw new ReleaseError(`CHANGELOG.md's section '## ${version}' is empty`)
  return body
}

export function check(tag: string, root: string): Version {
  const version = parseTag(tag)
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }
  if (pkg.version !== version.version) {
    throw new ReleaseError(`package.json says version ${pkg.version}, the tag says ${version.version}: set package.json's version first`)
  }
  changelogSection(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), version.version)
  return version
}

function main(argv: string[]): void {
  const [command, tag] = argv
  const root = resolve(import.meta.dirname, '..')
  if (!tag || !['check', 'notes'].includes(command)) throw new ReleaseError('usage: tsx scripts/release.ts check|notes vX.Y.Z')
  if (command === 'check') console.log(`${tag}: package.json and CHANGELOG.md agree`, check(tag, root).version)
  if (command === 'notes') console.log(changelogSection(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), parseTag(tag).version))
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    main(process.argv.slice(2))
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err))
    process.exit(1)
  }
}
