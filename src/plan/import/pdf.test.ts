import PDFDocument from 'pdfkit'
import { describe, expect, it } from 'vitest'
import { pdfText, planPdf } from '../export/pdf.ts'
import { LONG_UPDATE, wessexValePlan } from '../export/test-plan.ts'
import type { ParsedPlan, PlanItem } from '../model.ts'
import { readPlanDocument } from './index.ts'

const item = (plan: ParsedPlan, ref: string): PlanItem => {
  const found = plan.recommendations.flatMap((r) => r.items).find((i) => i.ref === ref)
  if (!found) throw new Error(`no item ${ref}`)
  return found
}
const words = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim()
/** What the export's PDF says: its standard fonts carry Windows-1252 only ("≥" is written ">="). */
const printed = (text: string | null | undefined) => words(pdfText(text))

function pdfOf(draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 40, bufferPages: true })
  const chunks: Buffer[] = []
  doc.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))))
  draw(doc)
  doc.end()
  return done
}

/**
 * A plan laid out the way a Word table saved as PDF looks, unlike Threadline's own export: other headings (one
 * wrapping onto two lines), a running foot on every page, a table that runs onto a second page with its heading
 * repeated, a recommendation heading and paragraph between tables, and cells whose lines start with dates.
 */
function wordLikePlan(): Promise<Buffer> {
  const columns = [
    { heading: 'Rec No.', x: 45, width: 45 },
    { heading: 'Evidence requirements of progress/completion', x: 95, width: 150 },
    { heading: 'Lead', x: 250, width: 90 },
    { heading: 'Update', x: 345, width: 300 },
    { heading: 'RAG status', x: 650, width: 100 },
  ]
  const filler =
    'The working group met monthly and reported to the VAWG board, which agreed the next steps and the budget. '
  const rows = [
    [
      '12.1',
      'Considering implementing the stalking screening tool.',
      'DCI Rowan Hale',
      `${filler.repeat(3)}Rolled out to the control room.`,
      'Amber',
    ],
    [
      '12.3',
      'Recognising the risk of stalking in breach of order cases.',
      'Supt Ada Quist',
      '27 March 2025 was the target date; now met.',
      'Green – complete',
    ],
    ['12.4', 'Implementing screening and checking processes.', 'DCI Rowan Hale', filler.repeat(12), 'Amber'],
  ]
  return pdfOf((doc) => {
    doc.font('Helvetica-Bold').fontSize(16).text('Fenmoor Constabulary: stalking action plan', 40, 40)
    doc.font('Helvetica').fontSize(10).text('Force: Fenmoor Constabulary', 40, 70)
    doc.text('Executive lead: ACC Imogen Vale', 40, 84)
    doc.font('Helvetica-Bold').fontSize(13).text('Recommendation 12', 40, 110)
    doc
      .font('Helvetica')
      .fontSize(10)
      .text(
        'By 27 March 2025, take steps to make sure that risk identification, assessment and management is effective in all stalking and breaches of orders cases.',
        40,
        128,
        { width: 700 },
      )
    const heading = (top: number) => {
      doc.font('Helvetica-Bold').fontSize(9)
      for (const column of columns) doc.text(column.heading, column.x, top, { width: column.width })
      return top + 30
    }
    let y = heading(165)
    doc.font('Helvetica').fontSize(9)
    for (const row of rows) {
      const height = Math.max(...row.map((text, index) => doc.heightOfString(text, { width: columns[index].width })))
      if (y + height > 540) {
        doc.addPage()
        y = heading(45)
        doc.font('Helvetica').fontSize(9)
      }
      row.forEach((text, index) => doc.text(text, columns[index].x, y, { width: columns[index].width }))
      y += height + 8
    }
    const pages = doc.bufferedPageRange().count
    for (let page = 0; page < pages; page++) {
      doc.switchToPage(page)
      doc
        .fontSize(8)
        .text(`Fenmoor Constabulary – OFFICIAL – page ${page + 1} of ${pages}`, 40, 570, { lineBreak: false })
    }
  })
}

