// The one server-side reading of a date a person typed: the GOV.UK date input's day, month and year fields, or a whole
// date typed into one of them (27/3/2025, 27 March 2025, 2025-03-27). Forms and filters everywhere use it through the
// `dateInputs` middleware, which folds `<name>-day`, `<name>-month` and `<name>-year` into `<name>`.
import { isRealDay } from './days.ts'

export interface DateParts {
  day: string
  month: string
  year: string
}

export type ParsedDate =
  | { ok: true; value: string | null }
  | { ok: false; message: string; /** what was typed, as one text the date input can show again */ typed: string }

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
]

/** '3', 'Mar', 'March' or 'Sept' as a month number; anything else as it was. */
function monthNumber(text: string): string {
  if (/^\d{1,2}$/.test(text) || text.length < 3) return text
  const index = MONTHS.findIndex((name) => name.startsWith(text.toLowerCase()))
  return index < 0 ? text : String(index + 1)
}

/** A whole date typed into one field: 27/3/2025, 27-03-2025, 27.3.2025, 27 March 2025, 2025-03-27 (or 3/2025). */
function splitOneField(text: string): DateParts | null {
  const iso = /^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$/.exec(text)
  if (iso) return { day: iso[3] ?? '', month: iso[2], year: iso[1] }
  const parts = text.split(/\s*[/.\-\s,]\s*/).filter(Boolean)
  if (parts.length === 3) return { day: parts[0], month: parts[1], year: parts[2] }
  if (parts.length === 2) return { day: '', month: parts[0], year: parts[1] }
  return null
}

/**
 * Reads a date from its parts. Blank is `{ ok: true, value: null }` (the caller decides whether it is required).
 * `allowMonth`: a blank day gives 'YYYY-MM' (a plan update dated to a month). `label` starts the messages.
 */
export function parseDateParts(input: DateParts, options: { allowMonth?: boolean; label?: string } = {}): ParsedDate {
  const label = options.label ?? 'The date'
  let day = input.day.trim()
  let month = input.month.trim()
  let year = input.year.trim()
  if (!day && !month && !year) return { ok: true, value: null }
  // A whole date in one field (usually the day, whichever field it went into).
  // A whole date in one field wins over what the others hold (a month and year shown by default, say).
  const filled = [day, month, year].filter(Boolean)
  const whole = filled.find((part) => /[/.\-\s,]|[a-z]/i.test(part) && splitOneField(part)?.day)
  const single = whole ?? (filled.length === 1 && /[/.\-\s,]|[a-z]/i.test(filled[0]) ? filled[0] : null)
  const shown = single ?? [day, month, year].join('/')
  if (single) {
    const split = splitOneField(single)
    if (!split) return { ok: false, message: `${label} must be a real date, for example 27 3 2025`, typed: single }
    ;({ day, month, year } = split)
  }
  const fail = (message: string): ParsedDate => ({ ok: false, message, typed: shown })
  month = monthNumber(month)
  const missing = [!day && !options.allowMonth && 'a day', !month && 'a month', !year && 'a year'].filter(Boolean)
  if (missing.length) {
    const list = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}`
    return fail(`${label} must include ${list}`)
  }
  if (!/^\d{4}$/.test(year)) return fail('The year must have 4 numbers, for example 2025')
  if (!/^\d{1,2}$/.test(month) || Number(month) < 1 || Number(month) > 12) {
    return fail(`${label} must be a real date, for example 27 3 2025`)
  }
  const mm = month.padStart(2, '0')
  if (!day) return { ok: true, value: `${year}-${mm}` }
  const value = `${year}-${mm}-${day.padStart(2, '0')}`
  if (!/^\d{1,2}$/.test(day) || !isRealDay(value)) return fail(`${label} must be a real date, for example 27 3 2025`)
  return { ok: true, value }
}

/**
 * Folds every date input in a form body or query (`<name>-day`, `<name>-month`, `<name>-year`) into `<name>`:
 * 'YYYY-MM-DD' (or 'YYYY-MM' where the date input allows a month) when it reads as a date, '' when blank, and what
 * was typed otherwise, so the route's own check refuses it with its message and the form shows it again. The parts
 * stay as they were. Returns the messages of the dates that did not read, by name.
 */
export function foldDateInputs(fields: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {}
  const names = new Set(
    Object.keys(fields)
      .map((key) => /^(.+)-day$/.exec(key)?.[1])
      .filter((name): name is string => Boolean(name) && (`${name}-month` in fields || `${name}-year` in fields)),
  )
  for (const name of names) {
    const part = (which: string) => {
      const value = fields[`${name}-${which}`]
      return typeof value === 'string' ? value : ''
    }
    const parsed = parseDateParts(
      { day: part('day'), month: part('month'), year: part('year') },
      { allowMonth: fields[`${name}-precision`] === 'month' },
    )
    if (parsed.ok) fields[name] = parsed.value ?? ''
    else {
      fields[name] = parsed.typed
      errors[name] = parsed.message
    }
  }
  return errors
}

/** The day, month and year to show in a date input for a value: 'YYYY-MM-DD', 'YYYY-MM', or text as typed. */
export function dateInputParts(value: unknown): DateParts {
  const text = typeof value === 'string' ? value.trim() : ''
  const iso = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(text)
  if (iso) return { day: iso[3] ? String(Number(iso[3])) : '', month: String(Number(iso[2])), year: iso[1] }
  const parts = text.split('/')
  if (parts.length === 3) return { day: parts[0], month: parts[1], year: parts[2] }
  return { day: text, month: '', year: '' }
}
