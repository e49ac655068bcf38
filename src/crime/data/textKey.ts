// SQLite's full-text rows (crime_text, migration 0219) are keyed by the crime's reported minute and then its id:
// (minutes since 1970 of the first 19 characters of reported_at) * 2^32 + id. FTS5 keeps each word's matches in key
// order and reads a key range backwards as cheaply as forwards, so "these words, newest first, in this period" is the
// first rows of one range instead of every match gathered and sorted. reported_at is 'YYYY-MM-DD', optionally followed
// by 'Thh:mm[:ss]' and a zone, so its minute never goes down as the text goes up: ordering by key is ordering by
// (reported_at, id) except among crimes reported in the same minute, which the search sorts itself. Ids stay below 2^32.

/** The SQL of a crime's key, given the SQL of its reported_at and id: for every writer and the migration. */
export function textKeySql(reportedAt: string, id: string): string {
  return `(((coalesce(unixepoch(substr(${reportedAt}, 1, 19)), 0) / 60) << 32) + cast(${id} as integer))`
}

/** The low 32 bits of a key: the crime id. */
export const TEXT_KEY_ID_MASK = 4294967295

const BOUND = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:\d{2})?$/

/**
 * Whether a date range's end (ISO date or date-time) can bound the keys: a real date and time in the format the keys
 * are made from, so every reported_at at or after it (as text) has a minute at or after its minute.
 */
export function keyBoundable(value: string): boolean {
  const parts = BOUND.exec(value)
  if (!parts) return false
  const [, year, month, day, hour = '0', minute = '0', second = '0'] = parts
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)))
  return (
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day) &&
    Number(hour) < 24 &&
    Number(minute) < 60 &&
    Number(second) < 60
  )
}

/**
 * Rows in key order (reported minute, then id), as near as the text allows: FTS5 writes out what it holds every time a
 * key is lower than the last one written, so a batch written out of order builds many small segments (four times
 * slower, measured on 100,000 rows) where one in order builds one.
 */
export function inKeyOrder<T extends { id: number; reported_at: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => {
    const minuteA = a.reported_at.slice(0, 16)
    const minuteB = b.reported_at.slice(0, 16)
    return minuteA < minuteB ? -1 : minuteA > minuteB ? 1 : a.id - b.id
  })
}
