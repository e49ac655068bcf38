// Kysely table types for the risk area: risk assessments with supervisor review (Recommendation 12.2) and the daily
// management meeting (12.4, 13.2). Each table's shape must match src/risk/data/migrations.ts. Conventions (ADR 0003):
// timestamps ISO-8601 text in UTC, dates 'YYYY-MM-DD' text, booleans 0/1, JSON text.
import type { Generated, Selectable } from 'kysely'
import type { CrimeTables } from '../../crime/index.ts'
import type { PlatformTables } from '../../platform/data/schema.ts'
/** A risk level (services/tools.ts keeps the list and the words). */
type RiskLevel = 'standard' | 'medium' | 'high'

/** One completed risk assessment on a crime with one tool (src/risk/tools/<tool>.json); never changed once made. */
export interface RiskAssessmentsTable {
  id: Generated<number>
  force_id: number
  crime_id: number
  /** The tool's id and the version of its definition the answers were given against. */
  tool_id: string
  tool_version: number
  /** JSON: question id to { answer, comment }. */
  answers: string
  yes_count: number
  question_count: number
  /** The officer's judgement: the level and why. */
  risk_level: RiskLevel
  rationale: string
  assessed_by: string
  assessed_by_id: number | null
  assessed_at: string
}

/** A supervisor's or specialist's review of one assessment: agreed, or the level changed with the reason. */
export interface RiskReviewsTable {
  id: Generated<number>
  force_id: number
  crime_id: number
  assessment_id: number
  outcome: 'agreed' | 'changed'
  /** The level the assessment had, and the level after the review (the same when agreed). */
  previous_level: RiskLevel
  risk_level: RiskLevel
  reason: string
  reviewed_by: string
  reviewed_by_id: number | null
  reviewed_at: string
}

/** A daily management meeting (12.4, 13.2): for a day and a team ('' the whole force), who chaired, who attended. */
export interface RiskMeetingsTable {
  id: Generated<number>
  force_id: number
  meeting_date: string
  /** The team whose list it considered; '' for the whole force. */
  team: string
  chair_user_id: number
  attendees: string
  /** The list as generated for the meeting (JSON: crime id to reasons), so the next list says what changed. */
  list_snapshot: string
  recorded_by: string
  recorded_by_id: number | null
  recorded_at: string
}

/** A case the meeting discussed, with its decision. */
export interface RiskMeetingCasesTable {
  id: Generated<number>
  force_id: number
  meeting_id: number
  crime_id: number
  decision: string
}

/** An action the meeting set on a case: an owner (a user of the force) and a due day; in the owner's My work. */
export interface RiskMeetingActionsTable {
  id: Generated<number>
  force_id: number
  meeting_id: number
  crime_id: number
  text: string
  owner_user_id: number
  due_on: string
  done_at: string | null
  done_by: string | null
}

export interface RiskTables {
  risk_assessments: RiskAssessmentsTable
  risk_reviews: RiskReviewsTable
  risk_meetings: RiskMeetingsTable
  risk_meeting_cases: RiskMeetingCasesTable
  risk_meeting_actions: RiskMeetingActionsTable
}

export type RiskAssessmentRow = Selectable<RiskAssessmentsTable>
export type RiskReviewRow = Selectable<RiskReviewsTable>

/** The tables this area's queries see: the platform's, the crime index and its own. */
export interface RiskDatabase extends PlatformTables, CrimeTables, RiskTables {}
