// Scores explainNarrative against the hand-labelled narratives in narratives.json. Pure: run.ts prints and writes
// the figures; the quality-gate test asserts the targets.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { explainNarrative, RULES } from '../indicators/index.ts'
import type { NarrativeExplanation } from '../indicators/index.ts'

export const NARRATIVES_FILE = fileURLToPath(new URL('./narratives.json', import.meta.url))

/** Targets on the hand-written set, for suggestsStalking and for indicator ids (micro-averaged). */
export const TARGETS = { recall: 0.9, precision: 0.8 } as const

const ruleIds = new Set(RULES.map((r) => r.id))

const labelledNarrative = z.object({
  id: z.string().min(1),
  text: z.string().min(1),
  suggestsStalking: z.boolean(),
  indicators: z.array(z.string().refine((id) => ruleIds.has(id), { message: 'is not a rule id' })),
  note: z.string(),
})
export type LabelledNarrative = z.infer<typeof labelledNarrative>

export function loadNarratives(file: string = NARRATIVES_FILE): LabelledNarrative[] {
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'))
  const parsed = z.array(labelledNarrative).safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`${file}: entry ${issue.path.join('.')}: ${issue.message}`)
  }
  const ids = new Set<string>()
  for (const n of parsed.data) {
    if (ids.has(n.id)) throw new Error(`${file}: duplicate narrative id "${n.id}"`)
    ids.add(n.id)
  }
  return parsed.data
}

export interface Counts {
  tp: number
  fp: number
  fn: number
  tn?: number
}

export interface Scores extends Counts {
  precision: number
  recall: number
}

export function score(counts: Counts): Scores {
  const precision = counts.tp + counts.fp === 0 ? 1 : counts.tp / (counts.tp + counts.fp)
  const recall = counts.tp + counts.fn === 0 ? 1 : counts.tp / (counts.tp + counts.fn)
  return { ...counts, precision, recall }
}

export interface NarrativeError {
  id: string
  kind: 'false_positive' | 'false_negative'
  /** For suggestsStalking errors: null. For indicator errors: the indicator id. */
  indicator: string | null
  text: string
}

export interface HandWrittenEvaluation {
  narratives: number
  suggestsStalking: Scores
  indicators: Scores
  perIndicator: Record<string, Scores>
  errors: NarrativeError[]
  meetsTargets: boolean
}

export function evaluateHandWritten(
  narratives: LabelledNarrative[] = loadNarratives(),
  explain: (text: string) => NarrativeExplanation = explainNarrative,
): HandWrittenEvaluation {
  const stalking: Counts = { tp: 0, fp: 0, fn: 0, tn: 0 }
  const micro: Counts = { tp: 0, fp: 0, fn: 0 }
  const per = new Map<string, Counts>(RULES.map((r) => [r.id, { tp: 0, fp: 0, fn: 0 }]))
  const errors: NarrativeError[] = []
  for (const n of narratives) {
    const result = explain(n.text)
    if (result.suggestsStalking && n.suggestsStalking) stalking.tp++
    else if (result.suggestsStalking) {
      stalking.fp++
      errors.push({ id: n.id, kind: 'false_positive', indicator: null, text: n.text })
    } else if (n.suggestsStalking) {
      stalking.fn++
      errors.push({ id: n.id, kind: 'false_negative', indicator: null, text: n.text })
    } else stalking.tn = (stalking.tn ?? 0) + 1

    const expected = new Set(n.indicators)
    const got = new Set(result.indicators.map((h) => h.id))
    for (const id of got) {
      const c = per.get(id)!
      if (expected.has(id)) {
        micro.tp++
        c.tp++
      } else {
        micro.fp++
        c.fp++
        const hit = result.indicators.find((h) => h.id === id)!
        errors.push({ id: n.id, kind: 'false_positive', indicator: id, text: hit.match })
      }
    }
    for (const id of expected) {
      if (got.has(id)) continue
      micro.fn++
      per.get(id)!.fn++
      errors.push({ id: n.id, kind: 'false_negative', indicator: id, text: n.text })
    }
  }
  const suggests = score(stalking)
  const indicators = score(micro)
  const perIndicator = Object.fromEntries([...per].map(([id, c]) => [id, score(c)]))
  const meetsTargets =
    suggests.recall >= TARGETS.recall &&
    suggests.precision >= TARGETS.precision &&
    indicators.recall >= TARGETS.recall &&
    indicators.precision >= TARGETS.precision
  return { narratives: narratives.length, suggestsStalking: suggests, indicators, perIndicator, errors, meetsTargets }
}
