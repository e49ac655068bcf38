// Reads grids (tables from any container) as plan rows: a row per evidence item (one update column, or a wide table
// with one column per dated update), or a two-column key/value table per evidence item.
import type { ImportWarning, PlanDocumentRef } from '../model.ts'
import { PlanImportError } from '../model.ts'
import type { Cell, Grid, GridRow } from './grid.ts'
import { emptyCell, isEmptyRow } from './grid.ts'
import type { ColumnRole, MetaRole } from './headers.ts'
import { EXPECTED_COLUMNS, matchColumn, matchMeta } from './headers.ts'
import { findDate, parseRef, splitLeadingDate, splitLeadingRef } from './normalise.ts'

export interface UpdateDraft {
  heading: string | null
  text: string
  /** ISO date already known (typed spreadsheet date, heading date, date opening the text). */
  date: string | null
  /** Date as written in a date column/key, parsed later (a warning names it if it is not understood). */
  dateText: string | null
  status: string | null
  location: string
}

export interface RowRecord {
  location: string
  /** Recommendation number written in this row (not inherited). */
  recNumber: number | null
  recText: string | null
  ref: string | null
  requirement: string | null
  owner: string | null
  updates: UpdateDraft[]
  documents: PlanDocumentRef[]
  deadlineText: string | null
}

export interface Meta {
  force: string | null
  executiveLead: string | null
  operationalLead: string | null
  title: string | null
}

export type GridShape = 'rows' | 'wide' | 'keyvalue' | 'meta'

export interface GridReading {
  shape: GridShape
  records: RowRecord[]
  meta: Partial<Meta>
  warnings: ImportWarning[]
}

interface Column {
  index: number
  heading: string
  role: ColumnRole | null
  dated: boolean
}

const ROLE_NAMES: Record<ColumnRole, string> = {
  recNumber: 'recommendation number',
  recommendation: 'recommendation',
  recText: 'recommendation text',
  ref: 'evidence item number',
  requirement: 'evidence requirement',
  owner: 'owner',
  update: 'force update',
  date: 'date',
  status: 'status',
  documents: 'supporting documents',
  deadline: 'deadline',
  percent: '% complete',
}

const HEADER_SCAN_ROWS = 12
/** A documents cell that says there is none: "Not applicable", "N/A", "None", "Nil", "-", "None at present". */
const NONE_WORDS =
  /^(?:none(?:\s+(?:yet|at present|provided|available|attached|to date))?|n\/?a|n\.a|nil|-+|–|—|tbc|tba|no|not applicable|not available|not provided|not yet available|no (?:supporting )?(?:documents?|documentation|evidence)(?: yet| provided| available)?)\.?$/i
/** "Recommendation 7", "Rec 7:", "Recommendation No. 7 – Crime recording": a recommendation heading line. */
const REC_HEADING = /^rec(?:ommendation)?\.?\s+(?:no\.?\s*)?(\d{1,2})\b\s*[:.)\-–—]?\s*([\s\S]*)$/i
const WHOLE_REC = /^(?:rec(?:ommendation)?\.?\s*(?:no\.?\s*)?)?(\d{1,2})\.?$/i
const COMBINED_REC = /^(?:rec(?:ommendation)?\.?\s*(?:no\.?\s*)?)?(\d{1,2})(?:\s*[:.)\-–—]\s*|\s+)(?=\S)([\s\S]*)$/i

function rolesOf(row: GridRow): Array<{ index: number; heading: string; role: ColumnRole | null; dated: boolean }> {
  return row.cells.map((c, index) => {
    const heading = c.text.replace(/\n/g, ' ').trim()
    const m = heading ? matchColumn(heading) : null
    const dated = !!m && m.role === 'update' && (m.how === 'pattern' || findDate(heading) !== null)
    return { index, heading, role: m?.role ?? null, dated }
  })
}

