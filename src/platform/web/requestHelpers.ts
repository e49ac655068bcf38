// Shared by every area's routes: the Viewer of a request and a record's numeric id from the URL.
import type { Request, Response } from 'express'
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
  if (!isRealDay(from)) errors.from = 'Enter the start date as a real date, for example 1 4 2025'
  if (!isRealDay(to)) errors.to = 'Enter the end date as a real date, for example 31 3 2026'
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

export interface Confirmation {
  /** The question, e.g. "Withdraw the public page?" */
  title: string
  paragraphs?: string[]
  warning?: string
  /** The button that does it, e.g. "Yes, withdraw the public page". */
  button: string
  /** Where "No, go back" leads. */
  back: string
  /** A red button: the action removes or withdraws something. */
  destructive?: boolean
}

/**
 * The confirmation step of a destructive or publishing action: true when the post carries confirmed=yes; otherwise
 * renders the confirmation page, whose button posts the same fields again with confirmed=yes, and returns false.
 */
export function requireConfirmation(req: Request, res: Response, confirmation: Confirmation): boolean {
  const body = (req.body ?? {}) as Record<string, unknown>
  if (body.confirmed === 'yes') return true
  const fields = Object.fromEntries(
    Object.entries(body).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string' && !['_csrf', 'confirmed'].includes(entry[0]),
    ),
  )
  res.render('platform/views/pages/confirm.njk', {
    confirm: { paragraphs: [], ...confirmation, action: req.originalUrl, fields },
  })
  return false
}
