// The inputs' defaults, as action.yml declares them (a test fails when the two disagree). The runner fills them
// in; a caller of run() that does not (local-action, a test) gets them here.
import type { InputReader } from './inputs.js'

export const INPUT_DEFAULTS: Readonly<Record<string, string>> = {
  operation: 'upload',
  'api-url': 'https://api.applivery.io',
  'upload-url': 'https://upload.applivery.io',
  'deployer-name': 'GitHub Actions',
  wait: 'false',
  'wait-timeout': '15m',
  limit: '100',
  'if-no-files-found': 'error',
  'allow-outside-workspace': 'false',
  'on-rerun': 'reuse',
  force: 'false',
  'dry-run': 'false',
  publish: 'false',
  'publication-security': 'logged',
  'publication-visibility': 'unlisted',
  'pr-comment': 'false'
}

/** Reads an input, or its default when it is empty. */
export function withDefaults(read: InputReader): InputReader {
  return (name) => read(name) || (INPUT_DEFAULTS[name] ?? '')
}
