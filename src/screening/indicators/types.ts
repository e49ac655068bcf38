/**
 * What an indicator is evidence of. `context` rules are counter-indicators: the narrative's stated reason for the
 * contact, or its scope (a single incident), which the model weighs against the others.
 */
export type IndicatorCategory = 'statutory_act' | 'four' | 'fear_distress' | 'online' | 'context'

/** One piece of evidence found in a narrative: `text.slice(start, end) === match` (UTF-16 offsets). */
export interface IndicatorHit {
  id: string
  label: string
  category: IndicatorCategory
  match: string
  start: number
  end: number
}

export interface NarrativeExplanation {
  /** True when the model's score reaches its threshold (model.ts, weights in model.json). */
  suggestsStalking: boolean
  /** Log-odds: the model's bias plus the weight of every feature present. */
  score: number
  threshold: number
  /** The features present with their weights, largest first: what carried the decision. */
  carriedBy: { feature: string; label: string; weight: number }[]
  /** Every non-negated hit of a behaviour indicator (every category but `context`), in text order. */
  indicators: IndicatorHit[]
  /**
   * Every non-negated hit of a counter-indicator (category `context`: a stated reason for the contact, a dispute, a
   * single incident), in text order. Weighed by the model like the others, but never evidence of stalking.
   */
  counterIndicators: IndicatorHit[]
}

/**
 * A rule is data: an id, a label a supervisor can read, a category and regex sources.
 * Pattern shorthand (expanded once, when the module loads):
 * - a single space means "one or more whitespace characters";
 * - an apostrophe also matches the typographic apostrophe;
 * - `{V}` is a reference to the victim (her, him, IP, VIC, the victim...);
 * - `{POSS}` is a possessive for the victim or a place (her, his, IP's, the...).
 * Patterns are matched case-insensitively, each wrapped in word boundaries.
 * Patterns must not start with a negation word of their own unless the negation is part of the meaning
 * (e.g. "won't accept"), because negation is judged from the words before the match.
 */
export interface IndicatorRule {
  id: string
  label: string
  category: IndicatorCategory
  /** One sentence: what the rule looks for and why it matters. */
  description: string
  patterns: readonly string[]
}
