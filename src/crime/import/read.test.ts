import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CrimeRecordInput, RowProblem } from '../model.ts'
import { parseCsvChunk } from './csv.ts'
import { parseDate } from './dates.ts'
import { loadColumnMapping, readCrimeExtracts, type ReadOptions } from './read.ts'

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/crime')
const fixture = (name: string) => join(FIXTURES, name)

async function readAll(files: string[], options: ReadOptions = {}) {
  const reader = readCrimeExtracts(files, options)
  const records: { record: CrimeRecordInput; line: number }[] = []
  const problems: RowProblem[] = []
  for await (const result of reader) {
    if ('record' in result) records.push({ record: result.record, line: result.source.line })
    else problems.push(result.problem)
  }
  return { records, problems, notices: reader.notices() }
}

describe('dates', () => {
  it('accepts ISO, DD/MM/YYYY and DD/MM/YY with and without times', () => {
    expect(parseDate('2025-02-03')).toEqual({ date: '2025-02-03', time: null })
    expect(parseDate('2025-02-03T14:05:09Z')).toEqual({ date: '2025-02-03', time: '14:05:09Z' })
    expect(parseDate('03/02/2025 14:05')).toEqual({ date: '2025-02-03', time: '14:05:00' })
    expect(parseDate('3/2/25')).toEqual({ date: '2025-02-03', time: null })
    expect(parseDate('02/03/2025', 'MM/DD/YYYY')?.date).toBe('2025-02-03')
  })
  it('accepts the forms other records systems write: month names, AM/PM, fractions of a second, year first', () => {
    expect(parseDate('05-MAR-24 10:15')).toEqual({ date: '2024-03-05', time: '10:15:00' })
    expect(parseDate('5 March 2024')).toEqual({ date: '2024-03-05', time: null })
    expect(parseDate('1st Sept 2024')).toEqual({ date: '2024-09-01', time: null })
    expect(parseDate('05 Mar 2024, 16:40')).toEqual({ date: '2024-03-05', time: '16:40:00' })
    expect(parseDate('5/3/2024 9:05 PM')).toEqual({ date: '2024-03-05', time: '21:05:00' })
    expect(parseDate('05/03/2024 12:30 a.m.')).toEqual({ date: '2024-03-05', time: '00:30:00' })
    expect(parseDate('05/03/2024 14:05:09.123')).toEqual({ date: '2024-03-05', time: '14:05:09' })
    expect(parseDate('2024/03/05 08:00')).toEqual({ date: '2024-03-05', time: '08:00:00' })
    expect(parseDate('Mar-05-2024')).toBeNull()
    expect(parseDate('31-FEB-24')).toBeNull()
    expect(parseDate('5 Marchember 2024')).toBeNull()
    expect(parseDate('05/03/2024 13:00 PM')).toBeNull()
    expect(parseDate('05-Mar-2024', 'YYYY-MM-DD')).toBeNull()
  })

  it('rejects impossible dates and times', () => {
    expect(parseDate('31/02/2025')).toBeNull()
    expect(parseDate('2025-13-01')).toBeNull()
    expect(parseDate('01/01/2025 25:00')).toBeNull()
    expect(parseDate('yesterday')).toBeNull()
  })
})

