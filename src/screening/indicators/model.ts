// The judgement over the indicators: a logistic regression whose weights are data (model.json), learnt on the tuning
// set by src/screening/eval/train.ts. Deterministic and explainable: the score is the bias plus the weight of every
// feature present, each feature is a plain fact about the indicators found ("following", "two or more different
// acts"), and a decision names the features that carried it with their weights. The threshold is chosen on the
// tuning set for recall (see train.ts); it is part of the data.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { ACT_CATEGORIES, RULES } from './rules.ts'

export interface Feature {
  id: string
  /** Words a screener reads: "following", "two or more different acts". */
  label: string
  present: (found: ReadonlySet<string>) => boolean
}

const actIds = RULES.filter((rule) => ACT_CATEGORIES.has(rule.category)).map((rule) => rule.id)
const fourIds = ['fixated', 'unwanted', 'repeated']
/** Counter-indicators that give the contact a reason other than the person: money, children, a role, a dispute. */
const reasonIds = ['purpose_money', 'purpose_children', 'purpose_role', 'neighbour_dispute']

function actCount(found: ReadonlySet<string>): number {
  let acts = 0
  for (const id of actIds) if (found.has(id)) acts++
  return acts
}

/** The model's features: one per indicator rule, and a few combinations the indicators alone cannot express. */
export const FEATURES: readonly Feature[] = [
  ...RULES.map((rule) => ({
    id: rule.id,
    label: rule.label.toLowerCase(),
    present: (found: ReadonlySet<string>) => found.has(rule.id),
  })),
  {
    id: 'two_acts',
    label: 'two or more different acts',
    present: (found) => actCount(found) >= 2,
  },
  {
    id: 'contact_repeated',
    label: 'contact that is repeated',
    present: (found) => found.has('contact') && found.has('repeated'),
  },
  {
    id: 'contact_unwanted',
    label: 'contact that is unwanted',
    present: (found) => found.has('contact') && found.has('unwanted'),
  },
  {
    id: 'act_with_four',
    label: 'an act other than contact with a FOUR signal (fixated, unwanted, repeated)',
    present: (found) => actIds.some((id) => id !== 'contact' && found.has(id)) && fourIds.some((id) => found.has(id)),
  },
  {
    id: 'reason_contact_only',
    label: 'contact with a stated reason (money, children, a role or a dispute), and no other act and no fixation',
    present: (found) =>
      reasonIds.some((id) => found.has(id)) &&
      !found.has('fixated') &&
      !actIds.some((id) => id !== 'contact' && found.has(id)),
  },
  {
    id: 'repeated_with_fear',
    label: 'repeated conduct that causes fear or changes daily life',
    present: (found) => found.has('repeated') && (found.has('fear_violence') || found.has('adverse_effect')),
  },
]

export const MODEL_FILE = fileURLToPath(new URL('./model.json', import.meta.url))

const modelSchema = z.object({
  method: z.string(),
  tuningSet: z.array(z.string()),
  narratives: z.number().int().positive(),
  regularisation: z.number().nonnegative(),
  bias: z.number(),
  weights: z.record(z.string(), z.number()),
  threshold: z.number(),
  thresholdRule: z.string(),
  /** Precision and recall of cross-validated scores at the threshold, on the tuning set (train.ts). */
  crossValidated: z.object({ precision: z.number(), recall: z.number() }).optional(),
})
export type ScoringModel = z.infer<typeof modelSchema>

/** Reads and checks a model file: every feature has a weight and every weight a feature. */
export function loadModel(file: string = MODEL_FILE): ScoringModel {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new Error(`${file}: cannot read the screening model (${(error as Error).message})`, { cause: error })
  }
  const parsed = modelSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`${file}: ${issue.path.join('.') || 'model'}: ${issue.message}`)
  }
  const known = new Set(FEATURES.map((feature) => feature.id))
  const unknown = Object.keys(parsed.data.weights).filter((id) => !known.has(id))
  if (unknown.length) throw new Error(`${file}: weights for unknown features: ${unknown.join(', ')}`)
  const missing = [...known].filter((id) => !(id in parsed.data.weights))
  if (missing.length) throw new Error(`${file}: no weight for features: ${missing.join(', ')} (run train:screening)`)
  return parsed.data
}

/** The feature vector (0/1 per FEATURES entry) of a set of indicator ids. */
export function featureVector(found: ReadonlySet<string>): number[] {
  return FEATURES.map((feature) => (feature.present(found) ? 1 : 0))
}

export interface Contribution {
  feature: string
  label: string
  weight: number
}

export interface Judgement {
  suggestsStalking: boolean
  /** Log-odds: the bias plus the weights of the features present, rounded to 3 places. */
  score: number
  threshold: number
  /** The features present with their weights, largest first: what carried the decision. */
  carriedBy: Contribution[]
}

const round3 = (value: number) => Math.round(value * 1000) / 1000

export function judge(found: ReadonlySet<string>, model: ScoringModel): Judgement {
  let score = model.bias
  const carriedBy: Contribution[] = []
  for (const feature of FEATURES) {
    if (!feature.present(found)) continue
    const weight = model.weights[feature.id] ?? 0
    score += weight
    carriedBy.push({ feature: feature.id, label: feature.label, weight: round3(weight) })
  }
  carriedBy.sort((a, b) => b.weight - a.weight || a.feature.localeCompare(b.feature))
  // The decision compares the score as it is shown (three places), so the explanation never contradicts it.
  const shown = round3(score)
  return {
    suggestsStalking: found.size > 0 && shown >= model.threshold,
    score: shown,
    threshold: model.threshold,
    carriedBy,
  }
}

let current: ScoringModel | undefined

/** The committed model (model.json), read once. */
export function currentModel(): ScoringModel {
  current ??= loadModel()
  return current
}

const counterFeatureIds: ReadonlySet<string> = new Set([
  ...RULES.filter((rule) => rule.category === 'context').map((rule) => rule.id),
  'reason_contact_only',
])

const described = (c: Contribution) => `${c.label} (${c.weight >= 0 ? '+' : ''}${c.weight.toFixed(2)})`

/**
 * "following (+1.20), two or more different acts (+0.85)": the features that pushed towards the decision. When a
 * decision that suggests stalking was reached despite counter-indicators (a stated reason for the contact, a single
 * incident), they are named too: "...; weighed against: contact about money or property (-0.51)".
 */
export function describeCarriedBy(judgement: Judgement, limit = 4): string {
  const towards = judgement.carriedBy.filter((c) => (judgement.suggestsStalking ? c.weight > 0 : c.weight <= 0))
  const shown = (towards.length ? towards : judgement.carriedBy).slice(0, limit)
  const against = judgement.suggestsStalking
    ? judgement.carriedBy.filter((c) => c.weight < 0 && counterFeatureIds.has(c.feature)).reverse()
    : []
  const text = shown.map(described).join(', ')
  return against.length ? `${text}; weighed against: ${against.slice(0, limit).map(described).join(', ')}` : text
}
