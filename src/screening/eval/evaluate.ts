// Scores explainNarrative against the hand-labelled narratives in narratives.json. Pure: run.ts prints and writes
// the figures; the quality-gate test asserts the targets.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { reference } from '../../crime/index.ts'
import { explainNarrative, RULES } from '../indicators/index.ts'
import type { NarrativeExplanation } from '../indicators/index.ts'

export const NARRATIVES_FILE = fileURLToPath(new URL('./narratives.json', import.meta.url))

/** Targets on the hand-written set, for suggestsStalking and for indicator ids (micro-averaged). */
export const TARGETS = { recall: 0.9, precision: 0.8 } as const

const ruleIds = new Set(RULES.map((r) => r.id))
/**
 * Indicators scored against the readers' labels: the behaviour indicators. The context rules (counter-indicators such
 * as a stated reason for the contact) came after the labels were written and are not labelled, so they are judged
 * only through suggestsStalking.
 */
const labelledIds = new Set(RULES.filter((r) => r.category !== 'context').map((r) => r.id))

const labelledNarrative = z.object({
  id: z.string().min(1),
  text: z.string().min(1),
  suggestsStalking: z.boolean(),
  /** The indicators a reader expects; absent on narratives labelled only for suggestsStalking. */
  indicators: z.array(z.string().refine((id) => ruleIds.has(id), { message: 'is not a rule id' })).optional(),
  /** The crime's classification (an offence code or name) as recorded; absent on the oldest narratives. */
  classification: z.string().optional(),
  note: z.string().default(''),
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

/**
 * Families the figures are reported by: the classifications a stalking course of conduct is commonly recorded under
 * (issue 14: criminal damage, assault, burglary, public order) and the stalking and harassment family itself. A
 * classification is read as a code (its Home Office subgroup) or as the words a writer used ("Harassment (s2 PHA
 * 1997)", "Common assault"), first matching family wins.
 */
const FAMILIES: readonly { family: string; words: RegExp }[] = [
  { family: 'Stalking and harassment', words: /stalk|harass|malicious comm|breach of .*order|communications/i },
  { family: 'Sexual offences', words: /sexual|voyeur|exposure|rape|indecent/i },
  { family: 'Criminal damage and arson', words: /damage|arson/i },
  { family: 'Assault', words: /assault|violence|wounding|battery|\babh\b|\bgbh\b|homicide|injury/i },
  { family: 'Burglary', words: /burglary/i },
  { family: 'Public order', words: /public order/i },
  { family: 'Theft, fraud and computer misuse', words: /theft|fraud|making off|computer|vehicle|robbery/i },
]

export function familyOf(classification: string | undefined): string {
  if (!classification?.trim()) return 'Not recorded'
  const entry = reference().offenceClass(classification.trim().split(/\s+/)[0])
  const words = entry ? `${entry.name} ${entry.subgroup}` : classification
  return FAMILIES.find((f) => f.words.test(words))?.family ?? 'Other'
}

export interface HandWrittenEvaluation {
  narratives: number
  suggestsStalking: Scores
  /** suggestsStalking by classification family (see familyOf), with the narratives and stalking ones in each. */
  byFamily: Record<string, Scores & { narratives: number }>
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
  const per = new Map<string, Counts>([...labelledIds].map((id) => [id, { tp: 0, fp: 0, fn: 0 }]))
  const errors: NarrativeError[] = []
  const families = new Map<string, Counts & { narratives: number }>()
  for (const n of narratives) {
    const result = explain(n.text)
    const family = familyOf(n.classification)
    const f = families.get(family) ?? { tp: 0, fp: 0, fn: 0, tn: 0, narratives: 0 }
    families.set(family, f)
    f.narratives++
    if (result.suggestsStalking && n.suggestsStalking) f.tp++
    else if (result.suggestsStalking) f.fp++
    else if (n.suggestsStalking) f.fn++
    else f.tn = (f.tn ?? 0) + 1
    if (result.suggestsStalking && n.suggestsStalking) stalking.tp++
    else if (result.suggestsStalking) {
      stalking.fp++
      errors.push({ id: n.id, kind: 'false_positive', indicator: null, text: n.text })
    } else if (n.suggestsStalking) {
      stalking.fn++
      errors.push({ id: n.id, kind: 'false_negative', indicator: null, text: n.text })
    } else stalking.tn = (stalking.tn ?? 0) + 1

    if (!n.indicators) continue
    const expected = new Set(n.indicators)
    const got = new Set(result.indicators.map((h) => h.id).filter((id) => labelledIds.has(id)))
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
  const byFamily = Object.fromEntries(
    [...families]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([family, counts]) => [family, { ...score(counts), narratives: counts.narratives }]),
  )
  return {
    narratives: narratives.length,
    suggestsStalking: suggests,
    byFamily,
    indicators,
    perIndicator,
    errors,
    meetsTargets,
  }
}

const pick = (row: Record<string, unknown>, names: string[]): unknown =>
  names.map((name) => row[name]).find((value) => value !== undefined && value !== null)

/** A label as a writer may give it: true/false, "stalking"/"not stalking", "yes"/"no". */
function labelOf(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value !== 'string') return undefined
  const text = value.trim().toLowerCase().replace(/[_-]/g, ' ')
  if (['stalking', 'yes', 'true', 'positive', 'suggests stalking'].includes(text)) return true
  if (/^(?:not|no|non)\b/.test(text) || ['false', 'negative', 'look alike', 'lookalike'].includes(text)) return false
  return undefined
}

/**
 * The held-out set as delivered: JSON Lines, one narrative per line, with its text, its label (stalking or not) and
 * the classification it was recorded under. Field names are read as the writer gave them (text or narrative; label,
 * stalking or suggestsStalking; classification or offence). A line that cannot be read is an error naming the line.
 */
export function loadHeldOut(file: string): LabelledNarrative[] {
  const lines = readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
  const out: LabelledNarrative[] = []
  lines.forEach((line, index) => {
    if (!line.trim()) return
    let row: Record<string, unknown>
    try {
      row = JSON.parse(line) as Record<string, unknown>
    } catch (error) {
      throw new Error(`${file}: line ${index + 1}: not valid JSON (${(error as Error).message})`, { cause: error })
    }
    const text = pick(row, ['text', 'narrative', 'mo', 'MO', 'mo_text'])
    const label = labelOf(pick(row, ['suggestsStalking', 'stalking', 'label', 'is_stalking', 'isStalking', 'class']))
    const classification = pick(row, ['classification', 'offence', 'crime_type', 'crimeType', 'principal'])
    if (typeof text !== 'string' || !text.trim()) throw new Error(`${file}: line ${index + 1}: no narrative text`)
    if (label === undefined) throw new Error(`${file}: line ${index + 1}: no stalking label this loader understands`)
    out.push({
      id: String(pick(row, ['id']) ?? `line ${index + 1}`),
      text,
      suggestsStalking: label,
      ...(typeof classification === 'string' ? { classification } : {}),
      note: 'held out: independent writer',
    })
  })
  return out
}
