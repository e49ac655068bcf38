// XLSX with exceljs: "Action plan" (one row per evidence item), "Update history" (every update) and "About" (force,
// leads, dates, progress and how % is calculated). Text is written as text cells, so nothing becomes a formula.
import ExcelJS from 'exceljs'
import type { ExportablePlan } from '../interchange.ts'
import { tabularSheets } from './rows.ts'

export async function planXlsx(plan: ExportablePlan, generatedAt: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Threadline'
  workbook.created = generatedAt
  workbook.modified = generatedAt
  workbook.title = `${plan.force ?? 'Police'} stalking action plan`
  for (const sheet of tabularSheets(plan, generatedAt)) {
    const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] })
    ws.columns = sheet.columns.map((c) => ({ header: c.header, width: c.width }))
    ws.getRow(1).font = { bold: true }
    for (const row of sheet.rows) {
      const added = ws.addRow(row.map((cell) => (cell === null ? null : cell)))
      added.eachCell((cell) => {
        // Text stays text: a value such as "=SUM(A1)" is a string value here, never { formula }.
        cell.alignment = { wrapText: true, vertical: 'top' }
      })
    }
    if (sheet.rows.length > 0) {
      ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } }
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
