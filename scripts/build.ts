// npm run build: dist/ from scratch (ncc leaves files of an earlier build behind), and dist/licenses.txt with
// the license of every bundled package, lazily loaded chunks included. ncc's own --license keeps only the last
// chunk's list when a bundle is split, so the list comes from a source-mapped build of the same entry: its maps
// name every file each chunk holds.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const LICENSE_FILE = /^(licen[cs]e|copying)(\.(md|txt))?$/i

/**
 * The packages of every node_modules file the maps in `dir` name, by name, with the folder each came from: a
 * package nested under another (another version of it) is its own entry, with its own license.
 */
export function bundledPackages(dir: string): Map<string, string> {
  const packages = new Map<string, string>()
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.js.map'))) {
    const { sources } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { sources: string[] }
    for (const source of sources) {
      const from = source.indexOf('node_modules/')
      const at = source.lastIndexOf('node_modules/')
      const name = at < 0 ? undefined : /^(@[^/]+\/[^/]+|[^/]+)/.exec(source.slice(at + 'node_modules/'.length))?.[1]
      if (name) packages.set(source.slice(from, at) + `node_modules/${name}`, name)
    }
  }
  return new Map([...packages].sort(([a], [b]) => a.localeCompare(b)))
}

function licenseEntry(folder: string, name: string): string {
  const dir = join(ROOT, folder)
  const { license, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { license?: string; version?: string }
  const file = readdirSync(dir).find((entry) => LICENSE_FILE.test(entry))
  if (!file) throw new Error(`${folder}: no license file to bundle`)
  const label = folder === `node_modules/${name}` ? name : `${name}@${version}`
  return `${label}\n${license ?? 'UNKNOWN'}\n${readFileSync(join(dir, file), 'utf8').trim()}\n`
}

function ncc(out: string, ...flags: string[]): void {
  const cli = join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
  execFileSync(process.execPath, [cli, 'build', join(ROOT, 'src', 'index.ts'), '-o', out, ...flags], { stdio: 'inherit' })
}

if (import.meta.filename === process.argv[1]) {
  const dist = join(ROOT, 'dist')
  rmSync(dist, { recursive: true, force: true })
  ncc(dist)
  const mapped = mkdtempSync(join(tmpdir(), 'ncc-mapped-'))
  try {
    ncc(mapped, '--source-map', '--quiet')
    const packages = bundledPackages(mapped)
    writeFileSync(join(dist, 'licenses.txt'), [...packages].map(([folder, name]) => licenseEntry(folder, name)).join('\n'))
    console.log(`dist/licenses.txt: ${packages.size} packages`)
  } finally {
    rmSync(mapped, { recursive: true, force: true })
  }
}
