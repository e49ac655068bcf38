// Due dates in calendar or working days. Working days skip Saturdays, Sundays and the bank holidays of England and
// Wales, kept as data (bank-holidays.json, from GOV.UK's list) with the range it covers.
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { addDays } from '../../platform/days.ts'
import type { DuePeriod } from '../../platform/obligations.ts'

const holidaysSchema = z.object({
  source: z.string(),
  from: z.string(),
  to: z.string(),
  days: z.array(z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), title: z.string() })),
})

export interface BankHolidays {
  from: string
  to: string
  dates: ReadonlySet<string>
}

export function loadBankHolidays(path = new URL('../bank-holidays.json', import.meta.url)): BankHolidays {
  const parsed = holidaysSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`src/cases/bank-holidays.json, ${issue.path.join('.')}: ${issue.message}`)
  }
  return { from: parsed.data.from, to: parsed.data.to, dates: new Set(parsed.data.days.map((day) => day.date)) }
}

export function isWorkingDay(day: string, holidays: BankHolidays): boolean {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay()
  return weekday !== 0 && weekday !== 6 && !holidays.dates.has(day)
}

/**
 * The day an obligation that started on `start` is due: `days` calendar days later, or the `days`-th working day
 * after it (0 working days: the start day itself, or the next working day when it starts on a day off).
 */
export function dueOn(start: string, period: DuePeriod, holidays: BankHolidays): string {
  if (period.kind === 'calendar') return addDays(start, period.days)
  let day = start
  if (period.days === 0) {
    while (!isWorkingDay(day, holidays)) day = addDays(day, 1)
    return day
  }
  for (let counted = 0; counted < period.days;) {
    day = addDays(day, 1)
    if (isWorkingDay(day, holidays)) counted++
  }
  return day
}

/** Today in England and Wales ('YYYY-MM-DD'): what "due today" and "overdue" are judged by. */
export function londonDay(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(now)
}

/** A UTC instant's day in England and Wales. */
export function londonDayOf(iso: string): string {
  return londonDay(new Date(iso))
}
