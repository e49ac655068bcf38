// Finds behaviour indicators in a crime narrative and says whether they suggest stalking. Deterministic and
// explainable: every hit names its rule and the exact text it matched; nothing is weighted.
//
// Negation and reported speech are judged from the words before a match, within its sentence:
// - a contrast ("but", "however", "although", ...) starts a fresh scope, so "he denies it but she states he followed
//   her" keeps the second half;
// - within that scope, the suspect's own account ("SUSP states / claims / denies ...", "he maintains ...") and
//   findings of no evidence ("no evidence that", "nothing to suggest") discount everything after them;
// - within the clause (split further at commas and at "and", "because", "when", ...), a hypothetical ("if", "unless",
//   "advised to", "may") discounts the match, and so does a negation ("not", "never", "no", "n't", "denies") within
//   six words before it, except "not stop" / "won't leave her alone", which say the opposite.
// The victim's own account ("IP states he followed her") is evidence: it is how most crimes are reported.

import { DIGIT, leadingLiterals } from './prefilter.ts'
import { RULES, suggestsStalkingFrom, VICTIM, POSSESSIVE } from './rules.ts'
import type { IndicatorHit, IndicatorRule, NarrativeExplanation } from './types.ts'

export { suggestsStalkingFrom } from './rules.ts'

/** Expands the pattern shorthand described on IndicatorRule. */
export function expandPattern(pattern: string): string {
  const source = pattern.replaceAll('{V}', VICTIM).replaceAll('{POSS}', POSSESSIVE)
  let out = ''
  let inClass = false
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]
    if (ch === '\\') {
      out += ch + source[++i]
    } else if (inClass) {
      if (ch === ']') inClass = false
      out += ch === "'" ? "'\u2019" : ch
    } else if (ch === '[') {
      inClass = true
      out += ch
    } else if (ch === ' ' && source[i + 1] === '?') {
      out += '\\s*'
      i++
    } else if (ch === ' ') {
      out += '\\s+'
    } else if (ch === "'") {
      out += "['\u2019]"
    } else {
      out += ch
    }
  }
  return out
}

interface CompiledRule {
  rule: IndicatorRule
  /** Case-sensitive, for lower-cased text: about twice as fast as the case-insensitive form in V8. */
  lower: RegExp
  /** Case-insensitive, for the rare text whose length changes when lower-cased (offsets must stay true). */
  anyCase: RegExp
}

function compileRule(rule: IndicatorRule): CompiledRule {
  const alternatives = rule.patterns.map((p) => `(?:${expandPattern(p)})`).join('|')
  try {
    const source = `\\b(?:${alternatives})\\b`
    return { rule, lower: new RegExp(source, 'g'), anyCase: new RegExp(source, 'gi') }
  } catch (error) {
    throw new Error(`Indicator rule "${rule.id}" has an invalid pattern: ${(error as Error).message}`, {
      cause: error,
    })
  }
}

const COMPILED: readonly CompiledRule[] = RULES.map(compileRule)

/** Words that start a fresh scope for everything before them in a sentence. */
const CONTRAST = /\b(?:but|however|whereas|although|though|yet|except|nevertheless|despite this)\b/gi
/** Clause boundaries for negation and hypotheticals. */
const CLAUSE = /[,:()]|\b(?:and|because|when|whenever|after|before|until|so|then|since|as|where|who|which)\b/gi

/** The suspect's own account: what follows in the scope is not evidence. Admissions ("admitted") are not here. */
const SUSPECT_ACCOUNT =
  /\b(?:(?:susp\d?|suspect|the male|offender|accused|defendant|dp)(?:['\u2019]s account)?\b(?:\s+[\w'\u2019-]+){0,3}?\s+(?:states?|stated|stating|claims?|claimed|claiming|maintains?|maintained|insists?|insisted|alleges?|alleged|denies|denied|denying|explained|told (?:officers|police|the officer)|says? (?:that )?he)|he\s+(?:claims?|claimed|maintains?|maintained|insists?|insisted|denies|denied)|according to (?:susp\d?|the suspect|him))\b/i

/** Findings that nothing happened: what follows in the scope is not evidence. */
const NO_EVIDENCE =
  /\b(?:no (?:evidence|indication|suggestion|sign|trace|record|reports?|information)|nothing to (?:suggest|indicate|show)|not aware of|unfounded|unsubstantiated)\b/i

/** Hypotheticals, advice and order conditions: the clause describes something that has not happened. */
const HYPOTHETICAL =
  /\b(?:if|unless|in case|in the event|should (?:he|susp\d?|the suspect)|whether|advised|advice|considering|plans? to|intends? to|wants? to|would like to|may|might|prohibit(?:s|ed|ing)?|forbid(?:s|den)?|(?:banned|barred|restrained) from)\b/i

