import { describe, expect, it } from 'vitest'
import { dateInputParts, foldDateInputs, parseDateParts } from '../../src/platform/dateInput.ts'

const parse = (day: string, month = '', year = '', options = {}) => parseDateParts({ day, month, year }, options)

describe('the one date parser', () => {
  it.each([
    ['27', '3', '2025'],
    ['27/3/2025', '', ''],
    ['27/03/2025', '', ''],
    ['27-3-2025', '', ''],
    ['27.3.2025', '', ''],
    ['27 March 2025', '', ''],
    ['27 mar 2025', '', ''],
    ['2025-03-27', '', ''],
    ['', '', '27/3/2025'],
    ['27', 'Mar', '2025'],
    [' 27 ', ' 03 ', ' 2025 '],
    ['27/3/2025', '12', '2026'],
  ])('reads %j %j %j as 2025-03-27', (day, month, year) => {
    expect(parse(day, month, year)).toEqual({ ok: true, value: '2025-03-27' })
  })

  it('reads nothing typed as no date (the caller decides whether one is required)', () => {
    expect(parse('', '', '')).toEqual({ ok: true, value: null })
  })

  it('refuses dates that do not exist, short years and missing parts, saying what is wrong and keeping what was typed', () => {
    expect(parse('31', '2', '2025')).toEqual({
      ok: false,
      message: 'The date must be a real date, for example 27 3 2025',
      typed: '31/2/2025',
    })
    expect(parse('27', '3', '25')).toMatchObject({
      ok: false,
      message: 'The year must have 4 numbers, for example 2025',
    })
    expect(parse('27', '', '2025')).toMatchObject({ ok: false, message: 'The date must include a month' })
    expect(parse('', '3', '', { label: 'The date of the breach' })).toMatchObject({
      ok: false,
      message: 'The date of the breach must include a day and a year',
    })
    expect(parse('27 Smarch 2025')).toMatchObject({ ok: false, typed: '27 Smarch 2025' })
  })

  it('allows a month without a day only where the input says so', () => {
    expect(parse('', '3', '2025', { allowMonth: true })).toEqual({ ok: true, value: '2025-03' })
    expect(parse('', '3', '2025')).toMatchObject({ ok: false, message: 'The date must include a day' })
  })

  it('folds every date input of a body into its name, leaving what did not read as typed', () => {
    const body: Record<string, unknown> = {
      'from-day': '27/3/2025',
      'from-month': '',
      'from-year': '',
      'to-day': '31',
      'to-month': '2',
      'to-year': '2025',
      'blank-day': '',
      'blank-month': '',
      'blank-year': '',
      'month-day': '',
      'month-month': '3',
      'month-year': '2025',
      'month-precision': 'month',
      other: 'kept',
    }
    expect(foldDateInputs(body)).toEqual({ to: 'The date must be a real date, for example 27 3 2025' })
    expect(body).toMatchObject({ from: '2025-03-27', to: '31/2/2025', blank: '', month: '2025-03', other: 'kept' })
    expect(dateInputParts(body.to)).toEqual({ day: '31', month: '2', year: '2025' })
    expect(dateInputParts('2025-03-07')).toEqual({ day: '7', month: '3', year: '2025' })
  })
})
