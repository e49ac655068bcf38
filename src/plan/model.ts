// The plan interchange model: what every importer produces and every exporter consumes.
// Dates are ISO strings that keep the precision of the source: 'YYYY-MM-DD' or 'YYYY-MM' (or 'YYYY').

export const PLAN_STATUSES = ['not_started', 'in_progress', 'complete'] as const
export type PlanStatus = (typeof PLAN_STATUSES)[number]

export interface PlanUpdate {
  /** ISO date with the source's precision, or null when the document gave none. */
  date: string | null
  /** Heading the update sat under in the source, e.g. "March 2026 update"; null when none. */
  heading: string | null
  text: string
  status: PlanStatus | null
  /** The status exactly as the document wrote it, e.g. "In Progress 25%". */
  statusLabel: string | null
  percent: number | null
}

export interface PlanDocumentRef {
  name: string
  /** Link given by the source document, if any. */
  url: string | null
  /** Set for documents uploaded into Threadline. */
  checksum?: string | null
  mediaType?: string | null
  size?: number | null
}

export interface PlanItem {
  /** Evidence requirement reference, e.g. "12.3". */
  ref: string
  requirement: string
  owner: string | null
  /** Current status: the status of the latest update. */
  status: PlanStatus | null
  statusLabel: string | null
  percent: number | null
  /** Oldest first. */
  updates: PlanUpdate[]
  documents: PlanDocumentRef[]
}

export interface PlanRecommendation {
  number: number
  text: string
  /** ISO date with the source's precision, or null. */
  deadline: string | null
  items: PlanItem[]
}

export interface ImportWarning {
  /** Where in the source: "line 12", "row 4", "table 2, row 3", "recommendation 12". */
  location: string
  message: string
}

export interface ParsedPlan {
  /** Which reader recognised the document, e.g. 'seed-text', 'html-wide', 'html-keyvalue', 'html-per-recommendation', 'csv', 'xlsx', 'ods', 'docx'. */
  format: string
  force: string | null
  executiveLead: string | null
  operationalLead: string | null
  title: string | null
  recommendations: PlanRecommendation[]
  warnings: ImportWarning[]
}

/** Thrown for a document that cannot be read: names what was found and what was expected. Nothing is written. */
export class PlanImportError extends Error {
  constructor(
    message: string,
    readonly location: string | null = null,
  ) {
    super(location ? `${location}: ${message}` : message)
    this.name = 'PlanImportError'
  }
}
