// Reads a learning system's CSV export (one row per officer and course) into officers and course completions.
// Learning systems name their columns differently, so each column is found by header synonyms; rows for courses
// Threadline does not count are skipped with one note per title. Any row it cannot read refuses the whole file.
import { readFileSync } from 'node:fs'
import { isUtf8 } from 'node:buffer'
import { parse } from 'csv-parse/sync'
import { z } from 'zod'
import { isRealDay } from '../../platform/days.ts'
import { decodeWindows1252 } from '../../platform/text.ts'

export const courseSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  name: z.string().min(1),
  matches: z.array(z.string().min(1)).min(1),
  audience: z.enum(['frontline', 'investigators']),
  evidence: z.array(z.string().regex(/^\d+\.\d+$/)),
  qualifiesInvestigator: z.boolean(),
})
export type Course = z.infer<typeof courseSchema>

export function loadCourses(path = new URL('../training-courses.json', import.meta.url)): Course[] {
  const parsed = z.object({ courses: z.array(courseSchema).min(1) }).safeParse(JSON.parse(readFileSync(path, 'utf8')))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`training-courses.json, ${issue.path.join('.')}: ${issue.message}`)
  }
  return parsed.data.courses
}

/** A file the user can correct: the message names the file, row and column. */
export class LearningExportError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LearningExportError'
  }
}

export interface LearningRecord {
  /** 1-based line of the file the row is on (the header is line 1). */
  line: number
  /** The officer as the file names them: name, number, or both ("Alex Carter (1234)"). */
  officer: string
  /** The officer's number and name as keys an allocation's officer is matched on; at least one is given. */
  numberKey: string | null
  nameKey: string | null
  courseId: string
  /** 'YYYY-MM-DD' when the row records a completion; null for an officer enrolled who has not completed it. */
  completedOn: string | null
  role: string | null
  /** From a "frontline" column, when the file has one; null when it does not say. */
  frontline: boolean | null
}

export interface LearningExport {
  records: LearningRecord[]
  /** Course titles in the file that Threadline does not count, with how many rows each. */
  otherCourses: { title: string; rows: number }[]
}

const normal = (value: string) =>
  value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()

/** How an officer is matched between crimes, the register, allocations and training: lower case, spaces collapsed. */
export const officerKey = (value: string) => value.trim().replace(/\s+/g, ' ').toLowerCase()

const HEADERS = {
  number: [
    'collar number',
    'collar no',
    'collar',
    'warrant number',
    'warrant no',
    'shoulder number',
    'staff number',
    'staff no',
    'staff id',
    'employee number',
    'employee no',
    'employee id',
    'payroll number',
    'payroll no',
    'force number',
    'personnel number',
    'person number',
    'user id',
    'learner id',
  ],
  name: ['name', 'full name', 'officer', 'officer name', 'learner', 'learner name', 'employee name', 'display name'],
  forename: ['forename', 'forenames', 'first name', 'given name'],
  surname: ['surname', 'last name', 'family name'],
  course: [
    'course',
    'course title',
    'course name',
    'module',
    'module title',
    'learning item',
    'learning title',
    'activity',
    'activity title',
    'item title',
    'title',
  ],
  status: ['status', 'completion status', 'result', 'progress', 'outcome', 'completion'],
  completedOn: [
    'completed',
    'completed on',
    'completed date',
    'completion date',
    'date completed',
    'date of completion',
    'date passed',
    'passed on',
    'end date',
    'date',
  ],
  role: ['role', 'rank', 'rank role', 'job title', 'position', 'post'],
  frontline: ['frontline', 'front line', 'operational', 'frontline officer', 'front line officer'],
} as const
type Field = keyof typeof HEADERS

const COMPLETE = new Set(['complete', 'completed', 'passed', 'pass', 'attended', 'achieved', 'yes', 'y', 'true', '100'])
const NOT_COMPLETE = new Set([
  'in progress',
  'not started',
  'enrolled',
  'registered',
  'booked',
  'failed',
  'fail',
  'no',
  'n',
  'false',
  'overdue',
  'expired',
  'withdrawn',
  'cancelled',
  'incomplete',
  'not complete',
  'not attempted',
])
const YES = new Set(['yes', 'y', 'true', '1', 'frontline', 'front line'])
const NO = new Set(['no', 'n', 'false', '0'])
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

/** 'YYYY-MM-DD' from the dates learning systems write (27/03/2025, 27-3-2025, 2025-03-27, 27 Mar 2025), or null. */
export function learningDate(value: string): string | null {
  const text = value.trim().replace(/[T ]\d{1,2}:\d{2}(:\d{2})?(\.\d+)?Z?$/i, '')
  let year: number, month: number, day: number
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text)
  if (match) [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  else if ((match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text)))
    [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])]
  else if ((match = /^(\d{1,2})[\s-]([a-z]{3})[a-z]*[\s-](\d{4})$/i.exec(text))) {
    const index = MONTHS.indexOf(match[2].toLowerCase())
    if (index < 0) return null
    ;[day, month, year] = [Number(match[1]), index + 1, Number(match[3])]
  } else return null
  const iso = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
  return isRealDay(iso) ? iso : null
}

/** The course a title is, by its longest matching phrase; undefined for a course Threadline does not count. */
export function courseForTitle(title: string, courses: Course[]): Course | undefined {
  const words = ` ${normal(title)} `
  let best: { course: Course; length: number } | undefined
  for (const course of courses) {
    for (const phrase of course.matches) {
      const wanted = normal(phrase)
      if (words.includes(` ${wanted} `) && (!best || wanted.length > best.length))
        best = { course, length: wanted.length }
    }
  }
  return best?.course
}

