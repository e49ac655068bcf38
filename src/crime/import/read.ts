// Extract readers: recognise each file by its header, parse it as a stream and validate every row against the
// reference data. Parsing and validation only: nothing here touches storage. See docs/crime-import-formats.md.

import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import { z } from 'zod'
import type {
  ClassificationInput,
  CrimeRecordInput,
  PartyInput,
  PartyRole,
  PersonIdentifier,
  RowProblem,
} from '../model.ts'
import { reference } from '../reference/index.ts'
import {
  CSV_DELIMITERS,
  CSV_ENCODINGS,
  CsvSyntaxError,
  DELIMITER_NAMES,
  ENCODING_NAMES,
  csvFileRows,
  looksLikeText,
  sniffCsvFormat,
  type CsvFormat,
  type CsvRow,
} from './csv.ts'
import { isOldOffice, isZip, xlsxFileRows } from './xlsx.ts'
import { DATE_FORMATS, isoOf, parseDate, type DateFormat } from './dates.ts'
import synonyms from './synonyms.json' with { type: 'json' }
import { unreadableFileReason } from '../../platform/files.ts'
import { ArchiveRefusedError, checkArchiveFile, type ArchiveLimits } from '../../platform/archive.ts'

/**
 * What an Excel extract may hold, checked before the workbook is streamed: a real workbook's XML compresses 5 to 30
 * times, so 1 GB or 100 times the file (whichever is more) is beyond any real one, and no entry compresses 500 times.
 */
export function workbookLimits(fileBytes: number): ArchiveLimits {
  return {
    maxEntries: 10_000,
    maxExpandedBytes: Math.max(1024 ** 3, 100 * fileBytes),
    maxRatio: 500,
    what: 'Excel workbook (.xlsx)',
  }
}

export type CrimeField = keyof typeof synonyms.fields
export type ClassificationField = keyof typeof synonyms.classificationFields
export type PartyField = keyof typeof synonyms.partyFields
export type MappableField = CrimeField | ClassificationField | PartyField

const MAPPABLE = [
  ...new Set([
    ...Object.keys(synonyms.fields),
    ...Object.keys(synonyms.classificationFields),
    ...Object.keys(synonyms.partyFields),
  ]),
] as [MappableField, ...MappableField[]]

export const columnMappingSchema = z
  .object({
    columns: z.record(z.string().min(1), z.enum(MAPPABLE)),
    dateFormat: z.enum(DATE_FORMATS).optional(),
    includedDelimiter: z.string().min(1).max(3).optional(),
    /** The files' text encoding, when working it out from the bytes is not enough. */
    encoding: z.enum(CSV_ENCODINGS).optional(),
    /** The field separator, when the header line does not make it plain. */
    delimiter: z.enum(CSV_DELIMITERS).optional(),
  })
  .strict()

export type ColumnMapping = z.infer<typeof columnMappingSchema>

/** Reads and validates a mapping file; the error names the file and the field at fault. */
export function loadColumnMapping(file: string): ColumnMapping {
  let data: unknown
  try {
    data = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new Error(`${file}: cannot read the mapping file as JSON (${(error as Error).message})`, { cause: error })
  }
  const result = columnMappingSchema.safeParse(data)
  if (!result.success) {
    const issue = result.error.issues[0]
    const field = issue.path.join('.')
    throw new Error(`${file}${field ? `, field "${field}"` : ''}: ${issue.message}`)
  }
  return result.data
}

export type ReadResult = { record: CrimeRecordInput; source: { file: string; line: number } } | { problem: RowProblem }

export interface ImportNotice {
  file: string
  message: string
}

export interface ReadOptions {
  mapping?: ColumnMapping
  /** When given, rows naming another force are problems. */
  forceName?: string
  onProgress?: (bytesRead: number, totalBytes: number) => void
}

/** The stream of results, plus notices (not problems) gathered while reading: lossy formats, ignored columns. */
export interface CrimeExtractReader extends AsyncIterable<ReadResult> {
  notices(): ImportNotice[]
}

export type ExtractKind = 'crimes' | 'classifications' | 'parties' | 'policeUk' | 'unknown'

export const normaliseHeader = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '')

function table(entries: Record<string, string[]>): Map<string, string> {
  const map = new Map<string, string>()
  for (const [field, names] of Object.entries(entries)) {
    if (field.startsWith('_')) continue
    for (const name of names) if (!map.has(normaliseHeader(name))) map.set(normaliseHeader(name), field)
  }
  return map
}

