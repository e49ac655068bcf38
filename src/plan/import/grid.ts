// The neutral shape every container (seed text, CSV, HTML, DOCX, XLSX, ODS) is turned into before it is read as a plan.
import type { PlanDocumentRef } from '../model.ts'
import { safeLink } from '../../platform/links.ts'
import { cleanText } from './normalise.ts'

export interface Cell {
  /** Clean text (see cleanText): no markup, paragraphs separated by '\n'. */
  text: string
  /** Links the cell holds, in order. */
  links: PlanDocumentRef[]
  /** A typed date from a spreadsheet cell, as 'YYYY-MM-DD'. */
  date: string | null
}

export interface GridRow {
  /** Full location of the row in the source: "line 12", "table 2, row 3", "sheet 'Plan', row 4". */
  location: string
  cells: Cell[]
}

export interface Grid {
  /** "table 2", "sheet 'Plan'", or '' for a single-table source (CSV, text). */
  label: string
  /** Text just before the table (headings, paragraphs), '\n' separated. */
  context: string
  rows: GridRow[]
}

export const emptyCell = (): Cell => ({ text: '', links: [], date: null })

export function textCell(raw: string): Cell {
  return { text: cleanText(raw), links: [], date: null }
}

/**
 * A link's href as given, if it is safe to follow: web, mail, or within Threadline; never javascript:, data: or a path a
 * browser takes to another site (`//host`, `/\\host`: an open redirect from the public plan page).
 */
export function safeUrl(href: string | null | undefined): string | null {
  return safeLink(href)
}

export function isEmptyRow(row: GridRow): boolean {
  return row.cells.every((c) => c.text === '' && c.links.length === 0 && c.date === null)
}
