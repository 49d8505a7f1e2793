// The one way out to the log. The runner reads every line a step prints as a possible workflow command
// (`::add-mask::`, `::error::`, `::stop-commands::`, and the legacy `##[command]` anywhere in a line), and text
// from outside the workflow file (Applivery's answers, file names, GitHub) may carry one. Every line the step
// writes passes through `commandSafe` here, after every form of every secret was redacted; no other module
// prints. Outside text placed inside a message goes through `inline` first, so it stays on its line.
import * as core from '@actions/core'
import { Secrets } from './secrets.js'

/** The log lines operations write; the action's is ActionLog, tests may pass their own. */
export interface Log {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
  /** An annotation on the run's summary page. */
  notice(message: string): void
}

/** Invisible, and not white space to the runner: a line holding it before `::` or `[` is no command. */
const BREAK = '\u200b'
/** White space the runner trims before looking for `::` (.NET's, which counts U+0085 too). */
const LEADING_COMMAND = /^([\s\u0085]*)::/

/** One line that the runner will print, never run. */
function commandSafeLine(line: string): string {
  return line.replace(/##\[/g, `##${BREAK}[`).replace(LEADING_COMMAND, `$1:${BREAK}:`)
}

/** The runner ends a line at CR as at LF: each line, however it ends, is made safe. */
export function commandSafe(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(commandSafeLine)
    .join('\n')
}

/** Control characters but the tab, and the separators some viewers break lines at. */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g

/**
 * Outside text (a field of Applivery's answer, a file name) for a place inside a line: control characters shown
 * as escapes (a line break as `\n`), and cut to `max` characters.
 */
export function inline(value: unknown, max = 200): string {
  const text = String(value ?? '')
  const cut = text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text
  return cut.replace(CONTROL_CHARACTERS, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

/** The action's log: @actions/core, with secrets redacted and commands neutralised; the one place that fails the step. */
export class ActionLog implements Log {
  constructor(readonly secrets: Secrets = new Secrets()) {}

  /** Masks a secret in every form (the runner's masking) and redacts it from everything written after. */
  addSecret(secret: string): void {
    for (const form of this.secrets.add(secret)) core.setSecret(form)
  }

  /** Outside text with every secret redacted: for the job summary and the comment, which have escapers of their own. */
  redact(text: string): string {
    return this.secrets.redact(text)
  }

  private safe(message: string): string {
    return commandSafe(this.secrets.redact(message))
  }

  info(message: string): void {
    core.info(this.safe(message))
  }

  warning(message: string): void {
    core.warning(this.safe(message))
  }

  notice(message: string): void {
    core.notice(this.safe(message))
  }

  debug(message: string): void {
    core.debug(this.safe(message))
  }

  isDebug(): boolean {
    return core.isDebug()
  }

  /** Fails the step with `message` as its error annotation. */
  fail(message: string): void {
    core.setFailed(this.safe(message))
  }
}
