// Name normalisation for person resolution: case, accents, punctuation, apostrophes and hyphens, and nicknames.
//
// Decisions:
// - Letters are folded to a-z (NFKD, combining marks dropped; ß -> ss, æ -> ae, ø -> o, ł -> l, đ -> d).
// - Apostrophes vanish inside a name (O'Brien -> obrien, D'Arcy -> darcy), so O'Brien and OBrien compare equal.
// - Hyphens and spaces separate parts (Smith-Jones -> parts smith, jones; key smithjones), so a double-barrelled
//   surname can be matched on one of its parts as weaker evidence.
// - Nicknames come from nicknames.json (data, not code): a forename's canonical forms are itself plus the table's
//   entries, so Dave and Davy meet at David, and Chris meets both Christopher and Christine.

import nicknameTable from './nicknames.json' with { type: 'json' }
import { phoneticKey } from './phonetic.ts'

const NICKNAMES: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries(nicknameTable as Record<string, string | string[]>)
    .filter(([key, value]) => !key.startsWith('_') && Array.isArray(value))
    .map(([key, value]) => [key, value as string[]]),
)

const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
}

/** Folds a name to lower-case a-z words separated by single spaces: "  Seán O'Brien-Smythe " -> "sean obrien smythe". */
export function normaliseName(raw: string | null | undefined): string {
  if (!raw) return ''
  return raw
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[ßæœøłđðþı]/g, (ch) => SPECIAL_LETTERS[ch] ?? ch)
    .replace(/['’‘`´]/g, '')
    .replace(/[^a-z]+/g, ' ')
    .trim()
}

/** The canonical forenames a forename stands for: itself plus its nickname-table entries. Input: one normalised word. */
export function canonicalForenames(word: string): readonly string[] {
  const expansions = NICKNAMES.get(word)
  return expansions ? [word, ...expansions] : [word]
}

/** Nickname-table lookup only (without the name itself); empty when the word is not a known nickname. */
export function nicknameExpansions(word: string): readonly string[] {
  return NICKNAMES.get(word) ?? []
}

export function nicknameCount(): number {
  return NICKNAMES.size
}

/** A forename prepared for comparison. Shared between all parties with the same raw forename (see NameCache). */
export interface ForenameInfo {
  /** As written, trimmed (for reasons). */
  display: string
  /** Whole normalised forename without spaces ('maryjane'). */
  full: string
  /** First word of the normalised forename ('mary'). */
  first: string
  /** True when the first word is a single letter (an initial). */
  initialOnly: boolean
  /** Canonical forms of the first word (itself and nickname expansions). */
  canonical: readonly string[]
  /** Phonetic key of the first word. */
  phonetic: string
  /** Distinct first letters of the phonetic keys of the canonical forms. */
  initials: readonly string[]
  /** Distinct phonetic keys of the canonical forms (blocking: Kate, Katie and Catherine share K365). */
  canonicalPhonetics: readonly string[]
}

export interface SurnameInfo {
  display: string
  /** Normalised surname without separators ('smithjones'). */
  full: string
  /** Parts of a hyphenated or multi-word surname (['smith', 'jones']); one entry for a plain surname. */
  parts: readonly string[]
  phonetic: string
  /** Phonetic keys of the parts when there are several (blocking on each part of a double-barrelled name). */
  partPhonetics: readonly string[]
}

export function forenameInfo(raw: string | null | undefined): ForenameInfo | null {
  const norm = normaliseName(raw)
  if (norm === '') return null
  const words = norm.split(' ')
  const first = words[0]
  const canonical = canonicalForenames(first)
  const canonicalPhonetics = [...new Set(canonical.map((name) => phoneticKey(name)))]
  const initials = [...new Set(canonicalPhonetics.map((key) => key.charAt(0)))]
  return {
    display: (raw ?? '').trim(),
    full: words.join(''),
    first,
    initialOnly: first.length === 1,
    canonical,
    phonetic: phoneticKey(first),
    initials,
    canonicalPhonetics,
  }
}

export function surnameInfo(raw: string | null | undefined): SurnameInfo | null {
  const norm = normaliseName(raw)
  if (norm === '') return null
  const parts = norm.split(' ')
  const full = parts.join('')
  return {
    display: (raw ?? '').trim(),
    full,
    parts,
    phonetic: phoneticKey(full),
    partPhonetics: parts.length > 1 ? parts.map(phoneticKey) : [],
  }
}

/**
 * Memoises forename and surname preparation by raw string. Names repeat heavily across millions of parties, so this
 * saves both time and memory (every party with the same raw name shares one info object).
 */
export class NameCache {
  private readonly forenames = new Map<string, ForenameInfo | null>()
  private readonly surnames = new Map<string, SurnameInfo | null>()

  forename(raw: string | null | undefined): ForenameInfo | null {
    if (!raw) return null
    let info = this.forenames.get(raw)
    if (info === undefined) {
      info = forenameInfo(raw)
      this.forenames.set(raw, info)
    }
    return info
  }

  surname(raw: string | null | undefined): SurnameInfo | null {
    if (!raw) return null
    let info = this.surnames.get(raw)
    if (info === undefined) {
      info = surnameInfo(raw)
      this.surnames.set(raw, info)
    }
    return info
  }
}
