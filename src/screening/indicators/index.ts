export { explainNarrative, explainNarrativeUnfiltered, isDiscounted, expandPattern } from './explain.ts'
export { RULES, suggestsStalkingFrom, ACT_CATEGORIES } from './rules.ts'
export type { IndicatorCategory, IndicatorHit, IndicatorRule, NarrativeExplanation } from './types.ts'
