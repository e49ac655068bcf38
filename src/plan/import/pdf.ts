// PDF plans (most forces publish their plan as a PDF made from a Word table). A PDF holds positioned runs of text, not
// a table, so the table is rebuilt from positions: text is gathered into lines; a line whose phrases read as plan
// column headings ("Ref", "Evidence requirement", "Owner", "Update", ...) gives the columns, each starting where its
// heading starts; every later line's text goes to the column it starts in; a row starts where the first column has a
// number ("7", "12.3"), and lines without one continue the row above. A heading repeated on a new page continues the
// table; text outside tables (headings, paragraphs) is the context of the next table, where "Recommendation 7" and its
// text are found as for HTML. Scanned PDFs (images, no text) are refused with advice.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { PlanImportError } from '../model.ts'
import type { Cell, Grid, GridRow } from './grid.ts'
import { textCell } from './grid.ts'
import { matchColumn } from './headers.ts'

interface Run {
  page: number
  x: number
  y: number
  width: number
  height: number
  text: string
}

interface Line {
  page: number
  y: number
  height: number
  runs: Run[]
}

interface Phrase {
  x: number
  end: number
  text: string
}

/** A published plan is tens of pages; these bound what a hostile or mistaken PDF can make the reader hold. */
const MAX_PAGES = 500
const MAX_RUNS = 500_000
const SAME_LINE = 2
const PHRASE_GAP = 6
const ALIGN = 3
/** A row's number: "7", "12.3", "12.3a", "Rec 7", at the start of the first column and not the start of a date. */
const ROW_START =
  /^(?:rec(?:ommendation)?\.?\s*(?:no\.?)?\s*)?\d{1,2}(?:\.\d{1,2})?[a-z]?\.?(?:$|\s+(?!(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\d))/i
const PAGE_FOOTER = /^(?:page\s*)?\d+\s*(?:of|\/)\s*\d+$|^page\s+\d+$/i
const KEY_VALUE = /^[A-Za-z][A-Za-z ]{2,29}:\s+\S/
const CONTINUED = /\((?:continued|cont\.?|contd\.?)\)\s*$|\bcontinued\s*$/i

async function textRuns(content: Buffer): Promise<Run[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))
  let document
  try {
    document = await pdfjs.getDocument({
      data: new Uint8Array(content),
      standardFontDataUrl: join(root, 'standard_fonts') + '/',
      isEvalSupported: false,
      disableFontFace: true,
      verbosity: 0,
    }).promise
  } catch (error) {
    const message = (error as Error).message
    if (/password/i.test(message))
      throw new PlanImportError('the PDF is protected by a password; save an unprotected copy')
    // pdf.js's own words ("Invalid PDF structure.") add nothing a reader can act on.
    throw new PlanImportError(
      'the PDF could not be opened, so it is damaged or truncated; save it again from the program that made it',
    )
  }
  const runs: Run[] = []
  try {
    if (document.numPages > MAX_PAGES) {
      throw new PlanImportError(
        `the PDF has ${document.numPages} pages, more than the ${MAX_PAGES} a plan may have; is this the plan?`,
      )
    }
    for (let page = 1; page <= document.numPages; page++) {
      const text = await (await document.getPage(page)).getTextContent()
      for (const item of text.items) {
        if (!('str' in item) || !item.str.trim()) continue
        if (runs.length >= MAX_RUNS) {
          throw new PlanImportError(
            `the PDF holds more than ${MAX_RUNS} pieces of text by page ${page}, far more than a plan; is this the plan?`,
          )
        }
        runs.push({
          page,
          x: item.transform[4],
          y: item.transform[5],
          width: item.width,
          height: item.height || Math.abs(item.transform[3]),
          text: item.str,
        })
      }
    }
  } finally {
    await document.destroy()
  }
  return runs
}

