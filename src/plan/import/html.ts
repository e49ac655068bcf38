// HTML pages saved from force websites, and DOCX converted to HTML by mammoth: every table becomes a grid, with
// row and column spans expanded (a cell spanning rows repeats down them; a cell spanning columns fills the first).
import { load } from 'cheerio'
import type { CheerioAPI } from 'cheerio'
import type { AnyNode, Element } from 'domhandler'
import type { Cell, Grid, GridRow } from './grid.ts'
import { emptyCell, safeUrl } from './grid.ts'
import type { Meta } from './interpret.ts'
import { metaFromLines } from './interpret.ts'
import { cleanText } from './normalise.ts'

const TEXT_BLOCKS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'li', 'caption', 'dt', 'dd'])
const MAX_SPAN = 200

export interface HtmlTables {
  grids: Grid[]
  meta: Partial<Meta>
  /** Number of <table> elements, counted as the grids' labels count them. */
  tableCount: number
}

function cellOf($: CheerioAPI, el: Element): Cell {
  const links = $(el)
    .find('a[href]')
    .toArray()
    .map((a) => {
      const url = safeUrl($(a).attr('href'))
      const name = cleanText($(a).html() ?? '') || url || ''
      return { name, url }
    })
    .filter((l) => l.name)
  return { text: cleanText($(el).html() ?? ''), links, date: null }
}

function gridOf($: CheerioAPI, table: Element, n: number, context: string): Grid {
  const label = `table ${n}`
  const trs = $(table)
    .find('tr')
    .toArray()
    .filter((tr) => $(tr).closest('table')[0] === table)
  const rows: GridRow[] = []
  const pending = new Map<number, { cell: Cell; left: number }>() // column → cell spanning down
  trs.forEach((tr, r) => {
    const cells: Cell[] = []
    let col = 0
    const fillPending = (): void => {
      for (let p = pending.get(col); p; p = pending.get(col)) {
        cells[col] = p.cell
        if (--p.left === 0) pending.delete(col)
        col++
      }
    }
    for (const td of $(tr).children('td, th').toArray()) {
      fillPending()
      const cell = cellOf($, td)
      const colspan = Math.min(MAX_SPAN, Math.max(1, Number($(td).attr('colspan')) || 1))
      const rowspan = Math.min(MAX_SPAN, Math.max(1, Number($(td).attr('rowspan')) || 1))
      cells[col] = cell
      if (rowspan > 1) pending.set(col, { cell, left: rowspan - 1 })
      for (let k = 1; k < colspan; k++) {
        cells[col + k] = emptyCell()
        if (rowspan > 1) pending.set(col + k, { cell: emptyCell(), left: rowspan - 1 })
      }
      col += colspan
    }
    fillPending()
    // Spans from rows above that sit to the right of this row's last cell.
    for (const [c, p] of [...pending.entries()].sort((a, b) => a[0] - b[0])) {
      if (c < col || cells[c]) continue
      cells[c] = p.cell
      if (--p.left === 0) pending.delete(c)
    }
    for (let i = 0; i < cells.length; i++) cells[i] ??= emptyCell()
    rows.push({ location: `${label}, row ${r + 1}`, cells })
  })
  return { label, context, rows }
}

/** Reads every innermost table of an HTML document, with the text that stands before each as its context. */
export function htmlTables(html: string): HtmlTables {
  const $ = load(html)
  const grids: Grid[] = []
  const texts: string[] = []
  let sinceLast: string[] = []
  const preamble: string[] = []
  let n = 0
  const walk = (nodes: AnyNode[]): void => {
    for (const node of nodes) {
      if (node.type !== 'tag') continue
      const name = node.name.toLowerCase()
      if (name === 'script' || name === 'style' || name === 'noscript' || name === 'template') continue
      if (name === 'table') {
        if ($(node).find('table').length > 0) {
          walk(node.children)
          continue
        }
        n++
        const caption = cleanText($(node).children('caption').html() ?? '')
        grids.push(gridOf($, node, n, [...sinceLast, caption].filter((t) => t).join('\n')))
        sinceLast = []
        continue
      }
      if (TEXT_BLOCKS.has(name)) {
        const t = cleanText($(node).html() ?? '')
        if (t) {
          texts.push(t)
          sinceLast.push(t)
          if (n === 0) preamble.push(...t.split('\n'))
        }
        continue
      }
      walk(node.children)
    }
  }
  walk($.root().children().toArray())
  const meta: Partial<Meta> = metaFromLines(preamble)
  const title = cleanText($('h1').first().html() ?? '') || cleanText($('title').first().text())
  if (title) meta.title = title.replace(/\n/g, ' ')
  void texts
  return { grids, meta, tableCount: n }
}
