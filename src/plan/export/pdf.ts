// PDF with pdfkit: A4 landscape; title, force, leads, last updated and overall progress; then one table per
// recommendation (header row repeated on every page, rows taller than a page split across pages); how % is
// calculated; "Page n of m" on every page. Uses the PDF standard fonts, so text is reduced to Windows-1252.
import PDFDocument from 'pdfkit'
import type { ExportablePlan } from '../interchange.ts'
import { formatPercent, itemProgress, planProgress, PROGRESS_METHOD, recommendationProgress } from '../progress.ts'
import { planTitle } from './html.ts'
import { displayDate, statusText } from './rows.ts'

const MARGIN = 36
const FONT = 'Helvetica'
const BOLD = 'Helvetica-Bold'
const TABLE_SIZE = 8
const PAD = 3
const FOOTER_SPACE = 18

const COLUMNS = [
  { header: 'Ref', width: 34 },
  { header: 'Evidence requirement', width: 150 },
  { header: 'Owner', width: 72 },
  { header: 'Force update', width: 250 },
  { header: 'Date', width: 58 },
  { header: 'Status', width: 70 },
  { header: '%', width: 46 },
  { header: 'Supporting documents', width: 90 },
] as const

// Code points above 0xFF that Windows-1252 (the standard fonts' encoding) carries.
const WIN_ANSI_EXTRA = new Set([
  402, 8211, 8212, 8216, 8217, 8218, 8220, 8221, 8222, 8224, 8225, 8226, 8230, 8364, 8240, 8249, 8250, 710, 8482, 338,
  339, 732, 352, 353, 376, 381, 382,
])
const REPLACEMENTS: Record<string, string> = {
  '≥': '>=',
  '≤': '<=',
  '≠': '!=',
  '→': '->',
  '←': '<-',
  '✓': 'Yes',
  '✔': 'Yes',
  '✗': 'No',
  '\u00A0': ' ',
  '\u2009': ' ',
  '\u202F': ' ',
  '\u2010': '-',
  '\u2011': '-',
  '\u2212': '-',
}

function encodable(code: number): boolean {
  return (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || code === 0x0a || WIN_ANSI_EXTRA.has(code)
}

/** Text the standard PDF fonts can show: accents outside Windows-1252 dropped, symbols spelt out, the rest "?". */
export function pdfText(text: string | null | undefined): string {
  if (!text) return ''
  let out = ''
  for (const char of text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ')) {
    const code = char.codePointAt(0) ?? 0
    if (encodable(code)) out += char
    else if (REPLACEMENTS[char] !== undefined) out += REPLACEMENTS[char]
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) continue
    else {
      const base = char.normalize('NFKD').replace(/\p{M}/gu, '')
      out += base !== '' && [...base].every((c) => encodable(c.codePointAt(0) ?? 0)) ? base : '?'
    }
  }
  return out
}

type Doc = InstanceType<typeof PDFDocument>

class TableWriter {
  private readonly widths: number[]
  constructor(
    private readonly doc: Doc,
    private readonly heading: string,
  ) {
    this.widths = COLUMNS.map((c) => c.width)
  }

  private get bottom(): number {
    return this.doc.page.height - MARGIN - FOOTER_SPACE
  }

  private heightOf(text: string, column: number, font: string): number {
    this.doc.font(font).fontSize(TABLE_SIZE)
    if (text === '') return 0
    return this.doc.heightOfString(text, { width: this.widths[column] - 2 * PAD })
  }

  private rowHeight(cells: string[], font: string): number {
    return Math.max(...cells.map((c, i) => this.heightOf(c, i, font))) + 2 * PAD
  }

  private drawCells(cells: string[], height: number, font: string, fill?: string): void {
    const doc = this.doc
    let x = MARGIN
    const y = doc.y
    cells.forEach((text, i) => {
      const w = this.widths[i]
      if (fill) doc.rect(x, y, w, height).fill(fill)
      doc.lineWidth(0.5).strokeColor('#505a5f').rect(x, y, w, height).stroke()
      doc
        .fillColor('#0b0c0c')
        .font(font)
        .fontSize(TABLE_SIZE)
        .text(text, x + PAD, y + PAD, { width: w - 2 * PAD, lineBreak: true })
      x += w
    })
    doc.x = MARGIN
    doc.y = y + height
  }

  header(): void {
    const cells = COLUMNS.map((c) => c.header)
    this.drawCells(cells, this.rowHeight(cells, BOLD), BOLD, '#f3f2f1')
  }

  private newPage(): void {
    this.doc.addPage()
    this.doc.font(BOLD).fontSize(10).fillColor('#0b0c0c').text(`${this.heading} (continued)`, MARGIN, MARGIN)
    this.doc.moveDown(0.3)
    this.header()
  }

