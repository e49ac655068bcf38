// Shared by the screening routes: the viewer from the request, and the queue's filters from the URL.
import { z } from 'zod'
import { isRealDay } from '../../platform/days.ts'

export { errorList, recordIdParam as crimeIdParam, viewerOf } from '../../platform/web/requestHelpers.ts'

const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value)
const isoDate = z.preprocess(
  blank,
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a real date, for example 27 3 2025')
    .refine(isRealDay, 'Enter a real date')
    .optional(),
)

export const queueFiltersSchema = z
  .object({
    status: z.preprocess(blank, z.enum(['open', 'decided', 'all']).default('open')),
    team: z.preprocess(blank, z.string().trim().max(100).optional()),
    classification: z.preprocess(
      blank,
      z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9./-]{1,16}$/, 'Enter an offence code such as 8L')
        .optional(),
    ),
    reason: z.preprocess(blank, z.enum(['classification', 'former_partners', 'narrative', 'course']).optional()),
    from: isoDate,
    to: isoDate,
    page: z.preprocess(blank, z.coerce.number().int().min(1).max(100000).default(1)),
  })
  .refine((value) => !value.from || !value.to || value.from <= value.to, {
    message: 'The start date must be on or before the end date',
    path: ['to'],
  })
export type QueueFilters = z.output<typeof queueFiltersSchema>

export const measuresQuerySchema = z
  .object({
    from: isoDate,
    to: isoDate,
    withinDays: z.preprocess(blank, z.coerce.number().int('Enter a whole number of days').min(0).max(3650).default(7)),
  })
  .refine((value) => !value.from || !value.to || value.from <= value.to, {
    message: 'The start date must be on or before the end date',
    path: ['to'],
  })

export function queryString(filters: Record<string, unknown>, overrides: Record<string, unknown> = {}): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries({ ...filters, ...overrides })) {
    if (value === undefined || value === null || value === '') continue
    if (key === 'page' && value === 1) continue
    if (key === 'status' && value === 'open') continue
    params.append(key, String(value))
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}

/** Default measures period: the last twelve whole months to today. */
export function defaultPeriod(today = new Date()): { from: string; to: string } {
  const to = today.toISOString().slice(0, 10)
  const from = new Date(Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth(), 1)).toISOString().slice(0, 10)
  return { from, to }
}

/** The screening settings form as typed: numbers stay text so a bad entry is shown back as it was typed. */
export const settingsFormSchema = z.object({
  watched: z
    .preprocess(
      (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
      z.array(z.string().max(16)),
    )
    .catch([]),
  watchFormerPartners: z.preprocess((value) => value === 'yes', z.boolean()),
  windowDays: z.string().trim().max(10).catch(''),
  minIncidents: z.string().trim().max(10).catch(''),
})

export type SettingsFormValues = z.infer<typeof settingsFormSchema>
