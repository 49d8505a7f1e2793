// The settings configure() may change at run time, each declared once: its default, the values it takes, and the
// command-line flags that set it. Behaviour, SandboxBehaviour, DEFAULT_BEHAVIOUR, configure()'s checks and the
// settings' part of parseArgs (args.ts) all derive from SETTINGS.
import { choiceFlag, into, numberFlag, switchFlag, type Flag } from './flags.js'

/** One setting: its value until configured, the values it takes, and its flags if it has any. */
export interface Setting<T, Draft = T> {
  default: T
  valid(value: T): boolean
  flags?: Flag<Draft>[]
  /** The setting from what its flags made, when that is not the setting already; throws when they do not go together. */
  fromFlags?(draft: Draft): T
}

const setting = <T, Draft = T>(declared: Setting<T, Draft>): Setting<T, Draft> => declared

const TRIGGER_TIMESTAMP_FORMS = ['string', 'number', 'iso'] as const
const LIST_FORMS = ['items', 'paginated'] as const
const LIMIT_STATUSES = [400, 422] as const
const CREATE_STATUSES = [200, 201] as const
const PUBLICATION_LIST_FILTERS = ['honoured', 'ignored'] as const
const PUBLICATION_LIST_ITEMS = ['full', 'summary'] as const
const HOLD_VISIBLE = ['start', 'end'] as const

/** 'number': a JSON number; 'iso': an ISO 8601 date string. Values that are not numeric are kept as sent. */
export type TriggerTimestampForm = (typeof TRIGGER_TIMESTAMP_FORMS)[number]

/** 'items': `{items}` only, as documented; 'paginated': mongoose-paginate-v2's totals and page links too. */
export type ListForm = (typeof LIST_FORMS)[number]

/** 'ignored': every query filter of a publication list is ignored, as some real answers may. */
export type PublicationListFilters = (typeof PUBLICATION_LIST_FILTERS)[number]

export interface UploadHold {
  ms: number
  /** When the build shows in list and get: as soon as the body has arrived, or when the hold ends. */
  visible: (typeof HOLD_VISIBLE)[number]
}

/** How a publication create or update whose slug is taken is answered: `{status:false,error:{code,message}}` with `status`. */
export interface SlugClash {
  status: number
  code: number
  message: string
}

/** What the two upload hold flags have said so far. */
type HoldDraft = Partial<UploadHold>

const nonNegative = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n) && n >= 0
const wholeFrom =
  (min: number) =>
  (n: number | undefined): boolean =>
    Number.isSafeInteger(n) && (n as number) >= min
const among =
  <T>(choices: readonly T[]) =>
  (value: T): boolean =>
    choices.includes(value)
const isBoolean = (value: boolean): boolean => typeof value === 'boolean'