  /** Splits text into the part that fits in `height` and the rest, breaking between words. */
  private split(text: string, column: number, height: number): [string, string] {
    if (this.heightOf(text, column, FONT) <= height) return [text, '']
    const tokens = text.split(/(\s+)/)
    let lo = 0
    let hi = tokens.length
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2)
      if (this.heightOf(tokens.slice(0, mid).join(''), column, FONT) <= height) lo = mid
      else hi = mid - 1
    }
    if (lo === 0) return ['', text]
    return [tokens.slice(0, lo).join('').trimEnd(), tokens.slice(lo).join('').trimStart()]
  }

  row(cells: string[]): void {
    const minimum = this.rowHeight(['Ag'], FONT) * 3
    let rest = cells
    for (;;) {
      const height = this.rowHeight(rest, FONT)
      const room = this.bottom - this.doc.y
      if (height <= room) {
        this.drawCells(rest, height, FONT)
        return
      }
      const fresh = this.bottom - MARGIN - 40
      if (height <= fresh || room < minimum) {
        this.newPage()
        if (height <= this.bottom - this.doc.y) continue
      }
      // Taller than the space left: draw what fits, carry the rest to the next page.
      const available = this.bottom - this.doc.y - 2 * PAD
      const parts = rest.map((text, i) => this.split(text, i, available))
      if (parts.every((p) => p[0] === '')) {
        // Nothing fits even on a fresh page (cannot happen with wrapping text); draw it rather than loop.
        this.drawCells(rest, this.bottom - this.doc.y, FONT)
        return
      }
      this.drawCells(
        parts.map((p) => p[0]),
        this.bottom - this.doc.y,
        FONT,
      )
      rest = parts.map((p, i) => (i === 0 && p[1] === '' && p[0] !== '' ? `${p[0]} (cont.)` : p[1]))
      this.newPage()
    }
  }
}

function itemCells(item: ExportablePlan['recommendations'][number]['items'][number]): string[] {
  const latest = item.updates.at(-1) ?? null
  const updateText = latest ? [latest.heading, latest.text].filter((t): t is string => !!t).join('\n') : ''
  const earlier = item.updates.length > 1 ? `\n\n(${item.updates.length - 1} earlier update(s) in the history)` : ''
  return [
    item.ref,
    item.requirement,
    item.owner ?? '',
    updateText + earlier,
    displayDate(latest?.date),
    statusText(item.status, item.statusLabel) ?? '',
    formatPercent(itemProgress(item)),
    item.documents.map((d) => (d.url ? `${d.name} (${d.url})` : d.name)).join('\n'),
  ].map(pdfText)
}

export function planPdf(plan: ExportablePlan, generatedAt: Date): Promise<Buffer> {
  const title = pdfText(planTitle(plan))
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: planTitle(plan),
      Author: plan.force ?? 'Threadline',
      Creator: 'Threadline',
      CreationDate: generatedAt,
      ModDate: generatedAt,
    },
    lang: 'en-GB',
    displayTitle: true,
  })
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })

  const width = doc.page.width - 2 * MARGIN
  doc.font(BOLD).fontSize(18).text(title, { width })
  doc.moveDown(0.4)
  const facts: [string, string][] = [
    ['Force', plan.force ?? 'Not given'],
    ['Executive lead', plan.executiveLead ?? 'Not given'],
    ['Operational lead', plan.operationalLead ?? 'Not given'],
    ['Last updated', plan.lastUpdated ? displayDate(plan.lastUpdated) : 'No dated updates yet'],
    ['Overall progress', formatPercent(planProgress(plan))],
  ]
  for (const [label, value] of facts) {
    doc.font(BOLD).fontSize(10).text(`${label}: `, { continued: true }).font(FONT).text(pdfText(value))
  }
  doc.moveDown(0.4)
  doc.font(FONT).fontSize(8).fillColor('#505a5f').text(`How progress is calculated: ${PROGRESS_METHOD}`, { width })
  doc.fillColor('#0b0c0c')

  for (const rec of plan.recommendations) {
    const heading = `Recommendation ${rec.number}`
    const detail = [
      rec.deadline ? `Deadline: ${displayDate(rec.deadline)}` : null,
      `Progress: ${formatPercent(recommendationProgress(rec))}`,
    ]
      .filter((t) => t !== null)
      .join('   ')
    const textHeight =
      doc.font(FONT).fontSize(9).heightOfString(pdfText(rec.text), { width }) + doc.currentLineHeight() * 4 + 40
    if (doc.y + textHeight > doc.page.height - MARGIN - FOOTER_SPACE) doc.addPage()
    else doc.moveDown(1)
    doc.x = MARGIN
    doc.font(BOLD).fontSize(12).text(heading, { width })
    doc.font(FONT).fontSize(9).text(pdfText(rec.text), { width })
    doc.font(FONT).fontSize(9).fillColor('#505a5f').text(detail, { width }).fillColor('#0b0c0c')
    doc.moveDown(0.3)
    const table = new TableWriter(doc, heading)
    if (rec.items.length === 0) {
      doc.font(FONT).fontSize(9).text('No evidence requirements listed.', { width })
      continue
    }
    table.header()
    for (const item of rec.items) table.row(itemCells(item))
  }

  const range = doc.bufferedPageRange()
  const footer = pdfText(
    `${plan.force ?? 'Police'} stalking action plan. Last updated ${plan.lastUpdated ? displayDate(plan.lastUpdated) : 'never'}. Produced by Threadline ${displayDate(generatedAt.toISOString().slice(0, 10))}.`,
  )
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i)
    const bottomMargin = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    const y = doc.page.height - MARGIN - 10
    doc.font(FONT).fontSize(8).fillColor('#505a5f')
    doc.text(footer, MARGIN, y, { width: width - 80, lineBreak: false })
    doc.text(`Page ${i + 1} of ${range.count}`, MARGIN + width - 80, y, { width: 80, align: 'right', lineBreak: false })
    doc.page.margins.bottom = bottomMargin
  }
  doc.end()
  return done
}
