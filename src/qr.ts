// The QR code of an install link, as Unicode text: two rows of modules per line, so it stays square-ish.
/** 'light': dark modules are drawn (a page on a light background); 'dark': light ones (a log on a dark background). */
export type QrBackground = 'light' | 'dark'

export async function qrText(text: string, background: QrBackground = 'light'): Promise<string> {
  // Evaluated only when a link is shown, so other steps do not pay for it at start-up.
  const { renderUnicodeCompact } = await import('uqr')
  // A quiet zone of two modules, and medium error correction, for scanning off a screen.
  return renderUnicodeCompact(text, { border: 2, ecc: 'M', invert: background === 'light' })
}
