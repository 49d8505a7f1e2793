// attach: the files to attach, one path or glob per line.
import { resolveFiles, type FileContext, type IfNoFilesFound } from './files.js'
import { InputError, parseChoice, required, type InputReader } from './inputs.js'
import { optional } from './fields.js'
import type { AttachSettings } from './types.js'

export function parseAttach(read: InputReader, files: FileContext, warn: (message: string) => void): AttachSettings {
  const patterns = read('file')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
  if (patterns.length === 0) {
    throw new InputError('file', "is required for operation 'attach': one path or glob per line")
  }
  const ifNone = required(
    'if-no-files-found',
    parseChoice<IfNoFilesFound>('if-no-files-found', read('if-no-files-found'), ['error', 'warn', 'ignore'])
  )
  return { files: resolveFiles('file', patterns, files, ifNone, warn), description: optional(read('description')) }
}