const CRIME_TABLE = table(synonyms.fields)
const CLASSIFICATION_TABLE = table(synonyms.classificationFields)
const PARTY_TABLE = table(synonyms.partyFields)
const POLICE_UK = synonyms.policeUk.map(normaliseHeader)

export interface DetectedExtract {
  kind: ExtractKind
  /** Field name -> column index. */
  columns: Map<string, number>
  /** Headers that map to nothing. */
  ignored: string[]
  /** Columns of one role's people ("Victim", "Suspect 2", "Injured Party"): each cell one or more named people. */
  roleColumns?: { index: number; role: PartyRole }[]
}

/** A header naming one role's people, with an optional number or "name(s)": "Victim", "Suspect 2", "IP Name". */
const ROLE_HEADER =
  /^(victim|suspect|offender|perpetrator|accused|witness|injuredparty|complainant|ip|namedsuspect)s?(?:names?|details)?\d{0,2}$/

/** Recognises a file by its header row. */
export function detectExtract(header: readonly string[], mapping?: ColumnMapping): DetectedExtract {
  const normalised = header.map(normaliseHeader)
  const mapped = new Map<string, string>()
  for (const [theirs, ours] of Object.entries(mapping?.columns ?? {})) mapped.set(normaliseHeader(theirs), ours)
  if (['crimeid', 'month', 'crimetype', 'fallswithin'].every((name) => normalised.includes(name))) {
    const columns = new Map<string, number>()
    POLICE_UK.forEach((name) => {
      const at = normalised.indexOf(name)
      if (at >= 0) columns.set(name, at)
    })
    return { kind: 'policeUk', columns, ignored: header.filter((_, i) => !POLICE_UK.includes(normalised[i])) }
  }
  const resolve = (lookup: Map<string, string>) => {
    const columns = new Map<string, number>()
    const ignored: string[] = []
    normalised.forEach((name, i) => {
      const field = mapped.get(name) ?? lookup.get(name)
      if (field && !columns.has(field)) columns.set(field, i)
      else ignored.push(header[i])
    })
    return { columns, ignored }
  }
  const crimes = resolve(CRIME_TABLE)
  if (crimes.columns.has('forceReference') && crimes.columns.has('reportedAt')) {
    const roleColumns: { index: number; role: PartyRole }[] = []
    const ignored = crimes.ignored.filter((headerText) => {
      const index = header.indexOf(headerText)
      const match = ROLE_HEADER.exec(normalised[index])
      if (!match) return true
      const word =
        match[1] === 'injuredparty' ? 'injured party' : match[1] === 'namedsuspect' ? 'named suspect' : match[1]
      roleColumns.push({ index, role: ROLES[word] ?? (word === 'perpetrator' ? 'suspect' : 'victim') })
      return false
    })
    return { kind: 'crimes', columns: crimes.columns, ignored, ...(roleColumns.length ? { roleColumns } : {}) }
  }
  const parties = resolve(PARTY_TABLE)
  if (parties.columns.has('forceReference') && parties.columns.has('role')) return { kind: 'parties', ...parties }
  const classifications = resolve(CLASSIFICATION_TABLE)
  if (classifications.columns.has('forceReference') && classifications.columns.has('code')) {
    return { kind: 'classifications', ...classifications }
  }
  return { kind: 'unknown', columns: new Map(), ignored: [...header] }
}

const EXPECTED =
  'expected one of: a crime extract (a reference column such as "Crime Ref" and a "Date Reported" column, usually with ' +
  '"HO Code"), a classifications file ("Crime Ref", "Offence Code"), a parties file ("Crime Ref", "Role", names), or ' +
  'police.uk street-level data ("Crime ID", "Month", "Falls within", "Crime type", ...); or give a mapping file'

// ---------------------------------------------------------------------------------------------------------------
// Row streaming with physical line numbers

/** How a file is written: CSV text in an encoding with a separator, or an Excel workbook. */
type SourceFormat = CsvFormat | { workbook: true }

async function* csvRows(
  file: string,
  onBytes: (n: number) => void,
  format?: SourceFormat,
  onSheet?: (name: string) => void,
): AsyncGenerator<CsvRow> {
  if (format && 'workbook' in format) yield* xlsxFileRows(file, onBytes, onSheet)
  else yield* csvFileRows(file, onBytes, format)
}

/** The first bytes of a file (fewer if it is shorter). */
function headOf(file: string, length = 8): Buffer {
  const head = Buffer.alloc(length)
  const handle = openSync(file, 'r')
  try {
    return head.subarray(0, readSync(handle, head, 0, length, 0))
  } finally {
    closeSync(handle)
  }
}

