// Normalisation shared by every plan reader: text cleaning, UK (day-first) dates, statuses, item references.
import { load } from 'cheerio'
import type { AnyNode } from 'domhandler'
import type { PlanStatus } from '../model.ts'

// ---------------------------------------------------------------------------------------------------------------
// Text

const HTML_TAG = /<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/i
const HTML_ENTITY = /&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]+);/i
const BLOCK_ELEMENTS = new Set([
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'tr',
  'table',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'section',
  'article',
  'header',
  'footer',
  'pre',
])

function htmlToText(html: string): string {
  const $ = load(html, null, false)
  const out: string[] = []
  const walk = (nodes: AnyNode[]): void => {
    for (const node of nodes) {
      if (node.type === 'text') out.push(node.data.replace(/\s+/g, ' '))
      else if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
        const name = node.name.toLowerCase()
        if (name === 'script' || name === 'style') continue
        if (name === 'br') {
          out.push('\n')
          continue
        }
        const block = BLOCK_ELEMENTS.has(name)
        if (block) out.push('\n')
        walk(node.children)
        if (block) out.push('\n')
      }
    }
  }
  walk(
    $.root()
      .toArray()
      .flatMap((n) => ('children' in n ? (n.children as AnyNode[]) : [])),
  )
  return out.join('')
}

function decodeEntitiesOnly(text: string): string {
  return load(text.replace(/</g, '&lt;'), null, false).text()
}

/** Removes Markdown emphasis (**bold**, __bold__, *em*, _em_, ~~strike~~), heading marks and links' URLs. */
export function stripMarkdown(text: string): string {
  return text
    .replace(/\[([^\]\n]+)\]\((?:[^)\s]+)\)/g, '$1')
    .replace(/\*\*([^*\n]*?)\*\*/g, '$1')
    .replace(/__([^_\n]*?)__/g, '$1')
    .replace(/~~([^~\n]*?)~~/g, '$1')
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, '$1$2')
    .replace(/(^|[^\w])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1$2')
    .replace(/\*\*/g, '')
    .replace(/^#{1,6}\s+/gm, '')
}

/**
 * Plain text from a cell or paragraph: HTML tags stripped (block elements and <br> become paragraph breaks), entities
 * decoded, Markdown emphasis removed, whitespace collapsed within each paragraph; paragraphs joined with '\n'.
 */
export function cleanText(input: string | null | undefined): string {
  if (!input) return ''
  let text = input.replace(/\r\n?/g, '\n')
  if (HTML_TAG.test(text)) text = htmlToText(text)
  else if (HTML_ENTITY.test(text)) text = decodeEntitiesOnly(text)
  text = stripMarkdown(text)
  return text
    .split('\n')
    .map((line) => line.replace(/[\s\u00a0\u200b]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n')
}

// ---------------------------------------------------------------------------------------------------------------
// Item references

const REF = /^(\d{1,2})\.(\d{1,2})$/
const LEADING_REF = /^(\d{1,2})\.(\d{1,2})(?![\d.]*\d)\s*[:.)\-–—]?\s+(?=\S)/

/** "12.3" → { recommendation: 12, ref: '12.3' }; anything else → null. */
export function parseRef(text: string): { recommendation: number; ref: string } | null {
  const m = REF.exec(text.trim())
  if (!m) return null
  return { recommendation: Number(m[1]), ref: `${Number(m[1])}.${Number(m[2])}` }
}

/** "12.3 Recognising the risk…" → { ref: '12.3', rest: 'Recognising the risk…' }. */
export function splitLeadingRef(text: string): { recommendation: number; ref: string; rest: string } | null {
  const m = LEADING_REF.exec(text)
  if (!m) return null
  return { recommendation: Number(m[1]), ref: `${Number(m[1])}.${Number(m[2])}`, rest: text.slice(m[0].length) }
}

/** Compares refs numerically: 12.2 < 12.10 < 13.1. */
export function compareRefs(a: string, b: string): number {
  const [a1, a2] = a.split('.').map(Number)
  const [b1, b2] = b.split('.').map(Number)
  return a1 - b1 || a2 - b2
}

// ---------------------------------------------------------------------------------------------------------------
// Dates (UK, day first)

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
}
const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)'
const YEAR = '(\\d{4}|\\d{2})'
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?'

const pad = (n: number): string => String(n).padStart(2, '0')

function fullYear(y: string): number {
  return y.length === 2 ? 2000 + Number(y) : Number(y)
}

function isoDay(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || year < 1900 || year > 2200) return null
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (day > days) return null
  return `${year}-${pad(month)}-${pad(day)}`
}

function isoMonth(year: number, month: number): string | null {
  if (month < 1 || month > 12 || year < 1900 || year > 2200) return null
  return `${year}-${pad(month)}`
}

interface DatePattern {
  source: string
  build: (m: string[]) => string | null
}