/** A negation within six words before the end of the clause, except "not stop" and similar double negatives. */
const NEGATION =
  /(?:\b(?:not|never|no|nor|neither|denies|denied|deny|denying|refutes|refuted)\b|n['\u2019]t\b|(?<!(?:n['\u2019]t|\bnot|\bnever)\s+)\b(?:stopped|ceased)\b)(?!\s+(?:stop|stopped|stopping|cease|ceased|give up|given up|leave|left)\b)(?:\W+[\w'\u2019]+){0,6}?\W*$/i

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13
}

/** Index where the sentence containing `pos` starts. A full stop ends a sentence only when followed by a space. */
function sentenceStart(text: string, pos: number): number {
  for (let i = pos - 1; i >= 0; i--) {
    const c = text.charCodeAt(i)
    if (c === 10 || c === 59 || c === 33 || c === 63) return i + 1 // \n ; ! ?
    if (c === 46 && i + 1 < text.length && isSpace(text.charCodeAt(i + 1))) return i + 1 // '. '
  }
  return 0
}

function endOfLastMatch(re: RegExp, s: string): number {
  re.lastIndex = 0
  let end = 0
  let m: RegExpExecArray | null
  while ((m = re.exec(s)) !== null) end = m.index + m[0].length
  return end
}

/** True when the words before `start` make the match at `start` not evidence (negated, hypothetical, suspect's account). */
export function isDiscounted(text: string, start: number): boolean {
  const sentence = text.slice(sentenceStart(text, start), start)
  if (sentence.length === 0) return false
  const scope = sentence.slice(endOfLastMatch(CONTRAST, sentence))
  if (SUSPECT_ACCOUNT.test(scope) || NO_EVIDENCE.test(scope)) return true
  const clause = scope.slice(endOfLastMatch(CLAUSE, scope))
  return HYPOTHETICAL.test(clause) || NEGATION.test(clause)
}

// ---- Prefilter: one pass over word starts decides which rules can match and where discount cues are ----------

/** A leading literal of some rule (bit) or a discount cue word (bit 0, cue true). */
interface Entry {
  literal: string
  bit: number
  cue: boolean
}

/** Entries by their first three characters (literals of 3+ characters), first two, or first one. */
const BY3 = new Map<number, Entry[]>()
const BY2: (Entry[] | undefined)[] = new Array(128 * 128)
const BY1: (Entry[] | undefined)[] = new Array(128)

function addEntry(literal: string, bit: number, cue: boolean): void {
  for (let k = 0; k < literal.length; k++) {
    if (literal.charCodeAt(k) > 127) throw new Error(`Prefilter literal "${literal}" is not ASCII`)
  }
  const entry = { literal, bit, cue }
  const c0 = literal.charCodeAt(0)
  if (literal.length === 1) (BY1[c0] ??= []).push(entry)
  else if (literal.length === 2) (BY2[c0 * 128 + literal.charCodeAt(1)] ??= []).push(entry)
  else {
    const key = (c0 * 128 + literal.charCodeAt(1)) * 128 + literal.charCodeAt(2)
    const list = BY3.get(key)
    if (list) list.push(entry)
    else BY3.set(key, [entry])
  }
}

let ALWAYS = 0
let DIGIT_MASK = 0
COMPILED.forEach(({ rule }, index) => {
  const bit = 1 << index
  const seen = new Set<string>()
  for (const pattern of rule.patterns) {
    const literals = leadingLiterals(pattern)
    if (literals === null) ALWAYS |= bit
    else
      for (const literal of literals) {
        if (literal === DIGIT) DIGIT_MASK |= bit
        else if (!seen.has(literal)) {
          seen.add(literal)
          addEntry(literal, bit, false)
        }
      }
  }
})
if (COMPILED.length > 31) throw new Error('The rule prefilter uses a 31-bit mask: split it before adding rules')
const ALL_RULES = (1 << COMPILED.length) - 1

/**
 * Words that can start a discounting phrase (see the expressions above). A hit with none of these between the start
 * of its sentence and itself cannot be discounted, so the full check is skipped. "n't" is found separately.
 * A cue word matches any word it starts ("state" matches "states"): over-matching only costs time.
 */
const CUE_WORDS = [
  'not', 'never', 'no', 'nor', 'neither', 'nothing', 'deny', 'denies', 'denied', 'refute', 'stopped', 'ceased', 'if',
  'unless', 'case', 'event', 'should', 'whether', 'advice', 'advised', 'considering', 'plan', 'intend', 'want', 'would',
  'may', 'might', 'prohibit', 'forbid', 'banned', 'barred', 'restrained', 'unfounded', 'unsubstantiated', 'according',
  'state', 'claim', 'maintain', 'insist', 'allege', 'explained', 'told', 'say', 'aware',
] // prettier-ignore
for (const word of CUE_WORDS) addEntry(word, 0, true)

/** Reused between calls (explainNarrative is synchronous and not re-entrant). */
const cueBuffer: number[] = []
const CUE_FLAG = 1 << 31

function applyEntries(state: number, entries: Entry[] | undefined, s: string, i: number): number {
  if (entries === undefined) return state
  for (let e = 0; e < entries.length; e++) {
    const { literal, bit, cue } = entries[e]
    if (cue) {
      if ((state & CUE_FLAG) === 0 && s.startsWith(literal, i)) state |= CUE_FLAG
    } else if ((state & bit) === 0 && s.startsWith(literal, i)) state |= bit
  }
  return state
}

/** One pass over word starts of lower-cased text: returns the mask of rules that can match, fills `cues`. */
function prefilter(s: string, cues: number[]): number {
  let mask = ALWAYS
  cues.length = 0
  const n = s.length
  let prev = 32
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    const word = (c >= 97 && c <= 122) || (c >= 48 && c <= 57)
    const prevWord =
      (prev >= 97 && prev <= 122) || (prev >= 48 && prev <= 57) || prev === 95 || (prev >= 65 && prev <= 90)
    if (word && !prevWord) {
      if (c <= 57) mask |= DIGIT_MASK
      const c1 = i + 1 < n ? s.charCodeAt(i + 1) : 0
      const c2 = i + 2 < n ? s.charCodeAt(i + 2) : 0
      let state = mask & ~CUE_FLAG
      state = applyEntries(state, BY1[c], s, i)
      if (c1 < 128) {
        state = applyEntries(state, BY2[c * 128 + c1], s, i)
        if (c2 < 128) state = applyEntries(state, BY3.get((c * 128 + c1) * 128 + c2), s, i)
      }
      if ((state & CUE_FLAG) !== 0) cues.push(i)
      mask = state & ~CUE_FLAG
    } else if (c === 116 && i >= 2 && (prev === 39 || prev === 0x2019) && s.charCodeAt(i - 2) === 110) {
      cues.push(i - 2) // "n't"
    }
    prev = c
  }
  return mask
}

