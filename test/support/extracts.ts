// Crime extracts for hardening and fuzz tests: the good fixture's rows repeated under fresh references, as CSV and as
// an Excel workbook.
import { readFileSync } from 'node:fs'
import ExcelJS from 'exceljs'
import { parseCsvChunk } from '../../src/crime/import/csv.ts'

export function extractRows(copies: number, prefix = 'HX'): string[][] {
  const text = readFileSync('test/fixtures/crime/single-good.csv', 'utf8')
  const [header, ...rows] = parseCsvChunk(text, 0, 1, true).rows.map((row) => row.cells)
  const out = [header]
  for (let copy = 0; copy < copies; copy++) {
    rows.forEach((row, index) => out.push([`${prefix}/${copy}/${index}/25`, ...row.slice(1)]))
  }
  return out
}

export async function extractWorkbook(copies: number, prefix = 'HX'): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('Crimes')
  for (const row of extractRows(copies, prefix)) sheet.addRow(row)
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

export function extractCsv(copies: number, prefix = 'HX'): Buffer {
  const field = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)
  return Buffer.from(
    extractRows(copies, prefix)
      .map((row) => row.map(field).join(','))
      .join('\n') + '\n',
  )
}
