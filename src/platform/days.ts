// Calendar days written 'YYYY-MM-DD' (UTC): the arithmetic every area's dates need, in one place.
const DAY_MS = 86_400_000

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/

const dayToMs = (day: string) => Date.parse(`${day}T00:00:00Z`)

/** Whether the text is a day written 'YYYY-MM-DD' that exists (not 2024-02-31, not 2024-2-3). */
export function isRealDay(value: string): boolean {
  if (!DAY_PATTERN.test(value)) return false
  const time = dayToMs(value)
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value
}

/** The day a number of days after (or, when negative, before) another. */
export function addDays(day: string, days: number): string {
  return new Date(dayToMs(day) + days * DAY_MS).toISOString().slice(0, 10)
}

/** Whole days from one day to another; negative when the second is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((dayToMs(to) - dayToMs(from)) / DAY_MS)
}

/** 'YYYY-MM' a number of months after (or, when negative, before) a month. */
export function addMonths(month: string, months: number): string {
  const [year, number] = month.split('-').map(Number)
  return new Date(Date.UTC(year, number - 1 + months, 1)).toISOString().slice(0, 7)
}

/**
 * The months 'YYYY-MM' from one day's (or month's) month to another's, inclusive (none when the second is earlier).
 */
export function monthsBetween(fromDay: string, toDay: string): string[] {
  const months: string[] = []
  let year = Number(fromDay.slice(0, 4))
  let month = Number(fromDay.slice(5, 7))
  const last = toDay.slice(0, 7)
  for (let guard = 0; guard < 1200; guard++) {
    const key = `${year}-${String(month).padStart(2, '0')}`
    if (key > last) break
    months.push(key)
    month = month === 12 ? 1 : month + 1
    if (month === 1) year++
  }
  return months
}

/** A period of reported dates, as every area's measures ask for it (the crimes reported in it). */
export interface MeasurePeriod {
  /** Inclusive ISO date-time lower bound on the crime's reported_at. */
  from: string
  /** Exclusive ISO date-time upper bound. */
  to: string
}
