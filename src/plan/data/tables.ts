// Kysely table types for the plan area. Each table's shape must match src/plan/data/migrations.ts.
// Conventions (docs/adr/0003): timestamps ISO-8601 text in UTC, plan dates ISO text keeping their precision
// ('YYYY-MM-DD', 'YYYY-MM' or 'YYYY'), booleans 0/1, JSON as text.
import type { PlatformTables } from '../../platform/data/schema.ts'
import type { Generated } from 'kysely'

/** How precise a plan date is: a day, a month or a year. */
export type DatePrecision = 'day' | 'month' | 'year'

export interface PlanPlanTable {
  id: Generated<number>
  force_id: number
  title: string | null
  executive_lead: string | null
  operational_lead: string | null
  /** 1 once a plan owner has published it on the public page. */
  published: number
  published_at: string | null
  /** Where the plan began: 'catalogue' or the first import's format. */
  origin: string
  created_at: string
  /** When anything in the plan last changed (ISO timestamp). */
  updated_at: string
}

export interface PlanRecommendationTable {
  id: Generated<number>
  plan_id: number
  number: number
  text: string
  deadline: string | null
  deadline_precision: DatePrecision | null
}

export interface PlanItemTable {
  id: Generated<number>
  plan_id: number
  recommendation_id: number
  ref: string
  requirement: string
  owner: string | null
  /** Current status, as the latest update or document gave it. */
  status: string | null
  status_label: string | null
  percent: number | null
  /** What the public page shows: the owner and status as last approved (null until the item is first approved). */
  public_owner: string | null
  public_status: string | null
  public_status_label: string | null
  public_percent: number | null
  public_at: string | null
}

/** Append-only history of dated updates: rows are added, never changed. */
export interface PlanUpdateTable {
  id: Generated<number>
  item_id: number
  date: string | null
  date_precision: DatePrecision | null
  heading: string | null
  text: string
  /** sha256 of the whitespace-normalised text: an update is the same update when item, date and this match. */
  text_hash: string
  status: string | null
  status_label: string | null
  percent: number | null
  /** 'import:<sha256 of the file>' or 'user:<user id>'. */
  source: string
  created_by: string
  created_at: string
}

export interface PlanOwnerChangeTable {
  id: Generated<number>
  item_id: number
  previous_owner: string | null
  new_owner: string | null
  source: string
  changed_by: string
  changed_at: string
}

export interface PlanDocumentTable {
  id: Generated<number>
  item_id: number
  name: string
  /** A link the source document gave; null for an uploaded file. */
  url: string | null
  /** Path of an uploaded file relative to config.uploadDir; null for a link. */
  stored_path: string | null
  /** 'sha256:<hex>' of an uploaded file. */
  checksum: string | null
  media_type: string | null
  size: number | null
  source: string
  uploaded_by: string
  uploaded_at: string
}

export interface PlanImportTable {
  id: Generated<number>
  plan_id: number
  file_name: string
  /** sha256 hex of the file's bytes. */
  checksum: string
  format: string
  /** JSON array of { location, message }. */
  warnings: string
  updates_added: number
  imported_by: string
  imported_at: string
  /** Where a harvested document came from (plan harvest); null for an uploaded file. */
  source_url: string | null
}

/** One sign-off: who approved which drafts (plan_approved_changes), when, with what comment. Append-only. */
export interface PlanApprovalTable {
  id: Generated<number>
  plan_id: number
  comment: string
  approved_by: string
  approved_at: string
}

export type ApprovalKind = 'update' | 'owner' | 'correction' | 'document' | 'import'

/** A draft an approval covered: an update, owner change, correction, document or held import. Append-only. */
export interface PlanApprovedChangeTable {
  id: Generated<number>
  approval_id: number
  plan_id: number
  kind: ApprovalKind
  row_id: number
}

/** A correction of an update (text, date, status, %) with its reason. The update row itself never changes. */
export interface PlanUpdateCorrectionTable {
  id: Generated<number>
  update_id: number
  date: string | null
  date_precision: DatePrecision | null
  text: string
  status: string | null
  status_label: string | null
  percent: number | null
  reason: string
  corrected_by: string
  corrected_at: string
}

/** An import into a published plan, held until approved (then merged) or rejected. */
export interface PlanHeldImportTable {
  id: Generated<number>
  plan_id: number
  file_name: string
  checksum: string
  format: string
  /** The ParsedPlan as JSON. */
  parsed: string
  source_url: string | null
  state: 'held' | 'approved' | 'rejected'
  held_by: string
  held_at: string
  decided_by: string | null
  decided_at: string | null
}

/** An NPCC return: a snapshot of the plan as at a date; 'draft', 'reviewed', then 'approved' and frozen. */
export interface PlanReturnTable {
  id: Generated<number>
  plan_id: number
  as_at: string
  state: 'draft' | 'reviewed' | 'approved'
  /** The snapshot (ExportablePlan with each item's status, % and owner as at the date), JSON. */
  content: string
  generated_by: string
  generated_at: string
  reviewed_by: string | null
  reviewed_at: string | null
  review_comment: string | null
  approved_by: string | null
  approved_at: string | null
  approval_comment: string | null
}

export interface PlanTables {
  plan_plans: PlanPlanTable
  plan_recommendations: PlanRecommendationTable
  plan_items: PlanItemTable
  plan_updates: PlanUpdateTable
  plan_owner_changes: PlanOwnerChangeTable
  plan_documents: PlanDocumentTable
  plan_imports: PlanImportTable
  plan_approvals: PlanApprovalTable
  plan_approved_changes: PlanApprovedChangeTable
  plan_update_corrections: PlanUpdateCorrectionTable
  plan_held_imports: PlanHeldImportTable
  plan_returns: PlanReturnTable
}

/** The tables this area's queries see: the platform's and its own. */
export interface PlanDatabase extends PlatformTables, PlanTables {}