// Longest, most precise first: a day-month-year must win over the month-year inside it.
const DATE_PATTERNS: DatePattern[] = [
  {
    source: '(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:T[\\d:.]+(?:Z|[+-]\\d{2}:?\\d{2})?)?',
    build: (m) => isoDay(Number(m[1]), Number(m[2]), Number(m[3])),
  },
  {
    source: '(\\d{1,2})[/.\\-](\\d{1,2})[/.\\-]' + YEAR,
    build: (m) => isoDay(fullYear(m[3]), Number(m[2]), Number(m[1])),
  },
  {
    source: DAY + '(?:\\s+of)?[\\s\\-]+' + MONTH + '\\.?,?[\\s\\-]+' + YEAR,
    build: (m) => isoDay(fullYear(m[3]), MONTHS[m[2].toLowerCase()], Number(m[1])),
  },
  {
    source: MONTH + '\\.?\\s+' + DAY + ',?\\s+(\\d{4})',
    build: (m) => isoDay(Number(m[3]), MONTHS[m[1].toLowerCase()], Number(m[2])),
  },
  {
    source: MONTH + '\\.?[\\s\\-/,]+(\\d{4}|\\d{2})',
    build: (m) => isoMonth(fullYear(m[2]), MONTHS[m[1].toLowerCase()]),
  },
  { source: '(\\d{4})-(\\d{1,2})', build: (m) => isoMonth(Number(m[1]), Number(m[2])) },
  { source: '(\\d{1,2})[/.](\\d{4})', build: (m) => isoMonth(Number(m[2]), Number(m[1])) },
  { source: '((?:19|20)\\d{2})', build: (m) => m[1] },
]

const WHOLE_DATE = DATE_PATTERNS.map((p) => ({ re: new RegExp(`^${p.source}$`, 'i'), build: p.build }))

/**
 * Parses a cell that is a date and nothing else, keeping the source's precision: "20/11/2024" → '2024-11-20',
 * "27/03/25" → '2025-03-27', "27 March 2025" → '2025-03-27', "Nov-24" and "November 2024" → '2024-11'.
 * Day first, as UK documents write it. Returns null for anything else, including impossible dates (31/02/2025).
 */
export function parseDate(text: string | null | undefined): string | null {
  if (!text) return null
  const t = text
    .trim()
    .replace(/^(?:as\s+(?:at|of)|updated?|date)\s*:?\s*/i, '')
    .replace(/[.,;:]$/, '')
    .trim()
  for (const { re, build } of WHOLE_DATE) {
    const m = re.exec(t)
    if (m) return build(m)
  }
  return null
}

const ANYWHERE = DATE_PATTERNS.slice(0, 5).map((p) => ({
  re: new RegExp(`(?<![\\w/.-])${p.source}(?![\\w/-]|\\.\\d)`, 'i'),
  build: p.build,
}))

/** The first date written anywhere in the text ("March 2026 update" → '2026-03'), or null. */
export function findDate(text: string | null | undefined): string | null {
  if (!text) return null
  let best: { index: number; length: number; iso: string } | null = null
  for (const { re, build } of ANYWHERE) {
    const m = re.exec(text)
    if (!m) continue
    const iso = build(m)
    if (!iso) continue
    if (!best || m.index < best.index || (m.index === best.index && m[0].length > best.length)) {
      best = { index: m.index, length: m[0].length, iso }
    }
  }
  return best?.iso ?? null
}

const LEADING_DATE = ANYWHERE.map(({ re, build }) => ({
  re: new RegExp(
    `^\\s*(?:(?:update(?:d)?|as\\s+(?:at|of)|date)\\s*:?\\s*)?(?:${re.source.replace('(?<![\\w/.-])', '')})\\s*(?:[:\\-–—,)]\\s*|\\n|$)`,
    'i',
  ),
  build,
}))

/** A date that opens the text ("20/11/2024 – The force…", "Update 27 March 2025: …"); the rest of the text. */
export function splitLeadingDate(text: string): { date: string; rest: string } | null {
  for (const { re, build } of LEADING_DATE) {
    const m = re.exec(text)
    if (!m) continue
    const iso = build(m)
    if (iso) return { date: iso, rest: text.slice(m[0].length).trim() }
  }
  return null
}

