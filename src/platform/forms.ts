// What every area's forms and lists share: reading a field, a message per field from zod, and paging.
import { z } from 'zod'

/** A blank answer (missing, or only spaces) as no answer. */
export const blank = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value

export const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : value)

/** The first message for each field (by the issue's first path element; `fallback` when the form as a whole). */
export function fieldErrorsOf(error: z.ZodError, fallback: string): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const issue of error.issues) errors[String(issue.path[0] ?? fallback)] ??= issue.message
  return errors
}

/** A list's page number in the query: a whole number from 1, 1 when not given. */
export const pageNumberSchema = z.preprocess(
  (value) => trimmed(blank(value)),
  z.coerce
    .number({ message: 'Enter the page as a whole number' })
    .int('Enter the page as a whole number')
    .min(1, 'Enter the page as a whole number, 1 or more')
    .max(100000, 'Enter the page as a whole number, 100000 or less')
    .default(1),
)

/** A page of a list as its page shows it: which rows, and links to the pages either side. */
export function pageLinks(
  result: { page: number; pageSize: number; pageCount: number },
  shown: number,
  hrefOf: (page: number) => string,
) {
  return {
    first: (result.page - 1) * result.pageSize + 1,
    last: (result.page - 1) * result.pageSize + shown,
    previousHref: result.page > 1 ? hrefOf(result.page - 1) : null,
    nextHref: result.page < result.pageCount ? hrefOf(result.page + 1) : null,
  }
}

/** Where a page of a list starts, in rows. */
export const pageOffset = (page: number, pageSize: number) => (page - 1) * pageSize

/** What a page of a list says about itself: its filters, the total, which page of how many. */
export function listPage<F extends { page: number }>(filters: F, total: number, pageSize: number) {
  return { filters, total, page: filters.page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) }
}

/** The audit details of a list page read: its filters, the total and the crimes shown. */
export function listReadDetails(filters: object, total: number, rows: { crime_id: number }[]) {
  return { filters, total, shown: rows.map((row) => row.crime_id) }
}

/** A stalking-crime list's row as every such list shows it: the crime, its reference and when it was reported. */
export function crimeListItem(row: { crime_id: number; force_reference: string; reported_at: string }) {
  return { crimeId: row.crime_id, reference: row.force_reference, reportedAt: row.reported_at }
}
