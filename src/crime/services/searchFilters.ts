// The crime search's filters: one zod schema for the Find page's URL, the JSON API and the CLI.
import { z } from 'zod'
import { isRealDay } from '../../platform/days.ts'

export const MATCH_ROLES = ['either', 'principal', 'included'] as const
export const FLAGS = ['domesticAbuse', 'online', 'repeatVictim', 'stalking'] as const
export type Flag = (typeof FLAGS)[number]
export const SORTS = ['reported', 'reference', 'principal', 'outcome', 'team'] as const

export const FLAG_LABELS: Record<Flag, string> = {
  domesticAbuse: 'Domestic abuse',
  online: 'Online or cyber-enabled',
  repeatVictim: 'Repeat victim',
  stalking: 'Flagged stalking (intelligence, Recommendation 7.2)',
}

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value)
const text = (max: number) => z.preprocess(blankToUndefined, z.string().trim().max(max).optional())
const isoDate = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a real date, for example 27 3 2025')
    .refine(isRealDay, 'Enter a real date')
    .optional(),
)
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
    z.array(item),
  )

export const crimeSearchSchema = z
  .object({
    classification: z.preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9./-]{1,16}$/, 'Enter an offence code such as 8Q')
        .optional(),
    ),
    match: z.preprocess(blankToUndefined, z.enum(MATCH_ROLES).default('either')),
    group: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^(group|subgroup):[a-z0-9-]{1,80}$/, 'Choose a group from the list')
        .optional(),
    ),
    from: isoDate,
    to: isoDate,
    team: text(100),
    flags: list(z.enum(FLAGS)),
    outcome: z.preprocess(
      blankToUndefined,
      z.union([z.literal('none'), z.coerce.number().int().min(1).max(22)]).optional(),
    ),
    kind: z.preprocess(blankToUndefined, z.enum(['crime', 'intelligence']).optional()),
    name: text(100),
    dob: isoDate,
    identifier: text(200),
    text: text(200),
    sort: z.preprocess(blankToUndefined, z.enum(SORTS).default('reported')),
    order: z.preprocess(blankToUndefined, z.enum(['asc', 'desc']).default('desc')),
    page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100000).default(1)),
    pageSize: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(200).default(25)),
  })
  .refine((value) => !value.from || !value.to || value.from <= value.to, {
    message: 'The start date must be on or before the end date',
    path: ['to'],
  })

export type CrimeSearch = z.output<typeof crimeSearchSchema>

/** A search's filters written back as URL query parameters (defaults left out), for links and exports. */
export function searchToQuery(search: Partial<CrimeSearch>, overrides: Record<string, string | number> = {}): string {
  const params = new URLSearchParams()
  const entries: [string, unknown][] = Object.entries({ ...search, ...overrides })
  for (const [key, value] of entries) {
    if (value === undefined || value === null || value === '') continue
    if (key === 'match' && value === 'either') continue
    if (key === 'sort' && value === 'reported') continue
    if (key === 'order' && value === 'desc') continue
    if (key === 'page' && value === 1) continue
    if (key === 'pageSize' && value === 25) continue
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item))
    else params.append(key, String(value))
  }
  return params.toString()
}

/** The first problem with a search, named by field, for the page's error summary. */
export function searchErrors(error: z.ZodError): { field: string; text: string }[] {
  return error.issues.map((issue) => ({ field: String(issue.path[0] ?? 'search'), text: issue.message }))
}
