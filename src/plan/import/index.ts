// Reads any force's published action plan into the ParsedPlan model. The format is recognised by content, never by
// the file name: zip containers are opened and looked inside, text is tried as interchange JSON, HTML, the
// converted-table text of the seed, then CSV. Anything not understood is refused with a PlanImportError that says
// what was found, what was expected and where.
import JSZip from 'jszip'
import { ArchiveRefusedError, checkArchive, type ArchiveLimits } from '../../platform/archive.ts'
import { decodeWindows1252 } from '../../platform/text.ts'
import type { Catalogue } from '../catalogue/catalogue.ts'
import { loadCatalogue } from '../catalogue/catalogue.ts'
import { parseInterchangeJson } from '../interchange.ts'
import type { ParsedPlan } from '../model.ts'
import { PlanImportError } from '../model.ts'
import { assemblePlan } from './assemble.ts'
import { docxTables } from './docx.ts'
import type { HtmlTables } from './html.ts'
import { htmlTables } from './html.ts'
import type { GridsReading } from './interpret.ts'
import { metaFromLines, readGrids } from './interpret.ts'
import { ODS_MIMETYPE, odsGrids } from './ods.ts'
import { pdfGrids } from './pdf.ts'
import { csvGrid, looksTabSeparated, readTabText } from './text.ts'
import { xlsxGrids } from './xlsx.ts'

export { PlanImportError } from '../model.ts'

/** Largest document read (bytes). */
export const MAX_PLAN_BYTES = 25 * 1024 * 1024

/**
 * What a plan's zip container (DOCX, XLSX, ODS) may hold, checked before any library opens it. A published plan is
 * a table of a few hundred rows: its files expand to a few megabytes; 100 MB is far beyond any real one.
 */
export const PLAN_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 2000,
  maxExpandedBytes: 100 * 1024 * 1024,
  maxRatio: 1000,
  what: (names) =>
    names.includes('word/document.xml')
      ? 'Word document (DOCX)'
      : names.includes('xl/workbook.xml')
        ? 'spreadsheet (XLSX)'
        : names.includes('content.xml')
          ? 'OpenDocument spreadsheet (ODS)'
          : 'zip archive (DOCX, XLSX or ODS)',
}

export interface ReadPlanOptions {
  /** Recommendations to compare the document with; the bundled catalogue when omitted. */
  catalogue?: Catalogue
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04])
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06])
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])

export async function readPlanDocument(
  content: Buffer,
  fileName: string,
  options?: { catalogue?: Catalogue },
): Promise<ParsedPlan> {
  try {
    return withoutNul(await read(content, fileName, options))
  } catch (e) {
    if (e instanceof PlanImportError) {
      const where = e.location ? `${fileName}, ${e.location}` : fileName
      throw new PlanImportError(
        e.message.startsWith(`${e.location}: `) ? e.message.slice(`${e.location}: `.length) : e.message,
        where,
      )
    }
    if (e instanceof ArchiveRefusedError) throw new PlanImportError(e.message, fileName)
    // A library's own error text ("Cannot read properties of undefined") means nothing to the person importing.
    throw new PlanImportError(
      'the document could not be read: it is damaged, or built in a way Threadline does not read; save it again from the program that made it',
      fileName,
    )
  }
}

/**
 * Every text of the plan without NUL characters: a NUL in a document is damage, never content, and PostgreSQL's text
 * cannot hold one (the import failed there with the server's "invalid byte sequence for encoding UTF8: 0x00").
 */
function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return (value.includes('\0') ? value.split('\0').join('') : value) as T
  if (Array.isArray(value)) return value.map(withoutNul) as T
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutNul(item)])) as T
  }
  return value
}

async function read(content: Buffer, fileName: string, options?: ReadPlanOptions): Promise<ParsedPlan> {
  if (content.length === 0) throw new PlanImportError('the file is empty; expected a plan document')
  if (content.length > MAX_PLAN_BYTES) {
    throw new PlanImportError(
      `the file is ${content.length} bytes, more than the ${MAX_PLAN_BYTES} bytes a plan may be`,
    )
  }
  const catalogue = options?.catalogue ?? loadCatalogue()
  const head = content.subarray(0, 8)
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return readPdf(content, catalogue)
  if (head.equals(OLE_MAGIC)) {
    throw new PlanImportError(
      'found an old-style Office file (Word 97-2003 .doc or Excel 97-2003 .xls), which is not read: save it as DOCX or XLSX',
    )
  }
  if (head.subarray(0, 4).equals(ZIP_MAGIC) || head.subarray(0, 4).equals(EMPTY_ZIP_MAGIC))
    return readZip(content, catalogue)

  const text = decodeText(content)
  const trimmed = text.replace(/^\uFEFF/, '').trimStart()
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let isJson = true
    try {
      JSON.parse(trimmed)
    } catch {
      isJson = false
    }
    if (isJson) return readInterchange(text, fileName)
  }
  if (/<table[\s>]/i.test(text) || /<!doctype\s+html|<html[\s>]|<body[\s>]/i.test(text)) {
    const tables = htmlTables(text)
    return fromHtml(tables, tables.grids.length > 0 ? 'html' : 'html-empty', catalogue)
  }
  if (looksTabSeparated(text)) {
    const reading = readTabText(text)
    return assemblePlan({ format: 'seed-text', ...reading, catalogue })
  }
  const grid = csvGrid(text)
  const reading = readGrids([grid], 'a CSV table')
  return assemblePlan({ format: 'csv', ...reading, catalogue })
}

