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
  const forms = [secret, ...base64, ...base64url, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]
  return [...new Set(forms)].filter((form) => form.length >= MIN_FORM_LENGTH)
}

export class Secrets {
  /** Every form of every secret, longest first, so a form inside a longer one is not redacted half. */
  private forms: string[] = []

  /**
   * Adds a secret; returns what the runner should mask: the secret as written (however short), and its other
   * forms. A secret shorter than MIN_FORM_LENGTH is left to the runner: redacting it would redact half the log.
   */
  add(secret: string): string[] {
    if (secret === '') return []
    const added = secretForms(secret).filter((form) => !this.forms.includes(form))
    this.forms = [...this.forms, ...added].sort((a, b) => b.length - a.length)
    return [...new Set([secret, ...added])]
  }

  /** `text` with every form of every secret replaced by `***`. */
  redact(text: string): string {
    let redacted = text
    for (const form of this.forms) if (redacted.includes(form)) redacted = redacted.split(form).join('***')
    return redacted
  }
}
