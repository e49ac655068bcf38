// The problem profile's arithmetic and period rules, without a database: the least-squares line and its projection
// (never below 0), the previous period of the same length, the default period and the URL's period with its messages.
import { describe, expect, it } from 'vitest'
import {
  defaultRange,
  leastSquares,
  parseProfileRange,
  previousRange,
  projectLine,
} from '../../src/insight/services/problemProfile.ts'
import { addMonths, monthsBetween } from '../../src/platform/days.ts'
import { FieldInputError } from '../../src/platform/services/viewer.ts'

const NOW = new Date('2026-11-29T09:00:00Z')

const errorsOf = (query: Record<string, unknown>) => {
  try {
    parseProfileRange(query, NOW)
  } catch (error) {
    expect(error).toBeInstanceOf(FieldInputError)
    return (error as FieldInputError).errors
  }
  throw new Error('expected the period to be refused')
}

describe('leastSquares', () => {
  it('finds an exact line', () => {
    const line = leastSquares([1, 3, 5, 7])!
    expect(line.slope).toBeCloseTo(2, 10)
    expect(line.intercept).toBeCloseTo(1, 10)
  })

  it('fits the line minimising squared error through scattered points', () => {
    // x 0..2, y 1, 3, 2: mean x 1, mean y 2, Sxy 1, Sxx 2.
    const line = leastSquares([1, 3, 2])!
    expect(line.slope).toBeCloseTo(0.5, 10)
    expect(line.intercept).toBeCloseTo(1.5, 10)
  })

  it('gives a flat line through one point, and nothing for no points', () => {
    expect(leastSquares([4])).toEqual({ slope: 0, intercept: 4 })
    expect(leastSquares([])).toBeNull()
  })

  it('projects the line on from the next point, never below 0', () => {
    const falling = leastSquares([10, 8, 6, 4])! // y = 10 - 2x
    expect(projectLine(falling, 4, 5)).toEqual([2, 0, 0, 0, 0])
    expect(projectLine(leastSquares([1, 3, 5, 7])!, 4, 2).map((y) => Math.round(y * 1e9) / 1e9)).toEqual([9, 11])
  })
})

describe('periods', () => {
  it('counts months across years', () => {
    expect(addMonths('2024-11', 3)).toBe('2025-02')
    expect(addMonths('2024-01', -1)).toBe('2023-12')
    expect(monthsBetween('2023-11', '2024-02')).toEqual(['2023-11', '2023-12', '2024-01', '2024-02'])
  })

  it('defaults to the last twelve whole months', () => {
    expect(defaultRange(NOW)).toEqual({ from: '2025-11-01', to: '2026-10-31' })
    expect(defaultRange(new Date('2025-01-01T00:00:00Z'))).toEqual({ from: '2024-01-01', to: '2024-12-31' })
    expect(parseProfileRange({}, NOW)).toEqual({ from: '2025-11-01', to: '2026-10-31' })
  })

  it('compares whole months with the same months before, and other periods with the same number of days', () => {
    expect(previousRange({ from: '2024-01-01', to: '2024-12-31' })).toEqual({ from: '2023-01-01', to: '2023-12-31' })
    expect(previousRange({ from: '2024-03-01', to: '2024-03-31' })).toEqual({ from: '2024-02-01', to: '2024-02-29' })
    expect(previousRange({ from: '2024-03-10', to: '2024-03-19' })).toEqual({ from: '2024-02-29', to: '2024-03-09' })
  })

  it('takes the period from the URL, trimmed', () => {
    expect(parseProfileRange({ from: ' 2024-04-01 ', to: '2025-03-31' }, NOW)).toEqual({
      from: '2024-04-01',
      to: '2025-03-31',
    })
  })

  it('says what is wrong with each date', () => {
    expect(errorsOf({ from: '01/04/2024', to: '2024-02-30' })).toEqual({
      from: 'Enter the start date as a real date, for example 1 4 2025',
      to: 'Enter a real end date, for example 31 3 2026',
    })
    expect(errorsOf({ from: '2024-13-01', to: '2024-01-01' })).toEqual({
      from: 'Enter a real start date, for example 1 4 2025',
    })
    expect(errorsOf({ from: '2024-05-01', to: '2024-04-30' })).toEqual({
      to: 'The end date must be the same as or after the start date',
    })
    expect(errorsOf({ from: '2026-11-01', to: '2026-12-01' })).toEqual({
      to: 'The end date must be today or in the past',
    })
    expect(errorsOf({ from: '2020-01-01', to: '2024-12-31' })).toEqual({
      from: 'Choose a period of 3 years or less',
    })
    expect(errorsOf({ from: ['2024-01-01', '2024-02-01'], to: '2024-12-31' })).toHaveProperty('from')
  })
})
