// Due dates in calendar or working days. Working days skip Saturdays, Sundays and the bank holidays of England and
// Wales, kept as data (bank-holidays.json, from GOV.UK's list) with the range it covers.
import { readFileSync } from 'node:fs'
import { z } from 'zod'
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
  /** The same days as whole days since 1970-01-01, for the arithmetic. */
  epochDays: ReadonlySet<number>
}

const DAY_MS = 86_400_000
const epochDay = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS)
const dayText = (epoch: number) => new Date(epoch * DAY_MS).toISOString().slice(0, 10)

export function loadBankHolidays(path = new URL('../bank-holidays.json', import.meta.url)): BankHolidays {
  const parsed = holidaysSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`src/cases/bank-holidays.json, ${issue.path.join('.')}: ${issue.message}`)
  }
  const dates = new Set(parsed.data.days.map((day) => day.date))
  return { from: parsed.data.from, to: parsed.data.to, dates, epochDays: new Set([...dates].map(epochDay)) }
}

export function isWorkingDay(day: string, holidays: BankHolidays): boolean {
  return isWorkingEpochDay(epochDay(day), holidays)
}

function isWorkingEpochDay(epoch: number, holidays: BankHolidays): boolean {
  // 1970-01-01 was a Thursday: (epoch + 4) % 7 is 0 on Sundays, 6 on Saturdays.
  const weekday = (((epoch + 4) % 7) + 7) % 7
  return weekday !== 0 && weekday !== 6 && !holidays.epochDays.has(epoch)
}

const dueCache = new Map<string, string>()

/**
 * The day an obligation that started on `start` is due: `days` calendar days later, or the `days`-th working day
 * after it (0 working days: the start day itself, or the next working day when it starts on a day off).
 */
export function dueOn(start: string, period: DuePeriod, holidays: BankHolidays): string {
  const key = `${start}|${period.days}|${period.kind}`
  const cached = dueCache.get(key)
  if (cached !== undefined) return cached
  let day = epochDay(start)
  if (period.kind === 'calendar') day += period.days
  else if (period.days === 0) {
    while (!isWorkingEpochDay(day, holidays)) day++
  } else {
    for (let counted = 0; counted < period.days;) {
      day++
      if (isWorkingEpochDay(day, holidays)) counted++
    }
  }
  const due = dayText(day)
  if (dueCache.size > 100_000) dueCache.clear()
  dueCache.set(key, due)
  return due
}

const LONDON = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })

export function londonDay(now: Date = new Date()): string {
  return LONDON.format(now)
}

const dayOf = new Map<string, string>()

/**
 * A UTC instant's day in England and Wales. Only the hour before midnight UTC can differ (British Summer Time), so
 * the formatter is asked once per UTC hour seen, not per call.
 */
export function londonDayOf(iso: string): string {
  const hour = iso.slice(0, 13)
  let day = dayOf.get(hour)
  if (day === undefined) {
    day = hour.length === 13 ? LONDON.format(new Date(`${hour}:00:00Z`)) : LONDON.format(new Date(iso))
    if (dayOf.size > 200_000) dayOf.clear()
    dayOf.set(hour, day)
  }
  return day
}
