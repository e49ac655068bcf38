import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { ParsedPlan, PlanItem } from '../model.ts'
import { readPlanDocument } from './index.ts'

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../test/fixtures/plans/${name}`, import.meta.url))
// Name the file wrongly on purpose: the format is recognised by content.
const read = (name: string): Promise<ParsedPlan> => readPlanDocument(fixture(name), 'upload.bin')
const item = (plan: ParsedPlan, ref: string): PlanItem => {
  const found = plan.recommendations.flatMap((r) => r.items).find((i) => i.ref === ref)
  if (!found) throw new Error(`no item ${ref}`)
  return found
}
const documentWarnings = (plan: ParsedPlan): string[] =>
  plan.warnings.filter((w) => w.location !== 'document').map((w) => `${w.location}: ${w.message}`)

describe('HTML, wide table (one column per dated update)', async () => {
  const plan = await read('wessex-vale-wide.html')

  it('reads force facts and the plan', () => {
    expect(plan).toMatchObject({
      format: 'html-wide',
      force: 'Wessex Vale Police',
      executiveLead: 'ACC Harriet Okonjo-Pell',
      operationalLead: 'Det Supt Marcus Threlfall',
      title: 'Wessex Vale Police: Police Stalking Action Plan',
    })
    expect(plan.recommendations.map((r) => [r.number, r.items.map((i) => i.ref)])).toEqual([
      [7, ['7.1', '7.2']],
      [12, ['12.1', '12.3']],
      [14, ['14.1']],
    ])
    // Row-spanned recommendation cells carry over to the rows they cover.
    expect(plan.recommendations[1].text).toMatch(/^By 27 March 2025, take steps to make sure that risk/)
    expect(plan.recommendations[1].deadline).toBe('2025-03-27')
  })

  it('makes each update column one dated, headed update, oldest first', () => {
    const updates = item(plan, '7.1').updates
    expect(updates.map((u) => [u.heading, u.date])).toEqual([
      ['Initial action plan response', '2024-11-20'],
      ['November 2025 update', '2025-11'],
      ['March 2026 update', '2026-03'],
    ])
    expect(updates[0].text).toBe(
      'Accepted. The crime recording system supplier has been asked for an included-classification field.',
    )
    expect(updates[2].text).toBe(
      'Included classifications went live on 3 March 2026. Briefing issued to all crime & incident staff.',
    )
  })

  it('gives the RAG column to the latest update and keeps the label', () => {
    expect(item(plan, '7.1')).toMatchObject({ status: 'complete', statusLabel: 'Green', percent: 100 })
    expect(item(plan, '12.1')).toMatchObject({ status: 'in_progress', statusLabel: 'Amber 60%', percent: 60 })
    expect(item(plan, '12.3')).toMatchObject({ status: 'not_started', statusLabel: 'Red', percent: 0 })
    expect(item(plan, '7.2')).toMatchObject({ status: 'complete', statusLabel: 'Complete' })
    expect(item(plan, '7.2').updates.map((u) => u.heading)).toEqual([
      'Initial action plan response',
      'March 2026 update',
    ])
    expect(item(plan, '7.2').updates[1].text).toBe('Superseded by the system change under 7.1.')
  })

  it('turns linked supporting documents into document refs and drops unsafe links', () => {
    expect(item(plan, '7.1').documents).toEqual([
      {
        name: 'Included classifications briefing',
        url: 'https://www.wessexvale.police.example/docs/included-classifications-briefing.pdf',
      },
      { name: 'Crime recording note', url: null },
    ])
    expect(item(plan, '14.1').documents).toEqual([
      { name: 'Needs assessment audit', url: '/docs/needs-assessment-audit.xlsx' },
    ])
    expect(item(plan, '7.2').documents).toEqual([])
  })

  it('warns about catalogue items the page does not give', () => {
    expect(documentWarnings(plan)).toEqual([
      'table 1, row 4: recommendation 12 does not give evidence items 12.2, 12.4 from the catalogue',
      'table 1, row 6: recommendation 14 does not give evidence items 14.2, 14.3, 14.4, 14.5 from the catalogue',
    ])
    expect(plan.warnings.filter((w) => w.location === 'document')).toHaveLength(12)
  })
})

describe('HTML, key/value table per evidence item', async () => {
  const plan = await read('northmoor-keyvalue.html')

  it('reads the force facts table and one item per table', () => {
    expect(plan).toMatchObject({
      format: 'html-keyvalue',
      force: 'Northmoor Constabulary',
      executiveLead: 'DCC Rowan Achterberg',
      operationalLead: 'Det Ch Supt Imogen Halloran',
    })
    expect(plan.recommendations.map((r) => [r.number, r.items.map((i) => i.ref)])).toEqual([
      [10, ['10.1', '10.3']],
      [23, ['23.1']],
    ])
    expect(plan.recommendations[0].text).toBe(
      'By 27 March 2025, review and update their learning and training provision relating to stalking.',
    )
    expect(item(plan, '10.1')).toMatchObject({
      requirement: 'Meets the learning outcomes on stalking within the public protection national policing curriculum',
      owner: 'Head of Learning & Development',
      status: 'complete',
      percent: 100,
    })
    expect(item(plan, '10.1').updates[0].date).toBe('2025-03-27')
    expect(item(plan, '10.1').documents).toEqual([
      { name: 'Stalking lesson plan (PDF)', url: 'https://northmoor.police.example/l-and-d/stalking-lesson-plan.pdf' },
    ])
  })

  it('reads repeated update/date/status keys as successive updates', () => {
    const i = item(plan, '10.3')
    expect(i.updates.map((u) => [u.date, u.status, u.percent])).toEqual([
      ['2024-11', 'not_started', 0],
      ['2025-03-27', 'in_progress', 40],
    ])
    expect(i).toMatchObject({ status: 'in_progress', statusLabel: 'In Progress 40%', percent: 40 })
    expect(i.documents).toEqual([{ name: 'Training attendance log (internal)', url: null }])
  })

  it('keeps what it cannot understand and says where', () => {
    expect(item(plan, '23.1')).toMatchObject({ status: null, statusLabel: 'Paused', percent: null })
    expect(item(plan, '23.1').updates[0].date).toBeNull()
    const w = documentWarnings(plan)
    expect(w).toContain(
      'table 4, row 4: status "Paused" is not recognised (expected e.g. "Not started", "In progress 25%", "Complete" or Red/Amber/Green); the label was kept and the status left empty',
    )
    expect(w.some((m) => m.includes('date "Someday soon" is not a date the importer understands'))).toBe(true)
  })
})

describe('HTML, a table per recommendation', async () => {
  const plan = await read('eastmarch-per-recommendation.html')

  it('takes each recommendation from the heading and paragraph above its table', () => {
    expect(plan.format).toBe('html-per-recommendation')
    expect(plan.executiveLead).toBe('ACC Tobias Quennell')
    expect(plan.recommendations.map((r) => [r.number, r.deadline, r.items.map((i) => i.ref)])).toEqual([
      [13, '2025-03-27', ['13.1', '13.2']],
      [17, '2025-03-27', ['17.1']],
      [28, '2024-11-22', ['28.1']],
    ])
    expect(plan.recommendations[1].text).toMatch(/^By 27 March 2025, make sure the new College of Policing/)
    expect(item(plan, '13.2')).toMatchObject({ status: 'in_progress', percent: 50 })
    expect(item(plan, '28.1')).toMatchObject({ requirement: '', status: 'complete', statusLabel: 'Done' })
    expect(documentWarnings(plan)).toEqual([])
  })
})

describe('CSV', async () => {
  const plan = await read('fenland-reach.csv')

  it('reads recommendation rows, item rows and a repeated item as a second update', () => {
    expect(plan.format).toBe('csv')
    expect(plan.recommendations.map((r) => [r.number, r.items.map((i) => i.ref)])).toEqual([
      [7, ['7.1', '7.2']],
      [11, ['11.3']],
      [16, ['16.1']],
    ])
    expect(item(plan, '7.1').updates[0].text).toBe(
      'Supplier asked for an included-classification field.\nInterim intelligence-report process agreed.',
    )
    const survey = item(plan, '11.3')
    expect(survey.updates.map((u) => [u.date, u.statusLabel])).toEqual([
      ['2025-01-15', 'Not yet started'],
      ['2025-03-27', 'Completed'],
    ])
    expect(survey).toMatchObject({ status: 'complete', percent: 100, owner: 'Head of Corporate Development' })
    expect(survey.documents).toEqual([{ name: 'Q1 survey results', url: null }])
    expect(item(plan, '7.2').updates[0].date).toBe('2024-11')
    expect(item(plan, '7.2').documents).toEqual([
      { name: 'Intelligence submission guide', url: 'https://fenlandreach.police.example/docs/intel-guide.pdf' },
    ])
    expect(item(plan, '16.1')).toMatchObject({ owner: 'Chief Constable, PCC', status: 'in_progress', percent: null })
    expect(documentWarnings(plan)).toEqual([
      'line 7: recommendation 11 does not give evidence items 11.1, 11.2, 11.4 from the catalogue',
    ])
  })

  it('reads the same table saved by Excel as Windows-1252 text, curly quotes and dashes intact', async () => {
    const text = fixture('fenland-reach.csv')
      .toString('utf8')
      .replace(
        'Supplier asked for an included-classification field.',
        'Supplier’s “included classification” field – asked.',
      )
    const ansi = Buffer.from(
      [...text].map((char) => ({ '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96 })[char] ?? char.charCodeAt(0)),
    )
    const saved = await readPlanDocument(ansi, 'plan.csv')
    expect(item(saved, '7.1').updates[0].text).toBe(
      'Supplier’s “included classification” field – asked.\nInterim intelligence-report process agreed.',
    )
  })
})

describe('XLSX (exceljs)', async () => {
  const plan = await read('tarnbrook.xlsx')

  it('finds the plan sheet, its heading row below a title, merged cells and typed dates', () => {
    expect(plan.format).toBe('xlsx')
    expect(plan.title).toBe('Tarnbrook Police – Police Stalking Action Plan')
    expect(plan.recommendations.map((r) => [r.number, r.items.map((i) => i.ref)])).toEqual([
      [7, ['7.1', '7.2']],
      [12, ['12.4']],
    ])
    expect(item(plan, '7.1')).toMatchObject({ status: 'in_progress', percent: 25, owner: 'DCI Lorcan Pemberton-Hale' })
    expect(item(plan, '7.1').updates[0].date).toBe('2024-11-20')
    expect(item(plan, '7.1').documents).toEqual([
      { name: 'Change request', url: 'https://tarnbrook.police.example/docs/change-request.pdf' },
    ])
    expect(item(plan, '7.2').updates[0].date).toBe('2025-03-27')
    expect(item(plan, '12.4').updates[0]).toMatchObject({
      date: '2025-03',
      text: 'Daily management meeting reviews every stalking and breach case.\nDashboard in development.',
      status: 'in_progress',
    })
    expect(plan.warnings[0]).toEqual({
      location: "sheet 'Notes'",
      message: 'Sheet \'Notes\' (starting "About this workbook") does not look like part of the plan and was not read',
    })
  })
})

describe('ODS (jszip + cheerio)', async () => {
  const plan = await read('hollowdale.ods')

  it('honours repeated rows and columns, row spans, text:s, links and date values', () => {
    expect(plan.format).toBe('ods')
    expect(plan.title).toBe('Hollowdale Constabulary stalking action plan')
    expect(plan.recommendations.map((r) => [r.number, r.items.map((i) => i.ref)])).toEqual([[14, ['14.1', '14.3']]])
    expect(item(plan, '14.1')).toMatchObject({
      status: 'complete',
      statusLabel: 'Green',
      owner: 'Supt Nerys Blackwood-Tay',
    })
    expect(item(plan, '14.1').updates[0]).toMatchObject({
      date: '2025-03-27',
      text: 'Needs assessment now mandatory on the\nvictim contact record.',
    })
    expect(item(plan, '14.3').updates[0].date).toBe('2024-11')
    expect(documentWarnings(plan)).toEqual([
      "sheet 'Plan', row 5: recommendation 14 does not give evidence items 14.2, 14.4, 14.5 from the catalogue",
    ])
  })
})

describe('DOCX (mammoth)', async () => {
  const plan = await read('greyhithe.docx')

  it('reads the table through mammoth, with vertical merges and hyperlinks', () => {
    expect(plan.format).toBe('docx')
    expect(plan.recommendations.map((r) => [r.number, r.items.map((i) => i.ref)])).toEqual([[18, ['18.2', '18.3']]])
    expect(plan.recommendations[0].deadline).toBe('2025-03-27')
    expect(item(plan, '18.2')).toMatchObject({ status: 'in_progress', percent: 50, owner: 'DCI Ysolde Farrant' })
    expect(item(plan, '18.2').updates[0].text).toBe(
      'Supervision checklist introduced.\nDip-sample of 30 cases in January.',
    )
    expect(item(plan, '18.2').documents).toEqual([
      { name: 'Supervision checklist', url: 'https://greyhithe.police.example/docs/supervision-checklist.docx' },
    ])
    expect(item(plan, '18.3')).toMatchObject({ status: 'not_started', percent: 0 })
  })
})