/** A Date from a spreadsheet cell → 'YYYY-MM-DD' (spreadsheet dates carry no zone; read them as UTC). */
export function isoFromDate(date: Date): string | null {
  if (Number.isNaN(date.getTime())) return null
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`
}

const DEADLINE = new RegExp(
  `^\\s*(?:(?:by|before|no later than)\\s+)?(?:the\\s+)?(${DAY}(?:\\s+of)?\\s+${MONTH}\\.?,?\\s+(\\d{4})|${MONTH}\\s+(\\d{4}))\\b`,
  'i',
)

/** "By 27 March 2025, review…" → '2025-03-27'; "27 March 2025, make sure…" → '2025-03-27'; no opening date → null. */
export function parseDeadline(recommendationText: string): string | null {
  // The deadline opens the text, or a line or sentence of it (a heading's title may come first).
  for (const part of recommendationText.split(/\n|(?<=[.!?])\s+/)) {
    const m = DEADLINE.exec(part)
    if (m) return parseDate(m[1])
  }
  return null
}

// ---------------------------------------------------------------------------------------------------------------
// Statuses

/**
 * Phrases that name a status, as data. The longest phrase found in a label wins ("not started" over "started",
 * "partially complete" over "complete"). RAG colours: Red = not_started, Amber = in_progress, Green = complete; the
 * original label is always kept in statusLabel.
 */
export const STATUS_PHRASES: ReadonlyArray<{ phrase: string; status: PlanStatus }> = [
  { phrase: 'not yet started', status: 'not_started' },
  { phrase: 'not started', status: 'not_started' },
  { phrase: 'yet to start', status: 'not_started' },
  { phrase: 'yet to commence', status: 'not_started' },
  { phrase: 'not commenced', status: 'not_started' },
  { phrase: 'not yet commenced', status: 'not_started' },
  { phrase: 'not begun', status: 'not_started' },
  { phrase: 'red', status: 'not_started' },
  { phrase: 'in progress', status: 'in_progress' },
  { phrase: 'work in progress', status: 'in_progress' },
  { phrase: 'ongoing', status: 'in_progress' },
  { phrase: 'on going', status: 'in_progress' },
  { phrase: 'underway', status: 'in_progress' },
  { phrase: 'under way', status: 'in_progress' },
  { phrase: 'started', status: 'in_progress' },
  { phrase: 'on track', status: 'in_progress' },
  { phrase: 'partially complete', status: 'in_progress' },
  { phrase: 'partially completed', status: 'in_progress' },
  { phrase: 'partly complete', status: 'in_progress' },
  { phrase: 'part complete', status: 'in_progress' },
  { phrase: 'amber', status: 'in_progress' },
  { phrase: 'complete', status: 'complete' },
  { phrase: 'completed', status: 'complete' },
  { phrase: 'action complete', status: 'complete' },
  { phrase: 'actions complete', status: 'complete' },
  { phrase: 'achieved', status: 'complete' },
  { phrase: 'done', status: 'complete' },
  { phrase: 'closed', status: 'complete' },
  { phrase: 'business as usual', status: 'complete' },
  { phrase: 'bau', status: 'complete' },
  { phrase: 'green', status: 'complete' },
]

export interface NormalisedStatus {
  status: PlanStatus | null
  /** The label as written (whitespace collapsed). */
  statusLabel: string
  percent: number | null
  /** Set when the label was not understood or contradicts itself; the caller turns it into a warning. */
  problem: string | null
}

/**
 * "In Progress 25%" → in_progress, 25; "Action Complete" → complete, 100; "Not yet started" → not_started, 0;
 * "In Progress" → in_progress, null; "Amber" → in_progress, null; "60%" → in_progress, 60. Empty → null.
 */
export function normaliseStatus(label: string | null | undefined): NormalisedStatus | null {
  const statusLabel = cleanText(label ?? '').replace(/\n/g, ' ')
  if (!statusLabel) return null
  const pm = /(\d{1,3}(?:\.\d+)?)\s*%|(\d{1,3}(?:\.\d+)?)\s*per\s*cent/i.exec(statusLabel)
  let percent = pm ? Number(pm[1] ?? pm[2]) : null
  const words = ` ${statusLabel
    .toLowerCase()
    .replace(/(\d{1,3}(?:\.\d+)?)\s*(%|per\s*cent)/g, ' ')
    .replace(/[^a-z]+/g, ' ')
    .trim()} `
  const found: Array<{ start: number; end: number; status: PlanStatus }> = []
  for (const { phrase, status } of STATUS_PHRASES) {
    let from = 0
    for (;;) {
      const i = words.indexOf(` ${phrase} `, from)
      if (i < 0) break
      found.push({ start: i, end: i + phrase.length + 1, status })
      from = i + 1
    }
  }
  // Drop phrases inside a longer one ("started" inside "not started").
  const kept = found.filter(
    (f) => !found.some((g) => g !== f && g.start <= f.start && g.end >= f.end && g.end - g.start > f.end - f.start),
  )
  const statuses = [...new Set(kept.map((f) => f.status))]
  if (percent !== null && percent > 100) {
    return { status: null, statusLabel, percent: null, problem: `status "${statusLabel}" gives a percentage over 100` }
  }
  if (statuses.length > 1) {
    return {
      status: null,
      statusLabel,
      percent,
      problem: `status "${statusLabel}" names more than one status (${statuses.join(', ')}); the status was left empty`,
    }
  }
  let status: PlanStatus | null = statuses[0] ?? null
  let problem: string | null = null
  if (!status) {
    if (percent === null) {
      return {
        status: null,
        statusLabel,
        percent: null,
        problem: `status "${statusLabel}" is not recognised (expected e.g. "Not started", "In progress 25%", "Complete" or Red/Amber/Green); the label was kept and the status left empty`,
      }
    }
    status = percent === 0 ? 'not_started' : percent === 100 ? 'complete' : 'in_progress'
  } else if (status === 'complete') {
    if (percent === null) percent = 100
    else if (percent !== 100) problem = `status "${statusLabel}" says complete but gives ${percent}%`
  } else if (status === 'not_started') {
    if (percent === null) percent = 0
    else if (percent !== 0) problem = `status "${statusLabel}" says not started but gives ${percent}%`
  }
  return { status, statusLabel, percent, problem }
}
