// The public national tracker's open data: the documented JSON (docs/national-tracker.schema.json, generated from the
// zod schema below by scripts/generate-plan-schema.ts) and the CSV with one row per force (docs/national-tracker.md).
// The zod schema is the single source of truth for both.
import { z } from 'zod'
import { neutraliseCell } from '../platform/csv.ts'

export const TRACKER_FORMAT_VERSION = 1

/** How the national figures are counted: shown on the page and written into every download. */
export const TRACKER_METHOD =
  "A force's national % is the average, over every recommendation to forces in the super-complaint report, of that " +
  "recommendation's % in the force's plan; a recommendation the plan leaves out (or that has no evidence items yet) " +
  'is "not addressed" and counts as 0%. Coverage is the share of the recommendations the plan addresses, shown ' +
  'separately, so leaving a recommendation out never raises a score. Public figures use only content the force has ' +
  'approved and published.'

export const TRACKER_STATUSES = ['complete', 'in_progress', 'not_started', 'no_status', 'not_addressed'] as const
export type TrackerStatus = (typeof TRACKER_STATUSES)[number]

const day = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/)
  .meta({ description: "ISO 8601 date with the source's precision: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'." })
const instant = z.iso.datetime({ offset: true })
const count = (description: string) => z.int().min(0).meta({ description })
const percentOrNull = (description: string) => z.number().min(0).max(100).nullable().meta({ description })

export const trackerCellSchema = z
  .strictObject({
    number: z.int().min(1).meta({ description: 'Recommendation number in the super-complaint report.' }),
    status: z.enum(TRACKER_STATUSES).meta({
      description:
        'complete, in_progress, not_started, no_status (in the plan, no status given) or not_addressed (left out of the plan, or no force plan shown).',
    }),
    percent: percentOrNull("The recommendation's % in the plan; null when not addressed."),
    overdue: z.boolean().meta({ description: 'Its deadline has passed and it is not complete.' }),
  })
  .meta({ title: 'Recommendation in a force plan' })

export const trackerForceSchema = z
  .strictObject({
    code: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .meta({ description: 'Threadline code of the force, e.g. "kent".' }),
    name: z.string().min(1).meta({ description: 'Force name.' }),
    country: z.enum(['England', 'Wales', 'Great Britain']).nullable().meta({
      description:
        'England or Wales for a territorial force, Great Britain for British Transport Police, null for a force not in that list.',
    }),
    listed: z.boolean().meta({
      description:
        'One of the 43 territorial forces of England and Wales or British Transport Police (false: another force holding a plan in this Threadline).',
    }),
    hasPlan: z.boolean().meta({
      description: 'Public download: the force has published its plan. Signed-in download: the force has a plan.',
    }),
    published: z.boolean().meta({ description: 'The force has published its plan on Threadline.' }),
    lastUpdated: day.nullable().meta({ description: 'Date of the latest update shown; null when none.' }),
    lastApproved: instant.nullable().meta({ description: "When the plan's content was last approved; null if never." }),
    recommendationsTotal: count('Recommendations to forces in the report.'),
    recommendationsInPlan: count('Recommendations the plan addresses (with at least one evidence item shown).'),
    coveragePercent: z
      .number()
      .min(0)
      .max(100)
      .meta({ description: 'recommendationsInPlan / recommendationsTotal, as a %.' }),
    complete: count('Recommendations complete.'),
    inProgress: count('Recommendations in progress.'),
    notStarted: count('Recommendations in the plan not started, or with no status.'),
    overdue: count('Recommendations past their deadline and not complete.'),
    notAddressed: count('Recommendations the plan leaves out (all of them when no plan is shown).'),
    nationalPercent: z.number().min(0).max(100).meta({
      description: 'The national %: average over every recommendation, not addressed counting as 0 (see method).',
    }),
    estimated: z.boolean().meta({ description: 'The national % rests on an in-progress item with no stated %.' }),
    recommendations: z.array(trackerCellSchema).meta({ description: 'One entry per recommendation, in report order.' }),
  })
  .meta({ title: 'Force' })

