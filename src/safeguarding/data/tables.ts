// Kysely table types for the safeguarding area (Stalking Protection Orders). Each table's shape must match
// src/safeguarding/data/migrations.ts. Conventions (ADR 0003): timestamps ISO-8601 text in UTC, dates 'YYYY-MM-DD'
// text, booleans 0/1.
import type { PlatformTables } from '../../platform/data/schema.ts'
import type { CrimeTables } from '../../crime/index.ts'
import type { Generated, Selectable } from 'kysely'

export const SPO_DECISIONS = ['apply', 'not_apply', 'already_in_place'] as const
export type SpoDecision = (typeof SPO_DECISIONS)[number]
export const COURT_OUTCOMES = ['pending', 'granted', 'refused', 'withdrawn'] as const
export type CourtOutcome = (typeof COURT_OUTCOMES)[number]

/** One consideration of a Stalking Protection Order on a crime; a crime may have several, and the latest counts. */
export interface SpoConsiderationsTable {
  id: Generated<number>
  force_id: number
  crime_id: number
  decision: SpoDecision
  /** Why an SPO is not being applied for (required then); otherwise an optional note. */
  reason: string
  considered_by: string
  considered_by_id: number | null
  /** ISO date-time in UTC. */
  considered_at: string
  /** The application: 'YYYY-MM-DD' dates, an interim order applied for (0/1), the court's outcome. */
  applied_on: string | null
  interim: number | null
  court_outcome: CourtOutcome | null
  /** The order itself, when granted or already in place. */
  order_made_on: string | null
  order_expires_on: string | null
}

/** A breach of the order on a crime (the crime the order was made on). */
export interface SpoBreachesTable {
  id: Generated<number>
  force_id: number
  crime_id: number
  /** The records system's reference of the crime recorded for the breach, when there is one. */
  breach_crime_reference: string | null
  occurred_on: string
  action_taken: string
  recorded_by: string
  recorded_by_id: number | null
  recorded_at: string
}

export interface SafeguardingTables {
  spo_considerations: SpoConsiderationsTable
  spo_breaches: SpoBreachesTable
}

export type ConsiderationRow = Selectable<SpoConsiderationsTable>
export type BreachRow = Selectable<SpoBreachesTable>

/** The tables this area's queries see: the platform's, the crime index and its own. */
export interface SafeguardingDatabase extends PlatformTables, CrimeTables, SafeguardingTables {}
