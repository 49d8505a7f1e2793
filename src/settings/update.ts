// update: the fields to change; some only through the Workspace API.
import type { ApiScope } from '../applivery/types.js'
import type { FileContext } from './files.js'
import { InputError, parseBoolean, parseJsonObject, type InputReader } from './inputs.js'
import { optional, parseChangelog, parseTags } from './fields.js'
import type { DefaultScripts, UpdateSettings } from './types.js'

const WORKSPACE_ONLY_UPDATE_INPUTS = [
  'metadata',
  'disabled',
  'pre-install-script',
  'post-install-script',
  'audit-script',
  'enforce-script',
  'script-runner'
] as const

export function parseUpdate(read: InputReader, scope: ApiScope, files: FileContext): UpdateSettings {
  if (scope.kind === 'integrations') {
    const used = WORKSPACE_ONLY_UPDATE_INPUTS.find((name) => read(name) !== '')
    if (used) {
      throw new InputError(
        used,
        'can only be updated through the Workspace API: set organization-id and app-id and use a Service Account token'
      )
    }
  }
  const scripts: DefaultScripts = setOnly({
    preInstall: optional(read('pre-install-script')),
    postInstall: optional(read('post-install-script')),
    audit: optional(read('audit-script')),
    enforce: optional(read('enforce-script')),
    runner: optional(read('script-runner'))
  })
  const changelog = parseChangelog(read, files)
  const fields: UpdateSettings['fields'] = setOnly({
    versionName: optional(read('version-name')),
    tags: parseTags(read),
    changelog: changelog === 'auto' ? undefined : changelog?.text,
    metadata: parseJsonObject('metadata', read('metadata')),
    disabled: parseBoolean('disabled', read('disabled')),
    defaultScripts: Object.keys(scripts).length > 0 ? scripts : undefined
  })
  if (Object.keys(fields).length === 0 && changelog !== 'auto') {
    const names = [
      'version-name',
      'tags',
      'changelog',
      'changelog-file',
      ...(scope.kind === 'workspace' ? WORKSPACE_ONLY_UPDATE_INPUTS : [])
    ]
    throw new InputError('operation', `'update' has nothing to change: set at least one of ${names.join(', ')}`)
  }
  return { fields, autoChangelog: changelog === 'auto' }
}

/** The fields that are set: what is not set is not sent, so Applivery leaves it as it is. */
function setOnly<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T
}
