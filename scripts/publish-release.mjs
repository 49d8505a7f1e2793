// The release workflow's write job runs this and nothing else of the project's: plain Node and git, nothing
// installed. Run in a checkout of the commit that was checked, with the token in GH_TOKEN.
//   node scripts/publish-release.mjs check-tag vX.Y.Z SHA    the tag on origin still names SHA
//   node scripts/publish-release.mjs move-major vX.Y.Z SHA   points vX at SHA, if vX.Y.Z is the newest vX release
import { execFileSync } from 'node:child_process'

class PublishError extends Error {
  name = 'PublishError'
}

/** The same rule as scripts/release.ts: vMAJOR.MINOR.PATCH, and '-rc.1' and the like for a pre-release. */
function parseTag(tag) {
  const match = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?$/.exec(tag)
  if (!match) throw new PublishError(`'${tag}' is not a release tag: expected vMAJOR.MINOR.PATCH, e.g. v1.2.3 or v1.3.0-rc.1`)
  const [, major, minor, patch, prerelease] = match
  return { tag, major: Number(major), minor: Number(minor), patch: Number(patch), prerelease }
}

function compare(a, b) {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch
}

/**
 * git, with the token (when there is one) given to it through the environment as an HTTP header for the
 * GitHub server only: it is never written to .git/config, where the checkout leaves no credentials either.
 */
function git(args, env = {}) {
  const token = process.env.GH_TOKEN
  const server = process.env.GITHUB_SERVER_URL ?? 'https://github.com'
  const auth = token
    ? {
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: `http.${server}/.extraheader`,
        GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`
      }
    : {}
  return execFileSync('git', args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...auth, ...env }
  }).trim()
}

/** The tags on origin now, read from origin itself: each name's object (what the ref holds) and its commit. */
function remoteTags() {
  const tags = new Map()
  for (const line of git(['ls-remote', '--tags', 'origin']).split('\n').filter(Boolean)) {
    const [object, ref] = line.split('\t')
    // An annotated tag is listed twice: its tag object, then `name^{}` with the commit it names.
    if (ref.endsWith('^{}')) tags.get(ref.slice('refs/tags/'.length, -3)).commit = object
    else tags.set(ref.slice('refs/tags/'.length), { object, commit: object })
  }
  return tags
}

function checkTag(tag, sha, tags = remoteTags()) {
  parseTag(tag)
  const found = tags.get(tag)
  if (!found) throw new PublishError(`${tag} is not a tag on origin`)
  if (found.commit !== sha) {
    throw new PublishError(`${tag} now names ${found.commit}, not ${sha}, the commit that was checked: nothing is released`)
  }
  return `${tag} names ${sha}, the commit that was checked`
}

/**
 * Points the major tag (v1) at `sha` when `tag` is the newest release of that major version, so a fix
 * released for an older minor version never takes `@v1` back. Two tags may release at once: the push is a
 * compare-and-swap on what v1 held when it was read, and when another release moved v1 in between, the
 * decision is made again on what origin holds then.
 */
function moveMajor(tag, sha, attempts = 3) {
  const version = parseTag(tag)
  const major = `v${version.major}`
  if (version.prerelease) return `${tag} is a pre-release: ${major} stays where it is`
  let refused
  for (let attempt = 0; attempt < attempts; attempt++) {
    const tags = remoteTags()
    checkTag(tag, sha, tags)
    const newer = [...tags.keys()]
      .map((name) => {
        try {
          return parseTag(name)
        } catch {
          return undefined
        }
      })
      .filter((other) => other && other.major === version.major && !other.prerelease && compare(other, version) > 0)
    if (newer.length > 0) {
      const names = newer.map((v) => v.tag).join(', ')
      return `${names} ${newer.length > 1 ? 'are' : 'is'} newer: ${major} stays where it is`
    }
    const current = tags.get(major)
    if (current?.commit === sha) return `${major} already points at ${tag}`
    git(['tag', '--force', '--annotate', major, '--message', `${major}: ${tag}`, sha], {
      GIT_COMMITTER_NAME: 'github-actions[bot]',
      GIT_COMMITTER_EMAIL: '41898282+github-actions[bot]@users.noreply.github.com'
    })
    try {
      // The lease: v1 must still hold what was read, or still not exist (an empty value).
      git(['push', `--force-with-lease=refs/tags/${major}:${current?.object ?? ''}`, 'origin', `refs/tags/${major}`])
      return `${major} now points at ${tag} (${sha.slice(0, 12)})`
    } catch (err) {
      refused = err
    }
  }
  throw new PublishError(`${major} was not moved to ${tag}: origin refused ${attempts} times. ${refused.stderr || refused.message}`)
}

function main([command, tag, sha]) {
  if (!['check-tag', 'move-major'].includes(command) || !tag || !/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(sha ?? '')) {
    throw new PublishError('usage: node scripts/publish-release.mjs check-tag|move-major vX.Y.Z COMMIT-SHA')
  }
  console.log(command === 'check-tag' ? checkTag(tag, sha) : moveMajor(tag, sha))
}

try {
  main(process.argv.slice(2))
} catch (err) {
  console.error(err instanceof PublishError ? err.message : (err.stderr || err.message || String(err)).trim())
  process.exit(1)
}
