// Column headings and row keys matched by meaning, not spelling. The synonym table is data: add a synonym here,
// not an `if` in a reader.
import { distance } from 'fastest-levenshtein'

export type ColumnRole =
  /** A bare number: "7" (a recommendation) or "7.1" (an evidence item). */
  | 'recNumber'
  /** "Recommendation": a number, the recommendation's text, or both ("7. By 27 March 2025, …"). */
  | 'recommendation'
  | 'recText'
  | 'ref'
  | 'requirement'
  | 'owner'
  | 'update'
  | 'date'
  | 'status'
  | 'documents'
  | 'deadline'
  /** "% complete": a percentage (or a spreadsheet cell formatted as one) that goes with the update's status. */
  | 'percent'

export type MetaRole = 'force' | 'executiveLead' | 'operationalLead'

interface SynonymEntry<R extends string> {
  role: R
  /** Normalised headings (see normaliseHeading) that name the role exactly or open a longer heading. */
  synonyms: readonly string[]
  /** Regular expressions tried on the normalised heading after every exact and opening match failed. */
  patterns?: readonly string[]
}

export const COLUMN_SYNONYMS: ReadonlyArray<SynonymEntry<ColumnRole>> = [
  {
    role: 'recNumber',
    synonyms: [
      'rec no',
      'rec number',
      'rec num',
      'rec ref',
      'rec',
      'recs',
      'recommendation no',
      'recommendation number',
      'recommendation num',
      'recommendation ref',
      'recommendation reference',
      'no',
      'number',
      'num',
      'ref',
      'ref no',
      'reference',
      'item',
      'item no',
      'item number',
    ],
  },
  {
    role: 'recommendation',
    synonyms: ['recommendation', 'recommendations', 'recomendation', 'reccomendation', 'recommendation s'],
  },
  {
    role: 'recText',
    synonyms: [
      'recommendation text',
      'recommendation wording',
      'recommendation detail',
      'recommendation details',
      'recommendation description',
      'wording of recommendation',
    ],
  },
  {
    role: 'ref',
    synonyms: [
      'evidence ref',
      'evidence no',
      'evidence number',
      'evidence reference',
      'requirement no',
      'requirement number',
      'requirement ref',
      'sub ref',
      'sub no',
      'item ref',
      'action no',
      'action ref',
      'action number',
      'action reference',
      'sub recommendation',
      'sub recommendations',
      'sub recommendation no',
      'sub recommendation number',
      'sub recommendation ref',
      'sub rec',
      'sub rec no',
      'sub rec ref',
      'evidence ref no',
      'evidence item',
      'evidence item no',
      'evidence item number',
    ],
  },
  {
    role: 'requirement',
    synonyms: [
      'evidence requirements of progress completion',
      'evidence requirements of progress',
      'evidence requirements of completion',
      'evidence requirements',
      'evidence requirement',
      'evidence required',
      'evidence of progress',
      'evidence of progress completion',
      'requirement',
      'requirements',
    ],
  },
  {
    role: 'owner',
    synonyms: [
      'owner',
      'owners',
      'recommendation owner',
      'action owner',
      'lead',
      'lead officer',
      'responsible officer',
      'responsible lead',
      'accountable lead',
      'responsibility',
    ],
  },
  {
    role: 'update',
    synonyms: [
      'force update',
      'force updates',
      'update',
      'updates',
      'progress',
      'progress update',
      'progress to date',
      'force response',
      'response',
      'action taken',
      'actions taken',
      'commentary',
    ],
    // Dated or ordinal update columns of a wide table: "March 2026 update", "Initial action plan response".
    patterns: ['\\b(update|updates|response|progress)\\b'],
  },
  {
    role: 'date',
    synonyms: [
      'date',
      'dates',
      'date of update',
      'update date',
      'date updated',
      'last updated',
      'as at',
      'date of last update',
    ],
  },
  {
    role: 'status',
    synonyms: [
      'status',
      'rag',
      'rag status',
      'rag rating',
      'status rag',
      'current status',
      'progress status',
      'completion status',
    ],
  },
  {
    role: 'documents',
    synonyms: [
      'supporting documents',
      'supporting document',
      'supporting documentation',
      'supporting evidence',
      'evidence',
      'documents',
      'links',
      'attachments',
    ],
  },
  {
    role: 'percent',
    synonyms: [
      'percent complete',
      'percent completed',
      'percent completion',
      'percentage complete',
      'percentage completed',
      'percentage completion',
      // A bare "%" is not one: Threadline's own exports write the worked-out progress there, not a recorded figure.
      'percentage',
      'progress percent',
      'percent progress',
      'completion percent',
      'complete percent',
    ],
  },
  {
    role: 'deadline',
    synonyms: ['deadline', 'due date', 'target date', 'target completion date', 'due by'],
  },
]