async function readPdf(content: Buffer, catalogue: Catalogue): Promise<ParsedPlan> {
  const grids = await pdfGrids(content)
  const reading = readGrids(grids, 'a table in the PDF')
  const preamble = grids[0].context.split('\n')
  const meta = { ...metaFromLines(preamble), ...reading.meta }
  const title = preamble.find((line) => /\bplan\b/i.test(line) && !/^[A-Za-z ]{3,30}:/.test(line))
  if (title && !meta.title) meta.title = title
  // A PDF repeats its column headings on every table and page: say each warning about them once.
  const seen = new Map<string, number>()
  const warnings = reading.warnings.filter((warning) => {
    if (!warning.location.endsWith('heading row')) return true
    seen.set(warning.message, (seen.get(warning.message) ?? 0) + 1)
    return seen.get(warning.message) === 1
  })
  return assemblePlan({ format: 'pdf', records: reading.records, warnings, meta, catalogue })
}

function readInterchange(text: string, fileName: string): ParsedPlan {
  return parseInterchangeJson(text, fileName)
}

/**
 * UTF-16 without a byte-order mark, told by its zero bytes: text in the Latin alphabets has a zero in every other byte
 * (the high byte of each character), on the odd bytes for little-endian and the even ones for big-endian, and none on
 * the others. A binary file has zeros on both.
 */
function utf16WithoutBom(content: Buffer): 'utf-16le' | 'utf-16be' | null {
  const length = Math.min(content.length, 4096) & ~1
  if (length < 4) return null
  let evenZeros = 0
  let oddZeros = 0
  for (let i = 0; i < length; i += 2) {
    if (content[i] === 0) evenZeros++
    if (content[i + 1] === 0) oddZeros++
  }
  const pairs = length / 2
  if (oddZeros >= pairs * 0.3 && evenZeros === 0) return 'utf-16le'
  if (evenZeros >= pairs * 0.3 && oddZeros === 0) return 'utf-16be'
  return null
}

/** UTF-8 (with or without BOM), UTF-16 with or without BOM, else Windows-1252 as older Office exports write. */
function decodeText(content: Buffer): string {
  if (content[0] === 0xff && content[1] === 0xfe) return new TextDecoder('utf-16le').decode(content.subarray(2))
  if (content[0] === 0xfe && content[1] === 0xff) return new TextDecoder('utf-16be').decode(content.subarray(2))
  const utf16 = utf16WithoutBom(content)
  if (utf16) return new TextDecoder(utf16).decode(content)
  if (content.subarray(0, Math.min(content.length, 4096)).includes(0)) {
    throw new PlanImportError(
      'found a binary file that is not a recognised document; expected DOCX, XLSX, ODS, HTML, CSV or the plan interchange JSON',
    )
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content)
  } catch {
    return decodeWindows1252(content)
  }
}

async function readZip(content: Buffer, catalogue: Catalogue): Promise<ParsedPlan> {
  await checkArchive(content, PLAN_ARCHIVE_LIMITS)
  let zip: JSZip
  try {
    zip = await JSZip.loadAsync(content)
  } catch {
    throw new PlanImportError(
      'the file starts like a zip archive (DOCX, XLSX or ODS) but could not be opened, so it is damaged or truncated; save it again from the program that made it',
    )
  }
  if (zip.file('word/document.xml')) {
    const tables = await docxTables(content)
    return fromHtml(tables, 'docx', catalogue)
  }
  if (zip.file('xl/workbook.xml')) {
    const reading = readGrids(await xlsxGrids(content), 'a worksheet')
    return assemblePlan({ format: 'xlsx', ...reading, catalogue })
  }
  const mimetype = zip.file('mimetype')
  const kind = mimetype ? (await mimetype.async('string')).trim() : null
  if (kind === ODS_MIMETYPE) {
    const reading = readGrids(await odsGrids(zip), 'a sheet')
    return assemblePlan({ format: 'ods', ...reading, catalogue })
  }
  if (kind?.startsWith('application/vnd.oasis.opendocument.text')) {
    throw new PlanImportError('found an OpenDocument text file (ODT), which is not read: save it as DOCX')
  }
  const names = Object.keys(zip.files).slice(0, 5)
  throw new PlanImportError(
    `found a zip archive holding ${names.map((n) => `"${n}"`).join(', ') || 'nothing'}${Object.keys(zip.files).length > 5 ? ', ...' : ''} but expected a DOCX (word/document.xml), XLSX (xl/workbook.xml) or ODS (mimetype ${ODS_MIMETYPE})`,
  )
}

function fromHtml(tables: HtmlTables, container: string, catalogue: Catalogue): ParsedPlan {
  const what = container === 'docx' ? 'a table in the Word document' : 'a table'
  if (tables.grids.length === 0) {
    throw new PlanImportError(
      container === 'docx'
        ? 'found a Word document with no table; expected the plan as a table with a recommendation number column and an evidence requirement column'
        : 'found an HTML page with no table; expected the plan as a table with a recommendation number column and an evidence requirement column',
    )
  }
  const reading: GridsReading = readGrids(tables.grids, what)
  const meta = { ...tables.meta, ...reading.meta }
  let format = container
  if (container === 'html') {
    if (reading.shapes.includes('keyvalue')) format = 'html-keyvalue'
    else if (reading.shapes.includes('wide')) format = 'html-wide'
    else if (reading.planGrids > 1) format = 'html-per-recommendation'
    else format = 'html-table'
  }
  return assemblePlan({ format, records: reading.records, warnings: reading.warnings, meta, catalogue })
}