/** Runs gathered into lines, top of the first page first, each line left to right. */
function linesOf(runs: Run[]): Line[] {
  const sorted = [...runs].sort((a, b) => a.page - b.page || b.y - a.y || a.x - b.x)
  const lines: Line[] = []
  for (const run of sorted) {
    const last = lines[lines.length - 1]
    if (last && last.page === run.page && Math.abs(last.y - run.y) <= SAME_LINE) {
      last.runs.push(run)
      last.height = Math.max(last.height, run.height)
    } else lines.push({ page: run.page, y: run.y, height: run.height, runs: [run] })
  }
  for (const line of lines) line.runs.sort((a, b) => a.x - b.x)
  return lines
}

/** A line's runs joined into phrases wherever the gap between runs is wider than a space. */
function phrasesOf(line: Line): Phrase[] {
  const phrases: Phrase[] = []
  for (const run of line.runs) {
    const last = phrases[phrases.length - 1]
    if (last && run.x - last.end <= PHRASE_GAP) {
      last.text += (run.x - last.end > 0.5 && !last.text.endsWith(' ') ? ' ' : '') + run.text
      last.end = Math.max(last.end, run.x + run.width)
    } else phrases.push({ x: run.x, end: run.x + run.width, text: run.text })
  }
  for (const phrase of phrases) phrase.text = phrase.text.replace(/\s+/g, ' ').trim()
  return phrases
}

/** The column starts when the line reads as a plan's column headings (at least three, and most of its phrases). */
function headerColumns(line: Line): Phrase[] | null {
  const phrases = phrasesOf(line)
  if (phrases.length < 3) return null
  const matched = phrases.map((phrase) => matchColumn(phrase.text)).filter((match) => match && match.how !== 'spelling')
  return matched.length >= 3 && matched.length * 2 >= phrases.length ? phrases : null
}

function columnOf(columns: Phrase[], x: number): number {
  let index = 0
  for (let column = 0; column < columns.length; column++) if (columns[column].x <= x + ALIGN) index = column
  return index
}

function sameColumns(a: Phrase[], b: Phrase[]): boolean {
  return a.length === b.length && a.every((phrase, index) => Math.abs(phrase.x - b[index].x) <= ALIGN)
}

/** Text lines joined into paragraphs: a wider gap than the line height, or a change of size, starts a new one. */
function paragraphs(lines: Line[]): string[] {
  const out: string[] = []
  let previous: Line | null = null
  for (const line of lines) {
    const text = phrasesOf(line)
      .map((phrase) => phrase.text)
      .join('  ')
    const joins =
      previous &&
      !KEY_VALUE.test(text) &&
      previous.page === line.page &&
      previous.y - line.y <= line.height * 1.6 &&
      Math.abs(previous.height - line.height) < 0.5
    if (joins && out.length) out[out.length - 1] += ` ${text}`
    else out.push(text)
    previous = line
  }
  return out
}

interface TableBuild {
  grid: Grid
  columns: Phrase[]
  /** Text per column of the row being read, line by line, with each line's position. */
  row: { page: number; cells: { y: number; height: number; text: string }[][] } | null
  bodyHeight: number
  headerDone: boolean
  /** The next line is the first of the table on a new page (the row above may go on). */
  pageStart: boolean
  /** The first column's text of the row being read. */
  rowRef: string
}

/**
 * A cell's lines joined: a wider gap starts a paragraph, as does a line after a "(web address)" (a document list); a
 * web address broken across lines is joined up again.
 */
function cellText(lines: { y: number; height: number; text: string }[]): string {
  let text = ''
  let previous: { y: number; height: number } | null = null
  for (const line of lines) {
    if (!previous) text = line.text
    else if (/https?:\/\/\S*[^\s)]$/.test(text) && previous.y - line.y <= line.height * 1.6) text += line.text
    else if (/\(https?:\/\/\S+\)$/.test(text)) text += `\n${line.text}`
    else text += (previous.y - line.y > line.height * 1.6 ? '\n' : ' ') + line.text
    previous = line
  }
  return text
}