function isHeaderRow(columns: Column[]): boolean {
  const roles = new Set(columns.map((c) => c.role))
  const hasRec = roles.has('recNumber') || roles.has('recommendation') || roles.has('ref')
  const hasBody = roles.has('requirement') || roles.has('update') || roles.has('status') || roles.has('percent')
  return hasRec && hasBody && columns.filter((c) => c.role).length >= 2
}

function findHeader(grid: Grid): { index: number; columns: Column[] } | null {
  for (let i = 0; i < Math.min(grid.rows.length, HEADER_SCAN_ROWS); i++) {
    const columns = rolesOf(grid.rows[i])
    if (isHeaderRow(columns)) return { index: i, columns }
  }
  return null
}

function describeColumns(row: GridRow): string {
  const names = row.cells.map((c) => c.text.replace(/\n/g, ' ').trim()).filter((t) => t)
  const shown = names.slice(0, 10).map((n) => (n.length > 40 ? `${n.slice(0, 37)}...` : n))
  return `"${shown.join(', ')}${names.length > 10 ? ', ...' : ''}"`
}

/** Explains why the most table-like grid is not a plan. */
export function notAPlanError(grids: Grid[], what = 'a table'): PlanImportError {
  const candidates = grids.filter((g) => g.rows.some((r) => !isEmptyRow(r)))
  if (candidates.length === 0) {
    return new PlanImportError(`found no table with any content; expected the plan as a table with ${EXPECTED_COLUMNS}`)
  }
  const grid = candidates.reduce((a, b) => (b.rows.length > a.rows.length ? b : a))
  const first = grid.rows.find((r) => !isEmptyRow(r)) as GridRow
  const roles = new Set(rolesOf(first).map((c) => c.role))
  const hasRec = roles.has('recNumber') || roles.has('recommendation') || roles.has('ref')
  const hasBody = roles.has('requirement') || roles.has('update') || roles.has('status')
  let expected: string
  if (hasBody && !hasRec) {
    expected =
      'but found no recommendation number column (expected e.g. "Rec No.", "Recommendation number" or "No.", or item numbers such as "7.1")'
  } else if (hasRec && !hasBody) {
    expected =
      'but found no evidence requirement, update or status column (expected e.g. "Evidence requirements of progress/completion", "Force update", "Status")'
  } else expected = `but expected ${EXPECTED_COLUMNS}`
  return new PlanImportError(`found ${what} with columns ${describeColumns(first)} ${expected}`, first.location)
}

function textOf(cells: Cell[], col: Column | undefined): string {
  if (!col) return ''
  return cells[col.index]?.text ?? ''
}