describe('single-file extract', () => {
  it('reads crimes and intelligence with parties, included classifications and physical line numbers', async () => {
    const { records, problems } = await readAll([fixture('single-good.csv')])
    expect(problems).toEqual([])
    expect(records.map((r) => r.line)).toEqual([2, 4, 5])
    const [first, shop, intel] = records.map((r) => r.record)
    expect(first.forceReference).toBe('DS/0000101/25')
    expect(first.reportedAt).toBe('2025-02-03T14:05:00')
    expect(first.occurrences).toEqual([{ from: '2025-02-01', to: '2025-02-02' }])
    expect(first.principal).toBe('8R')
    expect(first.included.map((c) => c.code)).toEqual(['8Q', '8U'])
    expect(first.flags).toEqual({ domesticAbuse: true, online: true, repeatVictim: false })
    expect(first.narrative).toContain('"Dave"')
    expect(first.narrative).toContain('\n')
    expect(first.outcome).toBe(16)
    expect(first.parties).toEqual([
      {
        role: 'victim',
        personRef: 'P00000011',
        forename: 'Ellie',
        surname: 'Marsh',
        dateOfBirth: '1990-05-04',
        identifiers: [
          { kind: 'phone', value: '07000 000001' },
          { kind: 'email', value: 'ellie.marsh@example.com' },
        ],
      },
      {
        role: 'suspect',
        personRef: 'P00000012',
        forename: 'Dave',
        surname: 'Fenwick',
        dateOfBirth: null,
        identifiers: [{ kind: 'social', value: 'instagram:@not_real_handle' }],
      },
    ])
    expect(shop.reportedAt).toBe('2025-02-04T09:30:00')
    expect(shop.occurrences).toEqual([{ from: '2025-02-04', to: '2025-02-04' }])
    expect(shop.outcome).toBeNull()
    expect(intel.kind).toBe('intelligence')
    expect(intel.principal).toBeNull()
    expect(intel.linkedCrimeRefs).toEqual(['DS/0000101/25'])
    expect(intel.parties[0]).toMatchObject({ role: 'suspect', surname: 'Fenwick', dateOfBirth: '1985-01-01' })
  })

  it('names file, line and field for each bad row and keeps the good ones', async () => {
    const { records, problems } = await readAll([fixture('single-bad.csv')])
    expect(records.map((r) => r.record.forceReference)).toEqual(['DS/0000205/25', 'DS/0000208/25'])
    const seen = problems.map((p) => [p.file, p.line, p.field, p.message])
    expect(seen).toEqual([
      ['single-bad.csv', 2, 'Crime Ref', 'missing crime reference'],
      ['single-bad.csv', 3, 'HO Code', 'unknown classification code "8ZZ"'],
      ['single-bad.csv', 4, 'Date Reported', '"31/02/2025" is not a date'],
      ['single-bad.csv', 5, 'Outcome', 'outcome "23" is not a Home Office outcome type 1-22'],
      ['single-bad.csv', 7, 'Crime Ref', 'duplicate reference "DS/0000205/25" (first on line 6)'],
      ['single-bad.csv', 8, 'DA Flag', '"maybe" is not Y or N'],
    ])
  })

  it('rejects rows from another force when a force is named', async () => {
    const { records, problems } = await readAll([fixture('single-good.csv')], { forceName: 'Otherton Constabulary' })
    expect(records).toEqual([])
    expect(problems[0]).toMatchObject({ line: 2, field: 'Force' })
    expect(problems[0].message).toMatch(/belongs to "Demoshire Police"/)
  })

  it('reports progress up to the total size', async () => {
    const calls: [number, number][] = []
    await readAll([fixture('single-good.csv')], { onProgress: (read, total) => calls.push([read, total]) })
    expect(calls.length).toBeGreaterThan(0)
    const [read, total] = calls[calls.length - 1]
    expect(read).toBe(total)
    expect(total).toBeGreaterThan(500)
  })
})

describe('split extract', () => {
  it('joins classifications and parties to crimes by reference and reports orphans', async () => {
    const files = ['crimes.csv', 'classifications.csv', 'parties.csv'].map((f) => fixture(`split/${f}`))
    const { records, problems } = await readAll(files)
    expect(records.map((r) => r.record.forceReference)).toEqual(['DS/0000301/25', 'DS/0000302/25'])
    const [tyres, push] = records.map((r) => r.record)
    expect(tyres.included).toEqual([
      { code: '8Q', addedBy: 'FCR', addedAt: '2025-03-05', reason: 'Stalking identified on review' },
    ])
    expect(tyres.parties.map((p) => [p.role, p.forename, p.identifiers.length])).toEqual([
      ['victim', 'Rebecca', 2],
      ['suspect', 'Daniel', 2],
    ])
    expect(tyres.parties[1].identifiers).toContainEqual({ kind: 'vehicle', value: 'AB12 CDE' })
    expect(push.parties[0].role).toBe('victim')
    expect(problems).toEqual([
      {
        file: 'classifications.csv',
        line: 3,
        field: null,
        message: 'no crime with reference "DS/0000999/25" in the crime files',
      },
    ])
  })
})

