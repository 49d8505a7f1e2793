// Low-level input readers. Every failure names the input and what it accepts.
import { CONTROL_CHARACTERS } from '../output/log.js'

/** Returns an input's value, trimmed; '' when it is not set. */
export type InputReader = (name: string) => string

/** Reads inputs the way the runner passes them: INPUT_<NAME>, upper-cased, spaces to '_', hyphens kept. */
export function envInputs(env: NodeJS.ProcessEnv = process.env): InputReader {
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
}

export class InputError extends Error {
  constructor(
    readonly input: string,
    detail: string
  ) {
    super(`Input '${input}': ${detail}`)
    this.name = 'InputError'
  }
}

/** The YAML 1.2 core-schema booleans, as core.getBooleanInput accepts them; '' means not set. */
export function parseBoolean(input: string, value: string): boolean | undefined {
  if (value === '') return undefined
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(input, `expected true or false, got '${value}'`)
}

export function parseChoice<T extends string>(input: string, value: string, choices: readonly T[], extra = ''): T | undefined {
  if (value === '') return undefined
  if ((choices as readonly string[]).includes(value)) return value as T
  throw new InputError(input, `'${value}' is not one of ${choices.join(', ')}${extra}`)
}

export function parseWholeNumber(input: string, value: string, { min }: { min: number }): number | undefined {
  if (value === '') return undefined
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new InputError(input, `expected a whole number${min > 0 ? ` of at least ${min}` : ' (0 or more)'}, got '${value}'`)
  }
  return Number(value)
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

export interface DurationRules {
  /** A bare number means seconds; without this a unit is required. */
  secondsWithoutUnit: boolean
  /** The units accepted, from s, m, h, d, w. */
  units: string
  example: string
  /** Appended to the error, e.g. how to write months. */
  hint?: string
}

/** '90' (seconds, where allowed), '90s', '15m', '1h', '30d', '2w', or combinations such as '1h30m'. */
export function parseDuration(input: string, value: string, rules: DurationRules): number | undefined {
  if (value === '') return undefined
  if (rules.secondsWithoutUnit && /^\d+$/.test(value)) {
    if (Number(value) <= 0) throw new InputError(input, `must be longer than zero, got '${value}'`)
    return Number(value) * 1000
  }
  const units = `[${rules.units}]`
  if (!new RegExp(`^(\\d+${units})+$`).test(value)) {
    const accepted = `${rules.secondsWithoutUnit ? 'seconds or ' : ''}a number with a unit (${rules.units.split('').join(', ')})`
    throw new InputError(input, `expected ${accepted}, e.g. ${rules.example}, got '${value}'${rules.hint ? `; ${rules.hint}` : ''}`)
  }
  let ms = 0
  for (const [, amount, unit] of value.matchAll(/(\d+)([smhdw])/g)) ms += Number(amount) * UNIT_MS[unit]
  if (ms <= 0) throw new InputError(input, `must be longer than zero, got '${value}'`)
  return ms
}

/** Splits on commas and newlines; trims; drops empty entries. */
export function splitList(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/** One line per OR clause, groups within a line separated by commas (AND); '|' also separates OR clauses. */
export function parseGroups(value: string): string[][] {
  return value
    .split(/[\n|]/)
    .map((clause) =>
      clause
        .split(',')
        .map((group) => group.trim())
        .filter((group) => group !== '')
    )
    .filter((clause) => clause.length > 0)
}

const ID_PATTERN = /^[A-Za-z0-9_-]+$/

export function parseId(input: string, value: string): string | undefined {
  if (value === '') return undefined
  if (!ID_PATTERN.test(value) || value.length > 128) {
    throw new InputError(input, `'${value}' is not an Applivery id (letters, digits, '-' and '_' only)`)
  }
  return value
}

/** A token goes into a header: white space or a control character in it is a pasting mistake, never sent (nor echoed). */
export function checkToken(input: string, token: string): void {
  if (/\s/.test(token) || new RegExp(CONTROL_CHARACTERS.source).test(token)) {
    throw new InputError(input, 'contains white space or a control character; check the secret for a stray line break')
  }
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/

/** https only; http only for loopback hosts (a local sandbox); no user info, query or fragment. */
export function parseServiceUrl(input: string, value: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InputError(input, `'${value}' is not a URL; expected e.g. https://api.applivery.io`)
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
    throw new InputError(input, `'${value}' must use https:// (http:// is accepted only for loopback: localhost, 127.0.0.0/8, [::1])`)
  }
  if (url.username || url.password) throw new InputError(input, 'must not contain a user name or password')
  if (url.search || url.hash) throw new InputError(input, 'must not contain a query (?) or fragment (#)')
  return url
}

export function parseJsonObject(input: string, value: string): Record<string, unknown> | undefined {
  if (value === '') return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch (err) {
    throw new InputError(input, `is not valid JSON (${(err as Error).message}); expected a JSON object such as {"team": "mobile"}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError(input, 'expected a JSON object such as {"team": "mobile"}')
  }
  return parsed as Record<string, unknown>
}

/** A value that its input's default guarantees; still checked, so a missing default fails clearly. */
export function required<T>(input: string, value: T | undefined): T {
  if (value === undefined) throw new InputError(input, 'is required')
  return value
}
