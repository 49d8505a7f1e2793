// Resolves file inputs (paths or globs) to readable, non-empty regular files, before any request. A file must
// be inside the workspace (or the runner's temp folder) once symbolic links are resolved, and never inside a
// .git folder, whose config holds the checkout's token; globs stay in the workspace, and their walk is bounded.
import { accessSync, constants, readdirSync, realpathSync, statSync } from 'node:fs'
import { basename, isAbsolute, relative, resolve } from 'node:path'
import type { globSync, isDynamicPattern } from 'tinyglobby'
import { InputError } from './inputs.js'

export interface FileRef {
  /** The file's real path, symbolic links resolved: what is read and sent. */
  path: string
  /** Its name as the input named it: what Applivery is told. */
  name: string
  size: number
  /** Which file it was, and when it was last changed, when the inputs were checked: one replaced or changed since fails. */
  mtimeMs: number
  ino: number
  dev: number
}

export type IfNoFilesFound = 'error' | 'warn' | 'ignore'

/** The glob library. Loading it takes a good part of the action's start-up, so it is loaded only for globs. */
export interface Globber {
  globSync: typeof globSync
  isDynamicPattern: typeof isDynamicPattern
}

/** Where file inputs are resolved, and where they may be. */
export interface FileContext {
  /** The workspace: relative paths and globs start there. */
  cwd: string
  /** The folders files must be in (the workspace and the runner's temp folder); default: `cwd` alone. */
  roots?: string[]
  /** allow-outside-workspace: files may be anywhere but in a .git folder. */
  allowOutsideWorkspace?: boolean
  /** Needed for the patterns that may be globs (see loadGlobber). */
  globber?: Globber
  /** On Windows a pattern may use either slash; elsewhere a backslash escapes the character after it. */
  platform?: NodeJS.Platform
  /** How long a glob may walk; default GLOB_MS. */
  globMs?: number
}

/** A glob's walk stops past this many directory entries, or this long: a pattern over / or a huge tree fails clearly. */
export const GLOB_ENTRIES = 500_000
export const GLOB_MS = 60_000

/** A pattern without any of these characters is a plain path. */
const GLOB_CHARACTERS = /[*?[\]{}()!]/

/** The glob library, when one of `patterns` may be a glob. */
export async function loadGlobber(patterns: string[]): Promise<Globber | undefined> {
  // A chunk of its own (dist/), loaded only here.
  return patterns.some((pattern) => GLOB_CHARACTERS.test(pattern)) ? await import('tinyglobby') : undefined
}

function isWindows(files: FileContext): boolean {
  return (files.platform ?? process.platform) === 'win32'
}

function globPattern(pattern: string, files: FileContext): string {
  return isWindows(files) ? pattern.replace(/\\/g, '/') : pattern
}

function isGlob(pattern: string, files: FileContext): boolean {
  if (!GLOB_CHARACTERS.test(pattern)) return false
  if (!files.globber) throw new Error(`'${pattern}' may be a glob, but the glob library was not loaded (loadGlobber)`)
  return files.globber.isDynamicPattern(globPattern(pattern, files))
}

