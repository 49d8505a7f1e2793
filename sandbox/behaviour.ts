// The settings configure() may change at run time: their defaults, their checks, and how a partial is merged in.
import type { ListForm, PublicationListFilters, SandboxBehaviour, SlugClash, TriggerTimestampForm, UploadHold } from './types.js'

/** Every setting filled in; the ones that switch something on stay undefined while off. */
export interface Behaviour {
  processingDelayMs: number
  maxPageSize: number
  uploadHold: UploadHold | undefined
  triggerTimestampAs: TriggerTimestampForm
  listForm: ListForm
  refuseLimitAbove: number | undefined
  refuseLimitStatus: 400 | 422
  rejectEarly: boolean
  stores: number
  slugClash: SlugClash
  createStatus: 200 | 201
  publicationListFilters: PublicationListFilters
  integrationsNeedApplication: boolean
  publicationListItems: 'full' | 'summary'
}

export const DEFAULT_BEHAVIOUR: Readonly<Behaviour> = {
  processingDelayMs: 300,
  maxPageSize: 100,
  uploadHold: undefined,
  triggerTimestampAs: 'string',
  listForm: 'items',
  refuseLimitAbove: undefined,
  refuseLimitStatus: 400,
  rejectEarly: false,
  stores: 1,
  slugClash: { status: 400, code: 5024, message: 'Slug already used' },
  createStatus: 200,
  publicationListFilters: 'honoured',
  integrationsNeedApplication: false,
  publicationListItems: 'full'
}

const KEYS = Object.keys(DEFAULT_BEHAVIOUR) as (keyof Behaviour)[]

/** `base` with the settings that `partial` names; one named with the value undefined goes back to its default. */
export function mergeBehaviour(base: Readonly<Behaviour>, partial: SandboxBehaviour): Behaviour {
  const next: Record<string, unknown> = { ...base }
  for (const key of KEYS) {
    if (key in partial) next[key] = partial[key] ?? DEFAULT_BEHAVIOUR[key]
  }
  // Copies: the caller may reuse its objects.
  if (next.uploadHold) next.uploadHold = { ...(next.uploadHold as UploadHold) }
  next.slugClash = { ...(next.slugClash as SlugClash) }
  const merged = next as unknown as Behaviour
  const bad = KEYS.find((key) => !valid(merged, key))
  if (bad) throw new TypeError(`sandbox: invalid ${bad}: ${JSON.stringify(merged[bad])}`)
  return merged
}

const nonNegative = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n) && n >= 0

function valid(b: Behaviour, key: keyof Behaviour): boolean {
  switch (key) {
    case 'processingDelayMs':
      return nonNegative(b.processingDelayMs)
    case 'maxPageSize':
      return Number.isSafeInteger(b.maxPageSize) && b.maxPageSize >= 1
    case 'uploadHold':
      return b.uploadHold === undefined || (nonNegative(b.uploadHold.ms) && ['start', 'end'].includes(b.uploadHold.visible))
    case 'triggerTimestampAs':
      return ['string', 'number', 'iso'].includes(b.triggerTimestampAs)
    case 'listForm':
      return ['items', 'paginated'].includes(b.listForm)
    case 'refuseLimitAbove':
      return b.refuseLimitAbove === undefined || (Number.isSafeInteger(b.refuseLimitAbove) && b.refuseLimitAbove >= 0)
    case 'refuseLimitStatus':
      return b.refuseLimitStatus === 400 || b.refuseLimitStatus === 422
    case 'rejectEarly':
      return typeof b.rejectEarly === 'boolean'
    case 'stores':
      return Number.isSafeInteger(b.stores) && b.stores >= 0
    case 'slugClash': {
      const { status, code, message } = b.slugClash
      return Number.isInteger(status) && status >= 100 && status <= 599 && Number.isInteger(code) && typeof message === 'string'
    }
    case 'createStatus':
      return b.createStatus === 200 || b.createStatus === 201
    case 'publicationListFilters':
      return ['honoured', 'ignored'].includes(b.publicationListFilters)
    case 'integrationsNeedApplication':
      return typeof b.integrationsNeedApplication === 'boolean'
    case 'publicationListItems':
      return ['full', 'summary'].includes(b.publicationListItems)
  }
}
