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

export const ORDER_OUTCOMES = ['pending', 'granted', 'refused', 'withdrawn'] as const
export type OrderOutcome = (typeof ORDER_OUTCOMES)[number]

/**
 * A protective order or notice of any kind (order-kinds.json), from application to its end: who it protects and who
 * is subject to it (people on the crime), the application, the outcome, the dates it runs, its notification
 * requirement, discharge. Its terms, hearings, variations and breaches are rows of their own.
 */
export interface ProtectiveOrdersTable {
  id: Generated<number>
  force_id: number
  crime_id: number
  kind: string
  /** The people on the crime it protects and restrains; null only on orders moved from SPO considerations. */
  protected_person_id: number | null
  subject_person_id: number | null
  /** The application: who made it (in words), when, to which court; an interim order sought (0/1). */
  applicant: string
  applied_on: string | null
  court: string
  interim_sought: number
  outcome: OrderOutcome
  outcome_on: string | null
  /** When it runs: 'YYYY-MM-DD'; no end date with until_further_order 1. */
  starts_on: string | null
  ends_on: string | null
  until_further_order: number
  /** The notification requirement, when the kind carries one: due by, and when it was met. */
  notification_due_on: string | null
  notified_on: string | null
  discharged_on: string | null
  discharge_reason: string
  /** The SPO consideration it was moved from or kept with (migration 0410), when it was. */
  source_consideration_id: number | null
  recorded_by: string
  recorded_by_id: number | null
  recorded_at: string
  updated_at: string
}

export const ORDER_TERM_KINDS = ['prohibition', 'requirement'] as const
export type OrderTermKind = (typeof ORDER_TERM_KINDS)[number]

/** One prohibition or requirement of an order, each listed. */
export interface OrderTermsTable {
  id: Generated<number>
  force_id: number
  order_id: number
  kind: OrderTermKind
  text: string
  added_by: string
  added_at: string
}

export const ORDER_EVENT_KINDS = ['recorded', 'hearing', 'outcome', 'varied', 'notified', 'discharged'] as const
export type OrderEventKind = (typeof ORDER_EVENT_KINDS)[number]

/** The order's history: recorded, hearings, the outcome, variations, notification, discharge; never changed. */
export interface OrderEventsTable {
  id: Generated<number>
  force_id: number
  order_id: number
  crime_id: number
  kind: OrderEventKind
  on_date: string
  detail: string
  recorded_by: string
  recorded_at: string
}

/** A breach of an order: what, how reported, the crime recorded for it (by reference, linked when known), outcome. */
export interface OrderBreachesTable {
  id: Generated<number>
  force_id: number
  order_id: number
  /** The crime the order was made on. */
  crime_id: number
  occurred_on: string
  what_breached: string
  reported_how: string
  breach_crime_reference: string | null
  /** The breach crime in Threadline, when its reference is one of the force's crimes. */
  breach_crime_id: number | null
  outcome: string
  /** The spo_breaches row it was moved from or kept with, when it was. */
  legacy_breach_id: number | null
  recorded_by: string
  recorded_by_id: number | null
  recorded_at: string
}

export interface SafeguardingTables {
  spo_considerations: SpoConsiderationsTable
  spo_breaches: SpoBreachesTable
  protective_orders: ProtectiveOrdersTable
  order_terms: OrderTermsTable
  order_events: OrderEventsTable
  order_breaches: OrderBreachesTable
}

export type ProtectiveOrderRow = Selectable<ProtectiveOrdersTable>
export type OrderBreachRow = Selectable<OrderBreachesTable>

export type ConsiderationRow = Selectable<SpoConsiderationsTable>
export type BreachRow = Selectable<SpoBreachesTable>

/** The tables this area's queries see: the platform's, the crime index and its own. */
export interface SafeguardingDatabase extends PlatformTables, CrimeTables, SafeguardingTables {}
