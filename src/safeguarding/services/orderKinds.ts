// Protective order kinds as data (order-kinds.json): a force adds a kind there, not in code.
import { readFileSync } from 'node:fs'
import { z } from 'zod'

const kindSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  name: z.string().min(1),
  shortName: z.string().min(1),
  /** Counted as a Stalking Protection Order (Recommendation 13). */
  stalkingProtection: z.boolean().optional(),
  /** A notice or interim order, to be followed by a full order or fall away. */
  interim: z.boolean().optional(),
  /** The subject must notify the police within `days` of the order starting. */
  notification: z.object({ days: z.number().int().min(1).max(365), what: z.string().min(1) }).nullable(),
})
export type OrderKind = z.infer<typeof kindSchema>

const fileSchema = z.object({ source: z.string().min(1), kinds: z.array(kindSchema).min(1) })

export function loadOrderKinds(path = new URL('../order-kinds.json', import.meta.url)) {
  const parsed = fileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`src/safeguarding/order-kinds.json, ${issue.path.join('.')}: ${issue.message}`)
  }
  const kinds = new Map<string, OrderKind>()
  for (const kind of parsed.data.kinds) {
    if (kinds.has(kind.id)) throw new Error(`src/safeguarding/order-kinds.json: the kind "${kind.id}" is listed twice`)
    kinds.set(kind.id, kind)
  }
  return { source: parsed.data.source, kinds }
}
