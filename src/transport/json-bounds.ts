// JSON from outside is parsed only within bounds: a server may send a document nested without end (which no
// stringify survives) or made of millions of tiny arrays (which take far more memory parsed than as text).

/** Deeper or larger JSON is not parsed: no answer of Applivery's or GitHub's comes near. */
export const JSON_LIMITS = { depth: 64, containers: 200_000 }

/** Why `text` is not JSON the action will parse, or undefined. A scan, not a parse: a string's contents are skipped. */
export function jsonBoundsProblem(text: string): string | undefined {
  let depth = 0
  let containers = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) {
      inString = true
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > JSON_LIMITS.depth) return `it nests deeper than ${JSON_LIMITS.depth} levels`
      if (++containers > JSON_LIMITS.containers)
        return `it holds more than ${JSON_LIMITS.containers.toLocaleString('en')} objects and arrays`
    } else if (c === 0x7d || c === 0x5d) {
      depth--
    }
  }
  return undefined
}
