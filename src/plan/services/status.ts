// Status words, tags and derived figures shared by the plan pages, the API and the national view.
import type { PlanItem, PlanStatus } from '../model.ts'
import { itemProgress, overdue, type ItemProgress } from '../progress.ts'
import type { DatePrecision } from '../data/tables.ts'

export const STATUS_LABELS: Record<PlanStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  complete: 'Complete',
}

/** GOV.UK tag colour classes for each status (text always says the status too). */
export const STATUS_TAG_CLASSES: Record<PlanStatus | 'none', string> = {
  not_started: 'govuk-tag--grey',
  in_progress: 'govuk-tag--blue',
  complete: 'govuk-tag--green',
  none: 'govuk-tag--grey',
}

export function isPlanStatus(value: unknown): value is PlanStatus {
  return value === 'not_started' || value === 'in_progress' || value === 'complete'
}

export function statusText(status: PlanStatus | null): string {
  return status ? STATUS_LABELS[status] : 'No status'
}

/** The precision of an ISO plan date: 'YYYY-MM-DD' a day, 'YYYY-MM' a month, 'YYYY' a year. */
export function precisionOf(date: string | null): DatePrecision | null {
  if (date === null) return null
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) return 'day'
  if (/^\d{4}-\d{2}$/.test(date)) return 'month'
  if (/^\d{4}$/.test(date)) return 'year'
  return null
}

type ItemLike = Pick<PlanItem, 'status' | 'percent' | 'updates'>

/** An item's status for roll-ups: its own status, else what its % says. */
export function effectiveItemStatus(item: ItemLike, progress: ItemProgress = itemProgress(item)): PlanStatus | null {
  if (item.status) return item.status
  if (progress.basis === 'no_status') return null
  if (progress.percent >= 100) return 'complete'
  return progress.percent > 0 ? 'in_progress' : 'not_started'
}

/**
 * A recommendation's status from its items: complete when every item is complete, not started when none has begun
 * (not started or no status), otherwise in progress. Null when it has no items or no item has a status.
 */
export function recommendationStatus(items: ItemLike[]): PlanStatus | null {
  const statuses = items.map((item) => effectiveItemStatus(item))
  if (statuses.length === 0 || statuses.every((s) => s === null)) return null
  if (statuses.every((s) => s === 'complete')) return 'complete'
  if (statuses.every((s) => s === 'not_started' || s === null)) return 'not_started'
  return 'in_progress'
}

export function isOverdue(deadline: string | null, status: PlanStatus | null, today: string): boolean {
  return overdue(deadline, status, today)
}

/** The label a user-added update carries: "In progress 40%", "Complete", "Not started". */
export function labelFor(status: PlanStatus, percent: number | null): string {
  if (status === 'in_progress' && percent !== null) return `${STATUS_LABELS.in_progress} ${percent}%`
  return STATUS_LABELS[status]
}
