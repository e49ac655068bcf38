// A cheap prefilter so that most rule expressions never scan a narrative. V8 tries a rule's alternatives one by one at
// every position, so scanning cost grows with rules x alternatives x length. But every pattern can only match where a
// word starts with one of its leading literals ("follow", "scared", ...), which are worked out here from the pattern
// source. One pass over the word starts of a narrative then says which rules could match at all; a rule whose
// pattern does not start with a literal (or whose start cannot be worked out) always runs. The result is exact: the
// prefilter only skips rules that cannot match (explain.test.ts checks this against the unfiltered scan).

/** Token for "starts with a digit". */
export const DIGIT = '\\d'

function matchingParen(p: string, open: number): number {
  let depth = 0
  for (let i = open; i < p.length; i++) {
    const ch = p[i]
    if (ch === '\\') i++
    else if (ch === '[') {
      while (i < p.length && p[i] !== ']') i += p[i] === '\\' ? 2 : 1
    } else if (ch === '(') depth++
    else if (ch === ')' && --depth === 0) return i
  }
  return -1
}

function splitTopLevel(p: string): string[] {
  const parts: string[] = []
  let depth = 0
  let from = 0
  for (let i = 0; i < p.length; i++) {
    const ch = p[i]
    if (ch === '\\') i++
    else if (ch === '[') {
      while (i < p.length && p[i] !== ']') i += p[i] === '\\' ? 2 : 1
    } else if (ch === '(') depth++
    else if (ch === ')') depth--
    else if (ch === '|' && depth === 0) {
      parts.push(p.slice(from, i))
      from = i + 1
    }
  }
  parts.push(p.slice(from))
  return parts
}

const isLiteralChar = (ch: string): boolean => (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch === '-'
const isQuantifier = (ch: string | undefined): boolean => ch === '?' || ch === '*' || ch === '{'

/**
 * The literal texts (lower case, [a-z0-9-] only) one of which every match of the pattern starts with, or null when
 * that cannot be worked out. Works on the unexpanded pattern source (see IndicatorRule).
 */
export function leadingLiterals(pattern: string): string[] | null {
  const out: string[] = []
  for (const alternative of splitTopLevel(pattern)) {
    const literals = sequenceLiterals(alternative)
    if (literals === null) return null
    out.push(...literals)
  }
  return out
}

function sequenceLiterals(p: string): string[] | null {
  let literal = ''
  let i = 0
  while (i < p.length) {
    const ch = p[i]
    if (isLiteralChar(ch)) {
      const next = p[i + 1]
      // '{' starts a quantifier only when followed by a digit ('{V}' and '{POSS}' are shorthand).
      if (isQuantifier(next) && !(next === '{' && !/\d/.test(p[i + 2] ?? ''))) break
      literal += ch
      i++
      continue
    }
    if (literal) break
    if (ch === '(') {
      const close = matchingParen(p, i)
      if (close < 0) return null
      const inner = p.slice(i + 1, close)
      if (/^\?<?[=!]/.test(inner)) {
        i = close + 1 // a lookaround at the start takes no text
        continue
      }
      if (isQuantifier(p[close + 1])) return null
      return leadingLiterals(inner.startsWith('?:') ? inner.slice(2) : inner)
    }
    if (ch === '\\' && p[i + 1] === 'd') return [DIGIT]
    if (ch === '[' && /^\[[0-9-]+\]/.test(p.slice(i))) return [DIGIT]
    return null
  }
  return literal ? [literal] : null
}