/** The real path, symbolic links resolved; the path itself when it does not exist. */
function realPath(path: string): string {
  try {
    return realpathSync.native(path)
  } catch {
    return path
  }
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/** Whether any folder on `path` is named .git (in any case: macOS and Windows do not tell them apart). */
function inGitFolder(path: string): boolean {
  return path.split(/[\\/]/).some((segment) => segment.toLowerCase() === '.git')
}

/**
 * Git's credential and config files outside .git: actions/checkout v6 keeps the token in the runner's temp folder
 * (git-credentials-<uuid>.config), and a user's .gitconfig or .git-credentials may hold one.
 */
const GIT_CREDENTIALS = /^(\.git-credentials|\.gitconfig|git-credentials-.*\.config)$/i

function rootsOf(files: FileContext): string[] {
  return (files.roots ?? [files.cwd]).map(realPath)
}

/** Refuses a path (real or as given) in a .git folder, or, unless allowed, outside the roots. */
function checkPlace(input: string, given: string, real: string, files: FileContext): void {
  const roots = rootsOf(files)
  const root = roots.find((candidate) => isInside(real, candidate))
  // Inside a root, only the part below it counts: a workspace that is itself under a folder named .git is not refused.
  const below = (path: string, base: string | undefined): string => (base && isInside(path, base) ? relative(base, path) : path)
  const shown = real === given ? real : `${given}, which resolves to ${real},`
  if (inGitFolder(below(real, root)) || inGitFolder(below(given, files.cwd))) {
    throw new InputError(input, `${shown} is inside a .git folder, which holds the checkout's credentials; it is never read`)
  }
  if (GIT_CREDENTIALS.test(basename(real)) || GIT_CREDENTIALS.test(basename(given))) {
    throw new InputError(input, `${shown} is a git credentials or config file, which may hold the checkout's token; it is never read`)
  }
  if (root === undefined && !files.allowOutsideWorkspace) {
    const where = real === given ? real : `${given} resolves to ${real}, which is`
    throw new InputError(
      input,
      `${where} outside the workspace (${roots.join(', ')}); keep the file in the workspace, or set allow-outside-workspace: true`
    )
  }
}

/** The folder a glob starts its walk in: its leading segments that hold no glob characters. */
function globBase(pattern: string, files: FileContext): string {
  const segments = globPattern(pattern, files).split('/')
  const fixed: string[] = []
  for (const segment of segments.slice(0, -1)) {
    if (GLOB_CHARACTERS.test(segment)) break
    fixed.push(segment)
  }
  // ['', ...] is an absolute pattern ('/' is its first folder); ['C:', ...] one on a drive.
  return resolve(files.cwd, fixed.length === 0 ? '.' : `${fixed.join('/')}/`)
}

/** The glob's matches, its walk bounded in entries and time. */
function globFiles(input: string, pattern: string, files: FileContext): string[] {
  const base = globBase(pattern, files)
  if (!files.allowOutsideWorkspace && !rootsOf(files).some((root) => isInside(realPath(base), root))) {
    throw new InputError(input, `'${pattern}' searches ${base}, outside the workspace; set allow-outside-workspace: true to search there`)
  }
  let visited = 0
  const limitMs = files.globMs ?? GLOB_MS
  const deadline = Date.now() + limitMs
  let exceeded = false
  const fs = {
    readdirSync: ((path: string, options: { withFileTypes: true }) => {
      if (exceeded) throw new Error('glob limit')
      const entries = readdirSync(path, options)
      visited += entries.length
      if (visited > GLOB_ENTRIES || Date.now() >= deadline) {
        exceeded = true
        throw new Error('glob limit')
      }
      return entries
    }) as unknown as typeof readdirSync
  }
  // Symbolic links are neither followed nor matched: a link out of the workspace, or a loop, is never walked.
  const options = { cwd: files.cwd, absolute: true, onlyFiles: true, dot: true, expandDirectories: false, followSymbolicLinks: false, fs }
  let found: string[] = []
  try {
    found = files.globber!.globSync(globPattern(pattern, files), options)
  } catch (err) {
    if (!exceeded) throw err
  }
  if (exceeded) {
    throw new InputError(
      input,
      `'${pattern}' walked more than ${GLOB_ENTRIES.toLocaleString('en')} folder entries or ${limitMs / 1000}s; ` +
        'narrow it, e.g. app/build/outputs/**/*.apk'
    )
  }
  // Native separators, so messages and file names look as the user's system writes paths.
  return found.map((path) => resolve(path)).sort()
}

/** Paths of the files one pattern names: a literal path when it exists, otherwise the glob's matches. */
function expand(input: string, pattern: string, files: FileContext): string[] {
  const literal = resolve(files.cwd, pattern)
  if (exists(literal)) return [literal]
  return isGlob(pattern, files) ? globFiles(input, pattern, files) : []
}

function noMatch(pattern: string, files: FileContext): string {
  return isGlob(pattern, files) ? `'${pattern}' matches no file` : `${resolve(files.cwd, pattern)} does not exist`
}

export function checkFile(input: string, path: string, files: FileContext): FileRef {
  const real = realPath(path)
  checkPlace(input, path, real, files)
  let stats
  try {
    stats = statSync(real)
  } catch {
    throw new InputError(input, `${path} does not exist`)
  }
  if (stats.isDirectory()) throw new InputError(input, `${path} is a directory; give a file (zip a folder such as a .dSYM first)`)
  if (!stats.isFile()) throw new InputError(input, `${path} is not a regular file`)
  if (stats.size === 0) throw new InputError(input, `${path} is empty`)
  try {
    accessSync(real, constants.R_OK)
  } catch {
    throw new InputError(input, `${path} is not readable`)
  }
  return { path: real, name: basename(path), size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino, dev: stats.dev }
}

/** Exactly one file: a path, or a glob that matches exactly one file. */
export function resolveOneFile(input: string, pattern: string, files: FileContext): FileRef {
  const paths = expand(input, pattern, files)
  if (paths.length === 0) throw new InputError(input, noMatch(pattern, files))
  if (paths.length > 1) {
    const shown = paths.slice(0, 5).join(', ') + (paths.length > 5 ? ', ...' : '')
    throw new InputError(input, `'${pattern}' matches ${paths.length} files (${shown}); it must match exactly one`)
  }
  return checkFile(input, paths[0], files)
}

/** Several files, one path or glob per line; a line matching nothing is handled per `ifNone`. */
export function resolveFiles(
  input: string,
  patterns: string[],
  files: FileContext,
  ifNone: IfNoFilesFound,
  warn: (message: string) => void
): FileRef[] {
  const found = new Map<string, FileRef>()
  for (const pattern of patterns) {
    const paths = expand(input, pattern, files)
    if (paths.length === 0) {
      const message = noMatch(pattern, files)
      if (ifNone === 'error') throw new InputError(input, `${message} (set if-no-files-found to warn or ignore to go on)`)
      if (ifNone === 'warn') warn(`Input '${input}': ${message}`)
      continue
    }
    for (const path of paths) {
      const file = checkFile(input, path, files)
      found.set(file.path, file)
    }
  }
  return [...found.values()]
}

function exists(path: string): boolean {
  try {
    statSync(path)
    return true
  } catch {
    return false
  }
}
