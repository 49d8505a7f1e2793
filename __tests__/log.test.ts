// The one way out to the log: workflow commands neutralised, outside text kept on its line, secrets redacted in every form.
import { describe, expect, it } from '@jest/globals'
import { workflowCommands } from '../harness/hostile.js'
import { commandSafe, inline } from '../src/output/log.js'
import { secretForms, Secrets } from '../src/output/secrets.js'

describe('commandSafe', () => {
  it.each([
    ['::add-mask::x'],
    ['  ::error::x'],
    ['\t::stop-commands::token'],
    ['\u00a0::warning::x'],
    ['\u0085::notice::x'],
    ['text ##[error]legacy command anywhere in a line'],
    ['a\r::error::bare CR'],
    ['a\r\n::error::CRLF'],
    ['a\n::error::LF']
  ])('%j runs no command', (text) => {
    expect(workflowCommands(commandSafe(text))).toEqual([])
    // What is left reads the same, but for an invisible break.
    expect(
      commandSafe(text)
        .replace(/\u200b/g, '')
        .replace(/\n/g, '')
    ).toBe(text.replace(/\r\n|\r|\n/g, ''))
  })

  it('leaves text without commands as it is', () => {
    expect(commandSafe('Uploaded build b1 (status: processed) :: done')).toBe('Uploaded build b1 (status: processed) :: done')
  })
})

describe('inline', () => {
  it('keeps outside text on its line and cuts it short', () => {
    expect(inline('a\nb\rc\u001b[31m\u2028d\te')).toBe('a\\nb\\rc\\u001b[31m\\u2028d\te')
    expect(inline('x'.repeat(300), 10)).toBe('xxxxxxxxxx… (300 characters)')
    expect(inline(undefined)).toBe('')
  })
})

describe('secrets', () => {
  const token = 'ghs_abcDEF0123456789xyz'

  it('are redacted as written, in base64 and base64url at any alignment, and URL-encoded', () => {
    const secrets = new Secrets()
    secrets.add(token)
    secrets.add('p@ss word/+')
    for (const prefix of ['', 'a', 'ab', 'Bearer ', 'x-access-token:']) {
      for (const encoding of ['base64', 'base64url'] as const) {
        const encoded = Buffer.from(`${prefix}${token}!`).toString(encoding)
        expect(secrets.redact(`seen: ${encoded}`)).toContain('***')
        expect(secrets.redact(encoded)).not.toContain(encoded.slice(Math.ceil((prefix.length * 4) / 3) + 2, -4))
      }
    }
    expect(secrets.redact(`q=${encodeURIComponent('p@ss word/+')}`)).toBe('q=***')
    expect(secrets.redact(`${token}`)).toBe('***')
  })

  it('leaves a short secret to the runner: redacting it would redact half the log', () => {
    const secrets = new Secrets()
    expect(secrets.add('t')).toEqual(['t'])
    expect(secrets.redact('List builds failed')).toBe('List builds failed')
    expect(secretForms('abc')).toEqual([])
    expect(secrets.add('')).toEqual([])
  })
})

describe('secrets, escaped or cut', () => {
  it('are redacted as the job summary escapes them, and where a quote cut them short', () => {
    const secrets = new Secrets()
    secrets.add('p&ss"word-123')
    secrets.add('ghs_0123456789abcdefXYZ')
    expect(secrets.redact('<p>Failed: p&#38;ss&#34;word-123</p>')).toBe('<p>Failed: ***</p>')
    expect(secrets.redact('You sent ghs_0123456789ab... (900 characters)')).toBe('You sent ***... (900 characters)')
    expect(secrets.redact('token ghs_0123456789abcdef… (40 characters)')).toBe('token ***… (40 characters)')
    // A short run that merely starts like a secret is left alone.
    expect(secrets.redact('see ghs_012...')).toBe('see ghs_012...')
  })
})