export const META_SYNONYMS: ReadonlyArray<SynonymEntry<MetaRole>> = [
  { role: 'force', synonyms: ['force', 'force name', 'police force'] },
  { role: 'executiveLead', synonyms: ['executive lead', 'exec lead', 'chief officer lead', 'executive owner'] },
  { role: 'operationalLead', synonyms: ['operational lead', 'ops lead', 'operational owner'] },
]

/** "Rec. No.:" → "rec no"; "% complete" → "percent complete"; "Evidence requirements of progress/completion:" → "evidence requirements of progress completion". */
export function normaliseHeading(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/%/g, ' percent ')
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

export interface HeadingMatch<R extends string> {
  role: R
  /** How it matched: 'pattern' marks a dated/ordinal update heading such as "March 2026 update". */
  how: 'exact' | 'opening' | 'pattern' | 'spelling'
}

/** Longer than any heading: a cell of this many characters is a value (and can be megabytes long). */
const LONGEST_HEADING = 1000

function matchIn<R extends string>(table: ReadonlyArray<SynonymEntry<R>>, heading: string): HeadingMatch<R> | null {
  if (heading.length > LONGEST_HEADING) return null
  const h = normaliseHeading(heading)
  if (!h) return null
  for (const entry of table) if (entry.synonyms.includes(h)) return { role: entry.role, how: 'exact' }
  let best: { role: R; length: number } | null = null
  for (const entry of table) {
    for (const s of entry.synonyms) {
      if (h.startsWith(`${s} `) && (!best || s.length > best.length)) best = { role: entry.role, length: s.length }
    }
  }
  if (best) return { role: best.role, how: 'opening' }
  for (const entry of table) {
    for (const p of entry.patterns ?? []) if (new RegExp(p).test(h)) return { role: entry.role, how: 'pattern' }
  }
  // Misspellings: one slip in a short heading, two in a long one ("Recomendation", "Evidance requirments").
  let near: { role: R; d: number } | null = null
  for (const entry of table) {
    for (const s of entry.synonyms) {
      if (s.length < 5) continue
      const allowed = s.length >= 12 ? 2 : 1
      // Lengths further apart than the slips allowed cannot match: a cell of megabytes is never compared letter by
      // letter with every synonym (it took a minute for a 10 MB cell).
      if (Math.abs(h.length - s.length) > allowed) continue
      const d = distance(h, s)
      if (d <= allowed && (!near || d < near.d)) near = { role: entry.role, d }
    }
  }
  return near ? { role: near.role, how: 'spelling' } : null
}

export function matchColumn(heading: string): HeadingMatch<ColumnRole> | null {
  return matchIn(COLUMN_SYNONYMS, heading)
}

export function matchMeta(heading: string): HeadingMatch<MetaRole> | null {
  return matchIn(META_SYNONYMS, heading)
}

/** What each required column looks like, for error messages. */
export const EXPECTED_COLUMNS =
  'a recommendation number column (e.g. "Rec No.", "Recommendation number") and an evidence requirement column (e.g. "Evidence requirements of progress/completion")'
