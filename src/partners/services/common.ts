// Shared by the partners area's services: input parsing, dates, who the viewer is.
import { z } from 'zod'
import { blank, trimmed } from '../../platform/forms.ts'
import { isRealDay } from '../../platform/days.ts'
import { FieldInputError, type Viewer } from '../../platform/services/viewer.ts'

// The area's vocabulary, for its pages and API.
export {
  AGENCY_KINDS,
  CONTACT_METHODS,
  CONTACT_RESULTS,
  LAWFUL_BASES,
  PARTNER_OUTCOMES,
  REFERRAL_STATES,
  RISK_LEVELS,
  SHAREABLE_FIELDS,
} from '../data/tables.ts'

/** Bad input, by form field; `referral` or `action` when there is no such record for the viewer. */
export class PartnerInputError extends FieldInputError {}

export const today = () => new Date().toISOString().slice(0, 10)
export { blank, trimmed }
export const text = (max: number, what: string) =>
  z.preprocess((value) => trimmed(value) ?? '', z.string().max(max, `${what} must be ${max} characters or fewer`))
export const requiredText = (max: number, missing: string, what: string) =>
  z.preprocess(
    (value) => trimmed(value) ?? '',
    z.string().min(1, missing).max(max, `${what} must be ${max} characters or fewer`),
  )
export const asList = (value: unknown) => (value === undefined || value === null || value === '' ? [] : [value].flat())

const capitalise = (value: string) => value.charAt(0).toUpperCase() + value.slice(1)

/** A YYYY-MM-DD date named in its messages; never after today unless `future`. */
export function dateField(what: string, options: { future?: boolean } = {}) {
  let schema = z
    .string({ message: `Enter ${what} as a real date` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Enter ${what} as a real date, for example 27 3 2025`)
    .refine(isRealDay, `Enter ${what} as a real date`)
  if (!options.future)
    schema = schema.refine((value) => value <= today(), `${capitalise(what)} must be today or in the past`)
  return z.preprocess((value) => trimmed(blank(value)), schema)
}

export function parse<T extends z.ZodType>(schema: T, body: unknown, fallback: string): z.output<T> {
  const parsed = schema.safeParse(body ?? {})
  if (!parsed.success) {
    const errors: Record<string, string> = {}
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? fallback)] ??= issue.message
    throw new PartnerInputError(errors)
  }
  return parsed.data
}

/**
 * A viewer acting for one partner organisation through its case system (the partner API, with a per-service key): the
 * organisation comes from the key, not from a membership, and events name the case system.
 */
export interface PartnerViewer extends Viewer {
  agencyId?: number
  displayName?: string
}

/** The viewer's name as people see it (their display name), else their username. */
export const nameOf = (viewer: PartnerViewer) =>
  viewer.displayName ?? viewer.permissions?.user?.displayName ?? viewer.actor.actorUsername
