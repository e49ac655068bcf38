// The plan interchange format: the documented JSON a force can send to, and get from, Threadline.
// The zod schema below is the single source of truth: docs/plan-interchange.schema.json is generated from it
// (scripts/generate-plan-schema.ts) and docs/plan-interchange.md describes it for forces.
import { z } from 'zod'
import {
  PLAN_STATUSES,
  PlanImportError,
  type ImportWarning,
  type ParsedPlan,
  type PlanDocumentRef,
  type PlanItem,
  type PlanRecommendation,
  type PlanUpdate,
} from './model.ts'
import { itemProgress, planProgress, PROGRESS_METHOD, recommendationProgress } from './progress.ts'

export const INTERCHANGE_FORMAT_VERSION = 1

/** A plan ready to export: what an importer produced (without format and warnings), plus publication facts. */
export type ExportablePlan = Omit<ParsedPlan, 'warnings' | 'format'> & {
  /** Date of the latest update in the plan ('YYYY-MM-DD' or 'YYYY-MM'), or null when no update is dated. */
  lastUpdated: string | null
  /** When the plan was published on Threadline: ISO date or date-time. */
  publishedAt?: string | null
  /** When what this export shows was last approved (sign-off): ISO date-time. Public exports carry it. */
  approvedAt?: string | null
}

export const DATE_MESSAGE = 'expected YYYY-MM-DD or YYYY-MM (or YYYY)'
const DATE_PATTERN = '^\\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?)?$'

