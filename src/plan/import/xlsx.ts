// XLSX through exceljs: every worksheet becomes a grid. Merged cells: a cell merged down repeats its value in the
// rows it covers; a cell merged across fills only its first column.
import ExcelJS from 'exceljs'
import { PlanImportError } from '../model.ts'
import type { Cell, Grid, GridRow } from './grid.ts'
import { emptyCell, safeUrl } from './grid.ts'
import { cleanText, isoFromDate } from './normalise.ts'

const MAX_ROWS = 20_000
const MAX_COLUMNS = 200

function plainText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return ''
  if (value instanceof Date) return ''
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('')
    if ('hyperlink' in value) return plainText((value as ExcelJS.CellHyperlinkValue).text)
    if ('result' in value) return plainText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue)
    if ('error' in value) return ''
    return ''
  }
  return String(value)
}

/** Whether an Excel number format shows a percentage ('0%', '0.0%'), ignoring a '%' inside quoted text. */
export function isPercentFormat(format: string | undefined): boolean {
  return !!format && /%/.test(format.replace(/"[^"]*"|\\./g, ''))
}

function cellOf(c: ExcelJS.Cell): Cell {
  const source = c.isMerged && c.master !== c ? c.master : c
  const value = source.value
  const raw = value && typeof value === 'object' && 'result' in value ? (value.result as ExcelJS.CellValue) : value
  const date = raw instanceof Date ? isoFromDate(raw) : null
  // Spreadsheet text is text, not markup: escape '<' so cleanText does not read it as HTML.
  // A number in a cell formatted as a percentage is shown as one: 0.6 formatted "0%" reads "60%".
  const percent = typeof raw === 'number' && isPercentFormat(source.numFmt) ? `${Math.round(raw * 10000) / 100}%` : null
  const text = percent ?? cleanText(plainText(raw).replace(/</g, '&lt;'))
  const links: Cell['links'] = []
  if (value && typeof value === 'object' && 'hyperlink' in value) {
    const url = safeUrl((value as ExcelJS.CellHyperlinkValue).hyperlink)
    if (url) links.push({ name: text || url, url })
  }
  return { text, links, date }
}

export async function xlsxGrids(content: Buffer): Promise<Grid[]> {
  const workbook = new ExcelJS.Workbook()
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer)
  } catch {
    // The library's own words ("Cannot read properties of undefined (reading 'richText')") mean nothing to the reader.
    throw new PlanImportError(
      'the spreadsheet (XLSX) could not be opened: it is damaged, or not built as Excel builds one; save it again from the program that made it',
    )
  }
  const grids: Grid[] = []
  for (const sheet of workbook.worksheets) {
    const label = `sheet '${sheet.name}'`
    if (sheet.rowCount > MAX_ROWS) {
      throw new PlanImportError(
        `${label} has ${sheet.rowCount} rows, more than the ${MAX_ROWS} a plan may have; is this the plan?`,
      )
    }
    const rowCount = sheet.rowCount
    const colCount = Math.min(sheet.columnCount, MAX_COLUMNS)
    const rows: GridRow[] = []
    for (let r = 1; r <= rowCount; r++) {
      const row = sheet.getRow(r)
      const cells: Cell[] = []
      for (let c = 1; c <= colCount; c++) {
        const cell = row.getCell(c)
        if (cell.isMerged && cell.master && cell.master !== cell && cell.master.col !== cell.col)
          cells.push(emptyCell())
        else cells.push(cellOf(cell))
      }
      while (cells.length && !cells[cells.length - 1].text && !cells[cells.length - 1].date) cells.pop()
      rows.push({ location: `${label}, row ${r}`, cells })
    }
    grids.push({ label, context: '', rows })
  }
  return grids
}