/** The tables of a PDF plan as grids, with the text around them as context. */
export async function pdfGrids(content: Buffer): Promise<Grid[]> {
  const runs = await textRuns(content)
  if (runs.length === 0) {
    throw new PlanImportError(
      'the PDF has no text (it is probably scanned images); import the Word, HTML or spreadsheet version of the plan',
    )
  }
  const grids: Grid[] = []
  let context: Line[] = []
  let table: TableBuild | null = null

  const finishRow = () => {
    if (!table?.row) return
    const cells: Cell[] = table.row.cells.map((lines) => textCell(cellText(lines)))
    table.grid.rows.push({ location: `page ${table.row.page}, row ${table.grid.rows.length}`, cells })
    table.row = null
  }
  const finishTable = () => {
    finishRow()
    table = null
  }

  const lines = linesOf(runs)
  const running = runningLines(lines)
  let previousHeaderLine = null as Line | null
  for (const line of lines) {
    const lineText = lineOf(line)
    if (PAGE_FOOTER.test(lineText) || running.has(line)) continue
    if (table && CONTINUED.test(lineText)) continue
    const header = headerColumns(line)
    if (header) {
      if (table && sameColumns(table.columns, header) && context.every((l) => CONTINUED.test(lineOf(l)))) {
        // The heading repeated on a new page: the table, and the row being read, go on.
        context = []
        previousHeaderLine = line
        table.pageStart = true
        continue
      }
      finishTable()
      const parts = contextParts(context)
      for (const part of parts.slice(0, -1)) {
        const only = headingOnlyGrid(part, line.page, grids.length + 1)
        if (only) grids.push(only)
      }
      const grid: Grid = {
        label: `table ${grids.length + 1} (page ${line.page})`,
        context: parts[parts.length - 1],
        rows: [{ location: `page ${line.page}, heading row`, cells: header.map((phrase) => textCell(phrase.text)) }],
      }
      grids.push(grid)
      table = {
        grid,
        columns: header,
        row: null,
        bodyHeight: line.height,
        headerDone: false,
        pageStart: false,
        rowRef: '',
      }
      previousHeaderLine = line
      context = []
      continue
    }
    if (!table) {
      context.push(line)
      continue
    }
    const current: TableBuild = table
    let phrases = phrasesOf(line)
    // A row split across pages may carry its number again, marked "12.3 (cont.)": the same row goes on.
    const carried = phrases.find((phrase) => columnOf(current.columns, phrase.x) === 0 && CONTINUED.test(phrase.text))
    if (carried) phrases = phrases.filter((phrase) => phrase !== carried)
    if (phrases.length === 0) continue
    const above = previousHeaderLine
    if (current.headerDone && above && above.page === line.page && above.y - line.y <= line.height * 1.8) {
      // The second line of a heading repeated on a new page.
      previousHeaderLine = line
      if (!phrases.some((phrase) => columnOf(current.columns, phrase.x) === 0)) continue
    }
    if (current.headerDone) previousHeaderLine = null
    const firstColumn = phrases.filter((phrase) => columnOf(current.columns, phrase.x) === 0)
    if (current.pageStart && current.row && firstColumn[0]?.text === current.rowRef) {
      // The row's number again at the top of the next page: the same row goes on.
      phrases = phrases.filter((phrase) => phrase !== firstColumn[0])
      firstColumn.shift()
    }
    current.pageStart = false
    const leftOfTable = phrases[0].x < current.columns[0].x - 1
    const resized = current.headerDone && Math.abs(line.height - current.bodyHeight) > 1.5
    const startsRow = !leftOfTable && !resized && firstColumn.length > 0 && ROW_START.test(firstColumn[0].text)
    if (!startsRow && (leftOfTable || resized) && current.row !== null) {
      // Text outside the table (a heading, a paragraph): the table has ended.
      finishTable()
      context.push(line)
      continue
    }
    if (!startsRow && !current.headerDone && current.row === null) {
      const heading = previousHeaderLine
      if (heading && heading.page === line.page && heading.y - line.y <= line.height * 1.8) {
        // A heading that wraps onto a second line ("Supporting" / "documents").
        const headerRow = current.grid.rows[0] as GridRow
        for (const phrase of phrases) {
          const cell = headerRow.cells[columnOf(current.columns, phrase.x)]
          cell.text = `${cell.text} ${phrase.text}`.trim()
        }
        previousHeaderLine = line
      }
      continue
    }
    if (startsRow) {
      finishRow()
      current.rowRef = firstColumn[0].text
      current.headerDone = true
      current.bodyHeight = line.height
      current.row = { page: line.page, cells: current.columns.map(() => []) }
    }
    if (!current.row) continue
    for (const phrase of phrases) {
      current.row.cells[columnOf(current.columns, phrase.x)].push({ y: line.y, height: line.height, text: phrase.text })
    }
  }
  finishTable()
  if (grids.length > 0) {
    for (const part of contextParts(context)) {
      const only = headingOnlyGrid(part, context[context.length - 1]?.page ?? 1, grids.length + 1)
      if (only) grids.push(only)
    }
  }
  if (grids.length === 0) {
    throw new PlanImportError(
      'found a PDF with no table headed like a plan (for example "Ref", "Evidence requirement", "Owner", "Update", "Status"); import the Word, HTML or spreadsheet version of the plan',
    )
  }
  return grids
}

