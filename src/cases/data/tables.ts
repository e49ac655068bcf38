// Kysely table types for the case work area. Each table's shape must match src/cases/data/migrations.ts.
// Conventions (ADR 0003): timestamps ISO-8601 text in UTC, dates 'YYYY-MM-DD' text, booleans 0/1, JSON text.
import type { PlatformTables } from '../../platform/data/schema.ts'
import type { CrimeTables } from '../../crime/index.ts'
import type { Generated, Selectable } from 'kysely'

export const RISK_RANK = { high: 3, medium: 2, standard: 1 } as const
export type CaseRisk = keyof typeof RISK_RANK

/**
 * A stalking case: a crime that at least one obligation applies to, with who it is assigned to. Kept by the case work
 * engine from the areas' answers (the crime's reference, team and latest risk are copies, refreshed with it).
 */
export interface CasesTable {
  crime_id: number
  force_id: number
  reference: string
  reported_at: string
  team: string | null
  /** The latest S-DASH's risk level, else the latest allocation's; null when neither. */
  risk: CaseRisk | null
  /** 3 high, 2 medium, 1 standard, 0 not known: the queues' second sort. */
  risk_rank: number
  assigned_user_id: number | null
  assigned_by: string | null
  assigned_at: string | null
  /** The earliest due day of its open obligations; null when none is open. */
  next_due_on: string | null
  open_count: number
  refreshed_at: string
}

export const OBLIGATION_STATES = ['open', 'met', 'not_applicable'] as const
export type ObligationState = (typeof OBLIGATION_STATES)[number]

/** One obligation of one case: when it started, when it is due (fixed when it started), whether and how it was met. */
export interface CaseObligationsTable {
  force_id: number
  crime_id: number
  obligation_id: string
  /** ISO date-time of the event it started from, and that day in England and Wales. */
  started_at: string
  started_on: string
  due_on: string
  /** The force's settings version in force when it started (0: the catalogue's defaults). */
  settings_version: number
  state: ObligationState
  met_at: string | null
  met_on: string | null
  met_by: string | null
  met_event: string | null
  /** Copies of the case's for the team queue's filters, kept with it. */
  team: string | null
  risk_rank: number
  assigned_user_id: number | null
}

/** A force's due periods, each change a new version with who and when; the latest counts from its time. */
export interface CaseSettingsTable {
  id: Generated<number>
  force_id: number
  version: number
  /** JSON: obligation id to { days, kind }. */
  periods: string
  changed_by: string
  changed_by_id: number | null
  changed_at: string
}

/** "Not applicable" on one case's obligation, with the reason; withdrawn rather than deleted. */
export interface CaseExemptionsTable {
  id: Generated<number>
  force_id: number
  crime_id: number
  obligation_id: string
  reason: string
  recorded_by: string
  recorded_by_id: number | null
  recorded_at: string
  withdrawn_by: string | null
  withdrawn_at: string | null
}

/** Where the engine got to in each area's records, per force ('*' marks a full refresh done). */
export interface CaseRefreshCursorsTable {
  force_id: number
  source: string
  cursor: string
  updated_at: string
}

export const NOTIFICATION_KINDS = ['assigned', 'due_tomorrow', 'overdue'] as const
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number]

/** An in-app notification, and whether it was read and sent in a digest. Crime references only, no person. */
export interface CaseNotificationsTable {
  id: Generated<number>
  force_id: number
  user_id: number
  kind: NotificationKind
  crime_id: number
  obligation_id: string
  reference: string
  text: string
  /** Unique: the same reminder is made once (kind, user, crime, obligation, due day). */
  dedupe_key: string
  created_at: string
  read_at: string | null
  emailed_at: string | null
}

export interface CaseTables {
  cases: CasesTable
  case_obligations: CaseObligationsTable
  case_settings: CaseSettingsTable
  case_exemptions: CaseExemptionsTable
  case_refresh_cursors: CaseRefreshCursorsTable
  case_notifications: CaseNotificationsTable
}

export type CaseRow = Selectable<CasesTable>
export type CaseObligationRow = Selectable<CaseObligationsTable>
export type CaseSettingsRow = Selectable<CaseSettingsTable>
export type CaseExemptionRow = Selectable<CaseExemptionsTable>
export type CaseNotificationRow = Selectable<CaseNotificationsTable>

/** The tables this area's queries see: the platform's, the crime index and its own. */
export interface CaseDatabase extends PlatformTables, CrimeTables, CaseTables {}
