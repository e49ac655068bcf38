// CSV: the action plan table only (one row per evidence item), UTF-8 with a byte order mark so Excel reads it as
// UTF-8, CRLF line ends (RFC 4180).
//
// Formula neutralisation: a text cell beginning with = + - @ TAB or CR gets a leading apostrophe, so a spreadsheet
// shows it as text instead of running it. Number cells (Rec. No. and %) come from typed numbers Threadline computed,
// never from text a user typed, so they are written as plain numbers and never prefixed: a negative number stays
// "-5". Text that merely looks numeric, such as an owner written "-1", is text and is prefixed.
import { stringify } from 'csv-stringify/sync'
import type { ExportablePlan } from '../interchange.ts'
import { PLAN_COLUMNS, planRows, type Cell } from './rows.ts'

const FORMULA_START = /^[=+\-@\t\r]/

/** A text cell made safe to open in a spreadsheet; numbers and empty cells pass through. */
export function neutraliseCell(cell: Cell): string | number {
  if (cell === null) return ''
  if (typeof cell === 'number') return cell
  return FORMULA_START.test(cell) ? `'${cell}` : cell
}

export function planCsv(plan: ExportablePlan): Buffer {
  const records = [PLAN_COLUMNS.map((c) => c.header), ...planRows(plan).map((row) => row.map(neutraliseCell))]
  return Buffer.from(stringify(records, { bom: true, record_delimiter: 'windows' }), 'utf8')
}