/** Whether any cue lies in [from, to). */
function hasCueBetween(cues: number[], from: number, to: number): boolean {
  let lo = 0
  let hi = cues.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (cues[mid] < from) lo = mid + 1
    else hi = mid
  }
  return lo < cues.length && cues[lo] < to
}

/** Finds the behaviour indicators in a narrative and applies the suggestsStalking rule (see rules.ts). */
export function explainNarrative(text: string): NarrativeExplanation {
  return scan(text, true)
}

/** The same scan with the prefilter switched off: for tests that prove the prefilter never changes a result. */
export function explainNarrativeUnfiltered(text: string): NarrativeExplanation {
  return scan(text, false)
}

function scan(text: string, usePrefilter: boolean): NarrativeExplanation {
  const indicators: IndicatorHit[] = []
  const found = new Set<string>()
  const lowered = text.toLowerCase()
  const sameLength = lowered.length === text.length
  const subject = sameLength ? lowered : text
  const cues = cueBuffer
  const mask = prefilter(subject, cues)
  const run = usePrefilter && sameLength ? mask : ALL_RULES
  for (let index = 0; index < COMPILED.length; index++) {
    if ((run & (1 << index)) === 0) continue
    const compiled = COMPILED[index]
    const { rule } = compiled
    const re = sameLength ? compiled.lower : compiled.anyCase
    re.lastIndex = 0
    let m: RegExpExecArray | null
    while ((m = re.exec(subject)) !== null) {
      const start = m.index
      const end = start + m[0].length
      if (end === start) {
        re.lastIndex++
        continue
      }
      if ((!usePrefilter || hasCueBetween(cues, sentenceStart(text, start), start)) && isDiscounted(text, start))
        continue
      indicators.push({
        id: rule.id,
        label: rule.label,
        category: rule.category,
        match: text.slice(start, end),
        start,
        end,
      })
      found.add(rule.id)
    }
  }
  if (indicators.length > 1) indicators.sort((a, b) => a.start - b.start || a.end - b.end)
  return { suggestsStalking: found.size > 0 && suggestsStalkingFrom(found), indicators }
}
