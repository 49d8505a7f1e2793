// Fault injection: rules that make the sandbox misbehave the way real networks and proxies do.
import type { Store } from '../builds/store.js'
import type { RecordedHost } from '../types.js'
import { envelopeFor, type Exchange } from './exchange.js'
import { drain, sleep } from './http.js'

export type FaultAction =
  /** Answer this instead of handling (after reading the whole request body). */
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /** Wait, then handle normally. */
  | { kind: 'delay'; ms: number }
  /** Destroy the socket as soon as the headers arrive. */
  | { kind: 'reset-before-body' }
  /** Destroy the socket after that many body bytes were received. */
  | { kind: 'reset-after-bytes'; bytes: number }
  /** Handle the request fully (e.g. the build is created), then destroy the socket without answering. */
  | { kind: 'apply-then-drop' }
  /** Read the body, never answer (until the client gives up). */
  | { kind: 'stall' }
  /** Answer an HTML error page (default 502). */
  | { kind: 'html'; status?: number }
  /** Handle normally, then answer 200 with the JSON body cut in half. */
  | { kind: 'truncated' }
  /** Handle normally (an upload's build is created), then send the answer one byte every `everyMs`. */
  | { kind: 'trickle'; everyMs: number }
  | { kind: 'redirect'; status: 301 | 302 | 303 | 307 | 308; location: string }
  /** Handle the request (the build is created), answer a gateway's HTML error, and show the build only after `ms`. */
  | { kind: 'apply-late'; status: number; ms: number }
  /**
   * Answer at once, before reading the body (default body: the error envelope for the status), with
   * `Connection: close`; stop reading and destroy the socket 50 ms later, whatever the token.
   */
  | { kind: 'early-answer'; status: number; body?: string }

export interface FaultRule {
  method?: string
  /** Default: either Applivery host. The GitHub host is faulted only by rules that name it. */
  host?: RecordedHost
  /** Tested against the path without the query string. */
  path?: RegExp
  /** Default 1. */
  times?: number
  action: FaultAction
}

export interface FaultPlan {
  add(rule: FaultRule): void
  clear(): void
  /** Uses left across all rules. */
  readonly pending: number
}

interface LiveRule {
  rule: FaultRule
  left: number
}

export class FaultList implements FaultPlan {
  private rules: LiveRule[] = []

  add(rule: FaultRule): void {
    this.rules.push({ rule, left: rule.times ?? 1 })
  }

  clear(): void {
    this.rules = []
  }

  get pending(): number {
    return this.rules.reduce((sum, r) => sum + r.left, 0)
  }

  /** The first matching rule with uses left, consumed; rules are tried in the order added. */
  take(method: string, host: RecordedHost, path: string): FaultAction | undefined {
    const hit = this.rules.find(
      ({ rule, left }) =>
        left > 0 &&
        (rule.method === undefined || rule.method.toUpperCase() === method) &&
        (rule.host === undefined ? host !== 'github' : rule.host === host) &&
        (rule.path === undefined || matches(rule.path, path))
    )
    if (!hit) return undefined
    hit.left--
    this.rules = this.rules.filter((r) => r.left > 0)
    return hit.rule.action
  }
}

function matches(re: RegExp, path: string): boolean {
  re.lastIndex = 0 // a /g or /y RegExp is stateful; make every test start from the beginning
  return re.test(path)
}

/** What a fault does, by the phase of the request it acts in: every fault's whole behaviour is here. */
export interface FaultPhases {
  /** Drop the connection once this many body bytes have arrived; 0: as soon as the headers have. */
  dropAfterBytes?: number
  /** Instead of handling the request: answer, drop or stay silent. */
  instead?(exchange: Exchange): Promise<void>
  /** Before the request is handled. */
  before?(): Promise<void>
  /** After it was handled (an upload's build exists): what the client gets instead of the reply. */
  after?(exchange: Exchange, replyText: string, store: Store): void
}

export function phasesOf(fault: FaultAction | undefined): FaultPhases {
  switch (fault?.kind) {
    case undefined:
      return {}
    case 'reset-before-body':
      return { dropAfterBytes: 0 }
    case 'reset-after-bytes':
      // A body shorter than the threshold is dropped at its end all the same.
      return { dropAfterBytes: fault.bytes, instead: async (x) => (await drain(x.body), x.drop()) }
    case 'status':
      return { instead: async (x) => (await drain(x.body), x.answer(fault.status, fault.body ?? envelopeFor(fault.status), fault.headers)) }
    case 'html':
      return { instead: async (x) => (await drain(x.body), x.answerHtml(fault.status ?? 502)) }
    case 'redirect':
      return {
        instead: async (x) => (await drain(x.body), x.answer(fault.status, envelopeFor(fault.status), { location: fault.location }))
      }
    case 'stall':
      return { instead: (x) => drain(x.body) } // never answered; close() or the client ends the socket
    case 'early-answer':
      return { instead: (x) => x.answerEarly(fault.status, fault.body ?? envelopeFor(fault.status)) }
    case 'delay':
      return { before: () => sleep(fault.ms) }
    case 'apply-then-drop':
      return { after: (x) => x.drop() }
    case 'apply-late':
      return {
        after: (x, replyText, store) => {
          const created = (JSON.parse(replyText) as { data?: { id?: string } }).data?.id
          if (created) store.hide(created, fault.ms)
          x.answerHtml(fault.status)
        }
      }
    case 'truncated':
      return { after: (x, replyText) => x.answer(200, replyText.slice(0, Math.floor(replyText.length / 2))) }
    case 'trickle':
      return { after: (x, replyText) => x.trickle(200, replyText, fault.everyMs) }
  }
}