/** True for a real calendar date in one of the accepted precisions ('2025-02-30' is not one). */
export function isIsoPlanDate(value: string): boolean {
  if (!new RegExp(DATE_PATTERN).test(value)) return false
  if (value.length < 10) return true
  const [y, m, d] = value.split('-').map(Number)
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

const planDate = z
  .string()
  .regex(new RegExp(DATE_PATTERN), { error: DATE_MESSAGE, abort: true })
  .refine(isIsoPlanDate, { error: `${DATE_MESSAGE}; not a calendar date` })
  .meta({ description: "ISO 8601 date keeping the source's precision: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'." })

const text = (description: string) => z.string().meta({ description })
const nullableText = (description: string) => z.string().nullable().default(null).meta({ description })

const status = z
  .enum(PLAN_STATUSES, { error: `expected one of ${PLAN_STATUSES.join(', ')} or null` })
  .nullable()
  .default(null)
  .meta({ description: 'Normalised status: not_started, in_progress, complete, or null when none was given.' })

const percent = z
  .number({ error: 'expected a number from 0 to 100, or null' })
  .min(0, { error: 'expected a number from 0 to 100' })
  .max(100, { error: 'expected a number from 0 to 100' })
  .nullable()
  .default(null)
  .meta({ description: 'The % stated by the force (e.g. 25 for "In Progress 25%"), or null when none was stated.' })

const computed = (description: string) =>
  z
    .strictObject({
      percent: z.number().min(0).max(100).nullable(),
      estimated: z.boolean(),
    })
    .optional()
    .meta({ description: `${description} Written by Threadline on export using \`method\`; ignored on import.` })

export const planUpdateSchema = z
  .strictObject({
    date: planDate.nullable().default(null).meta({ description: 'Date of the update, or null when none was given.' }),
    heading: nullableText('Heading the update sat under in the source, e.g. "March 2026 update".'),
    text: text('The update as the force wrote it.'),
    status,
    statusLabel: nullableText('The status exactly as the force wrote it, e.g. "In Progress 25%".'),
    percent,
  })
  .meta({ title: 'Update', description: 'A dated force update on one evidence item.' })

export const planDocumentSchema = z
  .strictObject({
    name: text('Name of the supporting document.').min(1, { error: 'expected a document name' }),
    url: z
      .string()
      .regex(/^(https?:\/\/[^\s]+|\/(?!\/)[^\s]*)$/i, {
        error: 'expected an http(s) URL or a path beginning with a single /',
      })
      .nullable()
      .default(null)
      .meta({ description: 'Link to the document: an http(s) URL or a path on this Threadline; null when none.' }),
    checksum: z
      .string()
      .nullable()
      .optional()
      .meta({ description: 'Checksum of a document uploaded into Threadline, e.g. "sha256:…".' }),
    mediaType: z
      .string()
      .regex(/^[\w.+-]+\/[\w.+-]+$/, { error: 'expected a media type such as application/pdf' })
      .nullable()
      .optional()
      .meta({ description: 'Media type of an uploaded document, e.g. "application/pdf".' }),
    size: z
      .int({ error: 'expected a whole number of bytes' })
      .min(0)
      .nullable()
      .optional()
      .meta({ description: 'Size in bytes of an uploaded document.' }),
  })
  .meta({ title: 'Document', description: 'A supporting document.' })

export const planItemSchema = z
  .strictObject({
    ref: text('Evidence requirement reference, e.g. "12.3".').min(1, { error: 'expected a reference such as 12.3' }),
    requirement: text('The evidence requirement of progress or completion.'),
    owner: nullableText('Who owns it, e.g. "Chief Constable".'),
    status: status.meta({ description: 'Current status: the status of the latest update.' }),
    statusLabel: nullableText('Current status exactly as the force wrote it.'),
    percent: percent.meta({ description: 'Current stated %, or null when none was stated.' }),
    updates: z.array(planUpdateSchema).default([]).meta({ description: 'Force updates, oldest first.' }),
    documents: z.array(planDocumentSchema).default([]).meta({ description: 'Supporting documents.' }),
    progress: z
      .strictObject({
        percent: z.number().min(0).max(100),
        basis: z.enum(['stated', 'complete', 'not_started', 'in_progress_estimate', 'no_status']),
        estimated: z.boolean(),
      })
      .optional()
      .meta({
        description: "The item's % as Threadline counts it. Written on export using `method`; ignored on import.",
      }),
  })
  .meta({ title: 'Evidence item', description: 'One evidence requirement of a recommendation.' })

export const planRecommendationSchema = z
  .strictObject({
    number: z
      .int({ error: 'expected a whole recommendation number' })
      .min(1, { error: 'expected a recommendation number of 1 or more' })
      .meta({ description: 'Recommendation number in the super-complaint report, e.g. 7.' }),
    text: text('The recommendation as published.'),
    deadline: planDate.nullable().default(null).meta({ description: 'Deadline, or null when none was given.' }),
    items: z.array(planItemSchema).meta({ description: 'Evidence requirements, in published order.' }),
    progress: computed("The recommendation's %."),
  })
  .meta({ title: 'Recommendation' })

export const interchangeSchema = z
  .strictObject({
    formatVersion: z
      .literal(INTERCHANGE_FORMAT_VERSION, {
        error: `expected formatVersion ${INTERCHANGE_FORMAT_VERSION} (the only version this Threadline reads)`,
      })
      .meta({ description: 'Version of this format. Always 1.' }),
    generatedAt: z.iso
      .datetime({ offset: true, error: 'expected an ISO date-time such as 2025-04-01T09:00:00Z' })
      .optional()
      .meta({ description: 'When this document was written. Written by Threadline; optional on import.' }),
    publishedAt: z
      .union([planDate, z.iso.datetime({ offset: true })], { error: 'expected an ISO date or date-time' })
      .nullable()
      .optional()
      .meta({ description: 'When the plan was published on Threadline.' }),
    approvedAt: z
      .union([planDate, z.iso.datetime({ offset: true })], { error: 'expected an ISO date or date-time' })
      .nullable()
      .optional()
      .meta({
        description:
          "When the content shown was last approved by the force's executive lead (public exports show only approved content).",
      }),
    lastUpdated: planDate
      .nullable()
      .optional()
      .meta({ description: 'Date of the latest update in the plan. Written by Threadline; ignored on import.' }),
    method: z
      .string()
      .optional()
      .meta({ description: 'How Threadline computes the % figures. Written by Threadline; ignored on import.' }),
    force: z.string().min(1, { error: 'expected the force name' }).nullable().meta({ description: 'Force name.' }),
    title: nullableText('Title of the plan as published.'),
    executiveLead: nullableText('Executive lead, e.g. "ACC A. Person".'),
    operationalLead: nullableText('Operational lead.'),
    progress: computed("The plan's %."),
    recommendations: z.array(planRecommendationSchema).meta({ description: 'Recommendations, in published order.' }),
  })
  .superRefine((plan, ctx) => {
    const numbers = new Map<number, number>()
    const refs = new Map<string, string>()
    plan.recommendations.forEach((rec, r) => {
      const first = numbers.get(rec.number)
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['recommendations', r, 'number'],
          message: `recommendation ${rec.number} appears twice (first at recommendations[${first}])`,
        })
      } else numbers.set(rec.number, r)
      rec.items.forEach((item, i) => {
        const where = refs.get(item.ref)
        if (where !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['recommendations', r, 'items', i, 'ref'],
            message: `evidence item ${item.ref} appears twice (first at ${where})`,
          })
        } else refs.set(item.ref, `recommendations[${r}].items[${i}]`)
      })
    })
  })
  .meta({
    title: 'Threadline police stalking action plan',
    description: "A force's Police Stalking Action Plan in response to the 2024 stalking super-complaint.",
  })

