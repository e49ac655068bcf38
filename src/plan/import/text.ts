// Tab-separated text left by a document converter (the seed's shape) and CSV.
import { parse } from 'csv-parse/sync'
import { PlanImportError } from '../model.ts'
import type { Grid, GridRow } from './grid.ts'
import { isEmptyRow, textCell } from './grid.ts'
import type { GridsReading, Meta } from './interpret.ts'
import { metaFromLines, readGrids } from './interpret.ts'
import { cleanText } from './normalise.ts'

/** True when the text looks like a converted table: several lines with three or more tab-separated cells. */
export function looksTabSeparated(text: string): boolean {
  let lines = 0
  for (const line of text.split(/\r?\n/)) if ((line.match(/\t/g)?.length ?? 0) >= 3 && ++lines >= 2) return true
  return false
}

/**
 * The seed's shape: title and "Force:", "Executive Lead:", "Operational Lead:" lines, then tab-separated rows of a
 * converted table with HTML and Markdown fragments in cells and blank lines where pages broke.
 */
export function readTabText(text: string): GridsReading & { meta: Partial<Meta> } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/)
  const rows: GridRow[] = lines.map((line, i) => ({ location: `line ${i + 1}`, cells: line.split('\t').map(textCell) }))
  // Lines before the first wide row are the preamble (title, force, leads).
  const firstWide = rows.findIndex((r) => r.cells.length >= 4)
  const preamble = rows.slice(0, firstWide < 0 ? rows.length : firstWide)
  const meta: Partial<Meta> = metaFromLines(
    preamble
      .filter((r) => r.cells.length >= 2)
      .map((r) =>
        `${r.cells[0].text} ${r.cells
          .slice(1)
          .map((c) => c.text)
          .join(' ')}`.replace(/^(.*?:)\s*/, '$1 '),
      ),
  )
  const titleRow = preamble.find((r) => r.cells.length === 1 && r.cells[0].text)
  if (titleRow) meta.title = titleRow.cells[0].text
  const body = rows.slice(preamble.length)
  const reading = readGrids([{ label: '', context: '', rows: body }], 'a tab-separated table')
  // Stray lines inside the table region that are not rows: say so rather than drop them silently.
  for (const r of body) {
    if (r.cells.length === 1 && !isEmptyRow(r)) {
      reading.warnings.push({
        location: r.location,
        message: `this line is not a table row and was not read: "${r.cells[0].text.slice(0, 60)}"`,
      })
    }
  }
  return { ...reading, meta: { ...meta, ...reading.meta } }
}

function detectDelimiter(text: string): string {
  const first = text.split(/\r?\n/).find((l) => l.trim()) ?? ''
  const outside = first.replace(/"[^"]*"/g, '')
  const counts = [',', ';', '\t'].map((d) => ({ d, n: outside.split(d).length - 1 }))
  return counts.reduce((a, b) => (b.n > a.n ? b : a)).d
}

function firstLineBreak(text: string): string {
  const found = /\r\n|\n|\r/.exec(text.replace(/"[^"]*"/g, '""'))
  return found ? found[0] : '\n'
}

/** CSV (comma, semicolon or tab separated; quoted cells may hold line breaks). Locations are source lines. */
export function csvGrid(text: string): Grid {
  let records: Array<{ record: string[]; info: { lines: number } }>
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      delimiter: detectDelimiter(text),
      // The parser finds the line ending itself by allocating at every character until it meets one: seconds for a
      // file of one long line. Found here instead, the same way (the first line break outside quotes).
      record_delimiter: firstLineBreak(text),
      relax_column_count: true,
      relax_quotes: false,
      skip_empty_lines: false,
      info: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>
  } catch (e) {
    const err = e as Error & { lines?: number }
    throw new PlanImportError(
      `the file could not be read as CSV: ${err.message}`,
      err.lines ? `line ${err.lines}` : null,
    )
  }
  const rows: GridRow[] = []
  let line = 1
  for (const { record, info } of records) {
    rows.push({ location: `line ${line}`, cells: record.map((c) => ({ text: cleanText(c), links: [], date: null })) })
    line = info.lines + 1
  }
  return { label: '', context: '', rows }
}
