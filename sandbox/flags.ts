// Command-line flags as the settings (behaviour.ts) and the start options (args.ts) declare them: the line `--help`
// shows, and how the flag's value is read and checked, with the messages every flag shares.

/** A flag as `--help` lists it. */
export interface FlagHelp {
  /** The flag and what its value looks like ('--delay MS'); one without a value part takes no value. */
  usage: string
  help: string
}

/** A setting's flag: what it makes of its value, given what earlier flags of the same setting made (`draft`). */
export interface Flag<Draft> extends FlagHelp {
  /** `read` takes the flag's value (after `=`, or the next argument); a flag that takes none never calls it. */
  parse(read: () => string | undefined, draft: Draft | undefined): Draft
}

/** '--delay' of '--delay MS'. */
export const flagName = (usage: string): string => usage.split(' ')[0]

/** A non-negative integer: ports, milliseconds, counts. */
export function wholeNumber(flag: string, value: string | undefined): number {
  const n = Number(value)
  if (value === undefined || !/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new Error(`${flag} needs a non-negative integer, got ${value ?? 'nothing'}`)
  }
  return n
}

/** One of `allowed`, written as the usage lists it. */
export function oneOf<T extends string | number>(flag: string, value: string | undefined, allowed: readonly T[]): T {
  const hit = allowed.find((choice) => String(choice) === value)
  if (hit === undefined) throw new Error(`${flag} needs one of ${allowed.join('|')}, got ${value ?? 'nothing'}`)
  return hit
}

/** `--name N`: a non-negative integer, and at least `min`. */
export function numberFlag(usage: string, help: string, min = 0): Flag<number> {
  const name = flagName(usage)
  return {
    usage,
    help,
    parse: (read) => {
      const n = wholeNumber(name, read())
      if (n < min) throw new Error(`${name} needs at least ${min}`)
      return n
    }
  }
}

/** `--name a|b`: one of `choices`, which the usage lists. */
export function choiceFlag<T extends string | number>(name: string, choices: readonly T[], help: string): Flag<T> {
  return { usage: `${name} ${choices.join('|')}`, help, parse: (read) => oneOf(name, read(), choices) }
}

/** `--name`: switches a setting on; takes no value. */
export function switchFlag(usage: string, help: string): Flag<boolean> {
  return { usage, help, parse: () => true }
}

/** The same flag, its value put into a draft that several flags fill in (one setting, two flags). */
export function into<T, Draft>(flag: Flag<T>, put: (value: T, draft: Draft | undefined) => Draft): Flag<Draft> {
  return { usage: flag.usage, help: flag.help, parse: (read, draft) => put(flag.parse(read, undefined), draft) }
}