describe('police.uk street-level data', () => {
  it('maps crime types to group pseudo codes, skips ASB rows and gives a one-time notice', async () => {
    const { records, problems, notices } = await readAll([fixture('police-uk.csv')])
    expect(records.map((r) => r.record.principal)).toEqual(['PUK-VSO', 'PUK-SHO'])
    expect(records[0].record.occurrences).toEqual([{ from: '2025-01-01', to: '2025-01-31' }])
    expect(records[0].record.status).toBe('Under investigation')
    expect(records[0].record.location).toBe('On or near Station Road, Ashbury 001A')
    expect(problems.map((p) => [p.line, p.field])).toEqual([
      [5, 'Month'],
      [6, 'Crime type'],
    ])
    expect(notices.filter((n) => /no Home Office classification/.test(n.message))).toHaveLength(1)
    expect(notices.some((n) => /1 rows without a Crime ID/.test(n.message))).toBe(true)
  })
})

describe('unusual extracts', () => {
  it('reads an extract through a mapping file', async () => {
    const mapping = loadColumnMapping(fixture('unusual-mapping.json'))
    const { records, problems } = await readAll([fixture('unusual.csv')], { mapping })
    expect(problems).toEqual([])
    expect(records[0].record).toMatchObject({
      forceReference: 'OCC-1',
      reportedAt: '2025-02-13T08:15:00',
      principal: '8L',
      outcome: 15,
      narrative: 'Victim harassed by neighbour over several weeks.',
    })
    expect(records[0].record.included.map((c) => c.code)).toEqual(['8Q', '8R'])
    expect(records[1].record.outcome).toBe(18)
  })

  it('explains an unknown header set once, listing what was found', async () => {
    const { records, problems } = await readAll([fixture('unknown-headers.csv')])
    expect(records).toEqual([])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ file: 'unknown-headers.csv', line: 1, field: null })
    expect(problems[0].message).toMatch(/found "Name", "Address", "Amount"; expected/)
  })

  it('rejects a mapping to an unknown field, naming the file and field', () => {
    expect(() => loadColumnMapping(fixture('bad-mapping.json'))).toThrow(/bad-mapping\.json, field "columns\.Offence"/)
  })

  it('reads a semicolon-separated Windows-1252 extract as Excel saves it, and says how it read it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'threadline-read-'))
    const text = readFileSync(fixture('single-good.csv'), 'utf8')
    const rows = parseCsvChunk(text, 0, 1, true).rows.map((row) => row.cells)
    rows[1][12] = 'Caf\u00e9 owner says \u00a3200 of damage'
    const semicolons = rows
      .map((cells) => cells.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(';'))
      .join('\r\n')
    const path = join(dir, 'excel.csv')
    writeFileSync(path, Buffer.from(semicolons, 'latin1'))
    const { records, problems, notices } = await readAll([path])
    expect(problems).toEqual([])
    expect(records.map((entry) => entry.record.forceReference)).toEqual(
      (await readAll([fixture('single-good.csv')])).records.map((entry) => entry.record.forceReference),
    )
    expect(records[0].record.narrative).toBe('Caf\u00e9 owner says \u00a3200 of damage')
    expect(notices).toContainEqual({ file: 'excel.csv', message: expect.stringMatching(/Windows-1252.*semicolons/) })

    // The same bytes read as the mapping file says, when told: UTF-8 is refused at the line it stops being UTF-8.
    const told = await readAll([path], { mapping: { columns: {}, encoding: 'utf-8', delimiter: ';' } })
    expect(told.problems[0]).toMatchObject({ file: 'excel.csv', line: 2, message: expect.stringMatching(/not UTF-8/) })
  })

  it('reads the first worksheet of an Excel workbook: typed dates and numbers, short rows, sheet row numbers', async () => {
    const { default: ExcelJS } = await import('exceljs')
    const text = readFileSync(fixture('single-good.csv'), 'utf8')
    const rows = parseCsvChunk(text, 0, 1, true).rows.map((row) => row.cells)
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('Crime extract')
    sheet.addRow(rows[0])
    const first: import('exceljs').CellValue[] = [...rows[1]]
    first[3] = new Date(Date.UTC(2025, 1, 3, 14, 5)) // Date Reported, typed
    first[16] = 16 // Outcome, a number
    first[12] = { richText: [{ text: 'IP reports ' }, { font: { bold: true }, text: 'unwanted messages' }] }
    sheet.addRow(first)
    sheet.addRow(rows[2].slice(0, 13)) // the last six cells empty: a sheet leaves them out
    sheet.addRow(['DS/BAD/25', 'Crime', '', 'not a date'])
    workbook.addWorksheet('Notes').addRow(['ignored'])
    const path = join(mkdtempSync(join(tmpdir(), 'threadline-read-')), 'extract.xlsx')
    await workbook.xlsx.writeFile(path)

    const { records, problems, notices } = await readAll([path])
    expect(records.map((entry) => [entry.record.forceReference, entry.line])).toEqual([
      [rows[1][0], 2],
      [rows[2][0], 3],
    ])
    expect(records[0].record).toMatchObject({ reportedAt: '2025-02-03T14:05:00', outcome: 16 })
    expect(records[0].record.narrative).toBe('IP reports unwanted messages')
    expect(problems.map((problem) => problem.line)).toEqual([4, 4])
    expect(problems).toContainEqual(
      expect.objectContaining({ file: 'extract.xlsx', line: 4, message: expect.stringMatching(/not a date/) }),
    )
    expect(notices).toContainEqual({
      file: 'extract.xlsx',
      message: 'read the first worksheet ("Crime extract") of the Excel workbook',
    })
  })

  it('refuses an old .xls workbook, a zip that is not a workbook, a PDF and a picture, saying what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'threadline-read-'))
    const xls = join(dir, 'old.xls')
    writeFileSync(xls, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]))
    const zip = join(dir, 'archive.xlsx')
    writeFileSync(zip, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0, 0, 1, 2, 3]))
    const pdf = join(dir, 'extract.csv')
    writeFileSync(pdf, Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), Buffer.alloc(64, 0)]))
    const png = join(dir, 'photo.csv')
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48]))
    const { records, problems } = await readAll([xls, zip, pdf, png])
    expect(records).toEqual([])
    expect(problems.slice(2)).toEqual([
      {
        file: 'extract.csv',
        line: 1,
        field: null,
        message: expect.stringMatching(/^this is a PDF, not a records-system extract/),
      },
      {
        file: 'photo.csv',
        line: 1,
        field: null,
        message: expect.stringMatching(/^this is not a text \(CSV\) file or an Excel workbook/),
      },
    ])
    expect(problems.slice(0, 2)).toEqual([
      {
        file: 'old.xls',
        line: 1,
        field: null,
        message: expect.stringMatching(/old Excel \(\.xls\).*save it as \.xlsx or as CSV/),
      },
      {
        file: 'archive.xlsx',
        line: 1,
        field: null,
        message: expect.stringMatching(/the Excel workbook \(\.xlsx\) is damaged or truncated/),
      },
    ])
  })

  it('rejects an encoding a mapping file names that is not one it reads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'threadline-read-'))
    const path = join(dir, 'mapping.json')
    writeFileSync(path, JSON.stringify({ columns: {}, encoding: 'ebcdic' }))
    expect(() => loadColumnMapping(path)).toThrow(/mapping\.json, field "encoding"/)
  })

  it('reports a missing file as a problem, not a crash', async () => {
    const { problems } = await readAll([fixture('nope.csv')])
    expect(problems[0]).toMatchObject({ file: 'nope.csv', message: 'no such file' })
  })
})

