// Exports of a force's plan: JSON (the interchange format), CSV, XLSX, ODS, HTML and PDF.
import { toInterchange, type ExportablePlan } from '../interchange.ts'
import { planCsv } from './csv.ts'
import { planHtml } from './html.ts'
import { ODS_MEDIA_TYPE, planOds } from './ods.ts'
import { planPdf } from './pdf.ts'
import { planXlsx } from './xlsx.ts'

export const EXPORT_FORMATS = ['json', 'csv', 'xlsx', 'ods', 'html', 'pdf'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export interface ExportedFile {
  body: Buffer
  mediaType: string
  extension: string
}

export const MEDIA_TYPES: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ods: ODS_MEDIA_TYPE,
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
}

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value)
}

/** The plan in the given format. `now` sets the generation time written into the file (default: the clock). */
export async function exportPlan(
  plan: ExportablePlan,
  format: ExportFormat,
  options: { now?: Date } = {},
): Promise<ExportedFile> {
  const now = options.now ?? new Date()
  const body = await render(plan, format, now)
  return { body, mediaType: MEDIA_TYPES[format], extension: format }
}

async function render(plan: ExportablePlan, format: ExportFormat, now: Date): Promise<Buffer> {
  switch (format) {
    case 'json':
      return Buffer.from(`${JSON.stringify(toInterchange(plan, { now }), null, 2)}\n`, 'utf8')
    case 'csv':
      return planCsv(plan)
    case 'xlsx':
      return planXlsx(plan, now)
    case 'ods':
      return planOds(plan, now)
    case 'html':
      return planHtml(plan, now)
    case 'pdf':
      return planPdf(plan, now)
    default: {
      const never: never = format
      throw new Error(`unknown export format ${String(never)}`)
    }
  }
}

/** 'wessex-vale-police-stalking-action-plan.csv'; ASCII letters, digits and hyphens only. */
export function fileNameFor(force: string | null, format: ExportFormat): string {
  const slug = (force ?? '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '')
  return `${slug ? `${slug}-` : ''}stalking-action-plan.${format}`
}