/** Supporting documents from a cell: its links, plus any line that names a document without linking it. */
export function documentsOf(cell: Cell | undefined): PlanDocumentRef[] {
  if (!cell) return []
  const docs: PlanDocumentRef[] = cell.links.map((l) => ({ name: l.name || l.url || '', url: l.url }))
  const linked = new Set(docs.map((d) => d.name))
  for (const raw of cell.text.split(/\n|;\s+/)) {
    const line = raw.trim()
    if (!line || NONE_WORDS.test(line) || linked.has(line)) continue
    const url = /https?:\/\/[^\s<>"')]+/i.exec(line)?.[0] ?? null
    if (url && docs.some((d) => d.url === url)) continue
    const name =
      url && line !== url
        ? line
            .replace(url, '')
            .replace(/[\s:–—-]*\(\s*\)|[\s:–—(-]+$/g, '')
            .trim() || url
        : line
    docs.push({ name, url })
  }
  return docs
}

/** An item number written with a label before it: "Action 7.1", "Sub rec 12.3", "Evidence ref: 7.2". */
function labelledRef(text: string): { ref: string; rest: string } | null {
  const m = /^([a-z][a-z .:#-]{0,30}?)[\s:#.-]*(?=\d)/i.exec(text)
  if (!m || m[1].trim().split(/\s+/).length > 3) return null
  const after = text.slice(m[0].length)
  const only = parseRef(after)
  if (only) return { ref: only.ref, rest: '' }
  const lead = splitLeadingRef(after)
  return lead ? { ref: lead.ref, rest: lead.rest } : null
}

function parseRecNumberCell(
  text: string,
  location: string,
  heading: string,
): { recNumber: number | null; ref: string | null; rest: string } {
  const t = text.replace(/\n/g, ' ').trim()
  if (!t) return { recNumber: null, ref: null, rest: '' }
  const whole = WHOLE_REC.exec(t)
  if (whole) return { recNumber: Number(whole[1]), ref: null, rest: '' }
  const ref = parseRef(t.replace(/^(?:rec(?:ommendation)?\.?\s*)/i, ''))
  if (ref) return { recNumber: null, ref: ref.ref, rest: '' }
  const lead = splitLeadingRef(t)
  if (lead) return { recNumber: null, ref: lead.ref, rest: lead.rest }
  throw new PlanImportError(
    `the "${heading}" column holds "${t.length > 40 ? `${t.slice(0, 37)}...` : t}" but expected a recommendation number such as 7 or an evidence item number such as 7.1`,
    location,
  )
}

function parseCombined(text: string): { recNumber: number | null; ref: string | null; text: string } {
  const t = text.trim()
  if (!t) return { recNumber: null, ref: null, text: '' }
  const whole = WHOLE_REC.exec(t)
  if (whole) return { recNumber: Number(whole[1]), ref: null, text: '' }
  const ref = splitLeadingRef(t.replace(/^(?:rec(?:ommendation)?\.?\s*)/i, ''))
  if (ref) return { recNumber: null, ref: ref.ref, text: ref.rest }
  const onlyRef = parseRef(t)
  if (onlyRef) return { recNumber: null, ref: onlyRef.ref, text: '' }
  const m = COMBINED_REC.exec(t)
  if (m && !/^\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i.test(t)) {
    return { recNumber: Number(m[1]), ref: null, text: m[2].trim() }
  }
  return { recNumber: null, ref: null, text: t }
}

/** A "% complete" cell as a percentage: "60%", "60", "60 per cent", or a fraction such as 0.6 (a percent-formatted cell). */
export function percentText(text: string): string | null {
  const t = text.trim()
  if (!t) return null
  const m = /^(\d{1,3}(?:\.\d+)?)\s*(%|per\s*cent)?$/i.exec(t)
  if (!m) return t
  let n = Number(m[1])
  if (!m[2] && n > 0 && n < 1) n *= 100
  return `${Math.round(n * 100) / 100}%`
}

/** The status with the "% complete" column's value added, unless the status already gives a percentage. */
function withPercent(status: string | null, percent: string | null): string | null {
  if (!percent) return status
  if (!status) return percent
  return /\d\s*(%|per\s*cent)/i.test(status) ? status : `${status} ${percent}`
}

function statusLine(text: string): { status: string | null; rest: string } {
  const lines = text.split('\n')
  const i = lines.findIndex((l) => /^(?:status|rag(?:\s+status)?)\s*[:\-–]\s*\S/i.test(l))
  if (i < 0) return { status: null, rest: text }
  const status = lines[i].replace(/^(?:status|rag(?:\s+status)?)\s*[:\-–]\s*/i, '').trim()
  lines.splice(i, 1)
  return { status, rest: lines.join('\n').trim() }
}

// ---------------------------------------------------------------------------------------------------------------

function settleColumns(grid: Grid, header: { index: number; columns: Column[] }, warnings: ImportWarning[]): Column[] {
  const columns = header.columns
  const dataRows = grid.rows.slice(header.index + 1).filter((r) => !isEmptyRow(r))
  const valuesOf = (c: Column): string[] =>
    dataRows.map((r) => r.cells[c.index]?.text.trim() ?? '').filter((t) => t !== '')
  // A column with no heading that holds item numbers is the item-number column (the seed's blank heading).
  if (!columns.some((c) => c.role === 'ref')) {
    for (const c of columns) {
      if (c.role || c.heading) continue
      const values = valuesOf(c)
      if (values.length > 0 && values.filter((v) => parseRef(v)).length / values.length >= 0.6) {
        c.role = 'ref'
        break
      }
    }
  }
  // No evidence requirement column: an unheaded column of prose is the requirement, read by its content (a "Sub
  // recommendation" column followed by an unheaded text column); the one nearest the item-number column first.
  if (!columns.some((c) => c.role === 'requirement')) {
    const refIndex = columns.find((c) => c.role === 'ref' || c.role === 'recNumber')?.index ?? 0
    const prose = (v: string): boolean => v.split(/\s+/).length >= 4 && !parseRef(v)
    const candidate = columns
      .filter((c) => !c.role && !c.heading)
      .filter((c) => {
        const values = valuesOf(c)
        return values.length > 0 && values.filter(prose).length / values.length >= 0.6
      })
      .sort((a, b) => Math.abs(a.index - refIndex) - Math.abs(b.index - refIndex))[0]
    if (candidate) candidate.role = 'requirement'
  }
  // Two number-like columns: the one holding item numbers is the item column.
  const numberCols = columns.filter((c) => c.role === 'recNumber')
  if (numberCols.length > 1 && !columns.some((c) => c.role === 'ref')) {
    for (const c of numberCols.slice(1)) {
      const values = valuesOf(c)
      if (values.length && values.every((v) => parseRef(v) || splitLeadingRef(v))) {
        c.role = 'ref'
        break
      }
    }
  }
  // "Recommendation" next to a number column is the recommendation's text.
  if (columns.some((c) => c.role === 'recNumber')) {
    for (const c of columns) if (c.role === 'recommendation') c.role = 'recText'
  }
  const seen = new Set<ColumnRole>()
  for (const c of columns) {
    if (!c.role) {
      if (valuesOf(c).length > 0) {
        warnings.push({
          location: grid.rows[header.index].location,
          message: c.heading
            ? `column "${c.heading}" is not a column the importer knows; its contents were not read`
            : `column ${c.index + 1} has no heading; its contents were not read`,
        })
      }
      continue
    }
    if (c.role === 'update') continue
    if (seen.has(c.role)) {
      warnings.push({
        location: grid.rows[header.index].location,
        message: `column "${c.heading}" is a second ${ROLE_NAMES[c.role]} column; only the first was read`,
      })
      c.role = null
    } else seen.add(c.role)
  }
  return columns
}

/** Rows one cell short because a converter merged the item number into the requirement (`<p><b>12.3</b> …`). */
function realign(cells: Cell[], columns: Column[]): Cell[] {
  const refCol = columns.find((c) => c.role === 'ref')
  if (!refCol || cells.length >= columns.length) return cells
  const cell = cells[refCol.index]
  if (!cell || parseRef(cell.text)) return cells
  const lead = splitLeadingRef(cell.text)
  if (!lead) return cells
  const out = cells.slice()
  out.splice(refCol.index, 1, { ...emptyCell(), text: lead.ref }, { ...cell, text: lead.rest })
  return out
}

function readRowTable(grid: Grid, header: { index: number; columns: Column[] }): GridReading {
  const warnings: ImportWarning[] = []
  const columns = settleColumns(grid, header, warnings)
  const col = (role: ColumnRole): Column | undefined => columns.find((c) => c.role === role)
  const updateCols = columns.filter((c) => c.role === 'update')
  const wide = updateCols.length > 1
  const headerKey = columns.map((c) => c.role ?? '').join('|')
  const records: RowRecord[] = []
  // Lines above the heading row: "Force: …" style facts, a title, and a "Recommendation 7" heading with its text.
  const above = grid.rows.slice(0, header.index).map((r) => r.cells.map((c) => c.text).filter((t) => t))
  const aboveLines = above.map((cells) => cells.join(' '))
  const headingAt = aboveLines.findIndex((l) => REC_HEADING.test(l))
  const contextRec = recommendationFromLines(
    [...(grid.context ? grid.context.split('\n') : []), ...aboveLines],
    grid.label || 'table',
  )
  if (contextRec) records.push(contextRec)
  // A row of one cell inside the table "Recommendation 7" heads the rows below; single-cell rows of prose under it
  // are the recommendation's text.
  let heading: RowRecord | null = null
  let headingTitleOnly = false

  for (const row of grid.rows.slice(header.index + 1)) {
    if (isEmptyRow(row)) continue
    let cells = realign(row.cells, columns)
    if (cells.length > columns.length && cells.slice(columns.length).some((c) => c.text !== '')) {
      throw new PlanImportError(
        `the row has ${cells.length} cells but the table's heading row (${grid.rows[header.index].location}) has ${columns.length} columns, so its cells cannot be matched to columns`,
        row.location,
      )
    }
    cells = cells.slice(0, columns.length)
    // A heading row repeated after a page break.
    if (
      rolesOf({ location: row.location, cells })
        .map((c) => c.role ?? '')
        .join('|') === headerKey
    ) {
      continue
    }
    const filled = cells.filter((c) => c.text)
    if (filled.length === 1 && !parseRef(filled[0].text) && !splitLeadingRef(filled[0].text)) {
      const text = filled[0].text.trim()
      const m = REC_HEADING.exec(text)
      if (m) {
        heading = { ...emptyRecord(row.location), recNumber: Number(m[1]), recText: m[2].trim() || null }
        headingTitleOnly = heading.recText !== null
        records.push(heading)
        continue
      }
      if (heading) {
        // The paragraphs under the heading are the text; a title on the heading line gives way to them.
        heading.recText = heading.recText && !headingTitleOnly ? `${heading.recText}\n${text}` : text
        headingTitleOnly = false
        continue
      }
    }
    heading = null
    records.push(readRow(row.location, cells, columns, col, updateCols, wide))
  }
  const before = headingAt < 0 ? above : above.slice(0, headingAt)
  const meta: Partial<Meta> = metaFromLines(before.map((cells) => cells.join(' ').replace(/^(.*?:)\s*/, '$1 ')))
  const title = before.find((cells) => cells.length === 1 && !/:/.test(cells[0]))
  if (title) meta.title = title[0]
  return { shape: wide ? 'wide' : 'rows', records, meta, warnings }
}

function readRow(
  location: string,
  cells: Cell[],
  columns: Column[],
  col: (role: ColumnRole) => Column | undefined,
  updateCols: Column[],
  wide: boolean,
): RowRecord {
  let recNumber: number | null = null
  let ref: string | null = null
  let recText = textOf(cells, col('recText')) || null
  let requirement = textOf(cells, col('requirement'))
  const numberCol = col('recNumber')
  if (numberCol) {
    const parsed = parseRecNumberCell(textOf(cells, numberCol), location, numberCol.heading)
    recNumber = parsed.recNumber
    ref = parsed.ref
    if (parsed.rest && !requirement) requirement = parsed.rest
  }
  const combinedCol = col('recommendation')
  if (combinedCol) {
    const parsed = parseCombined(textOf(cells, combinedCol))
    if (parsed.recNumber !== null) recNumber ??= parsed.recNumber
    if (parsed.ref) ref ??= parsed.ref
    if (parsed.text) {
      if (parsed.ref && !requirement) requirement = parsed.text
      else if (!parsed.ref) recText ??= parsed.text
    }
  }
  const refCol = col('ref')
  if (refCol) {
    const t = textOf(cells, refCol).trim()
    if (t) {
      const r = parseRef(t) ?? splitLeadingRef(t) ?? labelledRef(t)
      if (!r) {
        throw new PlanImportError(
          `the "${refCol.heading || 'item number'}" column holds "${t.slice(0, 40)}" but expected an evidence item number such as 7.1`,
          location,
        )
      }
      ref = r.ref
    }
  }
  const lead = splitLeadingRef(requirement)
  if (lead) {
    if (!ref) ref = lead.ref
    if (lead.ref === ref) requirement = lead.rest
  }

  const updates: UpdateDraft[] = []
  if (wide) {
    const ordered = orderUpdateColumns(updateCols)
    for (const c of ordered) {
      const raw = textOf(cells, c)
      if (!raw) continue
      const { status, rest } = statusLine(raw)
      const leading = splitLeadingDate(rest)
      updates.push({
        heading: c.heading,
        text: leading ? leading.rest : rest,
        date: findDate(c.heading) ?? leading?.date ?? null,
        dateText: null,
        status,
        location: `${location}, "${c.heading}"`,
      })
    }
    const statusText = withPercent(textOf(cells, col('status')) || null, percentText(textOf(cells, col('percent'))))
    const dateCell = col('date') ? cells[col('date')!.index] : undefined
    if (statusText || dateCell?.text || dateCell?.date) {
      let last = updates[updates.length - 1]
      if (!last) {
        last = { heading: null, text: '', date: null, dateText: null, status: null, location }
        updates.push(last)
      }
      last.status ??= statusText
      if (!last.date) {
        last.date = dateCell?.date ?? null
        last.dateText = last.date ? null : dateCell?.text || null
      }
    }
  } else {
    const c = updateCols[0]
    let text = textOf(cells, c)
    const statusText = withPercent(textOf(cells, col('status')) || null, percentText(textOf(cells, col('percent'))))
    const dateCell = col('date') ? cells[col('date')!.index] : undefined
    let date = dateCell?.date ?? null
    const dateText = date ? null : dateCell?.text || null
    if (!date && !dateText && text) {
      const leading = splitLeadingDate(text)
      if (leading) {
        date = leading.date
        text = leading.rest
      }
    }
    if (c?.dated && !date && !dateText) date = findDate(c.heading)
    if (text || statusText || date || dateText) {
      updates.push({ heading: c?.dated ? c.heading : null, text, date, dateText, status: statusText, location })
    }
  }
  void columns
  return {
    location,
    recNumber,
    recText,
    ref,
    requirement: requirement || null,
    owner: textOf(cells, col('owner')) || null,
    updates,
    documents: documentsOf(col('documents') ? cells[col('documents')!.index] : undefined),
    deadlineText: textOf(cells, col('deadline')) || null,
  }
}

/** Oldest first: columns keep their order unless their dates run newest first. */
function orderUpdateColumns(cols: Column[]): Column[] {
  const dated = cols.map((c) => findDate(c.heading)).filter((d): d is string => d !== null)
  const descending = dated.length >= 2 && dated.every((d, i) => i === 0 || d <= dated[i - 1]) && dated[0] > dated[1]
  return descending ? cols.slice().reverse() : cols
}

function emptyRecord(location: string): RowRecord {
  return {
    location,
    recNumber: null,
    recText: null,
    ref: null,
    requirement: null,
    owner: null,
    updates: [],
    documents: [],
    deadlineText: null,
  }
}

/** "Recommendation 7" heading (and the paragraphs after it) above a per-recommendation table. */
function recommendationFromLines(lines: string[], label: string): RowRecord | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = REC_HEADING.exec(lines[i].trim())
    if (!m) continue
    // The paragraphs under the heading are the text; a title on the heading line ("Recommendation 14 – Victims' Code")
    // is the text only when no paragraph follows.
    const below = lines.slice(i + 1).filter((t) => t.trim())
    const text = (below.length ? below : [m[2]]).filter((t) => t.trim()).join('\n')
    return {
      ...emptyRecord(`${label} heading "${lines[i].slice(0, 60)}"`),
      recNumber: Number(m[1]),
      recText: text || null,
    }
  }
  return null
}

// ---------------------------------------------------------------------------------------------------------------
// Key/value tables: one evidence item per table ("Recommendation:" | "7", "Force update:" | "…", …).

function keyValueRows(grid: Grid): Array<{ row: GridRow; key: string; value: Cell }> {
  const out: Array<{ row: GridRow; key: string; value: Cell }> = []
  for (const row of grid.rows) {
    const filled = row.cells.map((c, i) => ({ c, i })).filter(({ c }) => c.text || c.links.length)
    if (filled.length === 0) continue
    const key = filled[0].c.text.replace(/\n/g, ' ').trim()
    const rest = row.cells.slice(filled[0].i + 1).filter((c, i, all) => all.indexOf(c) === i)
    const texts = [...new Set(rest.map((c) => c.text).filter((t) => t))]
    const value: Cell = {
      text: texts.join('\n'),
      links: rest.flatMap((c) => c.links),
      date: rest.find((c) => c.date)?.date ?? null,
    }
    out.push({ row, key, value })
  }
  return out
}

function isKeyValueGrid(grid: Grid): boolean {
  const maxWidth = Math.max(0, ...grid.rows.map((r) => r.cells.filter((c) => c.text || c.links.length).length))
  if (maxWidth > 3) return false
  const kv = keyValueRows(grid)
  const roles = new Set(kv.map((r) => matchColumn(r.key)?.role).filter((r) => r))
  return (
    roles.size >= 3 &&
    (roles.has('requirement') || roles.has('ref')) &&
    (roles.has('recommendation') || roles.has('recNumber') || roles.has('ref') || roles.has('requirement'))
  )
}

function readKeyValue(grid: Grid): GridReading {
  const warnings: ImportWarning[] = []
  const record: RowRecord = {
    location: grid.rows[0]?.location ?? grid.label,
    recNumber: null,
    recText: null,
    ref: null,
    requirement: null,
    owner: null,
    updates: [],
    documents: [],
    deadlineText: null,
  }
  const state: { cur: UpdateDraft | null } = { cur: null }
  const newUpdate = (location: string): UpdateDraft => {
    const u: UpdateDraft = { heading: null, text: '', date: null, dateText: null, status: null, location }
    state.cur = u
    record.updates.push(u)
    return u
  }
  for (const { row, key, value } of keyValueRows(grid)) {
    const m = matchColumn(key)
    const v = value.text
    if (!m) {
      if (v) warnings.push({ location: row.location, message: `"${key}" is not a field the importer knows; not read` })
      continue
    }
    switch (m.role) {
      case 'recommendation':
      case 'recNumber': {
        const p = parseCombined(v)
        record.recNumber ??= p.recNumber
        if (p.ref) record.ref ??= p.ref
        if (p.text && !p.ref) record.recText ??= p.text
        if (p.text && p.ref) record.requirement ??= p.text
        break
      }
      case 'recText':
        record.recText ??= v || null
        break
      case 'ref': {
        const r = parseRef(v) ?? splitLeadingRef(v) ?? labelledRef(v)
        if (v && !r) {
          throw new PlanImportError(
            `"${key}" holds "${v.slice(0, 40)}" but expected an evidence item number such as 7.1`,
            row.location,
          )
        }
        if (r) record.ref = r.ref
        break
      }
      case 'requirement': {
        const lead = splitLeadingRef(v)
        if (lead) {
          record.ref ??= lead.ref
          record.requirement = lead.rest
        } else {
          const only = parseRef(v)
          if (only) record.ref ??= only.ref
          else record.requirement = v || null
        }
        break
      }
      case 'owner':
        record.owner = v || null
        break
      case 'update': {
        const cur = state.cur
        const u: UpdateDraft = cur && !cur.text && !cur.heading ? cur : newUpdate(row.location)
        const dated = m.how === 'pattern' || findDate(key) !== null
        if (dated) {
          u.heading = key.replace(/:$/, '').trim()
          u.date ??= findDate(key)
        }
        const { status, rest } = statusLine(v)
        const leading = u.date ? null : splitLeadingDate(rest)
        u.text = leading ? leading.rest : rest
        if (leading) u.date = leading.date
        if (status) u.status ??= status
        break
      }
      case 'date': {
        const cur = state.cur
        const u: UpdateDraft = cur && !cur.date && !cur.dateText ? cur : newUpdate(row.location)
        u.date = value.date
        u.dateText = value.date ? null : v || null
        break
      }
      case 'status': {
        const cur = state.cur
        const u: UpdateDraft = cur && !cur.status ? cur : newUpdate(row.location)
        u.status = v || null
        break
      }
      case 'percent': {
        const cur = state.cur
        const u: UpdateDraft = cur ?? newUpdate(row.location)
        u.status = withPercent(u.status, percentText(v))
        break
      }
      case 'documents':
        record.documents.push(...documentsOf(value))
        break
      case 'deadline':
        record.deadlineText = v || null
        break
    }
  }
  if (!record.ref && grid.context) {
    const lastLine = grid.context.split('\n').pop() ?? ''
    const m = /(?:^|\s)(\d{1,2}\.\d{1,2})(?=\s|$|[:.)])/.exec(lastLine)
    if (m) record.ref = parseRef(m[1])?.ref ?? null
  }
  record.updates = record.updates.filter((u) => u.text || u.status || u.date || u.dateText)
  return { shape: 'keyvalue', records: [record], meta: {}, warnings }
}

// ---------------------------------------------------------------------------------------------------------------

function readMetaGrid(grid: Grid): Partial<Meta> | null {
  const meta: Partial<Meta> = {}
  let found = 0
  let other = 0
  for (const { key, value } of keyValueRows(grid)) {
    const m = matchMeta(key)
    if (m && m.how !== 'spelling' && value.text) {
      meta[m.role] = value.text.replace(/\n/g, ' ')
      found++
    } else other++
  }
  return found > 0 && other <= found ? meta : null
}

/** "Force: Northmoor Constabulary" style lines in free text. */
export function metaFromLines(lines: string[]): Partial<Meta> {
  const meta: Partial<Meta> = {}
  for (const line of lines) {
    const m = /^([A-Za-z ]{3,30})\s*:\s*(\S.*)$/.exec(line.trim())
    if (!m) continue
    const role = matchMeta(m[1])
    if (role && role.how !== 'spelling') (meta as Record<MetaRole, string>)[role.role] ??= m[2].trim()
  }
  return meta
}

/** Reads one grid, or returns null when it is not part of a plan. */
export function readGrid(grid: Grid): GridReading | null {
  if (grid.rows.every(isEmptyRow)) return null
  if (isKeyValueGrid(grid)) return readKeyValue(grid)
  const header = findHeader(grid)
  if (header) return readRowTable(grid, header)
  const meta = readMetaGrid(grid)
  if (meta) return { shape: 'meta', records: [], meta, warnings: [] }
  return null
}

export interface GridsReading {
  records: RowRecord[]
  meta: Partial<Meta>
  warnings: ImportWarning[]
  shapes: GridShape[]
  /** Number of grids that held plan rows. */
  planGrids: number
}

/** Reads every grid; grids that are not part of the plan get a warning; none at all is an error. */
export function readGrids(grids: Grid[], what = 'a table'): GridsReading {
  const out: GridsReading = { records: [], meta: {}, warnings: [], shapes: [], planGrids: 0 }
  const ignored: Grid[] = []
  for (const grid of grids) {
    const reading = readGrid(grid)
    if (!reading) {
      if (grid.rows.some((r) => !isEmptyRow(r))) ignored.push(grid)
      continue
    }
    for (const [k, v] of Object.entries(reading.meta)) (out.meta as Record<string, string>)[k] ??= v as string
    if (reading.shape !== 'meta') {
      out.planGrids++
      out.shapes.push(reading.shape)
    }
    out.records.push(...reading.records)
    out.warnings.push(...reading.warnings)
  }
  if (out.planGrids === 0) throw notAPlanError(grids, what)
  for (const grid of ignored) {
    const first = grid.rows.find((r) => !isEmptyRow(r)) as GridRow
    out.warnings.push({
      location: grid.label || first.location,
      message: `${grid.label ? grid.label.replace(/^./, (c) => c.toUpperCase()) : 'This table'} (starting ${describeColumns(first)}) does not look like part of the plan and was not read`,
    })
  }
  return out
}
