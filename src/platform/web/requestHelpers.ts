// Shared by every area's routes: the Viewer of a request and a record's numeric id from the URL.
import type { Response } from 'express'
import type { Viewer } from '../services/viewer.ts'
import { NotFoundError } from './errors.ts'
import { isRealDay } from '../days.ts'

export function viewerOf(res: Response): Viewer {
  const permissions = res.locals.permissions
  return { actor: res.locals.actor, forceId: permissions.forceId as number, permissions }
}

/** The GOV.UK error summary's list from errors by field; `ids` maps a field to its input's id where they differ. */
export function errorList(errors: Record<string, string>, ids: Record<string, string> = {}) {
  return Object.entries(errors).map(([field, text]) => ({ text, href: `#${ids[field] ?? field}` }))
}

/** A record id from the URL: anything but a plain positive number is a 404, never a database error. */
export function recordIdParam(value: unknown): number {
  const id = Number(value)
  if (typeof value !== 'string' || !/^\d{1,12}$/.test(value) || !Number.isSafeInteger(id)) throw new NotFoundError()
  return id
}

/**
 * A date range from the query string (`from`, `to`: 'YYYY-MM-DD'): by default the twelve whole months to today (this
 * month so far included), at most three years; the errors by field, and the values to show back in the form.
 */
export function monthsRangeFromQuery(query: Record<string, unknown>, now = new Date()) {
  const today = now.toISOString().slice(0, 10)
  const defaultFrom = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1)).toISOString().slice(0, 10)
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '')
  const values = { from: text(query.from), to: text(query.to) }
  const errors: Record<string, string> = {}
  const from = values.from || defaultFrom
  const to = values.to || today
  if (!isRealDay(from)) errors.from = 'Enter the start date as YYYY-MM-DD, for example 2025-04-01'
  if (!isRealDay(to)) errors.to = 'Enter the end date as YYYY-MM-DD, for example 2026-03-31'
  if (!errors.from && !errors.to) {
    if (to < from) errors.to = 'The end date must be on or after the start date'
    else if (Date.parse(to) - Date.parse(from) > 3 * 366 * 86_400_000)
      errors.to = 'Choose a range of three years or less'
  }
  return {
    from,
    to,
    values: { from: values.from || from, to: values.to || to },
    errors: Object.keys(errors).length ? errors : null,
  }
}
