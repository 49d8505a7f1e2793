// The step's secrets (tokens, a page password, proxy passwords) in every form a server or a library may echo
// them in: as written, base64 and base64url at each of the three byte alignments, and URL-encoded. Each form is
// masked by the runner and redacted by the step itself from whatever it writes (log, job summary, comment).

/** Forms shorter than this are not secrets worth the noise of masking (a 2-character base64 tail matches anything). */
const MIN_FORM_LENGTH = 6

/**
 * The base64 text that `value` always encodes to when it sits at any offset inside a longer base64 string
 * (`Basic dXNlcjp0b2tlbg==` holds `user:token`): for each of the three alignments, the characters that only
 * the value's own bits decide.
 */
function base64Forms(value: Buffer): string[] {
  const forms: string[] = []
  for (const shift of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(shift), value])
      .toString('base64')
      .replace(/=+$/, '')
    // Characters that hold bits of the leading padding bytes, and a last character that holds bits of whatever follows.
    const start = [0, 2, 3][shift]
    const end = (shift + value.length) % 3 === 0 ? encoded.length : encoded.length - 1
    forms.push(encoded.slice(start, end))
  }
  return forms
}

/** The forms of a secret worth redacting: as written, base64 and base64url at each alignment, URL- and JSON-escaped. */
export function secretForms(secret: string): string[] {
  const base64 = base64Forms(Buffer.from(secret, 'utf8'))
  const base64url = base64.map((form) => form.replace(/\+/g, '-').replace(/\//g, '_'))
  // The job summary escapes HTML's characters as numeric references before it is redacted.
  const html = secret.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
  const forms = [secret, ...base64, ...base64url, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), html]
  return [...new Set(forms)].filter((form) => form.length >= MIN_FORM_LENGTH)
}

/** A text cut short ends so ('...' in an error's quote, '…' in a log line's): a secret's start may be just before. */
const CUT_MARKS = ['...', '…']
/** The shortest start of a secret, before a cut, that is redacted. */
const MIN_CUT_PREFIX = 8

export class Secrets {
  /** Every form of every secret, longest first, so a form inside a longer one is not redacted half. */
  private forms: string[] = []
  /** The secrets as written, for their starts before a cut. */
  private raw: string[] = []

  /**
   * Adds a secret; returns what the runner should mask: the secret as written (however short), and its other
   * forms. A secret shorter than MIN_FORM_LENGTH is left to the runner: redacting it would redact half the log.
   */
  add(secret: string): string[] {
    if (secret === '') return []
    const added = secretForms(secret).filter((form) => !this.forms.includes(form))
    this.forms = [...this.forms, ...added].sort((a, b) => b.length - a.length)
    if (secret.length > MIN_CUT_PREFIX && !this.raw.includes(secret)) this.raw.push(secret)
    return [...new Set([secret, ...added])]
  }

  /** `text` with every form of every secret replaced by `***`. */
  redact(text: string): string {
    let redacted = text
    for (const form of this.forms) if (redacted.includes(form)) redacted = redacted.split(form).join('***')
    return this.redactCutStarts(redacted)
  }

  /** A secret cut short where a quote was cut: its start, just before the cut mark. */
  private redactCutStarts(text: string): string {
    let out = text
    for (const mark of CUT_MARKS) {
      for (let at = out.indexOf(mark); at >= 0; at = out.indexOf(mark, at + mark.length)) {
        for (const secret of this.raw) {
          let k = Math.min(secret.length - 1, at)
          while (k >= MIN_CUT_PREFIX && out.slice(at - k, at) !== secret.slice(0, k)) k--
          if (k >= MIN_CUT_PREFIX) {
            out = `${out.slice(0, at - k)}***${out.slice(at)}`
            at = at - k + 3
            break
          }
        }
      }
    }
    return out
  }
}
