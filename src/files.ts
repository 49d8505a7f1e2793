// Resolves file inputs (paths or globs) to readable, non-empty regular files, before any request.
import { accessSync, constants, statSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import { globSync, isDynamicPattern } from 'tinyglobby'
import { InputError } from './inputs.js'

export interface FileRef {
  path: string
  name: string
  size: number
  /** Modification time when the inputs were checked; a file that changes before or while it is sent fails. */
  mtimeMs?: number
}

export type IfNoFilesFound = 'error' | 'warn' | 'ignore'

/** Paths of the files one pattern names: a literal path when it exists, otherwise the glob's matches. */
function expand(pattern: string, cwd: string): string[] {
  const literal = resolve(cwd, pattern)
  if (exists(literal)) return [literal]
  if (!isDynamicPattern(pattern)) return []
  return globSync(pattern, { cwd, absolute: true, onlyFiles: true, dot: true, expandDirectories: false }).sort()
}

function noMatch(pattern: string, cwd: string): string {
  return isDynamicPattern(pattern) ? `'${pattern}' matches no file` : `${resolve(cwd, pattern)} does not exist`
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
export function resolveOneFile(input: string, pattern: string, cwd: string): FileRef {
  const paths = expand(pattern, cwd)
  if (paths.length === 0) throw new InputError(input, noMatch(pattern, cwd))
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
  cwd: string,
  ifNone: IfNoFilesFound,
  warn: (message: string) => void
): FileRef[] {
  const found = new Map<string, FileRef>()
  for (const pattern of patterns) {
    const paths = expand(pattern, cwd)
    if (paths.length === 0) {
      const message = noMatch(pattern, cwd)
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
