// CSV: the action plan table only (one row per evidence item), UTF-8 with a byte order mark so Excel reads it as
// UTF-8, CRLF line ends (RFC 4180).
//
// Cells are neutralised against formulas (platform/csv.ts): Rec. No. and % are numbers Threadline computed and stay
// numbers; every text cell a user typed is prefixed when a spreadsheet would run it.
import { stringify } from 'csv-stringify/sync'
import type { ExportablePlan } from '../interchange.ts'
import { neutraliseCell } from '../../platform/csv.ts'
import { PLAN_COLUMNS, planRows } from './rows.ts'

export function planCsv(plan: ExportablePlan): Buffer {
  const records = [PLAN_COLUMNS.map((c) => c.header), ...planRows(plan).map((row) => row.map(neutraliseCell))]
  return Buffer.from(stringify(records, { bom: true, record_delimiter: 'windows' }), 'utf8')
}
