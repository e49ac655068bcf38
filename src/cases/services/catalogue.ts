// The case work catalogue (catalogue.json, with its source) and the obligations areas declare in their
// ObligationSource, checked on load: ids unique, every event named is one some area answers for.
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import type { ObligationDefinition, ObligationSource } from '../../platform/obligations.ts'

const ID = /^[a-z][a-z0-9_]*$/

export const obligationSchema = z.object({
  id: z.string().regex(ID, 'must be lower case letters, digits and underscores'),
  wording: z.string().min(1),
  recommendation: z.string().min(1),
  evidence: z.array(z.string().regex(/^\d+\.\d+$/, 'must be an evidence reference such as 12.1')),
  source: z.string().min(1),
  appliesWhen: z.array(z.string().min(1)).min(1),
  metBy: z.array(z.string().min(1)).min(1),
  due: z.object({ days: z.number().int().min(0).max(365), kind: z.enum(['calendar', 'working']) }),
  action: z.object({ href: z.string().startsWith('/'), text: z.string().min(1) }),
})

const catalogueSchema = z.object({
  version: z.number().int().positive(),
  source: z.object({ report: z.string(), wording: z.string(), periods: z.string() }),
  obligations: z.array(obligationSchema).min(1),
})

export interface Catalogue {
  version: number
  source: { report: string; wording: string; periods: string }
  obligations: ObligationDefinition[]
  /** Event id to its label, from the areas that answer for it. */
  eventLabels: Map<string, string>
  byId: Map<string, ObligationDefinition>
}

export function loadCatalogue(
  sources: readonly ObligationSource[],
  path = new URL('../catalogue.json', import.meta.url),
): Catalogue {
  const where = 'src/cases/catalogue.json'
  const parsed = catalogueSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`${where}, ${issue.path.join('.')}: ${issue.message}`)
  }
  const eventLabels = new Map<string, string>()
  for (const source of sources) for (const event of source.events) eventLabels.set(event.id, event.label)
  const obligations: ObligationDefinition[] = [...parsed.data.obligations]
  for (const source of sources) {
    for (const declared of source.obligations ?? []) {
      const checked = obligationSchema.safeParse(declared)
      if (!checked.success) {
        const issue = checked.error.issues[0]
        throw new Error(
          `The ${source.area} area's obligation ${declared.id}, ${issue.path.join('.')}: ${issue.message}`,
        )
      }
      obligations.push(checked.data)
    }
  }
  const byId = new Map<string, ObligationDefinition>()
  for (const obligation of obligations) {
    if (byId.has(obligation.id)) throw new Error(`${where}: the obligation id "${obligation.id}" is used twice`)
    byId.set(obligation.id, obligation)
    for (const event of [...obligation.appliesWhen, ...obligation.metBy]) {
      if (!eventLabels.has(event)) {
        throw new Error(`${where}, obligation ${obligation.id}: no area answers for the event "${event}"`)
      }
    }
    if (!obligation.action.href.includes('{crimeId}')) {
      throw new Error(`${where}, obligation ${obligation.id}: action.href must contain {crimeId}`)
    }
  }
  return { version: parsed.data.version, source: parsed.data.source, obligations, eventLabels, byId }
}
