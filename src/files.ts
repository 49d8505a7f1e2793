// Resolves file inputs (paths or globs) to readable, non-empty regular files, before any request.
import { accessSync, constants, statSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import type { globSync, isDynamicPattern } from 'tinyglobby'
import { InputError } from './inputs.js'

export interface FileRef {
  path: string
  name: string
  size: number
  /** Modification time when the inputs were checked; a file that changes before or while it is sent fails. */
  mtimeMs?: number
}

export type IfNoFilesFound = 'error' | 'warn' | 'ignore'

/** The glob library. Loading it takes a good part of the action's start-up, so it is loaded only for globs. */
export interface Globber {
  globSync: typeof globSync
  isDynamicPattern: typeof isDynamicPattern
}

/** Where file inputs are resolved. */
export interface FileContext {
  /** The workspace: relative paths and globs start there. */
  cwd: string
  /** Needed for the patterns that may be globs (see loadGlobber). */
  globber?: Globber
  /** On Windows a pattern may use either slash; elsewhere a backslash escapes the character after it. */
  platform?: NodeJS.Platform
}

/** A pattern without any of these characters is a plain path. */
const GLOB_CHARACTERS = /[*?[\]{}()!]/

/** The glob library, when one of `patterns` may be a glob. */
export async function loadGlobber(patterns: string[]): Promise<Globber | undefined> {
  // A chunk of its own (dist/), loaded only here.
  return patterns.some((pattern) => GLOB_CHARACTERS.test(pattern)) ? await import('tinyglobby') : undefined
}

function globPattern(pattern: string, files: FileContext): string {
  return (files.platform ?? process.platform) === 'win32' ? pattern.replace(/\\/g, '/') : pattern
}

function isGlob(pattern: string, files: FileContext): boolean {
  if (!GLOB_CHARACTERS.test(pattern)) return false
  if (!files.globber) throw new Error(`'${pattern}' may be a glob, but the glob library was not loaded (loadGlobber)`)
  return files.globber.isDynamicPattern(globPattern(pattern, files))
}

/** Paths of the files one pattern names: a literal path when it exists, otherwise the glob's matches. */
function expand(pattern: string, files: FileContext): string[] {
  const literal = resolve(files.cwd, pattern)
  if (exists(literal)) return [literal]
  if (!isGlob(pattern, files)) return []
  const options = { cwd: files.cwd, absolute: true, onlyFiles: true, dot: true, expandDirectories: false }
  // Native separators, so messages and file names look as the user's system writes paths.
  return files
    .globber!.globSync(globPattern(pattern, files), options)
    .map((path) => resolve(path))
    .sort()
}

function noMatch(pattern: string, files: FileContext): string {
  return isGlob(pattern, files) ? `'${pattern}' matches no file` : `${resolve(files.cwd, pattern)} does not exist`
}

export function checkFile(input: string, path: string): FileRef {
  let stats
  try {
    stats = statSync(path)
  } catch {
    throw new InputError(input, `${path} does not exist`)
  }
  if (stats.isDirectory()) throw new InputError(input, `${path} is a directory; give a file (zip a folder such as a .dSYM first)`)
  if (!stats.isFile()) throw new InputError(input, `${path} is not a regular file`)
  if (stats.size === 0) throw new InputError(input, `${path} is empty`)
  try {
    accessSync(path, constants.R_OK)
  } catch {
    throw new InputError(input, `${path} is not readable`)
  }
  return { path, name: basename(path), size: stats.size, mtimeMs: stats.mtimeMs }
}

/** Exactly one file: a path, or a glob that matches exactly one file. */
export function resolveOneFile(input: string, pattern: string, files: FileContext): FileRef {
  const paths = expand(pattern, files)
  if (paths.length === 0) throw new InputError(input, noMatch(pattern, files))
  if (paths.length > 1) {
    const shown = paths.slice(0, 5).join(', ') + (paths.length > 5 ? ', ...' : '')
    throw new InputError(input, `'${pattern}' matches ${paths.length} files (${shown}); it must match exactly one`)
  }
  return checkFile(input, paths[0])
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
    const paths = expand(pattern, files)
    if (paths.length === 0) {
      const message = noMatch(pattern, files)
      if (ifNone === 'error') throw new InputError(input, `${message} (set if-no-files-found to warn or ignore to go on)`)
      if (ifNone === 'warn') warn(`Input '${input}': ${message}`)
      continue
    }
    for (const path of paths) found.set(path, checkFile(input, path))
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
