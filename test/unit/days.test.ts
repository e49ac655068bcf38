import { describe, expect, it } from 'vitest'
import { addDays, daysBetween, monthsBetween } from '../../src/platform/days.ts'

describe('calendar days', () => {
  it('adds days across month, year and leap-day boundaries, backwards too', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01')
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01')
    expect(addDays('2025-03-30', -30)).toBe('2025-02-28')
  })

  it('counts whole days, negative when the second day is earlier, unaffected by British Summer Time', () => {
    expect(daysBetween('2025-03-29', '2025-03-31')).toBe(2)
    expect(daysBetween('2025-10-25', '2025-10-27')).toBe(2)
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366)
    expect(daysBetween('2025-01-10', '2025-01-03')).toBe(-7)
  })

  it('lists the months between two days inclusive, and none when the range is backwards', () => {
    expect(monthsBetween('2024-11-15', '2025-02-01')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02'])
    expect(monthsBetween('2025-03-01', '2025-02-01')).toEqual([])
  })
})
