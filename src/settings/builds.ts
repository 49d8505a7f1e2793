// list and prune: which builds, how many, how old.
import { InputError, parseChoice, parseDuration, parseWholeNumber, required, type InputReader } from './inputs.js'
import { optional, parseTags } from './fields.js'
import { BUILD_STATUSES, LIST_OS, type BuildFilters, type ListSettings, type PruneSettings } from './types.js'

/** Ages for pruning: no minutes or seconds, so '6m' cannot be misread as six months and prune everything. */
const OLDER_THAN_RULES = { secondsWithoutUnit: false, units: 'hdw', example: '12h, 30d, 2w', hint: 'for months use weeks, e.g. 26w' }

function parseFilters(read: InputReader, statuses: readonly string[]): BuildFilters {
  return {
    status: parseChoice('status', read('status'), statuses),
    os: parseChoice('os', read('os'), LIST_OS),
    versionName: optional(read('version-name')),
    tags: parseTags(read),
    branch: optional(read('branch'))
  }
}

export function parseList(read: InputReader): ListSettings {
  return {
    ...parseFilters(read, BUILD_STATUSES),
    limit: required('limit', parseWholeNumber('limit', read('limit'), { min: 1 })),
    page: parseWholeNumber('page', read('page'), { min: 1 })
  }
}

export function parsePrune(read: InputReader): PruneSettings {
  const keep = parseWholeNumber('keep', read('keep'), { min: 0 })
  const olderThanMs = parseDuration('older-than', read('older-than'), OLDER_THAN_RULES)
  if (keep === undefined && olderThanMs === undefined) {
    throw new InputError('keep', "or older-than is required for operation 'prune' (set one or both), e.g. keep: 20 or older-than: 30d")
  }
  // Builds still being processed are never pruned, so only finished statuses make sense as a filter.
  return { filters: parseFilters(read, ['processed', 'error']), keep, olderThanMs }
}
