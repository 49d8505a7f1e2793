// upload: the build file, its metadata, notifications and custom-platform package fields.
import { resolveOneFile, type FileContext } from './files.js'
import { InputError, parseBoolean, parseChoice, parseGroups, required, type InputReader } from './inputs.js'
import { optional, parseChangelog, parseTags } from './fields.js'
import { BUILD_PLATFORMS, NOTIFY_LANGUAGES, ON_RERUN, type NotifySettings, type PackageSettings, type UploadSettings } from './types.js'

export function parseUpload(read: InputReader, files: FileContext): UploadSettings {
  const pattern = read('file')
  if (pattern === '') throw new InputError('file', "is required for operation 'upload': the path or glob of the build file")
  const languageHint = read('notify-language') === 'de' ? " (German is 'ge')" : ''
  const notify: NotifySettings = {
    collaborators: parseBoolean('notify-collaborators', read('notify-collaborators')),
    employees: parseBoolean('notify-employees', read('notify-employees')),
    message: optional(read('notify-message')),
    language: parseChoice('notify-language', read('notify-language'), NOTIFY_LANGUAGES, languageHint),
    groups: read('notify-groups') === '' ? undefined : parseGroups(read('notify-groups'))
  }
  const pkg: PackageSettings = {
    buildPlatform: parseChoice('build-platform', read('build-platform'), BUILD_PLATFORMS),
    packageName: optional(read('package-name')),
    packageVersion: optional(read('package-version')),
    packageIcon: read('package-icon') === '' ? undefined : resolveOneFile('package-icon', read('package-icon'), files)
  }
  if (pkg.packageIcon && !/\.(png|jpe?g)$/i.test(pkg.packageIcon.name)) {
    throw new InputError('package-icon', `${pkg.packageIcon.name} must be a .png or .jpeg image`)
  }
  if (pkg.buildPlatform !== undefined) {
    const missing = (['package-name', 'package-version', 'package-icon'] as const).filter((name) => read(name) === '')
    if (missing.length > 0) {
      throw new InputError(missing[0], `is required with build-platform '${pkg.buildPlatform}' (set ${missing.join(', ')})`)
    }
  }
  return {
    file: resolveOneFile('file', pattern, files),
    versionName: optional(read('version-name')),
    tags: parseTags(read),
    changelog: parseChangelog(read, files),
    notify,
    package: pkg,
    deployerName: read('deployer-name'),
    onRerun: required('on-rerun', parseChoice('on-rerun', read('on-rerun'), ON_RERUN))
  }
}