/** A plan interchange document as written by Threadline. */
export type Interchange = z.output<typeof interchangeSchema>
/** What a force may send: optional fields may be left out. */
export type InterchangeInput = z.input<typeof interchangeSchema>

/** The JSON Schema of the format (draft 2020-12), describing what Threadline accepts. */
export function interchangeJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(interchangeSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>
}

/** The latest update date anywhere in the recommendations (ISO strings compare by text), or null. */
export function latestUpdateDate(recommendations: PlanRecommendation[]): string | null {
  let latest: string | null = null
  for (const rec of recommendations)
    for (const item of rec.items)
      for (const update of item.updates)
        if (update.date !== null && (latest === null || update.date > latest)) latest = update.date
  return latest
}

/** An ExportablePlan from an importer's result; lastUpdated is the latest update date. */
export function exportableFromParsed(plan: ParsedPlan, publishedAt?: string | null): ExportablePlan {
  const { format: _format, warnings: _warnings, ...rest } = plan
  return {
    ...rest,
    lastUpdated: latestUpdateDate(plan.recommendations),
    ...(publishedAt !== undefined ? { publishedAt } : {}),
  }
}

function documentOut(doc: PlanDocumentRef): PlanDocumentRef {
  const out: PlanDocumentRef = { name: doc.name, url: doc.url }
  if (doc.checksum !== undefined) out.checksum = doc.checksum
  if (doc.mediaType !== undefined) out.mediaType = doc.mediaType
  if (doc.size !== undefined) out.size = doc.size
  return out
}

function updateOut(u: PlanUpdate): PlanUpdate {
  return {
    date: u.date,
    heading: u.heading,
    text: u.text,
    status: u.status,
    statusLabel: u.statusLabel,
    percent: u.percent,
  }
}

/** The interchange document for a plan, with Threadline's computed % figures. `now` sets generatedAt. */
export function toInterchange(plan: ExportablePlan, options: { now?: Date } = {}): Interchange {
  const overall = planProgress(plan)
  const doc: Interchange = {
    formatVersion: INTERCHANGE_FORMAT_VERSION,
    generatedAt: (options.now ?? new Date()).toISOString(),
    ...(plan.publishedAt !== undefined ? { publishedAt: plan.publishedAt } : {}),
    ...(plan.approvedAt !== undefined ? { approvedAt: plan.approvedAt } : {}),
    lastUpdated: plan.lastUpdated,
    method: PROGRESS_METHOD,
    force: plan.force,
    title: plan.title,
    executiveLead: plan.executiveLead,
    operationalLead: plan.operationalLead,
    progress: { percent: overall.percent, estimated: overall.estimated },
    recommendations: plan.recommendations.map((rec) => {
      const rp = recommendationProgress(rec)
      return {
        number: rec.number,
        text: rec.text,
        deadline: rec.deadline,
        items: rec.items.map((item) => ({
          ref: item.ref,
          requirement: item.requirement,
          owner: item.owner,
          status: item.status,
          statusLabel: item.statusLabel,
          percent: item.percent,
          updates: item.updates.map(updateOut),
          documents: item.documents.map(documentOut),
          progress: itemProgress(item),
        })),
        progress: { percent: rp.percent, estimated: rp.estimated },
      }
    }),
  }
  return doc
}

