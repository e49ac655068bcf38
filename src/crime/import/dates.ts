// Date parsing for extracts: ISO dates and date-times, and UK day-first dates (DD/MM/YYYY, DD/MM/YY), with times.
// A mapping file may say the extract is month-first instead.

export const DATE_FORMATS = ['auto', 'DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY-MM-DD'] as const
export type DateFormat = (typeof DATE_FORMATS)[number]

export interface ParsedDate {
  /** 'YYYY-MM-DD' */
  date: string
  /** 'HH:mm:ss' plus any zone given ('Z', '+01:00'), or null when the value had no time. */
  time: string | null
}

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/
const SLASHED = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[ T,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$/

const two = (n: number) => (n < 10 ? `0${n}` : String(n))

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function valid(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return day <= DAYS[month - 1] + (leap ? 1 : 0)
}

function build(year: number, month: number, day: number, h?: string, m?: string, s?: string, zone?: string) {
  if (!valid(year, month, day)) return null
  const date = `${year}-${two(month)}-${two(day)}`
  if (h === undefined) return { date, time: null }
  const hour = Number(h)
  const minute = Number(m)
  const second = s === undefined ? 0 : Number(s)
  if (hour > 23 || minute > 59 || second > 59) return null
  return { date, time: `${two(hour)}:${two(minute)}:${two(second)}${zone ?? ''}` }
}

const cache = new Map<string, ParsedDate | null>()

/** Parses a date or date-time, or returns null when it is not one. Two-digit years below 70 are 20xx. */
export function parseDate(text: string, format: DateFormat = 'auto'): ParsedDate | null {
  const key = format === 'auto' ? text : `${format}|${text}`
  const known = cache.get(key)
  if (known !== undefined) return known
  const parsed = parseUncached(text, format)
  if (cache.size >= 100_000) cache.clear()
  cache.set((key + ' ').slice(0, -1), parsed)
  return parsed
}

function parseUncached(text: string, format: DateFormat): ParsedDate | null {
  const value = text.trim()
  const iso = ISO.exec(value)
  if (iso) {
    if (format !== 'auto' && format !== 'YYYY-MM-DD') return null
    return build(Number(iso[1]), Number(iso[2]), Number(iso[3]), iso[4], iso[5], iso[6], iso[7])
  }
  const slashed = SLASHED.exec(value)
  if (!slashed || format === 'YYYY-MM-DD') return null
  let year = Number(slashed[3])
  if (slashed[3].length === 2) year += year < 70 ? 2000 : 1900
  const first = Number(slashed[1])
  const second = Number(slashed[2])
  const [day, month] = format === 'MM/DD/YYYY' ? [second, first] : [first, second]
  return build(year, month, day, slashed[4], slashed[5], slashed[6])
}

/** 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:mm:ss' as the model wants. */
export function isoOf(parsed: ParsedDate): string {
  return parsed.time ? `${parsed.date}T${parsed.time}` : parsed.date
}
