// Kysely table types for the investigation area (Recommendations 17 and 18: allocation to skilled officers and the
// quality of stalking investigations). Each table's shape must match src/investigation/data/migrations.ts. Conventions
// (ADR 0003): timestamps ISO-8601 text in UTC, dates 'YYYY-MM-DD' text, booleans 0/1, JSON as text.
import type { PlatformTables } from '../../platform/data/schema.ts'
import type { CrimeTables } from '../../crime/index.ts'
import type { Generated, Selectable } from 'kysely'

export const SKILL_LEVELS = ['trained', 'specialist'] as const
export type SkillLevel = (typeof SKILL_LEVELS)[number]
export const RISK_LEVELS = ['standard', 'medium', 'high'] as const
export type RiskLevel = (typeof RISK_LEVELS)[number]

/** One entry in the force's register of trained stalking investigators; removed entries are kept, with who and when. */
export interface InvestigationSkillsTable {
  id: Generated<number>
  force_id: number
  /** The officer as crimes name them in "officer in case" (a collar number or a name), as typed. */
  officer: string
  /** The same, lower-cased with spaces collapsed: what an allocation's officer is matched on. */
  officer_key: string
  /** The Threadline user this officer is, when there is one (their display name and username match too). */
  user_id: number | null
  level: SkillLevel
  course_name: string
  /** 'YYYY-MM-DD': an allocation on or after it counts as to a trained officer. */
  trained_on: string
  recorded_by: string
  recorded_by_id: number | null
  recorded_at: string
  removed_by: string | null
  removed_at: string | null
}

/** An allocation of a crime to an officer; a crime may be reallocated, and the latest allocation counts. */
export interface InvestigationAllocationsTable {
  id: Generated<number>
  force_id: number
  crime_id: number
  team: string
  officer: string
  officer_key: string
  allocated_on: string
  risk_level: RiskLevel
  complexity_notes: string
  /** 0/1: whether the officer was on the skills register, trained on or before allocated_on, when allocated. */
  officer_trained: number
  /** The register entry that matched, when trained. */
  skill_id: number | null
  /** The course completion that matched, when trained by a course that qualifies (and not by the register). */
  training_completion_id: number | null
  allocated_by: string
  allocated_by_id: number | null
  allocated_at: string
}

/** A supervisor's review of the investigation against the checklist (src/investigation/checklist.json). */
export interface InvestigationReviewsTable {
  id: Generated<number>
  force_id: number
  crime_id: number
  reviewed_on: string
  /** The checklist's version the answers were given against. */
  checklist_version: number
  /** JSON: each checklist item's answer ({ answer, date?, reason? }) by item id. */
  answers: string
  /** Derived from the answers by each item's measure, for the force's figures: 0/1. */
  digital_pursued: number
  arrested: number
  searched: number
  victim_impact: number
  notes: string
  reviewed_by: string
  reviewed_by_id: number | null
  recorded_at: string
}

/** An officer named in the force's learning records (a learning-system export, or a completion recorded by hand). */
export interface InvestigationTrainingOfficersTable {
  id: Generated<number>
  force_id: number
  /** As the learning records name them: "Alex Carter (1234)", a number, or a name. */
  officer: string
  /** The officer's number, lower-cased: what they are known by across exports; null when only a name is known. */
  number_key: string | null
  /** The officer's name, lower-cased with spaces collapsed. */
  name_key: string | null
  role: string | null
  /** 0/1 from the export's frontline column; null when no export said. */
  frontline: number | null
  updated_at: string
}

/** A course an officer completed (or is enrolled on: completed_on null), from an export or recorded by hand. */
export interface InvestigationTrainingCompletionsTable {
  id: Generated<number>
  force_id: number
  officer_id: number
  /** A course in src/investigation/training-courses.json. */
  course_id: string
  completed_on: string | null
  /** 'import:<file name>' or 'hand'. */
  source: string
  recorded_by: string
  recorded_by_id: number | null
  recorded_at: string
}

export interface InvestigationTables {
  investigation_training_officers: InvestigationTrainingOfficersTable
  investigation_training_completions: InvestigationTrainingCompletionsTable
  investigation_skills: InvestigationSkillsTable
  investigation_allocations: InvestigationAllocationsTable
  investigation_reviews: InvestigationReviewsTable
}

export type SkillRow = Selectable<InvestigationSkillsTable>
export type AllocationRow = Selectable<InvestigationAllocationsTable>
export type ReviewRow = Selectable<InvestigationReviewsTable>

/** The tables this area's queries see: the platform's, the crime index and its own. */
export interface InvestigationDatabase extends PlatformTables, CrimeTables, InvestigationTables {}
