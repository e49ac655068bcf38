// The daily management list as CSV (one row per case and reason) and as an A4 PDF (pdfkit, standard fonts).
import PDFDocument from 'pdfkit'
import { neutraliseCell } from '../../platform/csv.ts'
import type { MeetingService } from './meetingService.ts'

type DailyList = Awaited<ReturnType<MeetingService['buildList']>>

const cell = (value: string | number | null) => {
  const safe = String(neutraliseCell(value ?? ''))
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function dailyListCsv(list: DailyList): string {
  const lines = ['reference,crime_id,team,risk,reason,detail,on_last_list,last_decision']
  for (const entry of list.cases) {
    for (const reason of entry.reasons) {
      lines.push(
        [
          entry.reference,
          entry.crimeId,
          entry.team,
          entry.risk,
          reason.label,
          reason.detail,
          entry.onLastList ? 'yes' : 'no',
          entry.lastDecision?.decision ?? null,
        ]
          .map(cell)
          .join(','),
      )
    }
  }
  return `\ufeff${lines.join('\r\n')}\r\n`
}

/** Text the PDF standard fonts can draw (Windows-1252): anything else becomes '?'. */
const drawable = (text: string) => text.replace(/[^\x20-\x7e\xa0-\xff\n]/g, '?')

export function dailyListPdf(list: DailyList, forceName: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: `Daily management list ${list.date}` } })
    const chunks: Buffer[] = []
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
    doc
      .font('Helvetica-Bold')
      .fontSize(16)
      .text(drawable(`Daily management list: ${list.date}`))
    doc
      .font('Helvetica')
      .fontSize(10)
      .text(
        drawable(
          `${forceName}, ${list.team || 'whole force'}. Since ${list.since}; orders and notifications within ${list.within} days.`,
        ),
      )
    doc.moveDown()
    if (!list.cases.length) doc.text('No cases on the list.')
    for (const entry of list.cases) {
      doc
        .font('Helvetica-Bold')
        .fontSize(11)
        .text(
          drawable(
            `${entry.reference}  (${entry.riskLabel} risk${entry.team ? `, ${entry.team}` : ''})${entry.onLastList ? '' : '  NEW'}`,
          ),
        )
      doc.font('Helvetica').fontSize(9)
      for (const reason of entry.reasons) doc.text(drawable(`- ${reason.label}: ${reason.detail}`), { indent: 12 })
      if (entry.lastDecision)
        doc.text(drawable(`Last decision (${entry.lastDecision.meetingDate}): ${entry.lastDecision.decision}`), {
          indent: 12,
        })
      doc.moveDown(0.5)
    }
    if (list.noLongerListed.length) {
      doc.font('Helvetica-Bold').fontSize(11).text('No longer on the list since the last meeting')
      doc
        .font('Helvetica')
        .fontSize(9)
        .text(drawable(list.noLongerListed.map((row) => row.reference).join(', ')))
    }
    doc.end()
  })
}
