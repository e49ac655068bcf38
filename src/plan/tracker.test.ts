import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { generateTrackerSchema, TRACKER_SCHEMA_PATH } from '../../scripts/generate-plan-schema.ts'
import type { PlanItem } from './model.ts'
import { planProgress } from './progress.ts'
import { trackerRow } from './services/tracker.ts'

const NUMBERS = [7, 10, 11, 12, 13, 14, 16, 17, 18, 20, 22, 23, 25, 27, 28]
const force = { code: 'kent', name: 'Kent Police', country: 'England' as const, listed: true }

/** A plan view with the given % for each recommendation (one item each, stated %). */
function viewWith(percents: Map<number, number>) {
  return {
    published: true,
    lastUpdated: null,
    lastApprovedAt: null,
    recommendations: [...percents].map(([number, percent]) => ({
      number,
      status: percent === 100 ? ('complete' as const) : ('in_progress' as const),
      overdue: false,
      progress: { percent, estimated: false, count: 1 },
      items: [{ status: 'in_progress' as const, percent, updates: [] }],
    })),
  } as unknown as Parameters<typeof trackerRow>[1]
}

describe('trackerRow', () => {
  it('never scores a plan higher for leaving recommendations out, where the plan-only average did', () => {
    let seed = 7
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
    let plainAverageRose = false
    for (let trial = 0; trial < 200; trial++) {
      const full = new Map(NUMBERS.map((n) => [n, Math.round(random() * 100)]))
      const kept = new Map([...full].filter(() => random() < 0.3))
      const whole = trackerRow(force, viewWith(full), NUMBERS, true)
      const part = trackerRow(force, viewWith(kept), NUMBERS, true)
      expect(part.nationalPercent).toBeLessThanOrEqual(whole.nationalPercent)
      expect(part.notAddressed).toBe(NUMBERS.length - kept.size)
      expect(part.coveragePercent).toBe(Math.round((kept.size / NUMBERS.length) * 1000) / 10)
      const plain = (m: Map<number, number>) =>
        planProgress({
          recommendations: [...m.values()].map((percent) => ({
            items: [{ status: 'in_progress', percent, updates: [] } as unknown as PlanItem],
          })),
        }).percent ?? 0
      if (plain(kept) > plain(full)) plainAverageRose = true
    }
    expect(plainAverageRose).toBe(true)
  })

  it('gives a force with no plan shown every recommendation not addressed and 0%', () => {
    const row = trackerRow(force, null, NUMBERS, false)
    expect(row).toMatchObject({ hasPlan: false, nationalPercent: 0, coveragePercent: 0, notAddressed: 15 })
    expect(row.recommendations.every((c) => c.status === 'not_addressed' && c.percent === null)).toBe(true)
  })
})

describe('docs/national-tracker.schema.json', () => {
  it('is exactly what scripts/generate-plan-schema.ts generates', async () => {
    expect(await readFile(TRACKER_SCHEMA_PATH, 'utf8')).toBe(await generateTrackerSchema())
  })
})
