// Shared by the plan routes: find the force in the URL, check the request's permissions for it, shape form errors.
import type { Response } from 'express'
import type { z } from 'zod'
import type { PlanContext } from '../context.ts'
import { NotFoundError } from '../../platform/web/errors.ts'
import type { ForceRef } from '../services/planService.ts'
import { STATUS_LABELS, STATUS_TAG_CLASSES } from '../services/status.ts'
import { PROGRESS_METHOD } from '../progress.ts'
import { errorList } from '../../platform/web/requestHelpers.ts'

const CODE = /^[a-z0-9-]{1,80}$/

export async function forceFromCode(services: PlanContext, code: unknown): Promise<ForceRef> {
  if (typeof code !== 'string' || !CODE.test(code)) throw new NotFoundError()
  const force = await services.plan.service.forceByCode(code)
  if (!force) throw new NotFoundError()
  return force
}

/** The force in the URL, if the user may read its plan (403, audited, otherwise). */
export async function readableForce(services: PlanContext, res: Response, code: unknown): Promise<ForceRef> {
  const force = await forceFromCode(services, code)
  res.locals.permissions.check('plan:read', force.id)
  return force
}

/** The force in the URL, if the user may edit its plan (403, audited, otherwise). */
export async function editableForce(services: PlanContext, res: Response, code: unknown): Promise<ForceRef> {
  const force = await forceFromCode(services, code)
  res.locals.permissions.check('plan:edit', force.id)
  return force
}

export interface FormErrors {
  /** Field name → message. */
  errors: Record<string, string>
  /** For the GOV.UK error summary. */
  errorList: { text: string; href: string }[]
}

/** GOV.UK error summary and per-field messages from a zod error; `ids` maps a field to its input's id. */
export function formErrors(error: z.ZodError, ids: Record<string, string>): FormErrors {
  const errors: Record<string, string> = {}
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? Object.keys(ids)[0])
    errors[field] ??= issue.message
  }
  return { errors, errorList: errorList(errors, ids) }
}

export function singleError(field: string, id: string, text: string): FormErrors {
  return { errors: { [field]: text }, errorList: [{ text, href: `#${id}` }] }
}

/** Values every plan page uses. */
export const planViewGlobals = {
  statusLabels: STATUS_LABELS,
  statusTagClasses: STATUS_TAG_CLASSES,
  method: PROGRESS_METHOD,
}

/** "7.1" → "7-1", for element ids. */
export function idOf(ref: string): string {
  return ref.replace(/[^a-zA-Z0-9]/g, '-')
}
