// Every input, parsed once into a typed Settings object. Nothing here makes a request; every error names the input.
import { loadGlobber, type FileContext, type Globber } from './files.js'
import { InputError, parseBoolean, parseChoice, parseDuration, parseId, required, type InputReader } from './inputs.js'
import { parseAttach } from './attach.js'
import { parseList, parsePrune } from './builds.js'
import type { RunContext } from '../github/run.js'
import { parseConnection } from './connection.js'
import { withDefaults } from './defaults.js'
import { OPERATIONS, type Settings, type WaitSettings } from './types.js'
import { parseUpdate } from './update.js'
import { parseUpload } from './upload.js'
import { parseComment, parseInstallPage, parseInstallPageTarget } from './publication.js'
import { parseCommitHistory } from './github.js'

export * from './types.js'

const WAIT_TIMEOUT_RULES = { secondsWithoutUnit: true, units: 'smh', example: '90s, 15m, 1h' }

/** The inputs that name files: paths or globs. */
export const FILE_INPUTS = ['file', 'changelog-file', 'package-icon'] as const

/** The glob library, loaded when a file input may hold a glob (see files.ts). */
export function globberFor(read: InputReader): Promise<Globber | undefined> {
  return loadGlobber(FILE_INPUTS.flatMap((name) => read(name).split('\n')))
}

export interface ParseContext extends FileContext {
  warn: (message: string) => void
  /** The GitHub run: what a derived slug, the page's branch or tag, and the pull request come from. */
  run: RunContext
}

export function parseSettings(readInput: InputReader, { cwd, roots, warn, globber, platform, run, globMs }: ParseContext): Settings {
  const read = withDefaults(readInput)
  const allowOutsideWorkspace = required(
    'allow-outside-workspace',
    parseBoolean('allow-outside-workspace', read('allow-outside-workspace'))
  )
  const files: FileContext = { cwd, roots, allowOutsideWorkspace, globber, platform, globMs }
  const operation = required('operation', parseChoice('operation', read('operation'), OPERATIONS))
  const connection = parseConnection(read)
  const wait: WaitSettings = {
    enabled: required('wait', parseBoolean('wait', read('wait'))),
    timeoutMs: required('wait-timeout', parseDuration('wait-timeout', read('wait-timeout'), WAIT_TIMEOUT_RULES))
  }
  const requireBuildId = (): string => {
    const id = parseId('build-id', read('build-id'))
    if (id === undefined) throw new InputError('build-id', `is required for operation '${operation}'`)
    return id
  }
  const publish = required('publish', parseBoolean('publish', read('publish')))
  if (publish && operation !== 'upload') {
    throw new InputError('publish', `is for operation 'upload'; to publish an existing build use operation: publish, not '${operation}'`)
  }
  const force = required('force', parseBoolean('force', read('force')))
  if (force && operation !== 'delete') throw new InputError('force', `is for operation 'delete', not '${operation}'`)
  const comment = parseComment(read, run, operation)
  const common = { connection, wait, dryRun: required('dry-run', parseBoolean('dry-run', read('dry-run'))), comment }
  const { scope } = connection
  switch (operation) {
    case 'upload': {
      const upload = parseUpload(read, files)
      const commitHistory = upload.changelog === 'auto' ? parseCommitHistory(read, run) : undefined
      return { ...common, operation, upload, commitHistory, publish: publish ? parseInstallPage(read, run, scope, { warn }) : undefined }
    }
    case 'get': {
      const buildId = requireBuildId()
      return { ...common, operation, buildId, installPage: comment ? parseInstallPageTarget(read, run, scope) : undefined }
    }
    case 'list':
      return { ...common, operation, list: parseList(read) }
    case 'update': {
      const buildId = requireBuildId()
      const update = parseUpdate(read, connection.scope, files)
      const commitHistory = update.autoChangelog ? parseCommitHistory(read, run) : undefined
      return { ...common, operation, buildId, update, commitHistory }
    }
    case 'delete':
      return { ...common, operation, buildId: requireBuildId(), force }
    case 'attach': {
      const buildId = requireBuildId()
      return { ...common, operation, buildId, attach: parseAttach(read, files, warn) }
    }
    case 'prune':
      return { ...common, operation, prune: parsePrune(read) }
    case 'publish': {
      const buildId = parseId('build-id', read('build-id'))
      const installPage = parseInstallPage(read, run, scope, { buildIdInput: buildId, warn })
      if (installPage.filter.kind === 'build' && buildId === undefined) {
        throw new InputError('build-id', "is required for operation 'publish' with publication-filter: build (the build the page serves)")
      }
      return { ...common, operation, buildId, publish: installPage }
    }
    case 'unpublish':
      return { ...common, operation, installPage: parseInstallPageTarget(read, run, scope) }
  }
}
