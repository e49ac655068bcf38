// How Threadline turns a plan's statuses into % figures. Pure functions; the rule is stated once, in PROGRESS_METHOD,
// which the UI and every export show next to the numbers.
import type { PlanItem, PlanRecommendation, PlanStatus } from './model.ts'

/** The rule, in plain English, shown next to every % figure Threadline displays or exports. */
export const PROGRESS_METHOD =
  "An evidence item's % is the % stated in its latest update. Where no % is stated: Complete counts as 100%, " +
  'Not started as 0%, and In progress as 50%, marked "estimated"; an item with no status yet counts as 0%. ' +
  "A recommendation's % is the average of its evidence items' %. The plan's % is the average of its " +
  "recommendations' %, so each recommendation counts the same however many evidence items it has; recommendations " +
  'with no evidence items are left out. A figure built on any estimated item is marked "estimated".'

/** Where an item's % came from. */
export type ProgressBasis = 'stated' | 'complete' | 'not_started' | 'in_progress_estimate' | 'no_status'

export interface ItemProgress {
  percent: number
  basis: ProgressBasis
  /** True when the figure is an estimate (in progress with no stated %). */
  estimated: boolean
}

export interface AggregateProgress {
  /** Unrounded mean; null when there is nothing to average. Round only for display (see formatPercent). */
  percent: number | null
  /** True when any figure that went into the mean was estimated. */
  estimated: boolean
  /** How many figures were averaged (items for a recommendation, recommendations for a plan). */
  count: number
}

/** The % counted for an in-progress item whose updates state no %. */
export const IN_PROGRESS_ESTIMATE = 50

type ItemLike = Pick<PlanItem, 'status' | 'percent' | 'updates'>

function clamp(percent: number): number {
  return Math.min(100, Math.max(0, percent))
}

/**
 * An item's current status and stated %: the item's own fields (the importer sets them from the latest update); when
 * the item carries neither, the most recent update (last in the list, which is oldest first) that carries one.
 */
function current(item: ItemLike): { status: PlanStatus | null; percent: number | null } {
  if (item.status !== null || item.percent !== null) return { status: item.status, percent: item.percent }
  for (let i = item.updates.length - 1; i >= 0; i--) {
    const u = item.updates[i]
    if (u.status !== null || u.percent !== null) return { status: u.status, percent: u.percent }
  }
  return { status: null, percent: null }
}

export function itemProgress(item: ItemLike): ItemProgress {
  const { status, percent } = current(item)
  if (percent !== null && Number.isFinite(percent))
    return { percent: clamp(percent), basis: 'stated', estimated: false }
  switch (status) {
    case 'complete':
      return { percent: 100, basis: 'complete', estimated: false }
    case 'not_started':
      return { percent: 0, basis: 'not_started', estimated: false }
    case 'in_progress':
      return { percent: IN_PROGRESS_ESTIMATE, basis: 'in_progress_estimate', estimated: true }
    default:
      return { percent: 0, basis: 'no_status', estimated: false }
  }
}

function mean(figures: { percent: number | null; estimated: boolean }[]): AggregateProgress {
  const counted = figures.filter((f): f is { percent: number; estimated: boolean } => f.percent !== null)
  if (counted.length === 0) return { percent: null, estimated: false, count: 0 }
  const sum = counted.reduce((total, f) => total + f.percent, 0)
  return { percent: sum / counted.length, estimated: counted.some((f) => f.estimated), count: counted.length }
}

export function recommendationProgress(recommendation: Pick<PlanRecommendation, 'items'>): AggregateProgress {
  return mean(recommendation.items.map(itemProgress))
}

export function planProgress(plan: { recommendations: Pick<PlanRecommendation, 'items'>[] }): AggregateProgress {
  return mean(plan.recommendations.map(recommendationProgress))
}

/** "25%", "50% (estimated)", or "–" for no figure. Rounds half up to a whole number. */
export function formatPercent(progress: { percent: number | null; estimated: boolean }): string {
  if (progress.percent === null) return '–'
  return `${Math.round(progress.percent)}%${progress.estimated ? ' (estimated)' : ''}`
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/
const ISO_MONTH = /^(\d{4})-(\d{2})$/
const ISO_YEAR = /^(\d{4})$/

/**
 * The last day a deadline allows, as 'YYYY-MM-DD': the day itself, the last day of a 'YYYY-MM' month, or 31 December
 * of a 'YYYY' year. Null for null or a string that is not one of those shapes.
 */
export function deadlineEnd(deadline: string | null): string | null {
  if (deadline === null) return null
  if (ISO_DAY.test(deadline)) return deadline
  const month = ISO_MONTH.exec(deadline)
  if (month) {
    const y = Number(month[1])
    const m = Number(month[2])
    if (m < 1 || m > 12) return null
    const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate()
    return `${month[1]}-${month[2]}-${String(lastDay).padStart(2, '0')}`
  }
  if (ISO_YEAR.test(deadline)) return `${deadline}-12-31`
  return null
}

/** Today's date in the UK (Europe/London) as 'YYYY-MM-DD'. */
export function ukDate(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant)
}

/**
 * True when the deadline has passed and the work is not complete. A day deadline is due at the end of that day, a
 * month deadline ('YYYY-MM') at the end of that month, a year deadline at the end of that year. `today` is a
 * 'YYYY-MM-DD' string or an instant (read as the date in the UK). No deadline, or status complete: never overdue.
 */
export function overdue(deadline: string | null, status: PlanStatus | null, today: string | Date): boolean {
  if (status === 'complete') return false
  const end = deadlineEnd(deadline)
  if (end === null) return false
  const day = typeof today === 'string' ? today : ukDate(today)
  if (!ISO_DAY.test(day)) throw new Error(`overdue: today must be YYYY-MM-DD, got "${day}"`)
  return day > end
}
