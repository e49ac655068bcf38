// Kysely table types for the assurance area (Recommendation 11.2 and 11.3: case audits and victim feedback). Each
// table's shape must match src/assurance/data/migrations.ts. Conventions (ADR 0003): timestamps ISO-8601 text in UTC,
// dates 'YYYY-MM-DD' text, booleans 0/1, JSON as text.
import type { PlatformTables } from '../../platform/data/schema.ts'
import type { CrimeTables } from '../../crime/index.ts'
import type { Generated, Selectable } from 'kysely'

export const FINDING_ANSWERS = ['yes', 'no', 'not_applicable'] as const
export type FindingAnswer = (typeof FINDING_ANSWERS)[number]

export const SURVEY_METHODS = ['telephone', 'online', 'paper', 'in_person'] as const
export type SurveyMethod = (typeof SURVEY_METHODS)[number]

/** The five-point scale each survey metric is answered on, or not answered. */
export const SATISFACTION = [
  'very_satisfied',
  'fairly_satisfied',
  'neither',
  'fairly_dissatisfied',
  'very_dissatisfied',
  'not_answered',
] as const
export type Satisfaction = (typeof SATISFACTION)[number]

/** The survey's five metrics, as columns of assurance_surveys. */
export const SURVEY_METRICS = ['ease_of_contact', 'updates', 'actions_taken', 'treatment', 'overall'] as const
export type SurveyMetric = (typeof SURVEY_METRICS)[number]

/** A case audit: a reproducible random sample of the force's stalking crimes reported in a period. */
export interface AssuranceAuditsTable {
  id: Generated<number>
  force_id: number
  title: string
  /** 'YYYY-MM-DD', inclusive: crimes reported on or after it, on or before period_to. */
  period_from: string
  period_to: string
  /** The sample size asked for; the sample holds fewer when the period has fewer stalking crimes. */
  sample_size: number
  /** The checklist's version (src/assurance/audit-checklist.json) the findings are answered against. */
  checklist_version: number
  created_by: string
  created_by_id: number | null
  created_at: string
}

/** One sampled crime of an audit, in the order drawn. */
export interface AssuranceAuditCasesTable {
  id: Generated<number>
  audit_id: number
  force_id: number
  crime_id: number
  /** 1-based order in which the crime was drawn. */
  position: number
}

/** The auditor's answer to one checklist question on one sampled case; changed answers are updated in place. */
export interface AssuranceAuditFindingsTable {
  id: Generated<number>
  audit_id: number
  case_id: number
  force_id: number
  crime_id: number
  question_id: string
  answer: FindingAnswer
  /** Required when the answer is no. */
  note: string
  recorded_by: string
  recorded_by_id: number | null
  recorded_at: string
}

/** One victim's response to a satisfaction survey about a stalking crime (11.3). */
export interface AssuranceSurveysTable {
  id: Generated<number>
  force_id: number
  crime_id: number
  person_id: number
  /** 'YYYY-MM-DD': on or after the crime was reported, not in the future. */
  surveyed_on: string
  method: SurveyMethod
  ease_of_contact: Satisfaction
  updates: Satisfaction
  actions_taken: Satisfaction
  treatment: Satisfaction
  overall: Satisfaction
  comment: string
  recorded_by: string
  recorded_by_id: number | null
  recorded_at: string
}

export interface AssuranceTables {
  assurance_audits: AssuranceAuditsTable
  assurance_audit_cases: AssuranceAuditCasesTable
  assurance_audit_findings: AssuranceAuditFindingsTable
  assurance_surveys: AssuranceSurveysTable
}

export type AuditRow = Selectable<AssuranceAuditsTable>
export type AuditCaseRow = Selectable<AssuranceAuditCasesTable>
export type FindingRow = Selectable<AssuranceAuditFindingsTable>
export type SurveyRow = Selectable<AssuranceSurveysTable>

/** The tables this area's queries see: the platform's, the crime index and its own. */
export interface AssuranceDatabase extends PlatformTables, CrimeTables, AssuranceTables {}