function formatOf(file: string, mapping: ColumnMapping | undefined): SourceFormat {
  const head = headOf(file)
  if (isOldOffice(head)) {
    throw new CsvSyntaxError(1, 'this is an old Excel (.xls) workbook: save it as .xlsx or as CSV and import that')
  }
  if (isZip(head)) return { workbook: true }
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') {
    throw new CsvSyntaxError(1, 'this is a PDF, not a records-system extract: export the extract as CSV or Excel')
  }
  if (!looksLikeText(headOf(file, 1 << 16))) {
    throw new CsvSyntaxError(
      1,
      'this is not a text (CSV) file or an Excel workbook: export the extract as CSV or Excel',
    )
  }
  return sniffCsvFormat(file, {
    ...(mapping?.encoding ? { encoding: mapping.encoding } : {}),
    ...(mapping?.delimiter ? { delimiter: mapping.delimiter } : {}),
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Value parsers

const YES = new Set(['y', 'yes', 'true', '1', 't'])
const NO = new Set(['n', 'no', 'false', '0', 'f', ''])
const ROLES: Record<string, PartyRole> = {
  victim: 'victim',
  v: 'victim',
  ip: 'victim',
  'injured party': 'victim',
  complainant: 'victim',
  aggrieved: 'victim',
  suspect: 'suspect',
  s: 'suspect',
  offender: 'suspect',
  accused: 'suspect',
  subject: 'suspect',
  'named suspect': 'suspect',
  witness: 'witness',
  w: 'witness',
}
const OUTCOME = /^(?:outcome\s*)?(\d{1,3})(?:\s*[-:.)].*|\s+\D.*)?$/i
const PERSON =
  /^\s*([A-Za-z ]+):\s*([^,([{]*?)\s*(?:,\s*([^([{]*?))?\s*(?:\(DOB\s*([^)]*)\))?\s*(?:\[([^\]]*)\])?\s*(?:\{([^}]*)\})?\s*$/
const IDENTIFIER_KINDS = new Set(['phone', 'email', 'social', 'vehicle', 'pnc', 'other'])

class RowErrors {
  problems: RowProblem[] | null = null
  constructor(
    readonly file: string,
    readonly line: number,
  ) {}
  add(field: string | null, message: string) {
    ;(this.problems ??= []).push({ file: this.file, line: this.line, field, message })
  }
}

export interface ReaderContext {
  dateFormat: DateFormat
  includedDelimiter: string
  codeCache: Map<string, string | null>
  /** How each file is written, worked out once when its header is read. */
  formats: Map<string, SourceFormat>
}

function canonical(context: ReaderContext, code: string): string | null {
  let found = context.codeCache.get(code)
  if (found === undefined) {
    found = reference().canonicalCode(code) ?? null
    context.codeCache.set(code, found)
  }
  return found
}

/** Parses a single-layout Persons cell: 'ROLE: Surname, Forename (DOB dd/mm/yyyy) [ref] {kind value, ...} | ...'. */
export function decodeParties(
  cell: string,
  context: Pick<ReaderContext, 'dateFormat'>,
  errors: { add(field: string | null, message: string): void },
  field: string,
): PartyInput[] {
  const parties: PartyInput[] = []
  if (!cell.trim()) return parties
  for (const entry of cell.split(' | ')) {
    const match = PERSON.exec(entry)
    const role = match ? ROLES[match[1].trim().toLowerCase()] : undefined
    if (!match || !role) {
      errors.add(
        field,
        `cannot read person entry "${entry.trim().slice(0, 80)}" (expected "ROLE: Surname, Forename ...")`,
      )
      continue
    }
    let dateOfBirth: string | null = null
    if (match[4]) {
      const parsed = parseDate(match[4], context.dateFormat)
      if (parsed) dateOfBirth = parsed.date
      else errors.add(field, `date of birth "${match[4]}" is not a date`)
    }
    const identifiers: PersonIdentifier[] = []
    for (const part of (match[6] ?? '').split(',')) {
      const text = part.trim()
      if (!text) continue
      const space = text.indexOf(' ')
      const kind = text.slice(0, space).toLowerCase()
      if (space < 0 || !IDENTIFIER_KINDS.has(kind)) {
        errors.add(
          field,
          `identifier "${text}" should be "kind value" with kind one of ${[...IDENTIFIER_KINDS].join(', ')}`,
        )
        continue
      }
      identifiers.push({ kind: kind as PersonIdentifier['kind'], value: text.slice(space + 1).trim() })
    }
    parties.push({
      role,
      personRef: match[5]?.trim() || null,
      forename: match[3]?.trim() || null,
      surname: match[2].trim() || null,
      dateOfBirth,
      identifiers,
    })
  }
  return parties
}

/** A date of birth (or "DOB ...") in brackets at the end of a person: "(01/02/1990)", "(DOB 1990-02-01)". */
const TRAILING_DOB = /\(\s*(?:d\.?o\.?b\.?|born)?\s*:?\s*([0-9][0-9/.\- ]*[0-9])\s*\)\s*$/i
const TRAILING_REF = /\[([^\]]*)\]\s*$/

/**
 * Parses a cell of one role's people: "Forename SURNAME (DD/MM/YYYY)", "SURNAME, Forename (DOB ...)" or a name
 * alone, several separated by ";", " | " or new lines. The surname is the part in capitals, else after a comma, else
 * the last word.
 */
export function decodeNamedPeople(
  cell: string,
  role: PartyRole,
  context: Pick<ReaderContext, 'dateFormat'>,
  errors: { add(field: string | null, message: string): void },
  field: string,
): PartyInput[] {
  const people: PartyInput[] = []
  for (const raw of cell.split(/\s*(?:;|\||\r?\n)\s*/)) {
    let text = raw.trim()
    if (!text || /^(n\/?a|none|unknown|not known|nil)$/i.test(text)) continue
    let personRef: string | null = null
    const ref = TRAILING_REF.exec(text)
    if (ref) {
      personRef = ref[1].trim() || null
      text = text.slice(0, ref.index).trim()
    }
    let dateOfBirth: string | null = null
    const dob = TRAILING_DOB.exec(text)
    if (dob) {
      const parsed = parseDate(dob[1].trim(), context.dateFormat)
      if (parsed) dateOfBirth = parsed.date
      else errors.add(field, `date of birth "${dob[1].trim()}" is not a date`)
      text = text.slice(0, dob.index).trim()
    }
    text = text.replace(/\s*\([^)]*\)\s*$/, '').trim()
    if (!/[A-Za-z]/.test(text)) {
      errors.add(
        field,
        `cannot read the person "${raw.trim().slice(0, 80)}" (expected "Forename SURNAME (DD/MM/YYYY)")`,
      )
      continue
    }
    let forename: string | null
    let surname: string | null
    if (text.includes(',')) {
      const [last, ...rest] = text.split(',')
      surname = last.trim() || null
      forename = rest.join(',').trim() || null
    } else {
      const words = text.split(/\s+/)
      const capitals = words.filter((word) => /^[A-Z][A-Z'-]+$/.test(word))
      if (capitals.length > 0 && capitals.length < words.length) {
        surname = capitals.join(' ')
        forename = words.filter((word) => !capitals.includes(word)).join(' ') || null
      } else {
        surname = words[words.length - 1]
        forename = words.slice(0, -1).join(' ') || null
      }
    }
    people.push({ role, personRef, forename, surname, dateOfBirth, identifiers: [] })
  }
  return people
}

/** A flat copy of a short string, so a key kept for the whole file does not pin the chunk it was sliced from. */
function own(value: string): string {
  return (value + ' ').slice(0, -1)
}

function splitList(value: string, delimiter: string): string[] {
  if (!value) return []
  return value
    .split(delimiter)
    .map((part) => part.trim())
    .filter(Boolean)
}

// ---------------------------------------------------------------------------------------------------------------
// The reader

interface SideEntry<T> {
  items: T[]
  file: string
  line: number
  used: boolean
}

const POLICE_UK_NOTICE =
  'police.uk street-level data carries no Home Office classification: each crime gets a group-level pseudo code ' +
  '(PUK-..., see src/crime/reference/offence-classes.json) and has no parties, narrative or outcome type; ' +
  'the last outcome category is kept as the status. Rows without a Crime ID (anti-social behaviour) are skipped.'

export function readCrimeExtracts(files: string[], options: ReadOptions = {}): CrimeExtractReader {
  const notices: ImportNotice[] = []
  const notice = (file: string, message: string) => {
    if (!notices.some((n) => n.file === file && n.message === message)) notices.push({ file, message })
  }
  return {
    notices: () => [...notices],
    [Symbol.asyncIterator]: () => read(files, options, notice)[Symbol.asyncIterator](),
  }
}

async function* read(
  files: string[],
  options: ReadOptions,
  notice: (file: string, message: string) => void,
): AsyncGenerator<ReadResult> {
  const context: ReaderContext = {
    dateFormat: options.mapping?.dateFormat ?? 'auto',
    includedDelimiter: options.mapping?.includedDelimiter ?? ';',
    codeCache: new Map(),
    formats: new Map(),
  }
  let total = 0
  for (const file of files) {
    try {
      total += statSync(file).size
    } catch {
      // reported when opened
    }
  }
  let bytesRead = 0
  const onBytes = (n: number) => {
    bytesRead += n
    options.onProgress?.(bytesRead, total)
  }

  // Pass 1: recognise every file by its header.
  const detected: { file: string; name: string; detect: DetectedExtract }[] = []
  for (const file of files) {
    const name = basename(file)
    let header: string[] | null = null
    try {
      const format = formatOf(file, options.mapping)
      context.formats.set(file, format)
      if ('workbook' in format) {
        try {
          await checkArchiveFile(file, workbookLimits(statSync(file).size))
        } catch (error) {
          if (error instanceof ArchiveRefusedError) throw new CsvSyntaxError(1, error.message)
          throw error
        }
      }
      const onSheet = (sheet: string) => notice(name, `read the first worksheet ("${sheet}") of the Excel workbook`)
      for await (const row of csvRows(file, () => {}, format, onSheet)) {
        header = row.cells
        break
      }
    } catch (error) {
      if (!(error instanceof CsvSyntaxError) && !(error as NodeJS.ErrnoException).code) throw error
      const line = error instanceof CsvSyntaxError ? error.line : 1
      const message = error instanceof CsvSyntaxError ? error.message : unreadableFileReason(error)
      yield { problem: { file: name, line, field: null, message } }
      continue
    }
    if (!header) {
      yield { problem: { file: name, line: 1, field: null, message: 'the file is empty: no header row' } }
      continue
    }
    const detect = detectExtract(header, options.mapping)
    if (detect.kind === 'unknown') {
      yield {
        problem: {
          file: name,
          line: 1,
          field: null,
          message: `unrecognised columns: found ${header.map((h) => `"${h}"`).join(', ')}; ${EXPECTED}`,
        },
      }
      continue
    }
    if (detect.ignored.length > 0 && detect.kind !== 'policeUk') {
      notice(name, `columns not used: ${detect.ignored.map((h) => `"${h}"`).join(', ')}`)
    }
    const format = context.formats.get(file)!
    if (!('workbook' in format) && (format.encoding !== 'utf-8' || format.delimiter !== ',')) {
      notice(
        name,
        `read as ${ENCODING_NAMES[format.encoding]} text, fields separated by ${DELIMITER_NAMES[format.delimiter]}`,
      )
    }
    detected.push({ file, name, detect })
  }

  // Pass 2: buffer side files by crime reference.
  const sideClassifications = new Map<string, SideEntry<ClassificationInput>>()
  const sideParties = new Map<string, SideEntry<PartyInput>>()
  for (const { file, name, detect } of detected) {
    if (detect.kind !== 'classifications' && detect.kind !== 'parties') continue
    const headerNames = new Map([...detect.columns].map(([field, index]) => [field, index]))
    const col = (field: string) => headerNames.get(field) ?? -1
    const refAt = col('forceReference')
    try {
      let first = true
      for await (const { cells, line } of csvRows(file, onBytes, context.formats.get(file))) {
        if (first) {
          first = false
          headerCache.set(file, cells)
          continue
        }
        if (cells.length === 1 && cells[0] === '') continue
        const errors = new RowErrors(name, line)
        const cell = (index: number) => (index >= 0 && index < cells.length ? cells[index].trim() : '')
        const ref = cell(refAt)
        if (!ref) errors.add(headerOf(file, detect, 'forceReference'), 'missing crime reference')
        if (detect.kind === 'classifications') {
          const raw = cell(col('code'))
          const code = raw ? canonical(context, raw) : null
          if (!raw) errors.add(headerOf(file, detect, 'code'), 'missing classification code')
          else if (!code) errors.add(headerOf(file, detect, 'code'), `unknown classification code "${raw}"`)
          let addedAt: string | null = null
          const addedRaw = cell(col('addedAt'))
          if (addedRaw) {
            const parsed = parseDate(addedRaw, context.dateFormat)
            if (parsed) addedAt = isoOf(parsed)
            else errors.add(headerOf(file, detect, 'addedAt'), `"${addedRaw}" is not a date`)
          }
          if (errors.problems) {
            for (const problem of errors.problems) yield { problem }
            continue
          }
          const entry = sideClassifications.get(ref) ?? { items: [], file: name, line, used: false }
          entry.items.push({
            code: code!,
            addedBy: cell(col('addedBy')) || null,
            addedAt,
            reason: cell(col('reason')) || null,
          })
          sideClassifications.set(ref, entry)
        } else {
          const roleRaw = cell(col('role'))
          const role = ROLES[roleRaw.toLowerCase()]
          if (!role)
            errors.add(headerOf(file, detect, 'role'), `unknown role "${roleRaw}" (victim, suspect or witness)`)
          let dateOfBirth: string | null = null
          const dobRaw = cell(col('dateOfBirth'))
          if (dobRaw) {
            const parsed = parseDate(dobRaw, context.dateFormat)
            if (parsed) dateOfBirth = parsed.date
            else errors.add(headerOf(file, detect, 'dateOfBirth'), `"${dobRaw}" is not a date`)
          }
          if (errors.problems) {
            for (const problem of errors.problems) yield { problem }
            continue
          }
          let surname = cell(col('surname')) || null
          let forename = cell(col('forename')) || null
          const full = cell(col('name'))
          if (full && !surname && !forename) {
            const comma = full.indexOf(',')
            if (comma >= 0) {
              surname = full.slice(0, comma).trim() || null
              forename = full.slice(comma + 1).trim() || null
            } else {
              const space = full.lastIndexOf(' ')
              surname = (space >= 0 ? full.slice(space + 1) : full).trim() || null
              forename = space >= 0 ? full.slice(0, space).trim() || null : null
            }
          }
          const identifiers: PersonIdentifier[] = []
          for (const kind of ['phone', 'email', 'social', 'vehicle', 'pnc', 'other'] as const) {
            for (const value of splitList(cell(col(kind)), ';')) identifiers.push({ kind, value })
          }
          const entry = sideParties.get(ref) ?? { items: [], file: name, line, used: false }
          entry.items.push({
            role: role!,
            personRef: cell(col('personRef')) || null,
            surname,
            forename,
            dateOfBirth,
            identifiers,
          })
          sideParties.set(ref, entry)
        }
      }
    } catch (error) {
      yield* fileFailure(name, error)
    }
  }

  // Pass 3: stream crimes and police.uk files.
  for (const { file, name, detect } of detected) {
    if (detect.kind === 'crimes') {
      yield* readCrimes(file, name, detect, context, options, onBytes, sideClassifications, sideParties)
    } else if (detect.kind === 'policeUk') {
      notice(name, POLICE_UK_NOTICE)
      yield* readPoliceUk(file, name, detect, options, onBytes, notice, context.formats.get(file))
    }
  }

  for (const [ref, entry] of sideClassifications) {
    if (!entry.used) yield { problem: orphan(entry, ref) }
  }
  for (const [ref, entry] of sideParties) {
    if (!entry.used) yield { problem: orphan(entry, ref) }
  }
}

function orphan(entry: SideEntry<unknown>, ref: string): RowProblem {
  return {
    file: entry.file,
    line: entry.line,
    field: null,
    message: `no crime with reference "${ref}" in the crime files`,
  }
}

function* fileFailure(name: string, error: unknown): Generator<ReadResult> {
  if (error instanceof CsvSyntaxError)
    yield { problem: { file: name, line: error.line, field: null, message: error.message } }
  else throw error
}

const headerCache = new Map<string, string[]>()

/** The file's own header for a field, so problems name the column as the user knows it. */
function headerOf(file: string, detect: DetectedExtract, field: string): string {
  let header = headerCache.get(file)
  if (!header) {
    header = []
    headerCache.set(file, header)
  }
  const index = detect.columns.get(field)
  return (index !== undefined && header[index]) || field
}

async function* readCrimes(
  file: string,
  name: string,
  detect: DetectedExtract,
  context: ReaderContext,
  options: ReadOptions,
  onBytes: (n: number) => void,
  sideClassifications: Map<string, SideEntry<ClassificationInput>>,
  sideParties: Map<string, SideEntry<PartyInput>>,
): AsyncGenerator<ReadResult> {
  const c = (field: CrimeField) => detect.columns.get(field) ?? -1
  const at = {
    ref: c('forceReference'),
    kind: c('kind'),
    force: c('force'),
    reported: c('reportedAt'),
    from: c('occurredFrom'),
    to: c('occurredTo'),
    principal: c('principal'),
    included: c('included'),
    da: c('domesticAbuse'),
    online: c('online'),
    repeat: c('repeatVictim'),
    stalking: c('stalkingFlag'),
    parties: c('parties'),
    narrative: c('narrative'),
    team: c('team'),
    oic: c('officerInCase'),
    status: c('status'),
    outcome: c('outcome'),
    linked: c('linkedCrimeRefs'),
    location: c('location'),
  }
  const seen = new Map<string, number>()
  const forceWanted = options.forceName?.trim().toLowerCase()
  let headers: string[] = []
  const label = (index: number) => headers[index] ?? ''
  let row: string[] = []
  let rowErrors = new RowErrors(name, 0)
  const get = (index: number) => (index >= 0 ? row[index].trim() : '')
  const flag = (index: number) => {
    const raw = get(index).toLowerCase()
    if (YES.has(raw)) return true
    if (!NO.has(raw)) rowErrors.add(label(index), `"${get(index)}" is not Y or N`)
    return false
  }
  try {
    let width = 0
    for await (const { cells, line } of csvRows(file, onBytes, context.formats.get(file))) {
      if (width === 0) {
        headers = cells
        headerCache.set(file, cells)
        width = cells.length
        continue
      }
      if (cells.length === 1 && cells[0] === '') continue
      const errors = new RowErrors(name, line)
      if (cells.length !== width) {
        errors.add(null, `expected ${width} fields as in the header, found ${cells.length}`)
        yield { problem: errors.problems![0] }
        continue
      }
      row = cells
      rowErrors = errors
      const ref = get(at.ref)
      if (!ref) errors.add(label(at.ref), 'missing crime reference')
      else {
        const previous = seen.get(ref)
        if (previous !== undefined)
          errors.add(label(at.ref), `duplicate reference "${ref}" (first on line ${previous})`)
        else seen.set(own(ref), line)
      }
      const kindRaw = get(at.kind).toLowerCase()
      const kind: CrimeRecordInput['kind'] = kindRaw.startsWith('int') ? 'intelligence' : 'crime'
      if (kindRaw && kind === 'crime' && !kindRaw.startsWith('crime')) {
        errors.add(label(at.kind), `record type "${get(at.kind)}" is neither Crime nor Intelligence`)
      }
      if (forceWanted) {
        const force = get(at.force)
        if (force && force.toLowerCase() !== forceWanted) {
          errors.add(label(at.force), `row belongs to "${force}", not "${options.forceName}"`)
        }
      }
      let reportedAt = ''
      const reportedRaw = get(at.reported)
      const reported = reportedRaw ? parseDate(reportedRaw, context.dateFormat) : null
      if (!reportedRaw) errors.add(label(at.reported), 'missing date reported')
      else if (!reported) errors.add(label(at.reported), `"${reportedRaw}" is not a date`)
      else reportedAt = isoOf(reported)
      const fromRaw = get(at.from)
      const toRaw = get(at.to)
      const from = fromRaw ? parseDate(fromRaw, context.dateFormat) : null
      const to = toRaw ? parseDate(toRaw, context.dateFormat) : null
      if (fromRaw && !from) errors.add(label(at.from), `"${fromRaw}" is not a date`)
      if (toRaw && !to) errors.add(label(at.to), `"${toRaw}" is not a date`)
      const fromDate = from?.date ?? reported?.date ?? ''
      const toDate = to?.date ?? fromDate
      if (fromDate && toDate < fromDate) errors.add(label(at.to), `ends (${toDate}) before it starts (${fromDate})`)

      let principal: string | null = null
      const principalRaw = get(at.principal)
      if (kind === 'crime') {
        if (!principalRaw) errors.add(label(at.principal) || 'principal', 'missing principal classification')
        else {
          principal = canonical(context, principalRaw)
          if (!principal) errors.add(label(at.principal), `unknown classification code "${principalRaw}"`)
        }
      }
      const included: ClassificationInput[] = []
      for (const code of splitList(get(at.included), context.includedDelimiter)) {
        const known = canonical(context, code)
        if (!known) errors.add(label(at.included), `unknown classification code "${code}"`)
        else included.push({ code: known, addedBy: null, addedAt: null, reason: null })
      }
      const flags = {
        domesticAbuse: flag(at.da),
        online: flag(at.online),
        repeatVictim: flag(at.repeat),
        ...(at.stalking >= 0 ? { stalking: flag(at.stalking) } : {}),
      }
      let outcome: number | null = null
      const outcomeRaw = get(at.outcome)
      if (outcomeRaw) {
        const match = OUTCOME.exec(outcomeRaw)
        const number = match ? Number(match[1]) : Number.NaN
        if (!(number >= 1 && number <= 22)) {
          errors.add(label(at.outcome), `outcome "${outcomeRaw}" is not a Home Office outcome type 1-22`)
        } else outcome = number
      }
      const parties = at.parties >= 0 ? decodeParties(get(at.parties), context, errors, label(at.parties)) : []
      for (const { index, role } of detect.roleColumns ?? []) {
        parties.push(...decodeNamedPeople(get(index), role, context, errors, label(index)))
      }

      if (errors.problems) {
        for (const problem of errors.problems) yield { problem }
        continue
      }
      const sideC = sideClassifications.get(ref)
      if (sideC) {
        sideC.used = true
        for (const item of sideC.items) {
          const existing = included.findIndex((c) => c.code === item.code)
          if (existing >= 0) included[existing] = item
          else included.push(item)
        }
      }
      const sideP = sideParties.get(ref)
      if (sideP) {
        sideP.used = true
        parties.push(...sideP.items)
      }
      const record: CrimeRecordInput = {
        forceReference: ref,
        kind,
        reportedAt,
        occurrences: [{ from: fromDate, to: toDate }],
        principal,
        included,
        flags,
        parties,
        narrative: get(at.narrative),
        team: get(at.team) || null,
        officerInCase: get(at.oic) || null,
        status: get(at.status) || null,
        outcome,
        linkedCrimeRefs: splitList(get(at.linked), ';'),
        location: get(at.location) || null,
      }
      yield { record, source: { file: name, line } }
    }
  } catch (error) {
    yield* fileFailure(name, error)
  }
}

const MONTH = /^(\d{4})-(\d{2})$/

async function* readPoliceUk(
  file: string,
  name: string,
  detect: DetectedExtract,
  options: ReadOptions,
  onBytes: (n: number) => void,
  notice: (file: string, message: string) => void,
  format?: SourceFormat,
): AsyncGenerator<ReadResult> {
  const c = (header: string) => detect.columns.get(normaliseHeader(header)) ?? -1
  const at = {
    id: c('Crime ID'),
    month: c('Month'),
    within: c('Falls within'),
    location: c('Location'),
    lsoa: c('LSOA name'),
    type: c('Crime type'),
    outcome: c('Last outcome category'),
    context: c('Context'),
  }
  const forceWanted = options.forceName?.trim().toLowerCase()
  const seen = new Map<string, number>()
  const codes = new Map<string, string | undefined>()
  let skipped = 0
  try {
    let width = 0
    for await (const { cells, line } of csvRows(file, onBytes, format)) {
      if (width === 0) {
        width = cells.length
        continue
      }
      if (cells.length === 1 && cells[0] === '') continue
      const errors = new RowErrors(name, line)
      if (cells.length !== width) {
        yield {
          problem: {
            file: name,
            line,
            field: null,
            message: `expected ${width} fields as in the header, found ${cells.length}`,
          },
        }
        continue
      }
      const get = (index: number) => (index >= 0 ? cells[index].trim() : '')
      const id = get(at.id)
      if (!id) {
        skipped++
        continue
      }
      const previous = seen.get(id)
      if (previous !== undefined) errors.add('Crime ID', `duplicate reference "${id}" (first on line ${previous})`)
      else seen.set(own(id), line)
      const month = MONTH.exec(get(at.month))
      let from = ''
      let to = ''
      if (!month || Number(month[2]) < 1 || Number(month[2]) > 12) {
        errors.add('Month', `"${get(at.month)}" is not a month (YYYY-MM)`)
      } else {
        from = `${month[1]}-${month[2]}-01`
        const last = new Date(Date.UTC(Number(month[1]), Number(month[2]), 0)).getUTCDate()
        to = `${month[1]}-${month[2]}-${String(last).padStart(2, '0')}`
      }
      const type = get(at.type)
      if (!codes.has(type)) codes.set(type, reference().openDataCode(type))
      const principal = codes.get(type)
      if (!principal) errors.add('Crime type', `unknown police.uk crime type "${type}"`)
      if (forceWanted && get(at.within) && get(at.within).toLowerCase() !== forceWanted) {
        errors.add('Falls within', `row belongs to "${get(at.within)}", not "${options.forceName}"`)
      }
      if (errors.problems) {
        for (const problem of errors.problems) yield { problem }
        continue
      }
      const location = [get(at.location), get(at.lsoa)].filter(Boolean).join(', ')
      yield {
        record: {
          forceReference: id,
          kind: 'crime',
          reportedAt: from,
          occurrences: [{ from, to }],
          principal: principal!,
          included: [],
          flags: { domesticAbuse: false, online: false, repeatVictim: false },
          parties: [],
          narrative: get(at.context),
          team: null,
          officerInCase: null,
          status: get(at.outcome) || null,
          outcome: null,
          linkedCrimeRefs: [],
          location: location || null,
        },
        source: { file: name, line },
      }
    }
  } catch (error) {
    yield* fileFailure(name, error)
  }
  if (skipped > 0) notice(name, `${skipped} rows without a Crime ID (anti-social behaviour) were skipped`)
}