const HEADING = /^recommendation\s+(?:no\.?\s*)?(\d{1,2})\b\s*[:.)\-–—]?\s*/i

/**
 * The text before a table as paragraphs, leaving out "(continued)" headings and, after a "Recommendation 7" heading,
 * "Deadline: ..." style lines, which describe the recommendation rather than being its text. Split at each such
 * heading: the last part is the table's context; each earlier part is a recommendation with no table of its own.
 */
function contextParts(lines: Line[]): string[] {
  const parts: string[][] = [[]]
  let afterHeading = false
  for (const paragraph of paragraphs(lines.filter((line) => !CONTINUED.test(lineOf(line))))) {
    if (HEADING.test(paragraph)) {
      if (afterHeading) parts.push([])
      afterHeading = true
    } else if (
      afterHeading &&
      (KEY_VALUE.test(paragraph) || /^no evidence (?:requirements|items)\b/i.test(paragraph))
    ) {
      continue
    }
    parts[parts.length - 1].push(paragraph)
  }
  return parts.map((part) => part.join('\n'))
}

/** A recommendation given as a heading and its text with no table under it, as a one-row grid. */
function headingOnlyGrid(text: string, page: number, index: number): Grid | null {
  const [heading, ...rest] = text.split('\n')
  const match = HEADING.exec(heading)
  if (!match) return null
  const recText = [heading.slice(match[0].length), ...rest].filter((part) => part.trim()).join('\n')
  return {
    label: `heading ${index} (page ${page})`,
    context: '',
    rows: [
      {
        location: `page ${page}, heading "${heading.slice(0, 60)}"`,
        cells: [textCell('Recommendation number'), textCell('Recommendation text'), textCell('Evidence requirement')],
      },
      {
        location: `page ${page}, heading "${heading.slice(0, 60)}"`,
        cells: [textCell(match[1]), textCell(recText), textCell('')],
      },
    ],
  }
}

/**
 * Running heads and feet: at the top or foot of a page, the same text (numbers aside) near the same height on more
 * than half the pages (at least two), such as "Force stalking action plan. Page 3 of 9".
 */
function runningLines(lines: Line[]): Set<Line> {
  const pages = new Set(lines.map((line) => line.page)).size
  const byText = new Map<string, Line[]>()
  const edges = new Set<Line>()
  lines.forEach((line, index) => {
    // The first two and last two lines of each page: where running heads and feet are.
    const samePage = (offset: number) => lines[index + offset]?.page === line.page
    if (!samePage(-2) || !samePage(2)) edges.add(line)
  })
  for (const line of edges) {
    if (headerColumns(line)) continue
    const key = `${Math.round(line.y / 10)}|${lineOf(line).replace(/\d+/g, '#')}`
    byText.set(key, [...(byText.get(key) ?? []), line])
  }
  const running = new Set<Line>()
  for (const group of byText.values()) {
    const onPages = new Set(group.map((line) => line.page)).size
    if (onPages >= 2 && onPages * 2 > pages) for (const line of group) running.add(line)
  }
  return running
}

function lineOf(line: Line): string {
  return phrasesOf(line)
    .map((phrase) => phrase.text)
    .join(' ')
}
