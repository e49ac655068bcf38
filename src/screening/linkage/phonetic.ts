// A small phonetic key for British names: Soundex with an English-spelling pre-pass.
//
// Plain Soundex keeps the first letter as written, so Catherine/Katherine, Philips/Filips and Knight/Night get different
// keys. The pre-pass rewrites the common spelling variants first (C before a/o/u/consonant -> K, PH -> F, initial KN/GN/
// PN -> N, WR -> R, PS -> S, X -> S at the start, MAC -> MC, CK -> K, Q -> K, Z -> S, Y as a vowel), then Soundex codes
// the rest. The key is not padded ('S53' for Smith and Smyth) and keeps at most `MAX_DIGITS` digits.
//
// Double Metaphone would catch more, but it is ~1,000 lines of rules; this key is used only to block candidate pairs and
// as one piece of evidence among several, so recall matters more than precision here.

const MAX_DIGITS = 4

const CODES: Record<string, string> = {
  b: '1',
  f: '1',
  p: '1',
  v: '1',
  c: '2',
  g: '2',
  j: '2',
  k: '2',
  q: '2',
  s: '2',
  x: '2',
  z: '2',
  d: '3',
  t: '3',
  l: '4',
  m: '5',
  n: '5',
  r: '6',
}

/** Rewrites common English spelling variants so that they sound-code alike. Input: lower-case a-z only. */
export function respell(name: string): string {
  let s = name
  if (s.startsWith('mac')) s = 'mc' + s.slice(3)
  if (s.startsWith('kn') || s.startsWith('gn') || s.startsWith('pn')) s = s.slice(1)
  else if (s.startsWith('wr')) s = s.slice(1)
  else if (s.startsWith('ps')) s = s.slice(1)
  else if (s.startsWith('x')) s = 's' + s.slice(1)
  s = s
    .replace(/ph/g, 'f')
    .replace(/ck/g, 'k')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/c/g, 'k')
    .replace(/q/g, 'k')
    .replace(/z/g, 's')
  return s
}

/** Phonetic key of a name: '' for a name with no letters. Names are folded to a-z first (accents, case, punctuation). */
export function phoneticKey(raw: string): string {
  const letters = raw
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z]/g, '')
  if (letters === '') return ''
  const s = respell(letters)
  const first = s[0]
  let key = first.toUpperCase()
  let previous = CODES[first] ?? ''
  for (let i = 1; i < s.length && key.length <= MAX_DIGITS; i++) {
    const ch = s[i]
    const code = CODES[ch]
    if (code === undefined) {
      // Vowels separate repeated codes; h and w do not (Soundex rule).
      if (ch !== 'h' && ch !== 'w') previous = ''
      continue
    }
    if (code !== previous) key += code
    previous = code
  }
  return key
}
