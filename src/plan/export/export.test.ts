import { inflateSync } from 'node:zlib'
import * as cheerio from 'cheerio'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { parse as parseCsv } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { parseInterchangeJson, type ExportablePlan } from '../interchange.ts'
import { PROGRESS_METHOD } from '../progress.ts'
import { neutraliseCell } from '../../platform/csv.ts'
import { EXPORT_FORMATS, exportPlan, fileNameFor, isExportFormat } from './index.ts'
import { pdfText } from './pdf.ts'
import { PLAN_COLUMNS } from './rows.ts'
import { wessexValePlan } from './test-plan.ts'

const NOW = new Date('2025-03-01T09:30:00.000Z')

async function exported(format: (typeof EXPORT_FORMATS)[number], plan: ExportablePlan = wessexValePlan()) {
  return exportPlan(plan, format, { now: NOW })
}

/** Text drawn by pdfkit's standard fonts: hex strings inside TJ arrays of every (inflated) content stream. */
function pdfTextContent(pdf: Buffer): string {
  const raw = pdf.toString('latin1')
  const lines: string[] = []
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string
    try {
      content = inflateSync(Buffer.from(m[1], 'latin1')).toString('latin1')
    } catch {
      content = m[1]
    }
    for (const tj of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      const hex = [...tj[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => Buffer.from(h[1], 'hex').toString('latin1'))
      lines.push(hex.join(''))
    }
  }
  return lines.join('\n')
}

