// Kysely table types for the screening area. Each table's shape must match src/screening/data/migrations.ts.
// Conventions (ADR 0003): timestamps ISO-8601 text in UTC, booleans 0/1, JSON text.
import type { PlatformTables } from '../../platform/data/schema.ts'
import type { CrimeTables } from '../../crime/index.ts'
import type { Generated, Selectable } from 'kysely'

export type QueueStatus = 'open' | 'decided'
export type DecisionOutcome = 'stalking_identified' | 'harassment_only' | 'not_relevant'
export type DecisionAction = 'add_included_8q' | 'propose_reclassification'
export type RiskLevel = 'standard' | 'medium' | 'high'

/** A force's screening settings; a force with no row uses the defaults (reference data's watched classes). */
export interface ScreeningConfigTable {
  force_id: number
  /** JSON array of offence codes whose crimes enter the queue. */
  watched_codes: string
  /** 1: any crime flagged domestic abuse between former partners enters the queue. */
  watch_former_partners: number
  window_days: number
  min_incidents: number
  updated_by: string
  updated_at: string
}

/** One crime waiting for (or given) a screening decision. */
export interface ScreeningQueueTable {
  id: Generated<number>
  force_id: number
  crime_id: number
  /** JSON array of sentences a screener can check against the record. */
  reasons: string
  /** JSON array of reason kinds: 'classification', 'former_partners', 'narrative', 'course'. */
  reason_kinds: string
  /** 1 when the narrative indicators suggest stalking. */
  suggests_stalking: number
  entered_at: string
  updated_at: string
  status: QueueStatus
  /** The SLA basis: the crime's reported date-time. */
  reported_at: string
}

export interface ScreeningDecisionsTable {
  id: Generated<number>
  force_id: number
  crime_id: number
  outcome: DecisionOutcome
  action: DecisionAction | null
  rationale: string
  /** The courses the crime was in when decided (JSON array of course keys), so the pair's next crime finds it. */
  course_keys: string
  /** Suspect>victim person keys of those courses (JSON array). */
  pair_keys: string
  decided_by: string
  decided_by_id: number | null
  decided_at: string
}

/** A course of conduct found by linkage: one suspect, one victim, incidents in time order. */
export interface ScreeningCoursesTable {
  id: Generated<number>
  force_id: number
  /** The linkage engine's course id. */
  course_key: string
  pair_key: string
  suspect_key: string
  victim_key: string
  first_reported_at: string
  last_reported_at: string
  incident_count: number
  /** JSON array of the engine's reasons. */
  reasons: string
  /** JSON array of every classification code across the course. */
  classifications: string
  detected_at: string
}

export interface ScreeningCourseCrimesTable {
  course_id: number
  crime_id: number
  force_id: number
  position: number
  reported_at: string
}

/** The resolved person key of each suspect and victim party in a course (crime_parties.id → key). */
export interface ScreeningPersonKeysTable {
  force_id: number
  party_id: number
  crime_id: number
  person_id: number
  person_key: string
}

/** A stalking screening tool (S-DASH) assessment on a crime. */
export interface ScreeningAssessmentsTable {
  id: Generated<number>
  force_id: number
  crime_id: number
  /** JSON object: question id → 'yes' | 'no' | 'unknown', with an optional comment per question. */
  answers: string
  yes_count: number
  judgement: string
  risk_level: RiskLevel
  assessed_by: string
  assessed_by_id: number | null
  assessed_at: string
}

/** Where incremental screening got to for a force: crimes updated after this were not yet screened. */
export interface ScreeningRunsTable {
  force_id: number
  crimes_updated_until: string
  last_run_at: string
  last_run: string
}

export type PendingChangeKind = 'add_included_classification' | 'flag_intelligence_stalking'

/** A change Threadline made that the records system should hold, for the force's crime registrar (issue 14). */
export interface ScreeningPendingChangesTable {
  id: Generated<number>
  force_id: number
  crime_id: number
  decision_id: number | null
  change: PendingChangeKind
  /** The classification added ('8Q'); null for a flag. */
  code: string | null
  decided_by: string
  decided_at: string
  /** The screener's rationale. */
  reason: string
  status: 'pending' | 'confirmed'
  /** When an imported extract first showed the records system carries the change. */
  confirmed_at: string | null
  /** Who ran that import. */
  confirmed_by: string | null
}

export interface ScreeningTables {
  screening_config: ScreeningConfigTable
  screening_queue: ScreeningQueueTable
  screening_decisions: ScreeningDecisionsTable
  screening_courses: ScreeningCoursesTable
  screening_course_crimes: ScreeningCourseCrimesTable
  screening_person_keys: ScreeningPersonKeysTable
  screening_assessments: ScreeningAssessmentsTable
  screening_runs: ScreeningRunsTable
  screening_pending_changes: ScreeningPendingChangesTable
}

export type QueueRow = Selectable<ScreeningQueueTable>
export type DecisionRow = Selectable<ScreeningDecisionsTable>
export type CourseRow = Selectable<ScreeningCoursesTable>
export type PendingChangeRow = Selectable<ScreeningPendingChangesTable>
export type AssessmentRow = Selectable<ScreeningAssessmentsTable>

/** The tables this area's queries see: the platform's, the crime index and its own. */
export interface ScreeningDatabase extends PlatformTables, CrimeTables, ScreeningTables {}
