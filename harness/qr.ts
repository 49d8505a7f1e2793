// Reads a QR code printed as Unicode half blocks back into its text, with an independent decoder (jsQR):
// each character is two modules stacked, drawn as pixels, then decoded as a camera image would be.
import jsQRModule from 'jsqr'

// A CommonJS module whose types declare an ES default export: callable at run time either way.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as typeof jsQRModule.default

const SCALE = 4
const MARGIN = 8

/** `background` says what the text was drawn for: 'light' draws dark modules, 'dark' draws light ones. */
export function decodeQrText(text: string, background: 'light' | 'dark' = 'light'): string | undefined {
  const lines = text.split('\n')
  const columns = Math.max(...lines.map((line) => [...line].length))
  const rows = lines.length * 2
  const width = (columns + 2 * MARGIN) * SCALE
  const height = (rows + 2 * MARGIN) * SCALE
  const pixels = new Uint8ClampedArray(width * height * 4).fill(255)
  const inkIsDark = background === 'light'
  // The page around the code has the background's colour.
  const paint = (x: number, y: number, dark: boolean): void => {
    for (let dy = 0; dy < SCALE; dy++)
      for (let dx = 0; dx < SCALE; dx++) {
        const at = ((y * SCALE + dy) * width + x * SCALE + dx) * 4
        pixels.fill(dark ? 0 : 255, at, at + 3)
      }
  }
  for (let y = 0; y < rows + 2 * MARGIN; y++) for (let x = 0; x < columns + 2 * MARGIN; x++) paint(x, y, !inkIsDark)
  lines.forEach((line, row) =>
    [...line].forEach((char, column) => {
      const top = char === '█' || char === '▀'
      const bottom = char === '█' || char === '▄'
      paint(column + MARGIN, row * 2 + MARGIN, top === inkIsDark)
      paint(column + MARGIN, row * 2 + 1 + MARGIN, bottom === inkIsDark)
    })
  )
  return jsQR(pixels, width, height, { inversionAttempts: 'dontInvert' })?.data
}
