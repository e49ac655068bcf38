// How names and identifiers are compared: the import stores these normal forms and searches normalise the query the same way.

/** Lower case, accents and punctuation removed, spaces collapsed: "O'Brien-Smith " → "obrien smith". */
export function normaliseName(value: string | null | undefined): string {
  if (!value) return ''
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`.]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/**
 * One normal form for any identifier, so a search needs no kind: phone numbers to digits with +44 as 0,
 * handles without '@', everything else lower case without spaces ("AB12 CDE" → "ab12cde").
 */
export function normaliseIdentifier(value: string): string {
  const trimmed = value.trim().toLowerCase()
  if (/^\+?[\d\s().-]{6,}$/.test(trimmed)) {
    const digits = trimmed.replace(/\D/g, '')
    return digits.startsWith('44') && trimmed.startsWith('+') ? `0${digits.slice(2)}` : digits
  }
  return trimmed.replace(/\s+/g, '').replace(/^@/, '')
}

/** The smallest string greater than every string starting with prefix: the upper bound of a prefix range. */
export function prefixUpperBound(prefix: string): string {
  return `${prefix}\uffff`
}

/** Normalises a reported date or date-time to ISO-8601 in UTC; null when it is not a real date. */
export function normaliseTimestamp(value: string): string | null {
  const text = value.trim()
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/** The day after an ISO date ('YYYY-MM-DD'): the exclusive upper bound of an inclusive date range. */
export function nextDay(date: string): string {
  const next = new Date(`${date}T00:00:00Z`)
  next.setUTCDate(next.getUTCDate() + 1)
  return next.toISOString().slice(0, 10)
}