const SETTINGS = {
  /** Time from upload to a terminal status: pending for the first half, in_progress for the second. */
  processingDelayMs: setting<number>({
    default: 300,
    valid: nonNegative,
    flags: [numberFlag('--delay MS', 'processing time of an uploaded build (default 300)')]
  }),
  /** List caps `limit` at this. */
  maxPageSize: setting<number>({
    default: 100,
    valid: wholeFrom(1),
    flags: [numberFlag('--max-page-size N', 'list clamps limit to N (default 100)', 1)]
  }),
  /** Shape of a list answer's data (default 'items'). */
  listForm: setting<ListForm>({
    default: 'items',
    valid: among(LIST_FORMS),
    flags: [choiceFlag('--list-form', LIST_FORMS, 'list data: {items} only (default), or with mongoose-paginate-v2 totals')]
  }),
  /** Refuse a list whose `limit` query is above this, instead of clamping it. */
  refuseLimitAbove: setting<number | undefined>({
    default: undefined,
    valid: (n) => n === undefined || wholeFrom(0)(n),
    flags: [numberFlag('--refuse-limit-above N', 'answer a list whose limit is above N with an error instead')]
  }),
  /** HTTP status (and error code) of that refusal; default 400. */
  refuseLimitStatus: setting<(typeof LIMIT_STATUSES)[number]>({
    default: 400,
    valid: among(LIMIT_STATUSES),
    flags: [choiceFlag('--refuse-limit-status', LIMIT_STATUSES, 'status of that error (default 400)')]
  }),
  /** Answer an upload only this long after its body was received (the real server works before it answers). */
  uploadHold: setting<UploadHold | undefined, HoldDraft>({
    default: undefined,
    valid: (hold) => hold === undefined || (nonNegative(hold.ms) && HOLD_VISIBLE.includes(hold.visible)),
    flags: [
      into(numberFlag('--hold-upload MS', 'answer an upload MS after its body has arrived'), (ms, hold: HoldDraft = {}) => ({
        ...hold,
        ms
      })),
      into(
        choiceFlag('--hold-visible', HOLD_VISIBLE, 'list the held build as soon as its body arrived (default), or when the hold ends'),
        (visible, hold: HoldDraft = {}) => ({ ...hold, visible })
      )
    ],
    fromFlags: ({ ms, visible }) => {
      if (ms === undefined) throw new Error('--hold-visible needs --hold-upload')
      return { ms, visible: visible ?? 'start' }
    }
  }),
  /** How `deployer.info.triggerTimestamp` is stored (default 'string', as sent). */
  triggerTimestampAs: setting<TriggerTimestampForm>({
    default: 'string',
    valid: among(TRIGGER_TIMESTAMP_FORMS),
    flags: [
      choiceFlag('--trigger-timestamp', TRIGGER_TIMESTAMP_FORMS, 'how deployer.info.triggerTimestamp is stored (default string, as sent)')
    ]
  }),
  /** Upload host: answer a refused token before reading the body, then close the connection. */
  rejectEarly: setting<boolean>({
    default: false,
    valid: isBoolean,
    flags: [switchFlag('--reject-early', 'upload host: answer a bad token before reading the body, then close mid-body')]
  }),
  /** How many stores org-1 has: store-1..store-N (default 1; 0 allowed). */
  stores: setting<number>({
    default: 1,
    valid: wholeFrom(0),
    flags: [numberFlag('--stores N', 'org-1 has N stores, store-1..store-N (default 1; 0 allowed)')]
  }),
  /** The answer to a publication slug already used in the organization (the real one is not established). */
  slugClash: setting<SlugClash>({
    default: { status: 400, code: 5024, message: 'Slug already used' },
    valid: ({ status, code, message }) =>
      Number.isInteger(status) && status >= 100 && status <= 599 && Number.isInteger(code) && typeof message === 'string'
  }),
  /** HTTP status of a created publication (default 200; the real one is not established). */
  createStatus: setting<(typeof CREATE_STATUSES)[number]>({ default: 200, valid: among(CREATE_STATUSES) }),
  /** Whether publication lists apply their query filters (default 'honoured'). */
  publicationListFilters: setting<PublicationListFilters>({
    default: 'honoured',
    valid: among(PUBLICATION_LIST_FILTERS),
    flags: [
      choiceFlag(
        '--publication-list-filters',
        PUBLICATION_LIST_FILTERS,
        'publication lists apply their query filters (default), or ignore them'
      )
    ]
  }),
  /** What a publication list answers of each page: all of it (default) or a summary without `application`, groups, terms... */
  publicationListItems: setting<(typeof PUBLICATION_LIST_ITEMS)[number]>({ default: 'full', valid: among(PUBLICATION_LIST_ITEMS) }),
  /** The Integrations API requires `application` on a create, as it once answered (6002 "application is required"). */
  integrationsNeedApplication: setting<boolean>({
    default: false,
    valid: isBoolean,
    flags: [switchFlag('--integrations-need-application', 'the Integrations API refuses a publication create without application')]
  }),
  /**
   * Reads of install pages and of pull-request comments are answered this long after the state was read: a window
   * between a job's read and its write in which another job can write, as matrix jobs do at the same moment.
   */
  readDelayMs: setting<number>({
    default: 0,
    valid: nonNegative,
    flags: [numberFlag('--read-delay MS', 'answer reads of install pages and comments MS after reading them (default 0)')]
  }),
  /**
   * Reads of install pages and comments are held until this many are waiting, each at most `readDelayMs`: jobs
   * started at once read the same state even when a loaded machine starts one of them late. 0 or 1: off.
   */
  readTogether: setting<number>({
    default: 0,
    valid: nonNegative,
    flags: [numberFlag('--read-together N', 'hold reads of install pages and comments until N wait, each at most --read-delay')]
  })
}

/** Every setting filled in; the ones that switch something on stay undefined while off. */
export type Behaviour = { -readonly [K in keyof typeof SETTINGS]: (typeof SETTINGS)[K]['default'] }

/** Settings that can change while the sandbox runs: `sandbox.configure()`; `reset()` restores the starting ones. */
export type SandboxBehaviour = Partial<Behaviour>

/** Each setting by name, typed loosely enough to go through them all. */
export const SETTING_ENTRIES = Object.entries(SETTINGS) as [keyof Behaviour, Setting<unknown, unknown>][]

export const DEFAULT_BEHAVIOUR: Readonly<Behaviour> = Object.fromEntries(
  SETTING_ENTRIES.map(([key, declared]) => [key, declared.default])
) as Behaviour

/** `base` with the settings that `partial` names; one named with the value undefined goes back to its default. */
export function mergeBehaviour(base: Readonly<Behaviour>, partial: SandboxBehaviour): Behaviour {
  const next: Record<string, unknown> = {}
  for (const [key, declared] of SETTING_ENTRIES) {
    const value = key in partial ? (partial[key] ?? declared.default) : base[key]
    next[key] = typeof value === 'object' && value !== null ? { ...value } : value // copies: the caller may reuse its objects
  }
  const bad = SETTING_ENTRIES.find(([key, declared]) => !declared.valid(next[key]))
  if (bad) throw new TypeError(`sandbox: invalid ${bad[0]}: ${JSON.stringify(next[bad[0]])}`)
  return next as Behaviour
}
