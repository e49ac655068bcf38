// The report's recommendations to forces, as data (recommendations.json), validated on load.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import type { ParsedPlan } from '../model.ts'
import { isRealDay } from '../../platform/days.ts'

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine(isRealDay, { message: 'expected a real calendar date' })

const evidenceSchema = z.object({
  ref: z.string().regex(/^\d{1,2}\.\d{1,2}$/, 'expected an evidence item number such as "12.3"'),
  /** Empty when the published plan gives the recommendation itself as the item's requirement. */
  requirement: z.string(),
})

const recommendationSchema = z
  .object({
    number: z.number().int().positive(),
    addressees: z.array(z.string().min(1)).min(1),
    deadline: isoDay.nullable(),
    text: z.string().min(1),
    evidence: z.array(evidenceSchema).min(1),
  })
  .superRefine((rec, ctx) => {
    const seen = new Set<string>()
    rec.evidence.forEach((e, i) => {
      if (Number(e.ref.split('.')[0]) !== rec.number) {
        ctx.addIssue({
          code: 'custom',
          path: ['evidence', i, 'ref'],
          message: `item ${e.ref} does not belong to recommendation ${rec.number}`,
        })
      }
      if (seen.has(e.ref)) {
        ctx.addIssue({ code: 'custom', path: ['evidence', i, 'ref'], message: `item ${e.ref} is listed twice` })
      }
      seen.add(e.ref)
    })
  })

export const catalogueSchema = z
  .object({
    source: z.object({
      report: z.string().min(1),
      publishers: z.array(z.string().min(1)).min(1),
      published: z.string().regex(/^\d{4}-\d{2}$/, 'expected YYYY-MM'),
      superComplaint: z.string().min(1),
      wording: z.string().min(1),
      corrections: z.array(z.string()),
    }),
    recommendations: z.array(recommendationSchema).min(1),
  })
  .superRefine((cat, ctx) => {
    const seen = new Set<number>()
    cat.recommendations.forEach((r, i) => {
      if (seen.has(r.number)) {
        ctx.addIssue({
          code: 'custom',
          path: ['recommendations', i, 'number'],
          message: `recommendation ${r.number} is listed twice`,
        })
      }
      seen.add(r.number)
    })
  })

export type Catalogue = z.infer<typeof catalogueSchema>
export type CatalogueRecommendation = Catalogue['recommendations'][number]

export class CatalogueError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CatalogueError'
  }
}

export const DEFAULT_CATALOGUE_PATH = fileURLToPath(new URL('./recommendations.json', import.meta.url))

function pathText(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '')
}

/** Validates catalogue data; the error names the file and each bad field ("recommendations[2].deadline: …"). */
export function parseCatalogue(data: unknown, source = 'catalogue'): Catalogue {
  const result = catalogueSchema.safeParse(data)
  if (result.success) return result.data
  const problems = result.error.issues.map((i) => `${pathText(i.path) || '(top level)'}: ${i.message}`)
  throw new CatalogueError(`${source} is not a valid recommendation catalogue: ${problems.join('; ')}`)
}

let cached: Catalogue | null = null

/** Loads and validates the catalogue (the bundled recommendations.json unless a path is given). */
export function loadCatalogue(path?: string): Catalogue {
  if (!path && cached) return cached
  const file = path ?? DEFAULT_CATALOGUE_PATH
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new CatalogueError(`cannot read catalogue ${file}: ${(e as Error).message}`)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    throw new CatalogueError(`${file} is not valid JSON: ${(e as Error).message}`)
  }
  const catalogue = parseCatalogue(data, file)
  if (!path) cached = catalogue
  return catalogue
}

/** The empty plan a force starts from: every recommendation and item of the catalogue, not started, no updates. */
export function catalogueAsPlan(catalogue: Catalogue, force: string): ParsedPlan {
  return {
    format: 'catalogue',
    force,
    executiveLead: null,
    operationalLead: null,
    title: null,
    recommendations: catalogue.recommendations
      .slice()
      .sort((a, b) => a.number - b.number)
      .map((r) => ({
        number: r.number,
        text: r.text,
        deadline: r.deadline,
        items: r.evidence.map((e) => ({
          ref: e.ref,
          requirement: e.requirement,
          owner: null,
          status: 'not_started' as const,
          statusLabel: null,
          percent: 0,
          updates: [],
          documents: [],
        })),
      })),
    warnings: [],
  }
}
