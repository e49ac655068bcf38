// The tables every tabular export writes (CSV, XLSX, ODS), built once from the plan.
import type { PlanItem, PlanStatus } from '../model.ts'
import type { ExportablePlan } from '../interchange.ts'
import { formatPercent, itemProgress, planProgress, PROGRESS_METHOD, recommendationProgress } from '../progress.ts'
import type { ProgressBasis } from '../progress.ts'

/** A cell: text, a number, or empty. Numbers stay numbers in every format; text is never read as a formula. */
export type Cell = string | number | null

export interface Column {
  header: string
  /** Width in characters, for spreadsheets. */
  width: number
}

export interface Sheet {
  name: string
  columns: Column[]
  rows: Cell[][]
}

export const STATUS_LABELS: Record<PlanStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  complete: 'Complete',
}

export const BASIS_LABELS: Record<ProgressBasis, string> = {
  stated: 'Stated in latest update',
  complete: 'Complete (100%)',
  not_started: 'Not started (0%)',
  in_progress_estimate: 'Estimated: in progress, no % stated',
  no_status: 'No status yet (0%)',
}

/** The published table's columns, plus "% basis" saying where each % came from. */
export const PLAN_COLUMNS: Column[] = [
  { header: 'Rec. No.', width: 8 },
  { header: 'Recommendation', width: 50 },
  { header: 'Deadline', width: 11 },
  { header: 'Evidence ref', width: 10 },
  { header: 'Evidence requirement', width: 50 },
  { header: 'Owner', width: 20 },
  { header: 'Latest update', width: 70 },
  { header: 'Date', width: 11 },
  { header: 'Status', width: 18 },
  { header: '%', width: 6 },
  { header: '% basis', width: 22 },
  { header: 'Supporting documents', width: 40 },
]

export const HISTORY_COLUMNS: Column[] = [
  { header: 'Rec. No.', width: 8 },
  { header: 'Evidence ref', width: 10 },
  { header: 'Date', width: 11 },
  { header: 'Heading', width: 24 },
  { header: 'Update', width: 80 },
  { header: 'Status', width: 18 },
  { header: '%', width: 6 },
]

// Characters XML 1.0 cannot carry (XLSX and ODS are XML); removed from every text cell.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

export function cleanText(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null
  return text.replace(XML_INVALID, '')
}

export function statusText(status: PlanStatus | null, label: string | null): string | null {
  return label ?? (status ? STATUS_LABELS[status] : null)
}

export function documentsText(item: PlanItem): string | null {
  if (item.documents.length === 0) return null
  return item.documents.map((d) => (d.url ? `${d.name} (${d.url})` : d.name)).join('\n')
}

/** One row per evidence item; a recommendation without items gets one row with the item columns empty. */
export function planRows(plan: ExportablePlan): Cell[][] {
  const rows: Cell[][] = []
  for (const rec of plan.recommendations) {
    const recCells: Cell[] = [rec.number, cleanText(rec.text), rec.deadline]
    if (rec.items.length === 0) {
      rows.push([...recCells, null, null, null, null, null, null, null, null, null])
      continue
    }
    for (const item of rec.items) {
      const latest = item.updates.at(-1) ?? null
      const progress = itemProgress(item)
      rows.push([
        ...recCells,
        item.ref,
        cleanText(item.requirement),
        cleanText(item.owner),
        cleanText(latest?.text),
        latest?.date ?? null,
        cleanText(statusText(item.status, item.statusLabel)),
        progress.percent,
        BASIS_LABELS[progress.basis],
        cleanText(documentsText(item)),
      ])
    }
  }
  return rows
}

/** Every update of every item, oldest first within each item, in plan order. */
export function historyRows(plan: ExportablePlan): Cell[][] {
  const rows: Cell[][] = []
  for (const rec of plan.recommendations)
    for (const item of rec.items)
      for (const u of item.updates) {
        rows.push([
          rec.number,
          item.ref,
          u.date,
          cleanText(u.heading),
          cleanText(u.text),
          cleanText(statusText(u.status, u.statusLabel)),
          u.percent,
        ])
      }
  return rows
}

/** Facts about the plan and its progress, as label/value rows. */
export function aboutRows(plan: ExportablePlan, generatedAt: Date): Cell[][] {
  const rows: Cell[][] = [
    ['Force', cleanText(plan.force)],
    ['Title', cleanText(plan.title)],
    ['Executive lead', cleanText(plan.executiveLead)],
    ['Operational lead', cleanText(plan.operationalLead)],
    ['Last updated', plan.lastUpdated],
    ['Published', plan.publishedAt ?? null],
    ...(plan.approvedAt ? ([['Approved', plan.approvedAt]] as Cell[][]) : []),
    ['Generated', generatedAt.toISOString()],
    ['Overall progress', formatPercent(planProgress(plan))],
  ]
  for (const rec of plan.recommendations) {
    rows.push([`Recommendation ${rec.number} progress`, formatPercent(recommendationProgress(rec))])
  }
  rows.push(['How % is calculated', PROGRESS_METHOD])
  return rows
}

export function tabularSheets(plan: ExportablePlan, generatedAt: Date): Sheet[] {
  return [
    { name: 'Action plan', columns: PLAN_COLUMNS, rows: planRows(plan) },
    { name: 'Update history', columns: HISTORY_COLUMNS, rows: historyRows(plan) },
    {
      name: 'About',
      columns: [
        { header: 'Item', width: 30 },
        { header: 'Value', width: 100 },
      ],
      rows: aboutRows(plan, generatedAt),
    },
  ]
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

/** '20 November 2024', 'March 2025', '2025'; anything else as given; null as ''. */
export function displayDate(iso: string | null | undefined): string {
  if (!iso) return ''
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(iso)
  if (!m) return iso
  const [, year, month, day] = m
  if (!month) return year
  const name = MONTHS[Number(month) - 1]
  if (!name) return iso
  return day ? `${Number(day)} ${name} ${year}` : `${name} ${year}`
}