export const trackerSchema = z
  .strictObject({
    formatVersion: z.literal(TRACKER_FORMAT_VERSION).meta({ description: 'Version of this format. Always 1.' }),
    generatedAt: instant.meta({ description: 'When this document was written.' }),
    audience: z.enum(['public', 'national']).meta({
      description:
        'public: only approved content of published plans (/public/national.json). national: every plan as the force holds it, drafts included (signed-in national view).',
    }),
    method: z.string().meta({ description: 'How the figures are counted.' }),
    recommendations: z
      .array(z.strictObject({ number: z.int().min(1), text: z.string(), deadline: day.nullable() }))
      .meta({ description: 'The recommendations to forces in the report, in order.' }),
    totals: z.strictObject({
      forces: count('Forces listed.'),
      withPlan: count('Forces with hasPlan true.'),
      withoutPlan: count('Forces with hasPlan false.'),
    }),
    forces: z.array(trackerForceSchema).meta({ description: 'Every force, by name.' }),
  })
  .meta({
    title: 'Threadline national tracker of police stalking action plans',
    description: "Every force's progress against the 2024 stalking super-complaint's recommendations.",
  })

export type TrackerCell = z.output<typeof trackerCellSchema>
export type TrackerForce = z.output<typeof trackerForceSchema>
export type TrackerDocument = z.output<typeof trackerSchema>

/** The JSON Schema (draft 2020-12) of the tracker's JSON download. */
export function trackerJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(trackerSchema, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>
}

/** The CSV's fixed columns, in order, and the force field each holds; then one column per recommendation. */
export const TRACKER_CSV_COLUMNS: readonly [string, keyof TrackerForce][] = [
  ['force_code', 'code'],
  ['force_name', 'name'],
  ['country', 'country'],
  ['listed', 'listed'],
  ['has_plan', 'hasPlan'],
  ['published', 'published'],
  ['last_updated', 'lastUpdated'],
  ['last_approved', 'lastApproved'],
  ['recommendations_total', 'recommendationsTotal'],
  ['recommendations_in_plan', 'recommendationsInPlan'],
  ['coverage_percent', 'coveragePercent'],
  ['complete', 'complete'],
  ['in_progress', 'inProgress'],
  ['not_started', 'notStarted'],
  ['overdue', 'overdue'],
  ['not_addressed', 'notAddressed'],
  ['national_percent', 'nationalPercent'],
  ['estimated', 'estimated'],
]

/** The per-recommendation columns: "rec_7_status", "rec_7_percent" for recommendation 7. */
export function trackerRecommendationColumns(numbers: number[]): string[] {
  return numbers.flatMap((n) => [`rec_${n}_status`, `rec_${n}_percent`])
}

/** The CSV rows (header first) of a tracker document. Booleans are "true"/"false"; null is an empty cell. */
export function trackerCsvRows(doc: TrackerDocument): (string | number)[][] {
  const numbers = doc.recommendations.map((r) => r.number)
  const header = [...TRACKER_CSV_COLUMNS.map(([column]) => column), ...trackerRecommendationColumns(numbers)]
  const cell = (value: unknown): string | number => {
    if (value === null || value === undefined) return ''
    if (typeof value === 'boolean') return value ? 'true' : 'false'
    if (typeof value === 'number') return value
    return neutraliseCell(String(value))
  }
  const rows = doc.forces.map((force) => [
    ...TRACKER_CSV_COLUMNS.map(([, field]) => cell(force[field])),
    ...numbers.flatMap((n) => {
      const c = force.recommendations.find((r) => r.number === n)
      return [cell(c?.status ?? 'not_addressed'), cell(c?.percent ?? null)]
    }),
  ])
  return [header, ...rows]
}
