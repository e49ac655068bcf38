// The assurance area's pure rules: the audit sample's draw, the checklist (data) and its parser, compliance, CSV cells
// and the feedback summary's date range.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { monthsRangeFromQuery } from '../../src/platform/web/requestHelpers.ts'
import { dayPeriod, drawSample, monthsBetween, percent, toCsv } from '../../src/assurance/services/assuranceService.ts'
import { compliance, loadAuditChecklist, parseFindings } from '../../src/assurance/services/checklist.ts'

describe('the audit sample', () => {
  const frame = Array.from({ length: 50 }, (_, index) => 100 + index)

  it('draws without repeats from the frame, the same for the same seed and different for another', () => {
    const sample = drawSample(frame, 20, 7)
    expect(sample).toHaveLength(20)
    expect(new Set(sample).size).toBe(20)
    for (const id of sample) expect(frame).toContain(id)
    expect(drawSample(frame, 20, 7)).toEqual(sample)
    expect(drawSample(frame, 20, 8)).not.toEqual(sample)
    // Not simply the first of the frame.
    expect(sample).not.toEqual(frame.slice(0, 20))
  })

  it('takes the whole frame (shuffled) when it is smaller than the sample, and nothing from nothing', () => {
    const all = drawSample(frame.slice(0, 5), 20, 3)
    expect([...all].sort()).toEqual(frame.slice(0, 5))
    expect(drawSample([], 20, 3)).toEqual([])
  })

  it('gives every crime a fair chance over many seeds', () => {
    const hits = new Map<number, number>()
    for (let seed = 1; seed <= 2000; seed++)
      for (const id of drawSample(frame, 10, seed)) hits.set(id, (hits.get(id) ?? 0) + 1)
    // Each of the 50 is drawn about 2000 * 10 / 50 = 400 times.
    for (const id of frame) expect(hits.get(id)).toBeGreaterThan(300)
    for (const id of frame) expect(hits.get(id)).toBeLessThan(500)
  })
})

describe('the audit checklist', () => {
  const checklist = loadAuditChecklist()

  it('is data: every question the brief lists, each with a label', () => {
    expect(checklist.version).toBe(1)
    expect(checklist.questions.map((question) => question.id)).toEqual([
      'recorded',
      'riskAssessed',
      'spoConsidered',
      'victimNeeds',
      'linesOfEnquiry',
      'supervision',
      'outcome',
      'victimInformed',
    ])
  })

  it('refuses a checklist with a repeated question or no questions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'assurance-checklist-'))
    try {
      const file = join(dir, 'checklist.json')
      writeFileSync(
        file,
        JSON.stringify({
          version: 1,
          questions: [
            { id: 'a', label: 'A' },
            { id: 'a', label: 'B' },
          ],
        }),
      )
      expect(() => loadAuditChecklist(pathToFileURL(file))).toThrow('audit-checklist.json: question "a" appears twice')
      writeFileSync(file, JSON.stringify({ version: 1, questions: [] }))
      expect(() => loadAuditChecklist(pathToFileURL(file))).toThrow(/audit-checklist\.json, questions/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('parses answers: blank is not answered, a no needs a note, something must be answered', () => {
    expect(parseFindings(checklist, { recorded: 'yes', outcome: 'not_applicable', supervision: ' ' })).toEqual({
      ok: true,
      value: { recorded: { answer: 'yes', note: '' }, outcome: { answer: 'not_applicable', note: '' } },
    })
    expect(parseFindings(checklist, { recorded: 'no', 'recorded-note': '  Recorded late. ' })).toEqual({
      ok: true,
      value: { recorded: { answer: 'no', note: 'Recorded late.' } },
    })
    expect(
      parseFindings(checklist, { recorded: 'no', supervision: 'perhaps', 'outcome-note': 'x'.repeat(2001) }),
    ).toEqual({
      ok: false,
      errors: {
        'recorded-note': expect.stringMatching(
          /^Enter a note saying why the answer is no for: Stalking correctly recorded/,
        ),
        supervision: 'Choose yes, no or not applicable for: Supervision recorded',
        'outcome-note': 'The note must be 2000 characters or fewer',
      },
    })
    expect(parseFindings(checklist, {})).toEqual({
      ok: false,
      errors: { recorded: 'Answer at least one question: yes, no or not applicable' },
    })
  })

  it('computes compliance as yes over yes and no', () => {
    expect(compliance(3, 1)).toBe(0.75)
    expect(compliance(0, 0)).toBeNull()
    expect(compliance(0, 2)).toBe(0)
    expect(percent(2, 3)).toBe(67)
    expect(percent(0, 0)).toBeNull()
  })
})

describe('periods, months and CSV', () => {
  it('turns whole days into the crime data layer’s instants and lists the months between', () => {
    expect(dayPeriod('2024-01-01', '2024-12-31')).toEqual({
      from: '2024-01-01T00:00:00.000Z',
      to: '2025-01-01T00:00:00.000Z',
    })
    expect(monthsBetween('2024-11-15', '2025-02-01')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02'])
  })

  it('neutralises formulas in CSV cells and keeps numbers as numbers', () => {
    expect(toCsv([['=SUM(A1)', 3, null, 'plain']])).toBe("\uFEFF'=SUM(A1),3,,plain\n")
  })

  it('defaults the feedback summary to the twelve months to today and names each bad date', () => {
    const now = new Date('2025-06-15T12:00:00Z')
    expect(monthsRangeFromQuery({}, now)).toMatchObject({ from: '2024-07-01', to: '2025-06-15', errors: null })
    expect(monthsRangeFromQuery({ from: '2025-02-30', to: 'x' }, now).errors).toEqual({
      from: 'Enter the start date as a real date, for example 1 4 2025',
      to: 'Enter the end date as a real date, for example 31 3 2026',
    })
    expect(monthsRangeFromQuery({ from: '2025-03-01', to: '2025-02-01' }, now).errors).toEqual({
      to: 'The end date must be on or after the start date',
    })
  })
})
