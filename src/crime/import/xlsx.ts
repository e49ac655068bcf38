// Crime extracts saved as Excel workbooks (.xlsx), as records systems' reporting tools often export them: the first
// worksheet (the first the workbook lists) streamed row by row (a workbook of a million rows is never held in memory), each row as the same cells a
// CSV row gives, so the rest of the reader does not know the difference. Typed dates become ISO text.
import { createReadStream } from 'node:fs'
import { Transform } from 'node:stream'
import ExcelJS from 'exceljs'
import { CsvSyntaxError, type CsvRow } from './csv.ts'

const two = (value: number) => String(value).padStart(2, '0')

/** A typed date cell: exceljs gives the sheet's wall-clock time in the Date's UTC fields. */
function isoOf(date: Date): string {
  const day = `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}`
  const seconds = date.getUTCHours() * 3600 + date.getUTCMinutes() * 60 + date.getUTCSeconds()
  if (seconds === 0) return day
  return `${day}T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`
}

export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return ''
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : isoOf(value)
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((run) => run.text).join('')
    if ('hyperlink' in value) return cellText((value as ExcelJS.CellHyperlinkValue).text)
    if ('result' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue)
    return ''
  }
  if (typeof value === 'boolean') return value ? 'Y' : 'N'
  return String(value)
}

/** Starts with the zip signature, as every .xlsx does. */
export function isZip(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04
}

/** Starts with the compound-document signature of an old .xls (or .doc) file. */
export function isOldOffice(head: Uint8Array): boolean {
  return head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0
}

/**
 * Streams the rows of the workbook's first worksheet. Row numbers are the sheet's; blank rows a sheet skips stay
 * skipped, so a problem's line is the row number Excel shows. onSheet is told the sheet's name.
 */
export async function* xlsxFileRows(
  file: string,
  onBytes: (n: number) => void = () => {},
  onSheet: (name: string) => void = () => {},
): AsyncGenerator<CsvRow> {
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      onBytes(chunk.length)
      done(null, chunk)
    },
  })
  const input = createReadStream(file, { highWaterMark: 1 << 20 })
  input.on('error', (error) => counted.destroy(error))
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input.pipe(counted), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  })
  let line = 1
  let width = 0
  try {
    for await (const worksheet of reader) {
      // Sheets come in the order the archive holds them; the workbook's first sheet is the first workbook.xml lists
      // (read before the sheets in every workbook Excel or LibreOffice writes). Others are passed over.
      const first = (reader as unknown as { model?: { sheets?: { name?: string }[] } }).model?.sheets?.[0]?.name
      const name = (worksheet as unknown as { name?: string }).name ?? 'Sheet1'
      if (first !== undefined && name !== first) continue
      onSheet(name)
      for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
        line = row.number
        const values = row.values as ExcelJS.CellValue[]
        const cells: string[] = []
        for (let column = 1; column < values.length; column++) cells.push(cellText(values[column]))
        // A sheet leaves out empty cells at the end of a row: as many as the header has, as a CSV row would.
        if (width === 0) width = cells.length
        while (cells.length < width) cells.push('')
        yield { cells, line }
      }
      return
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code) throw error
    // ExcelJS's own words mean nothing to the person importing: say where reading stopped.
    throw new CsvSyntaxError(
      line,
      'the Excel workbook could not be read past this row: it is damaged, or not built as Excel builds one; save it again from the records system or Excel',
    )
  } finally {
    input.destroy()
  }
}