function decode(content: Buffer): string {
  if (content.subarray(0, 2).equals(Buffer.from([0xff, 0xfe]))) return content.subarray(2).toString('utf16le')
  const text = isUtf8(content) ? content.toString('utf8') : decodeWindows1252(content)
  return text.replace(/^\uFEFF/, '')
}

/** The delimiter the header line uses most: learning systems write commas, semicolons or tabs. */
function delimiterOf(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/))
  const counts = [',', ';', '\t'].map((delimiter) => ({ delimiter, n: header.split(delimiter).length }))
  return counts.sort((a, b) => b.n - a.n)[0].delimiter
}

export function readLearningExport(content: Buffer, fileName: string, courses: Course[]): LearningExport {
  if (content.includes(0) && !content.subarray(0, 2).equals(Buffer.from([0xff, 0xfe]))) {
    throw new LearningExportError(`${fileName} is not a CSV file: save the learning system's export as CSV`)
  }
  let rows: string[][]
  try {
    const text = decode(content)
    rows = parse(text, { delimiter: delimiterOf(text), relaxColumnCount: true, skipEmptyLines: true }) as string[][]
  } catch (error) {
    const line = (error as { lines?: number }).lines
    throw new LearningExportError(
      `${fileName}${line ? `, line ${line}` : ''}: the file is not valid CSV (${(error as Error).message.replace(/^Invalid [^:]*: /, '').slice(0, 120)})`,
    )
  }
  if (rows.length === 0) throw new LearningExportError(`${fileName} is empty`)
  const header = rows[0].map((cell) => normal(cell))
  const column = {} as Record<Field, number>
  for (const field of Object.keys(HEADERS) as Field[]) {
    const wanted = HEADERS[field] as readonly string[]
    column[field] = header.findIndex((cell) => wanted.includes(cell))
  }
  const hasName = column.name >= 0 || column.surname >= 0
  if (column.course < 0) {
    throw new LearningExportError(
      `${fileName}, line 1: no column names the course (a column headed "Course", "Course title", "Module" or "Learning item")`,
    )
  }
  if (column.number < 0 && !hasName) {
    throw new LearningExportError(
      `${fileName}, line 1: no column names the officer (a column headed "Name", "Surname", "Collar number" or "Staff number")`,
    )
  }
  if (column.status < 0 && column.completedOn < 0) {
    throw new LearningExportError(
      `${fileName}, line 1: no column says whether the course was completed (a column headed "Status" or "Completion date")`,
    )
  }

  const records: LearningRecord[] = []
  const other = new Map<string, number>()
  const cell = (row: string[], field: Field) => (column[field] >= 0 ? (row[column[field]] ?? '').trim() : '')
  const where = (line: number, field: Field) => `${fileName}, line ${line}, column "${rows[0][column[field]]}"`
  rows.slice(1).forEach((row, index) => {
    const line = index + 2
    if (row.every((value) => value.trim() === '')) return
    const title = cell(row, 'course')
    if (!title) throw new LearningExportError(`${where(line, 'course')}: the course is blank`)
    const course = courseForTitle(title, courses)
    if (!course) {
      other.set(title, (other.get(title) ?? 0) + 1)
      return
    }
    const number = cell(row, 'number')
    const name =
      cell(row, 'name') || [cell(row, 'forename'), cell(row, 'surname')].filter(Boolean).join(' ').trim() || ''
    if (!number && !name) {
      throw new LearningExportError(
        `${fileName}, line ${line}: the officer is blank (no ${[column.number >= 0 ? 'number' : '', hasName ? 'name' : ''].filter(Boolean).join(' or ')})`,
      )
    }
    const status = normal(cell(row, 'status'))
    const rawDate = cell(row, 'completedOn')
    let completed: boolean
    if (column.status >= 0 && status) {
      if (COMPLETE.has(status)) completed = true
      else if (NOT_COMPLETE.has(status)) completed = false
      else
        throw new LearningExportError(
          `${where(line, 'status')}: "${cell(row, 'status').slice(0, 60)}" is not a status Threadline knows (Completed, Passed, In progress, Not started, Failed, ...)`,
        )
    } else completed = rawDate !== ''
    let completedOn: string | null = null
    if (completed) {
      if (!rawDate) {
        throw new LearningExportError(
          `${column.completedOn >= 0 ? where(line, 'completedOn') : `${fileName}, line ${line}`}: the course is completed but no completion date is given`,
        )
      }
      completedOn = learningDate(rawDate)
      if (!completedOn) {
        throw new LearningExportError(
          `${where(line, 'completedOn')}: "${rawDate.slice(0, 40)}" is not a date (for example 27/03/2025 or 2025-03-27)`,
        )
      }
    }
    const frontlineText = normal(cell(row, 'frontline'))
    const frontline = YES.has(frontlineText) ? true : NO.has(frontlineText) ? false : null
    const officer = number && name ? `${name} (${number})` : number || name
    records.push({
      line,
      officer,
      numberKey: number ? officerKey(number) : null,
      nameKey: name ? officerKey(name) : null,
      courseId: course.id,
      completedOn,
      role: cell(row, 'role') || null,
      frontline,
    })
  })
  return {
    records,
    otherCourses: [...other].map(([title, count]) => ({ title, rows: count })).sort((a, b) => b.rows - a.rows),
  }
}