describe('Victim and Suspect columns', () => {
  it('reads each role column ("Victim", "Suspect 2", "Witness") as that role\'s named people, surname in capitals', async () => {
    const { records, problems, notices } = await readAll([fixture('victim-suspect-columns.csv')])
    const people = (ref: string) =>
      records
        .find((r) => r.record.forceReference === ref)!
        .record.parties.map((p) => [p.role, p.forename, p.surname, p.dateOfBirth, p.personRef])
    expect(people('WV/100/25')).toEqual([
      ['victim', 'Hannah', 'OKONJO', '1991-05-12', null],
      ['suspect', 'Marcus', 'TREE', '1988-02-01', null],
    ])
    expect(people('WV/101/25')).toEqual([
      ['victim', 'Ada', 'QUILL', '1990-04-01', null],
      ['victim', 'Peter', 'QUILL', '1960-03-03', null],
      ['suspect', 'Daniel', 'Roe', '1985-07-14', 'P-778'],
    ])
    // A date of birth that is no date is a problem on its row and column, like any other cell.
    expect(problems).toEqual([
      expect.objectContaining({
        line: 4,
        message: expect.stringContaining('date of birth "31/02/1980" is not a date'),
      }),
    ])
    expect(JSON.stringify(notices)).not.toContain('Victim')
  })
})
