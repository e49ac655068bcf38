export {
  explainNarrative,
  explainNarrativeUnfiltered,
  explainIndicators,
  isDiscounted,
  expandPattern,
} from './explain.ts'
export { currentModel, describeCarriedBy, FEATURES, judge, loadModel, type ScoringModel } from './model.ts'
export { RULES, suggestsStalkingFrom, ACT_CATEGORIES } from './rules.ts'
export type { IndicatorCategory, IndicatorHit, IndicatorRule, NarrativeExplanation } from './types.ts'
