// The published shapes issue 16 found read wrongly, each as a general rule with its own fixture.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { ParsedPlan, PlanItem } from '../model.ts'
import { readPlanDocument } from './index.ts'
import { documentsOf, percentText } from './interpret.ts'
import { parseDeadline } from './normalise.ts'

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../test/fixtures/plans/${name}`, import.meta.url))
const read = (name: string): Promise<ParsedPlan> => readPlanDocument(fixture(name), 'upload.bin')
const item = (plan: ParsedPlan, ref: string): PlanItem => {
  const found = plan.recommendations.flatMap((r) => r.items).find((i) => i.ref === ref)
  if (!found) throw new Error(`no item ${ref}`)
  return found
}
const cell = (text: string) => ({ text, links: [], date: null })

describe('item numbers in a "Sub recommendation" column with an unheaded requirement column beside it', async () => {
  const plan = await read('kestrelford-sub-recommendation.csv')

  it('reads the item numbers from the "Sub recommendation" column', () => {
    expect(plan.recommendations.map((r) => [r.number, r.items.map((i) => i.ref)])).toEqual([
      [7, ['7.1', '7.2']],
      [12, ['12.3', '12.4']],
    ])
  })

  it('reads the unheaded column of prose as the evidence requirement, by its content', () => {
    expect(item(plan, '7.1').requirement).toBe(
      'Processes should be put in place to make sure this system capability is effectively used by officers and staff.',
    )
    expect(item(plan, '12.3').requirement).toMatch(/^The use of S-DASH/)
    expect(plan.warnings.filter((w) => /not read/.test(w.message))).toEqual([])
  })

  it('takes "Not applicable", "N/A" and "None" in the documents cell as no document', () => {
    expect(item(plan, '7.1').documents).toEqual([])
    expect(item(plan, '7.2').documents).toEqual([])
    expect(item(plan, '12.3').documents).toEqual([])
    expect(item(plan, '12.4').documents).toEqual([
      { name: 'S-DASH guidance', url: 'https://kestrelford.police.example/docs/sdash.pdf' },
    ])
  })

  it('keeps the other none-words out of documents too, and a real name in', () => {
    for (const none of ['Not applicable', 'n/a', 'N.A.', 'None.', 'None at present', 'No documents', 'Nil', '-']) {
      expect(documentsOf(cell(none)), none).toEqual([])
    }
    expect(documentsOf(cell('None of the above: training log'))).toHaveLength(1)
  })
})

describe('item numbers under an "Action No." heading, written with a label ("Action 7.1")', async () => {
  const plan = await read('ashcombe-action-no.csv')
  it('reads each item number', () => {
    expect(plan.recommendations.flatMap((r) => r.items.map((i) => i.ref))).toEqual(['7.1', '14.1'])
    expect(item(plan, '14.1')).toMatchObject({ owner: 'DI Oren Blakemore', status: 'complete' })
  })
})

describe('recommendation text and deadline from the text under a "Recommendation 7" heading', () => {
  it('reads them above each HTML table', async () => {
    const plan = await read('lyndhurst-headings.html')
    const rec7 = plan.recommendations.find((r) => r.number === 7)!
    expect(rec7.text).toMatch(/^By 27 March 2025, where required, seek changes/)
    expect(rec7.deadline).toBe('2025-03-27')
    expect(plan.recommendations.find((r) => r.number === 14)!.deadline).toBe('2025-03-27')
  })

  it('reads headings above the heading row and inside the table of a sheet, and a titled heading', async () => {
    const plan = await read('orchardleigh-headed-sheet.csv')
    expect(plan.title).toBe('Orchardleigh Police stalking action plan')
    const [rec7, rec14] = plan.recommendations
    expect(rec7).toMatchObject({ number: 7, deadline: '2025-03-27' })
    expect(rec7.text).toMatch(/^By 27 March 2025, where required/)
    expect(rec14).toMatchObject({
      number: 14,
      deadline: '2025-03-27',
      text: "By 27 March 2025, make sure that victims of stalking receive their rights under the Victims' Code.",
    })
    expect(rec14.items.map((i) => i.ref)).toEqual(['14.1'])
  })

  it('finds a deadline opening any line or sentence of the text, never one in the middle of a sentence', () => {
    expect(parseDeadline('Crime recording\nBy 27 March 2025, seek changes')).toBe('2025-03-27')
    expect(parseDeadline('Forces should act. By 27 September 2025, review')).toBe('2025-09-27')
    expect(parseDeadline('Review training by 27 March 2025')).toBeNull()
  })
})

describe('spreadsheet cells formatted as percentages', () => {
  it('reads an XLSX "% complete" column of percent-formatted numbers (0.6 shown as 60%)', async () => {
    const plan = await read('marshwick-percent.xlsx')
    expect(item(plan, '7.1')).toMatchObject({ status: 'in_progress', percent: 60 })
    expect(item(plan, '7.2')).toMatchObject({ status: 'complete', percent: 100 })
    // No status, only the percentage: the percentage gives the status.
    expect(item(plan, '14.1')).toMatchObject({ status: 'in_progress', percent: 25.5 })
  })

  it('reads an ODS percentage cell by its value, not its rounded text', async () => {
    const plan = await read('marshwick-percent.ods')
    expect(item(plan, '7.1')).toMatchObject({ status: 'in_progress', percent: 37.5 })
  })

  it('reads typed percentages in any of the usual ways', () => {
    expect(['60%', '60', '60 per cent', '0.6'].map(percentText)).toEqual(['60%', '60%', '60%', '60%'])
    expect(percentText('')).toBeNull()
  })
})
