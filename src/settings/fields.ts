// Fields that more than one operation reads.
import { readFileSync } from 'node:fs'
import { resolveOneFile, type FileContext } from './files.js'
import { InputError, splitList, type InputReader } from './inputs.js'
import type { Changelog } from './types.js'

export function optional(value: string): string | undefined {
  return value === '' ? undefined : value
}

export function parseTags(read: InputReader): string[] | undefined {
  const value = read('tags')
  return value === '' ? undefined : splitList(value)
}

/** The release notes: `changelog` as written, `changelog: auto`, or the text of `changelog-file`. */
export function parseChangelog(read: InputReader, files: FileContext): Changelog | undefined {
  const inline = read('changelog')
  const path = read('changelog-file')
  if (inline !== '' && path !== '') {
    throw new InputError('changelog-file', 'cannot be used together with changelog; set one of them')
  }
  if (inline === 'auto') return 'auto'
  if (path === '') return inline === '' ? undefined : { text: inline }
  const file = resolveOneFile('changelog-file', path, files)
  return { text: readFileSync(file.path, 'utf8').trim() }
}
