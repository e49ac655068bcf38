// Cells for CSV files people open in a spreadsheet. A text cell beginning with = + - @ TAB or CR gets a leading
// apostrophe, so the spreadsheet shows it as text instead of running it as a formula. Numbers Threadline computed are
// written as numbers and never prefixed (a negative stays "-5"); text that merely looks numeric ("-1") is prefixed.
const FORMULA_START = /^[=+\-@\t\r]/

/** A cell made safe to open in a spreadsheet; numbers pass through and null is empty. */
export function neutraliseCell(cell: string | number | null): string | number {
  if (cell === null) return ''
  if (typeof cell === 'number') return cell
  return FORMULA_START.test(cell) ? `'${cell}` : cell
}
