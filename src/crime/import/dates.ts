// Date parsing for extracts: ISO dates and date-times (also with slashes), UK day-first dates (DD/MM/YYYY, DD/MM/YY,
// with / . or -), and dates with the month named ("05-MAR-24", Oracle's default, "5 March 2024"), each with an
// optional time (24-hour, or 12-hour with AM/PM; seconds and fractions optional). A mapping file may say the
// extract is month-first instead.

export const DATE_FORMATS = ['auto', 'DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY-MM-DD'] as const
export type DateFormat = (typeof DATE_FORMATS)[number]

export interface ParsedDate {
  /** 'YYYY-MM-DD' */
  date: string
  /** 'HH:mm:ss' plus any zone given ('Z', '+01:00'), or null when the value had no time. */
  time: string | null
}

const ISO =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/
const TIME = '(?:[ T,]+(\\d{1,2})[:.](\\d{2})(?:[:.](\\d{2})(?:\\.\\d+)?)?\\s*([AaPp]\\.?[Mm]\\.?)?)?'
const SLASHED = new RegExp(`^(\\d{1,2})[/.-](\\d{1,2})[/.-](\\d{4}|\\d{2})${TIME}$`)
const NAMED = new RegExp(`^(\\d{1,2})(?:st|nd|rd|th)?[ /.-]?([A-Za-z]{3,9})[ /.,-]*(\\d{4}|\\d{2})${TIME}$`)
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

/** A month named in full or in three letters ('Sept' too), or 0. */
function monthNamed(name: string): number {
  const lower = name.toLowerCase()
  const index = MONTHS.indexOf(lower.slice(0, 3)) + 1
  if (index === 0) return 0
  const full = new Date(Date.UTC(2000, index - 1, 1)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' })
  return full.toLowerCase().startsWith(lower) || lower === 'sept' ? index : 0
}

/** A 12-hour time's hour on the 24-hour clock, or the hour as given; NaN when the hour cannot be 12-hour. */
function hour24(hour: string | undefined, meridiem: string | undefined): string | undefined {
  if (hour === undefined || meridiem === undefined) return hour
  const value = Number(hour)
  if (value < 1 || value > 12) return 'NaN'
  const pm = meridiem[0].toLowerCase() === 'p'
  return String((value % 12) + (pm ? 12 : 0))
}

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
  if (!(hour <= 23 && minute <= 59 && second <= 59)) return null
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
  if (format === 'YYYY-MM-DD') return null
  const slashed = SLASHED.exec(value)
  if (slashed) {
    const first = Number(slashed[1])
    const second = Number(slashed[2])
    const [day, month] = format === 'MM/DD/YYYY' ? [second, first] : [first, second]
    return build(fullYear(slashed[3]), month, day, hour24(slashed[4], slashed[7]), slashed[5], slashed[6])
  }
  const named = NAMED.exec(value)
  if (!named) return null
  const month = monthNamed(named[2])
  if (month === 0) return null
  return build(fullYear(named[3]), month, Number(named[1]), hour24(named[4], named[7]), named[5], named[6])
}

function fullYear(text: string): number {
  const year = Number(text)
  return text.length === 2 ? year + (year < 70 ? 2000 : 1900) : year
}

/** 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:mm:ss' as the model wants. */
export function isoOf(parsed: ParsedDate): string {
  return parsed.time ? `${parsed.date}T${parsed.time}` : parsed.date
}
