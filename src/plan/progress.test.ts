import { describe, expect, it } from 'vitest'
import type { PlanItem, PlanStatus, PlanUpdate } from './model.ts'
import {
  deadlineEnd,
  formatPercent,
  itemProgress,
  overdue,
  planProgress,
  PROGRESS_METHOD,
  recommendationProgress,
} from './progress.ts'

function update(status: PlanStatus | null, percent: number | null, date = '2025-01-10'): PlanUpdate {
  return { date, heading: null, text: 'Update', status, statusLabel: null, percent }
}

function item(status: PlanStatus | null, percent: number | null, updates: PlanUpdate[] = []): PlanItem {
  return { ref: '1.1', requirement: 'R', owner: null, status, statusLabel: null, percent, updates, documents: [] }
}

describe('itemProgress', () => {
  it('uses the stated % even when the status says otherwise', () => {
    expect(itemProgress(item('in_progress', 25))).toEqual({ percent: 25, basis: 'stated', estimated: false })
    expect(itemProgress(item('complete', 90))).toEqual({ percent: 90, basis: 'stated', estimated: false })
  })

  it('counts complete as 100 and not started as 0 when no % is stated', () => {
    expect(itemProgress(item('complete', null))).toEqual({ percent: 100, basis: 'complete', estimated: false })
    expect(itemProgress(item('not_started', null))).toEqual({ percent: 0, basis: 'not_started', estimated: false })
  })

  it('estimates in progress without a % as 50 and flags it', () => {
    expect(itemProgress(item('in_progress', null))).toEqual({
      percent: 50,
      basis: 'in_progress_estimate',
      estimated: true,
    })
  })

  it('counts an item with no status as 0, not estimated', () => {
    expect(itemProgress(item(null, null))).toEqual({ percent: 0, basis: 'no_status', estimated: false })
  })

  it('falls back to the latest update that carries a status or % when the item has neither', () => {
    const updates = [
      update('in_progress', 40, '2024-11-20'),
      update('in_progress', 75, '2025-02-01'),
      update(null, null),
    ]
    expect(itemProgress(item(null, null, updates))).toEqual({ percent: 75, basis: 'stated', estimated: false })
  })

  it('clamps stated figures to 0..100', () => {
    expect(itemProgress(item('in_progress', 140)).percent).toBe(100)
    expect(itemProgress(item('in_progress', -5)).percent).toBe(0)
  })
})

describe('recommendationProgress', () => {
  it('is the mean of its items and carries the estimated flag', () => {
    expect(recommendationProgress({ items: [item('complete', null), item('in_progress', 25)] })).toEqual({
      percent: 62.5,
      estimated: false,
      count: 2,
    })
    expect(recommendationProgress({ items: [item('complete', null), item('in_progress', null)] })).toEqual({
      percent: 75,
      estimated: true,
      count: 2,
    })
  })

  it('has no figure without items', () => {
    expect(recommendationProgress({ items: [] })).toEqual({ percent: null, estimated: false, count: 0 })
  })
})

describe('planProgress', () => {
  it('weighs each recommendation the same, whatever its number of items', () => {
    const plan = {
      recommendations: [
        { items: [item('complete', null)] }, // 100
        { items: [item('not_started', null), item('not_started', null), item('not_started', null)] }, // 0
        { items: [] }, // left out
      ],
    }
    // Mean of items would be 25; mean of recommendations is 50.
    expect(planProgress(plan)).toEqual({ percent: 50, estimated: false, count: 2 })
  })

  it('is estimated when any recommendation is', () => {
    const plan = { recommendations: [{ items: [item('in_progress', null)] }, { items: [item('complete', null)] }] }
    expect(planProgress(plan)).toEqual({ percent: 75, estimated: true, count: 2 })
  })

  it('has no figure for an empty plan', () => {
    expect(planProgress({ recommendations: [] }).percent).toBeNull()
  })
})

describe('formatPercent', () => {
  it('rounds and marks estimates', () => {
    expect(formatPercent({ percent: 62.5, estimated: false })).toBe('63%')
    expect(formatPercent({ percent: 33.333, estimated: true })).toBe('33% (estimated)')
    expect(formatPercent({ percent: null, estimated: false })).toBe('–')
  })
})

describe('PROGRESS_METHOD', () => {
  it('states every rule the functions apply', () => {
    for (const phrase of ['latest update', '100%', '0%', '50%', 'estimated', 'average', 'each recommendation counts']) {
      expect(PROGRESS_METHOD).toContain(phrase)
    }
  })
})

describe('deadlineEnd', () => {
  it('keeps a day, ends a month on its last day (leap years included), ends a year on 31 December', () => {
    expect(deadlineEnd('2025-03-27')).toBe('2025-03-27')
    expect(deadlineEnd('2025-03')).toBe('2025-03-31')
    expect(deadlineEnd('2025-04')).toBe('2025-04-30')
    expect(deadlineEnd('2024-02')).toBe('2024-02-29')
    expect(deadlineEnd('2025-02')).toBe('2025-02-28')
    expect(deadlineEnd('2025')).toBe('2025-12-31')
    expect(deadlineEnd(null)).toBeNull()
    expect(deadlineEnd('March 2025')).toBeNull()
  })
})

describe('overdue', () => {
  it('is due at the end of the deadline day', () => {
    expect(overdue('2025-03-27', 'in_progress', '2025-03-27')).toBe(false)
    expect(overdue('2025-03-27', 'in_progress', '2025-03-28')).toBe(true)
  })

  it('treats a month deadline as due at the end of that month', () => {
    expect(overdue('2025-03', 'in_progress', '2025-03-31')).toBe(false)
    expect(overdue('2025-03', 'in_progress', '2025-04-01')).toBe(true)
    expect(overdue('2025-03', null, '2025-04-01')).toBe(true)
  })

  it('is never overdue when complete or without a deadline', () => {
    expect(overdue('2025-03', 'complete', '2026-01-01')).toBe(false)
    expect(overdue(null, 'not_started', '2026-01-01')).toBe(false)
  })

  it('reads an instant as the UK date', () => {
    // 23:30 UTC on 31 March 2025 is 00:30 on 1 April in London (BST).
    expect(overdue('2025-03', 'in_progress', new Date('2025-03-31T23:30:00Z'))).toBe(true)
    // 23:30 UTC on 31 January is still 31 January in London (GMT).
    expect(overdue('2025-01', 'in_progress', new Date('2025-01-31T23:30:00Z'))).toBe(false)
  })

  it('rejects a malformed today', () => {
    expect(() => overdue('2025-03', 'in_progress', '1/4/2025')).toThrow(/YYYY-MM-DD/)
  })
})