/** 'recommendations[2].items[0].date' from a zod issue path; '(document)' for the top level. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out === '' ? String(key) : `.${String(key)}`
  }
  return out === '' ? '(document)' : out
}

function describeIssue(issue: z.core.$ZodIssue): { location: string; message: string } {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ')
    return { location: jsonPath(issue.path), message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}` }
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return { location: jsonPath(issue.path), message: `required field is missing (expected ${issue.expected})` }
  }
  return { location: jsonPath(issue.path), message: issue.message }
}

function lineAndColumn(textIn: string, position: number): string {
  const before = textIn.slice(0, position)
  const line = before.split('\n').length
  const column = position - before.lastIndexOf('\n')
  return `line ${line}, column ${column}`
}

/**
 * Reads an interchange JSON document into a ParsedPlan (format 'json'). Throws PlanImportError naming the JSON path of
 * the first problem (and listing a few more) for a document that does not match the format.
 */
export function parseInterchangeJson(textIn: string, fileName: string): ParsedPlan {
  const source = textIn.replace(/^\uFEFF/, '')
  let data: unknown
  try {
    data = JSON.parse(source)
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    const position = /position (\d+)/.exec(detail)
    const where = position ? `${fileName}, ${lineAndColumn(source, Number(position[1]))}` : fileName
    const reason = detail.replace(/\s*\(line \d+ column \d+\)$/, '').replace(/ in JSON at position \d+.*$/, '')
    throw new PlanImportError(`not valid JSON (${reason})`, where)
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new PlanImportError(
      `${fileName} is not a Threadline plan: expected a JSON object with "formatVersion": 1 and "recommendations"`,
    )
  }

  const result = interchangeSchema.safeParse(data, { reportInput: true })
  if (!result.success) {
    const described = result.error.issues.map(describeIssue)
    const [first, ...rest] = described
    const more = rest.slice(0, 4).map((d) => `${d.location}: ${d.message}`)
    const tail =
      rest.length === 0
        ? ''
        : ` (also ${more.join('; ')}${rest.length > more.length ? `; and ${rest.length - more.length} more` : ''})`
    throw new PlanImportError(`${first.message}${tail}`, first.location)
  }

  const doc = result.data
  const warnings: ImportWarning[] = []
  const recommendations: PlanRecommendation[] = doc.recommendations.map((rec, r) => ({
    number: rec.number,
    text: rec.text,
    deadline: rec.deadline,
    items: rec.items.map((item, i): PlanItem => {
      const location = `recommendations[${r}].items[${i}]`
      if (!item.ref.startsWith(`${rec.number}.`) && item.ref !== String(rec.number)) {
        warnings.push({ location, message: `evidence item ${item.ref} sits under recommendation ${rec.number}` })
      }
      const dated = item.updates.map((u) => u.date).filter((d): d is string => d !== null)
      if (dated.some((d, k) => k > 0 && d < dated[k - 1])) {
        warnings.push({ location, message: 'updates are not oldest first' })
      }
      const latest = item.updates.at(-1)
      if (latest && latest.status !== null && item.status !== null && latest.status !== item.status) {
        warnings.push({
          location,
          message: `item status ${item.status} differs from its latest update's status ${latest.status}`,
        })
      }
      return {
        ref: item.ref,
        requirement: item.requirement,
        owner: item.owner,
        status: item.status,
        statusLabel: item.statusLabel,
        percent: item.percent,
        updates: item.updates.map(updateOut),
        documents: item.documents.map(documentOut),
      }
    }),
  }))

  return {
    format: 'json',
    force: doc.force,
    executiveLead: doc.executiveLead,
    operationalLead: doc.operationalLead,
    title: doc.title,
    recommendations,
    warnings,
  }
}
