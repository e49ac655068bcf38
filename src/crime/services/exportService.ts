// CSV and XLSX exports of a crime search. CSV cells that a spreadsheet would run as a formula are neutralised.
import { stringify } from 'csv-stringify/sync'
import ExcelJS from 'exceljs'
import type { CrimeSummary } from './crimeService.ts'
import { FLAG_LABELS } from './searchFilters.ts'
import { neutraliseCell } from '../../platform/csv.ts'

const HEADER = [
  'Reference',
  'Record type',
  'Reported',
  'Principal code',
  'Principal classification',
  'Included codes',
  'Included classifications',
  'Team',
  'Officer in case',
  'Status',
  'Outcome type',
  'Outcome',
  'Flags',
]

function row(crime: CrimeSummary): (string | number)[] {
  return [
    crime.reference,
    crime.kind === 'intelligence' ? 'Intelligence report' : 'Crime',
    crime.reportedAt.slice(0, 10),
    crime.principal?.code ?? '',
    crime.principal?.name ?? '',
    crime.included.map((entry) => entry.code).join('; '),
    crime.included.map((entry) => entry.name).join('; '),
    crime.team ?? '',
    crime.officerInCase ?? '',
    crime.status ?? '',
    crime.outcome?.number ?? '',
    crime.outcome?.name ?? '',
    crime.flags.map((flag) => FLAG_LABELS[flag]).join('; '),
  ]
}

export function toCsv(crimes: CrimeSummary[]): string {
  return stringify([HEADER, ...crimes.map((crime) => row(crime).map(neutraliseCell))], { bom: true })
}

export async function toXlsx(crimes: CrimeSummary[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Threadline'
  const sheet = workbook.addWorksheet('Crimes')
  sheet.addRow(HEADER).font = { bold: true }
  // Strings stay strings in XLSX (exceljs writes no formula unless asked), so nothing here runs on opening.
  for (const crime of crimes) sheet.addRow(row(crime))
  sheet.columns.forEach((column) => (column.width = 18))
  sheet.views = [{ state: 'frozen', ySplit: 1 }]
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
