// The valid inputs the fuzz suite mutates: the plan importer's fixtures in every format it reads (the seed's converted
// table, CSV, HTML, XLSX, ODS, DOCX) plus an invented plan exported as XLSX, ODS and PDF, and crime extracts (CSV and
// Excel) from the good fixture and from the seeded generator. Each imports cleanly as it is; the suite checks that
// first.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { generateRecords, writeImportFiles } from '../../src/crime/generator/index.ts'
import { parseCsvChunk } from '../../src/crime/import/csv.ts'
import { exportPlan } from '../../src/plan/export/index.ts'
import { wessexValePlan } from '../../src/plan/export/test-plan.ts'
import { extractCsv, extractWorkbook } from '../support/extracts.ts'
import type { Shape } from './mutations.ts'

export interface Seed {
  name: string
  content: Buffer
}

export interface FuzzFormat {
  /** Its name in reports and in FUZZ_CASE, e.g. "plan-xlsx". */
  name: string
  importer: 'plan' | 'crime'
  shape: Shape
  seeds: Seed[]
}

export const CRIME_FORCE = 'Demoshire Police'
const FIXED = new Date(Date.UTC(2026, 0, 1))

const fixture = (name: string): Seed => ({ name, content: readFileSync(`test/fixtures/plans/${name}`) })

async function exported(format: 'xlsx' | 'ods' | 'pdf'): Promise<Seed> {
  const file = await exportPlan(wessexValePlan(), format, { now: FIXED })
  return { name: `wessex-vale-export.${format}`, content: file.body }
}

/** Generated crime records (seeded) as the single-file CSV extract the generator writes. */
async function generatedCsv(crimes: number, seed: number): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'threadline-fuzz-seed-'))
  try {
    const written = await writeImportFiles(generateRecords({ crimes, seed, force: CRIME_FORCE }), dir, {
      layout: 'single',
      force: CRIME_FORCE,
    })
    return readFileSync(written.files[0])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function workbookOf(csv: Buffer): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('Crimes')
  for (const row of parseCsvChunk(csv.toString('utf8'), 0, 1, true).rows) sheet.addRow(row.cells)
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

export async function fuzzFormats(): Promise<FuzzFormat[]> {
  const generated = await generatedCsv(40, 7)
  return [
    { name: 'plan-seed-text', importer: 'plan', shape: 'text', seeds: [fixture('northamptonshire-seed.txt')] },
    {
      name: 'plan-csv',
      importer: 'plan',
      shape: 'text',
      seeds: ['fenland-reach.csv', 'kestrelford-sub-recommendation.csv', 'orchardleigh-headed-sheet.csv'].map(fixture),
    },
    {
      name: 'plan-html',
      importer: 'plan',
      shape: 'text',
      seeds: ['wessex-vale-wide.html', 'northmoor-keyvalue.html', 'eastmarch-per-recommendation.html'].map(fixture),
    },
    {
      name: 'plan-xlsx',
      importer: 'plan',
      shape: 'xlsx',
      seeds: [fixture('tarnbrook.xlsx'), fixture('marshwick-percent.xlsx'), await exported('xlsx')],
    },
    {
      name: 'plan-ods',
      importer: 'plan',
      shape: 'zip',
      seeds: [fixture('hollowdale.ods'), fixture('marshwick-percent.ods'), await exported('ods')],
    },
    { name: 'plan-docx', importer: 'plan', shape: 'zip', seeds: [fixture('greyhithe.docx')] },
    { name: 'plan-pdf', importer: 'plan', shape: 'pdf', seeds: [await exported('pdf')] },
    {
      name: 'crime-csv',
      importer: 'crime',
      shape: 'text',
      seeds: [
        { name: 'fixture-extract.csv', content: extractCsv(3, 'FZ') },
        { name: 'generated-extract.csv', content: generated },
      ],
    },
    {
      name: 'crime-xlsx',
      importer: 'crime',
      shape: 'xlsx',
      seeds: [
        { name: 'fixture-extract.xlsx', content: await extractWorkbook(3, 'FZ') },
        { name: 'generated-extract.xlsx', content: await workbookOf(generated) },
      ],
    },
  ]
}
