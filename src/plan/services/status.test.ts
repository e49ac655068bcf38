import { describe, expect, it } from 'vitest'
import type { PlanItem, PlanStatus } from '../model.ts'
import { labelFor, precisionOf, recommendationStatus } from './status.ts'

const item = (
  status: PlanStatus | null,
  percent: number | null = null,
): Pick<PlanItem, 'status' | 'percent' | 'updates'> => ({
  status,
  percent,
  updates: [],
})

describe('recommendation status from its items', () => {
  it('is complete only when every item is complete', () => {
    expect(recommendationStatus([item('complete'), item('complete')])).toBe('complete')
    expect(recommendationStatus([item('complete'), item('in_progress')])).toBe('in_progress')
  })
  it('is not started when no item has begun, and in progress once one has', () => {
    expect(recommendationStatus([item('not_started'), item(null)])).toBe('not_started')
    expect(recommendationStatus([item('not_started'), item('complete')])).toBe('in_progress')
  })
  it('reads an item with no status from its stated %', () => {
    expect(recommendationStatus([item(null, 100)])).toBe('complete')
    expect(recommendationStatus([item(null, 30)])).toBe('in_progress')
  })
  it('has no status with no items or no statuses at all', () => {
    expect(recommendationStatus([])).toBeNull()
    expect(recommendationStatus([item(null)])).toBeNull()
  })
})

describe('labels and date precision', () => {
  it('labels a user update the way forces write statuses', () => {
    expect(labelFor('in_progress', 40)).toBe('In progress 40%')
    expect(labelFor('in_progress', null)).toBe('In progress')
    expect(labelFor('complete', 100)).toBe('Complete')
  })
  it('keeps the precision of a date', () => {
    expect(precisionOf('2024-11-20')).toBe('day')
    expect(precisionOf('2024-11')).toBe('month')
    expect(precisionOf('2024')).toBe('year')
    expect(precisionOf(null)).toBeNull()
  })
})