describe('PDF plans', () => {
  it("reads Threadline's own PDF export back: every item, its text, owner, status and documents", async () => {
    const source = wessexValePlan()
    const plan = await readPlanDocument(await planPdf(source, new Date('2025-03-01T00:00:00Z')), 'wessex.pdf')
    expect(plan).toMatchObject({
      format: 'pdf',
      force: 'Wessex Vale Police',
      executiveLead: source.executiveLead,
      operationalLead: source.operationalLead,
    })
    expect(plan.recommendations.map((r) => [r.number, r.items.map((i) => i.ref)])).toEqual(
      source.recommendations.map((r) => [r.number, r.items.map((i) => i.ref)]),
    )
    for (const recommendation of source.recommendations) {
      expect(words(plan.recommendations.find((r) => r.number === recommendation.number)?.text)).toBe(
        printed(recommendation.text),
      )
      for (const expected of recommendation.items) {
        const read = item(plan, expected.ref)
        expect([expected.ref, words(read.requirement), words(read.owner)]).toEqual([
          expected.ref,
          printed(expected.requirement),
          printed(expected.owner),
        ])
        expect(read.status).toBe(expected.status)
      }
    }
    // An update three pages long comes back whole, however the pages cut it.
    expect(words(item(plan, '10.10').updates.at(-1)?.text)).toBe(`Undated note ${printed(LONG_UPDATE)}`)
    expect(plan.warnings.filter((warning) => warning.message.includes('column "%"'))).toHaveLength(1)
    expect(item(plan, '7.2').documents).toEqual([
      { name: 'Interim searching guidance', url: 'https://wessexvale.police.example/docs/interim-guidance.pdf' },
      { name: 'Briefing note', url: null },
    ])
  })

  it('reads a Word-style PDF table: other headings, a running foot, a table over two pages', async () => {
    const plan = await readPlanDocument(await wordLikePlan(), 'fenmoor.pdf')
    expect(plan).toMatchObject({ format: 'pdf', force: 'Fenmoor Constabulary', executiveLead: 'ACC Imogen Vale' })
    expect(plan.recommendations.map((r) => [r.number, r.items.map((i) => i.ref)])).toEqual([
      [12, ['12.1', '12.3', '12.4']],
    ])
    expect(words(plan.recommendations[0].text)).toMatch(/^By 27 March 2025, take steps to make sure that risk/)
    expect(item(plan, '12.1')).toMatchObject({ owner: 'DCI Rowan Hale', status: 'in_progress' })
    expect(words(item(plan, '12.1').updates[0].text)).toMatch(/VAWG board.*Rolled out to the control room\.$/)
    expect(words(item(plan, '12.3').updates[0].text)).toBe('27 March 2025 was the target date; now met.')
    expect(item(plan, '12.3').status).toBe('complete')
    const long = words(item(plan, '12.4').updates[0].text)
    expect(long.split('The working group met monthly').length - 1).toBe(12)
    expect(long).not.toMatch(/OFFICIAL|page \d/)
  })

  it('refuses a PDF with no text, one with no plan table, and a damaged one, saying what to do', async () => {
    const scanned = await pdfOf((doc) => doc.rect(40, 40, 200, 100).fill('#cccccc'))
    await expect(readPlanDocument(scanned, 'scan.pdf')).rejects.toThrow(
      'scan.pdf: the PDF has no text (it is probably scanned images); import the Word, HTML or spreadsheet version of the plan',
    )
    const letter = await pdfOf((doc) => doc.text('Dear Chief Constable, thank you for your letter about stalking.'))
    await expect(readPlanDocument(letter, 'letter.pdf')).rejects.toThrow(
      /^letter\.pdf: found a PDF with no table headed like a plan/,
    )
    await expect(readPlanDocument(scanned.subarray(0, 200), 'cut.pdf')).rejects.toThrow(
      /^cut\.pdf: the PDF could not be opened, so it is damaged or truncated/,
    )
  })
})
