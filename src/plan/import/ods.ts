// ODS (OpenDocument spreadsheet) through jszip + cheerio in XML mode, reading content.xml. Repeated rows and columns
// (table:number-rows-repeated / number-columns-repeated) are expanded when they hold content and skipped (but
// counted, so row numbers stay right) when empty; merged cells follow the same rule as XLSX.
import { load } from 'cheerio'
import type { CheerioAPI } from 'cheerio'
import type { AnyNode, Element } from 'domhandler'
import type JSZip from 'jszip'
import { PlanImportError } from '../model.ts'
import type { Cell, Grid, GridRow } from './grid.ts'
import { emptyCell, safeUrl } from './grid.ts'
import { cleanText } from './normalise.ts'

const MAX_ROWS = 20_000
const MAX_COLUMNS = 200
export const ODS_MIMETYPE = 'application/vnd.oasis.opendocument.spreadsheet'

function paragraphText(node: AnyNode, links: Cell['links'], $: CheerioAPI): string {
  if (node.type === 'text') return node.data
  if (node.type !== 'tag') return ''
  switch (node.name) {
    case 'text:s':
      return ' '.repeat(Math.min(100, Number(node.attribs['text:c'] ?? 1) || 1))
    case 'text:tab':
      return '\t'
    case 'text:line-break':
      return '\n'
    case 'text:a': {
      const t = node.children.map((c) => paragraphText(c, [], $)).join('')
      const url = safeUrl(node.attribs['xlink:href'])
      if (url) links.push({ name: cleanText(t.replace(/</g, '&lt;')) || url, url })
      return t
    }
    case 'office:annotation':
      return ''
    default:
      return node.children.map((c) => paragraphText(c, links, $)).join('')
  }
}

function cellOf($: CheerioAPI, el: Element): Cell {
  const links: Cell['links'] = []
  const paras = $(el)
    .children('text\\:p, text\\:h, text\\:list')
    .toArray()
    .map((p) => paragraphText(p, links, $))
  const type = el.attribs['office:value-type']
  // A percentage cell's value is a fraction (0.6 shown as 60%): read the value, whatever the shown text rounds to.
  const fraction = type === 'percentage' ? Number(el.attribs['office:value']) : NaN
  const text = Number.isFinite(fraction)
    ? `${Math.round(fraction * 10000) / 100}%`
    : cleanText(paras.join('\n').replace(/</g, '&lt;'))
  const dateValue = el.attribs['office:date-value']
  const date = type === 'date' && dateValue && /^\d{4}-\d{2}-\d{2}/.test(dateValue) ? dateValue.slice(0, 10) : null
  return { text, links, date }
}

const hasContent = (c: Cell): boolean => c.text !== '' || c.date !== null || c.links.length > 0

export async function odsGrids(zip: JSZip): Promise<Grid[]> {
  const file = zip.file('content.xml')
  if (!file) throw new PlanImportError('the OpenDocument spreadsheet (ODS) has no content.xml; it is damaged')
  let xml: string
  try {
    xml = await file.async('string')
  } catch {
    throw new PlanImportError(
      'the OpenDocument spreadsheet (ODS) could not be opened: its content.xml is damaged; save it again from the program that made it',
    )
  }
  const $ = load(xml, { xml: true })
  const grids: Grid[] = []
  $('table\\:table').each((_, table) => {
    const name = table.attribs['table:name'] ?? `${grids.length + 1}`
    const label = `sheet '${name}'`
    const rows: GridRow[] = []
    // Cells merged down: column → { cell, last row index covered }.
    const spans = new Map<number, { cell: Cell; until: number; across: number }>()
    let r = 0
    const rowEls = $(table)
      .find('table\\:table-row')
      .toArray()
      .filter((tr) => $(tr).closest('table\\:table')[0] === table)
    for (const tr of rowEls) {
      const repeat = Math.max(1, Number(tr.attribs['table:number-rows-repeated'] ?? 1) || 1)
      const cells: Cell[] = []
      let c = 0
      for (const td of $(tr).children('table\\:table-cell, table\\:covered-table-cell').toArray()) {
        const times = Math.max(1, Number(td.attribs['table:number-columns-repeated'] ?? 1) || 1)
        if (td.name === 'table:covered-table-cell') {
          for (let k = 0; k < times && c < MAX_COLUMNS; k++, c++) {
            const span = [...spans.entries()].find(([col, s]) => r <= s.until && c >= col && c < col + s.across)
            cells[c] = span && span[0] === c ? span[1].cell : emptyCell()
          }
          continue
        }
        const cell = cellOf($, td)
        const rowsSpanned = Number(td.attribs['table:number-rows-spanned'] ?? 1) || 1
        const colsSpanned = Number(td.attribs['table:number-columns-spanned'] ?? 1) || 1
        if (rowsSpanned > 1) spans.set(c, { cell, until: r + rowsSpanned - 1, across: colsSpanned })
        if (!hasContent(cell)) {
          c += times // empty (often thousands of repeated columns): count, do not allocate
          continue
        }
        for (let k = 0; k < times && c < MAX_COLUMNS; k++, c++) cells[c] = cell
      }
      const filled: Cell[] = []
      for (let i = 0; i < Math.min(cells.length, MAX_COLUMNS); i++) filled.push(cells[i] ?? emptyCell())
      if (!filled.some(hasContent)) {
        r += repeat
        continue
      }
      if (r + repeat > MAX_ROWS) {
        throw new PlanImportError(
          `${label} repeats a row ${repeat} times, more than the ${MAX_ROWS} rows read`,
          `${label}, row ${r + 1}`,
        )
      }
      for (let k = 0; k < repeat; k++, r++) rows.push({ location: `${label}, row ${r + 1}`, cells: filled })
    }
    grids.push({ label, context: '', rows })
  })
  return grids
}