describe('exportPlan', () => {
  it('gives every format its media type and extension', async () => {
    for (const format of EXPORT_FORMATS) {
      const file = await exported(format)
      expect(file.extension).toBe(format)
      expect(file.body.length).toBeGreaterThan(0)
    }
    expect((await exported('xlsx')).mediaType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    expect((await exported('ods')).mediaType).toBe('application/vnd.oasis.opendocument.spreadsheet')
    expect((await exported('pdf')).mediaType).toBe('application/pdf')
    expect(isExportFormat('csv')).toBe(true)
    expect(isExportFormat('xls')).toBe(false)
  })
})

describe('fileNameFor', () => {
  it('makes a safe ASCII file name from the force', () => {
    expect(fileNameFor('Wessex Vale Police', 'csv')).toBe('wessex-vale-police-stalking-action-plan.csv')
    expect(fileNameFor('Avon & Somerset Constabulary', 'pdf')).toBe(
      'avon-and-somerset-constabulary-stalking-action-plan.pdf',
    )
    expect(fileNameFor('Heddlu Dyfed-Powys / Dyfed-Powys Police', 'ods')).toBe(
      'heddlu-dyfed-powys-dyfed-powys-police-stalking-action-plan.ods',
    )
    expect(fileNameFor('Gwent Heddlu ../../etc', 'json')).toBe('gwent-heddlu-etc-stalking-action-plan.json')
    expect(fileNameFor(null, 'xlsx')).toBe('stalking-action-plan.xlsx')
  })
})

describe('JSON export', () => {
  it('round-trips: plan → JSON export → parseInterchangeJson → the same plan', async () => {
    const plan = wessexValePlan()
    const file = await exported('json', plan)
    const text = file.body.toString('utf8')
    expect(text).toContain('\n  "formatVersion": 1,')
    const parsed = parseInterchangeJson(text, 'wessex.json')
    const { lastUpdated: _l, publishedAt: _p, ...rest } = plan
    expect(parsed).toEqual({ ...rest, format: 'json', warnings: [] })
    const doc = JSON.parse(text)
    expect(doc.lastUpdated).toBe('2025-02-14')
    expect(doc.generatedAt).toBe('2025-03-01T09:30:00.000Z')
    expect(doc.method).toBe(PROGRESS_METHOD)
  })
})

describe('CSV export', () => {
  it('neutralises text that a spreadsheet would run as a formula, and leaves numbers alone', () => {
    expect(neutraliseCell('=1+1')).toBe("'=1+1")
    expect(neutraliseCell('+44 1234')).toBe("'+44 1234")
    expect(neutraliseCell('-Head of Learning')).toBe("'-Head of Learning")
    expect(neutraliseCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(neutraliseCell('\tx')).toBe("'\tx")
    expect(neutraliseCell('\rx')).toBe("'\rx")
    // Text that looks like a negative number is still text, and still prefixed.
    expect(neutraliseCell('-1')).toBe("'-1")
    // Number cells are typed numbers computed by Threadline: never prefixed, even when negative.
    expect(neutraliseCell(-5)).toBe(-5)
    expect(neutraliseCell(25)).toBe(25)
    expect(neutraliseCell('Chief Constable')).toBe('Chief Constable')
    expect(neutraliseCell('a=b')).toBe('a=b')
    expect(neutraliseCell(null)).toBe('')
  })

  it('writes one row per evidence item with the published columns, BOM and CRLF', async () => {
    const body = (await exported('csv')).body
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = body.toString('utf8')
    expect(text).toContain('\r\n')
    const records: string[][] = parseCsv(text, { bom: true })
    expect(records[0]).toEqual(PLAN_COLUMNS.map((c) => c.header))
    expect(records[0]).toEqual(
      expect.arrayContaining([
        'Rec. No.',
        'Recommendation',
        'Deadline',
        'Evidence ref',
        'Evidence requirement',
        'Owner',
        'Latest update',
        'Date',
        'Status',
        '%',
        'Supporting documents',
      ]),
    )
    // 2 items + 3 items + 1 row for the recommendation without items.
    expect(records).toHaveLength(7)
    const col = (name: string) => records[0].indexOf(name)
    const row72 = records.find((r) => r[col('Evidence ref')] === '7.2')!
    expect(row72[col('Rec. No.')]).toBe('7')
    expect(row72[col('Deadline')]).toBe('2025-03-27')
    expect(row72[col('Latest update')]).toBe('Intelligence reports now carry a stalking flag – £0 cost, “quick win”.')
    expect(row72[col('Date')]).toBe('2025-01')
    expect(row72[col('Status')]).toBe('In Progress 25%')
    expect(row72[col('%')]).toBe('25')
    expect(row72[col('Supporting documents')]).toBe(
      'Interim searching guidance (https://wessexvale.police.example/docs/interim-guidance.pdf)\nBriefing note',
    )
    const row101 = records.find((r) => r[col('Evidence ref')] === '10.1')!
    expect(row101[col('Owner')]).toBe("'-Head of Learning")
    expect(row101[col('Latest update')]).toMatch(/^'=HYPERLINK\(/)
    expect(records.find((r) => r[col('Evidence ref')] === '10.2')![col('Evidence requirement')]).toMatch(/^'@SUM/)
    const row1010 = records.find((r) => r[col('Evidence ref')] === '10.10')!
    expect(row1010[col('Owner')]).toBe("'\tTraining Manager")
    expect(row1010[col('%')]).toBe('50')
    expect(row1010[col('% basis')]).toMatch(/^Estimated/)
    const row11 = records.find((r) => r[col('Rec. No.')] === '11')!
    expect(row11[col('Evidence ref')]).toBe('')
    expect(row11[col('Deadline')]).toBe('')
  })
})

describe('XLSX export', () => {
  async function workbook() {
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load((await exported('xlsx')).body as unknown as ArrayBuffer)
    return wb
  }

  it('has the plan, the update history and an about sheet', async () => {
    const wb = await workbook()
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Action plan', 'Update history', 'About'])
    const plan = wb.getWorksheet('Action plan')!
    expect(plan.getRow(1).values).toEqual([undefined, ...PLAN_COLUMNS.map((c) => c.header)])
    expect(plan.rowCount).toBe(7)
    const history = wb.getWorksheet('Update history')!
    // 2 + 1 + 1 + 1 updates.
    expect(history.rowCount).toBe(1 + 5)
    expect(history.getRow(2).getCell(3).value).toBe('2024-11-20')
    expect(history.getRow(3).getCell(4).value).toBe('February 2025 update')
    const about = wb.getWorksheet('About')!
    const facts = new Map<string, unknown>()
    about.eachRow((row) => facts.set(String(row.getCell(1).value), row.getCell(2).value))
    expect(facts.get('Force')).toBe('Wessex Vale Police')
    expect(facts.get('Last updated')).toBe('2025-02-14')
    expect(facts.get('Overall progress')).toBe('44% (estimated)')
    expect(facts.get('How % is calculated')).toBe(PROGRESS_METHOD)
  })

  it('keeps refs and formula-like text as text, numbers as numbers', async () => {
    const plan = (await workbook()).getWorksheet('Action plan')!
    const rows = new Map<string, ExcelJS.Row>()
    plan.eachRow((row, n) => {
      if (n > 1) rows.set(String(row.getCell(4).value ?? `rec ${row.getCell(1).value}`), row)
    })
    const r1010 = rows.get('10.10')!
    expect(r1010.getCell(4).type).toBe(ExcelJS.ValueType.String)
    expect(r1010.getCell(1).value).toBe(10)
    expect(r1010.getCell(10).value).toBe(50)
    const r101 = rows.get('10.1')!
    expect(r101.getCell(7).type).toBe(ExcelJS.ValueType.String)
    expect(r101.getCell(7).value).toMatch(/^=HYPERLINK/)
    expect(r101.getCell(7).formula).toBeUndefined()
  })
})

describe('ODS export', () => {
  it('is an ODF package: mimetype first and stored, then manifest and content', async () => {
    const body = (await exported('ods')).body
    // Local file header: signature, compression method 0 (stored) at offset 8, name at 30, data right after.
    expect(body.readUInt32LE(0)).toBe(0x04034b50)
    expect(body.readUInt16LE(8)).toBe(0)
    const nameLength = body.readUInt16LE(26)
    const extraLength = body.readUInt16LE(28)
    expect(body.subarray(30, 30 + nameLength).toString()).toBe('mimetype')
    expect(extraLength).toBe(0)
    const start = 30 + nameLength
    expect(body.subarray(start, start + 46).toString()).toBe('application/vnd.oasis.opendocument.spreadsheet')

    const zip = await JSZip.loadAsync(body)
    const manifest = await zip.file('META-INF/manifest.xml')!.async('string')
    expect(manifest).toContain('manifest:full-path="content.xml"')
    expect(manifest).toContain('manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"')
    expect(zip.file('styles.xml')).not.toBeNull()
    expect(zip.file('meta.xml')).not.toBeNull()
  })

  it('holds the three sheets with typed cells', async () => {
    const zip = await JSZip.loadAsync((await exported('ods')).body)
    const content = await zip.file('content.xml')!.async('string')
    const $ = cheerio.load(content, { xml: true })
    const tables = $('table\\:table')
    expect(tables.map((_, t) => $(t).attr('table:name')).get()).toEqual(['Action plan', 'Update history', 'About'])
    const rows = tables.first().find('table\\:table-row')
    expect(rows).toHaveLength(7)
    const header = rows
      .first()
      .find('table\\:table-cell')
      .map((_, c) => $(c).text())
      .get()
    expect(header).toEqual(PLAN_COLUMNS.map((c) => c.header))
    const cells = (n: number) => rows.eq(n).children('table\\:table-cell')
    // Row 2 is item 7.1: Rec. No. is a number, the ref a string.
    expect(cells(1).eq(0).attr('office:value-type')).toBe('float')
    expect(cells(1).eq(0).attr('office:value')).toBe('7')
    expect(cells(1).eq(3).attr('office:value-type')).toBe('string')
    expect(cells(1).eq(3).text()).toBe('7.1')
    // Documents on separate lines are separate paragraphs; text is escaped, never a formula.
    expect(
      cells(2)
        .eq(11)
        .find('text\\:p')
        .map((_, p) => $(p).text())
        .get(),
    ).toEqual([
      'Interim searching guidance (https://wessexvale.police.example/docs/interim-guidance.pdf)',
      'Briefing note',
    ])
    expect(content).not.toContain('table:formula')
    expect(content).toContain('=HYPERLINK(&quot;http://attacker.example&quot;')
  })
})

describe('HTML export', () => {
  async function page() {
    return cheerio.load((await exported('html')).body.toString('utf8'))
  }

  it('is an accessible standalone document', async () => {
    const $ = await page()
    expect($('html').attr('lang')).toBe('en-GB')
    expect($('title').text()).toBe('Wessex Vale Police: Police Stalking Action Plan')
    expect($('h1').text()).toBe('Wessex Vale Police: Police Stalking Action Plan')
    expect($('h2').length).toBeGreaterThan(0)
    expect($('table caption').text()).toContain('Wessex Vale Police')
    expect($('thead th').length).toBe(11)
    $('th').each((_, th) => expect(['col', 'row', 'rowgroup']).toContain($(th).attr('scope')))
    expect($('script').length).toBe(0)
    expect($('link[rel=stylesheet]').length).toBe(0)
    expect($('style').text()).toContain('@media print')
    expect($('style').text()).toContain('size: A4 landscape')
  })

  it('reproduces the table from the data, with last updated and progress', async () => {
    const $ = await page()
    expect($('dl').text()).toContain('ACC Morwenna Tallis')
    expect($('dt:contains("Last updated") + dd time').attr('datetime')).toBe('2025-02-14')
    expect($('dt:contains("Last updated") + dd').text()).toBe('14 February 2025')
    expect($('dt:contains("Overall progress") + dd').text()).toBe('44% (estimated)')
    expect($('tbody')).toHaveLength(3)
    const rec7 = $('#recommendation-7')
    expect(rec7.find('th[scope=rowgroup]').attr('rowspan')).toBe('2')
    expect(
      rec7
        .find('th[scope=row]')
        .map((_, th) => $(th).text())
        .get(),
    ).toEqual(['7.1', '7.2'])
    expect(rec7.text()).toContain('Earlier updates')
    expect(rec7.text()).toContain('Liaising with regional forces')
    expect(rec7.find('a').attr('href')).toBe('https://wessexvale.police.example/docs/interim-guidance.pdf')
    expect($('#recommendation-11').text()).toContain('No evidence requirements listed.')
    expect($('main').text()).toContain(PROGRESS_METHOD)
  })

  it('escapes text and links only http(s) documents', async () => {
    const plan = wessexValePlan()
    plan.recommendations[0].items[0].requirement = '<script>alert(1)</script>'
    plan.recommendations[0].items[0].documents = [{ name: 'Bad', url: 'javascript:alert(1)' }]
    const html = (await exported('html', plan)).body.toString('utf8')
    expect(html).not.toContain('<script>alert(1)</script>')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    const $ = cheerio.load(html)
    expect($('a[href^="javascript"]')).toHaveLength(0)
  })
})

describe('PDF export', () => {
  it('is a PDF with the title, force, leads, tables, last updated and page numbers', async () => {
    const body = (await exported('pdf')).body
    expect(body.subarray(0, 5).toString()).toBe('%PDF-')
    const raw = body.toString('latin1')
    const pages = raw.match(/\/Type \/Page\b/g) ?? []
    // The long undated update does not fit on one page.
    expect(pages.length).toBeGreaterThan(1)
    expect(raw).toMatch(/\/MediaBox \[0 0 841\.89 595\.28\]/)
    const text = pdfTextContent(body)
    expect(text).toContain('Wessex Vale Police: Police Stalking Action Plan')
    expect(text).toContain('ACC Morwenna Tallis')
    expect(text).toContain('Recommendation 10')
    expect(text).toContain('14 February 2025')
    expect(text).toContain('Evidence requirement')
    expect(text).toContain(`Page 1 of ${pages.length}`)
    expect(text).toContain(`Page ${pages.length} of ${pages.length}`)
    expect(text).toContain('Recommendation 10 (continued)')
    // Every paragraph of the long update survives the page breaks.
    for (const n of [1, 30, 60]) expect(text.replace(/\s+/g, ' ')).toContain(`Paragraph ${n}: the working group`)
  })

  it('reduces text to what the standard fonts can show', () => {
    expect(pdfText('£5 – “quick” ≥ 3 café 🙂 Łódź')).toBe('£5 – “quick” >= 3 café ? ?ódz')
    expect(pdfText('a\r\nb\tc\u0007')).toBe('a\nb c')
  })
})
