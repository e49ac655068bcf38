import { describe, expect, it } from 'vitest'
import {
  cleanText,
  compareRefs,
  findDate,
  normaliseStatus,
  parseDate,
  parseDeadline,
  parseRef,
  splitLeadingDate,
  splitLeadingRef,
} from './normalise.ts'

describe('parseDate (UK, day first, keeps precision)', () => {
  it.each([
    ['20/11/2024', '2024-11-20'],
    ['27/03/25', '2025-03-27'],
    ['1/2/2025', '2025-02-01'],
    ['10/12/24', '2024-12-10'],
    ['20.11.2024', '2024-11-20'],
    ['20-11-2024', '2024-11-20'],
    ['27 March 2025', '2025-03-27'],
    ['27th March 2025', '2025-03-27'],
    ['1st of Sept 2025', '2025-09-01'],
    ['March 27, 2025', '2025-03-27'],
    ['2024-11-20', '2024-11-20'],
    ['2024-11-20T00:00:00Z', '2024-11-20'],
    ['Nov-24', '2024-11'],
    ['November 2024', '2024-11'],
    ['Sept 2025', '2025-09'],
    ['11/2024', '2024-11'],
    ['2025', '2025'],
    ['  20/11/2024. ', '2024-11-20'],
    ['As at 20/11/2024', '2024-11-20'],
  ])('%s → %s', (text, iso) => {
    expect(parseDate(text)).toBe(iso)
  })

  it.each(['31/02/2025', '29/02/2025', '13/13/2024', 'soon', 'Q1 2025', '', 'March 2026 update'])(
    'refuses %j',
    (text) => {
      expect(parseDate(text)).toBeNull()
    },
  )

  it('accepts 29 February in a leap year only', () => {
    expect(parseDate('29/02/2024')).toBe('2024-02-29')
  })
})

describe('findDate and splitLeadingDate', () => {
  it('finds a month in a heading and keeps it a month', () => {
    expect(findDate('March 2026 update')).toBe('2026-03')
    expect(findDate('Update: November 2025')).toBe('2025-11')
    expect(findDate('Initial action plan response')).toBeNull()
  })

  it('prefers the full date over the month inside it', () => {
    expect(findDate('Updated 27 March 2025 by the lead')).toBe('2025-03-27')
  })

  it('splits a date that opens the text, not one inside it', () => {
    expect(splitLeadingDate('20/11/2024 – Accepted.')).toEqual({ date: '2024-11-20', rest: 'Accepted.' })
    expect(splitLeadingDate('Update 27 March 2025: Training delivered.')).toEqual({
      date: '2025-03-27',
      rest: 'Training delivered.',
    })
    expect(splitLeadingDate('Webinars will run on 10/12/24.')).toBeNull()
  })
})

describe('parseDeadline', () => {
  it('reads the opening date of a recommendation', () => {
    expect(parseDeadline('By 27 March 2025, review and update their learning')).toBe('2025-03-27')
    expect(parseDeadline('27 March 2025, make sure the new College of Policing')).toBe('2025-03-27')
    expect(parseDeadline('By 22 November 2024 (56 days from publication), write to HMICFRS')).toBe('2024-11-22')
    expect(parseDeadline('By 27 September 2025, using the information')).toBe('2025-09-27')
    expect(parseDeadline('By March 2025, review')).toBe('2025-03')
  })

  it('gives null when the text does not open with a date', () => {
    expect(parseDeadline('Review training by 27 March 2025')).toBeNull()
  })
})

describe('normaliseStatus', () => {
  it.each([
    ['In Progress', 'in_progress', null],
    ['In Progress 25%', 'in_progress', 25],
    ['In progress - 75 %', 'in_progress', 75],
    ['Action Complete', 'complete', 100],
    ['Action complete', 'complete', 100],
    ['Complete', 'complete', 100],
    ['Completed', 'complete', 100],
    ['Not started', 'not_started', 0],
    ['Not yet started', 'not_started', 0],
    ['Partially complete', 'in_progress', null],
    ['Red', 'not_started', 0],
    ['Amber', 'in_progress', null],
    ['Amber 60%', 'in_progress', 60],
    ['Green', 'complete', 100],
    ['GREEN', 'complete', 100],
    ['60%', 'in_progress', 60],
    ['100%', 'complete', 100],
    ['0%', 'not_started', 0],
  ])('%s → %s, %s', (label, status, percent) => {
    const s = normaliseStatus(label)
    expect(s).toMatchObject({ status, percent, statusLabel: label, problem: null })
  })

  it('keeps the label and reports a label it does not know', () => {
    const s = normaliseStatus('Paused')
    expect(s?.status).toBeNull()
    expect(s?.statusLabel).toBe('Paused')
    expect(s?.problem).toContain('"Paused" is not recognised')
  })

  it('reports contradictions instead of choosing silently', () => {
    expect(normaliseStatus('Complete 80%')?.problem).toContain('says complete but gives 80%')
    expect(normaliseStatus('Green / In progress')).toMatchObject({ status: null })
    expect(normaliseStatus('In progress 150%')?.problem).toContain('over 100')
  })

  it('cleans markup out of the label and gives null for an empty one', () => {
    expect(normaliseStatus('<p><b>In Progress 50%</b></p>')).toMatchObject({
      statusLabel: 'In Progress 50%',
      percent: 50,
    })
    expect(normaliseStatus('  ')).toBeNull()
    expect(normaliseStatus(null)).toBeNull()
  })
})

describe('cleanText', () => {
  it('strips HTML and Markdown and decodes entities', () => {
    expect(cleanText('<p><b>12.3</b> Recognising &amp; managing</p>')).toBe('12.3 Recognising & managing')
    expect(cleanText('**Force’ Police Stalking Action Plan:** in response')).toBe(
      'Force’ Police Stalking Action Plan: in response',
    )
    expect(cleanText('by the <u>March 2025 deadline</u> .')).toBe('by the March 2025 deadline .')
    expect(cleanText('Victims &amp; witnesses')).toBe('Victims & witnesses')
    expect(cleanText('an *emphasised* word and __bold__ text')).toBe('an emphasised word and bold text')
  })

  it('keeps paragraph breaks as single newlines and collapses other whitespace', () => {
    expect(cleanText('<p>One   two</p>\n\n<p>Three<br>Four</p>')).toBe('One two\nThree\nFour')
    expect(cleanText('Line one\r\n\r\n  Line   two  ')).toBe('Line one\nLine two')
  })

  it('leaves snake_case and arithmetic alone', () => {
    expect(cleanText('file_name_v2 and 2 * 3 * 4')).toBe('file_name_v2 and 2 * 3 * 4')
  })
})

describe('item references', () => {
  it('parses refs and leading refs', () => {
    expect(parseRef('12.3')).toEqual({ recommendation: 12, ref: '12.3' })
    expect(parseRef('12.03')).toEqual({ recommendation: 12, ref: '12.3' })
    expect(parseRef('12')).toBeNull()
    expect(splitLeadingRef('12.3 Recognising the risk')).toEqual({
      recommendation: 12,
      ref: '12.3',
      rest: 'Recognising the risk',
    })
    expect(splitLeadingRef('12.3.1 Sub point')).toBeNull()
  })

  it('orders refs numerically', () => {
    expect(['12.10', '12.2', '7.1', '12.1'].sort(compareRefs)).toEqual(['7.1', '12.1', '12.2', '12.10'])
  })
})
