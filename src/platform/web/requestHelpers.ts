// Shared by every area's routes: the Viewer of a request and a record's numeric id from the URL.
import type { Response } from 'express'
import type { Viewer } from '../services/viewer.ts'
import { NotFoundError } from './errors.ts'

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
