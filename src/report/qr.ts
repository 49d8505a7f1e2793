// The QR code of an install link, as Unicode text: two rows of modules per line, so it stays square-ish.
/** 'light': dark modules are drawn (a page on a light background); 'dark': light ones (a log on a dark background). */
export type QrBackground = 'light' | 'dark'

/** Longer text makes a code too dense to scan off a screen (and past 2,331 bytes, none at this error correction). */
export const MAX_QR_TEXT = 1024

/** The QR code of `text`, or undefined when it is too long for one. */
export async function qrText(text: string, background: QrBackground = 'light'): Promise<string | undefined> {
  if (Buffer.byteLength(text) > MAX_QR_TEXT) return undefined
  // Evaluated only when a link is shown, so other steps do not pay for it at start-up.
  const { renderUnicodeCompact } = await import('uqr')
  // A quiet zone of two modules, and medium error correction, for scanning off a screen.
  return renderUnicodeCompact(text, { border: 2, ecc: 'M', invert: background === 'light' })
}
