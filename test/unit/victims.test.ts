// The victims area's pure rules: what counts as a low referral month (14.5), the median, the months of a range, and
// the monitoring page's date range.
import { describe, expect, it } from 'vitest'
import { monthsRangeFromQuery } from '../../src/platform/web/requestHelpers.ts'
import { monthsBetween } from '../../src/platform/days.ts'
import { median, monthlyRow } from '../../src/victims/services/victimService.ts'

const months = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05']
const row = (...values: number[]) => monthlyRow('Team', months, new Map(months.map((m, i) => [m, values[i]])))

describe('low referral months', () => {
  it('flags a month below half the median month, and not one at exactly half', () => {
    // Median 2: 1 is exactly half (not low), 0 is below half (low).
    expect(row(2, 2, 2, 1, 0).counts.map((c) => c.low)).toEqual([false, false, false, false, true])
    expect(row(2, 2, 2, 1, 0)).toMatchObject({ total: 7, median: 2 })
    // Median 4: 1 is below half.
    expect(row(4, 4, 1, 5, 6).counts.map((c) => c.low)).toEqual([false, false, true, false, false])
  })

  it('flags nothing when the median month is 0, and counts missing months as 0', () => {
    expect(row(0, 0, 0, 3, 1).counts.map((c) => c.low)).toEqual([false, false, false, false, false])
    expect(monthlyRow('Team', months, new Map([['2024-03', 2]]))).toMatchObject({ total: 2, median: 0 })
  })
})

describe('median and months', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([])).toBeNull()
    expect(median([5, 1, 3])).toBe(3)
    expect(median([10, 1, 3, 8])).toBe(5.5)
  })

  it('lists every month of a range, across a year end', () => {
    expect(monthsBetween('2024-11-15', '2025-02-01')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02'])
    expect(monthsBetween('2024-03-01', '2024-03-31')).toEqual(['2024-03'])
  })
})

describe('the monitoring range', () => {
  const now = new Date('2025-07-15T10:00:00Z')
  it('defaults to the first day of the month eleven months ago, to today', () => {
    expect(monthsRangeFromQuery({}, now)).toMatchObject({ from: '2024-08-01', to: '2025-07-15', errors: null })
  })

  it('names each bad date, and refuses an end before the start or a range over three years', () => {
    expect(monthsRangeFromQuery({ from: '2025-02-30', to: 'soon' }, now).errors).toEqual({
      from: 'Enter the start date as a real date, for example 1 4 2025',
      to: 'Enter the end date as a real date, for example 31 3 2026',
    })
    expect(monthsRangeFromQuery({ from: '2025-02-01', to: '2025-01-31' }, now).errors).toEqual({
      to: 'The end date must be on or after the start date',
    })
    expect(monthsRangeFromQuery({ from: '2020-01-01', to: '2025-01-31' }, now).errors).toEqual({
      to: 'Choose a range of three years or less',
    })
  })
})
