// Kysely table types for the crime area. Each table's shape must match src/crime/data/migrations.ts.
// Conventions (ADR 0003): timestamps ISO-8601 text in UTC, dates 'YYYY-MM-DD' text, booleans 0/1, JSON text.
import type { PlatformTables } from '../../platform/data/schema.ts'
import type { Generated, Selectable } from 'kysely'

export type ClassificationRole = 'principal' | 'included'

/** A crime or an intelligence report, one per force reference. */
export interface CrimesTable {
  id: Generated<number>
  force_id: number
  /** The records system's number, unique within the force. */
  force_reference: string
  kind: 'crime' | 'intelligence'
  /** ISO date-time in UTC. */
  reported_at: string
  /** Earliest and latest occurrence dates ('YYYY-MM-DD'); each occurrence is in crime_occurrences. */
  first_occurred_on: string | null
  last_occurred_on: string | null
  /** Home Office code of the principal classification; null for an intelligence report. */
  principal_code: string | null
  domestic_abuse: number
  online: number
  repeat_victim: number
  /** 1: flagged stalking (an intelligence report, Recommendation 7.2), by the extract or a screening decision. */
  stalking_flag: Generated<number>
  narrative: string
  team: string | null
  officer_in_case: string | null
  status: string | null
  /** Home Office outcome type 1–22; null when not finalised. */
  outcome: number | null
  location: string | null
  created_at: string
  updated_at: string
}

export interface CrimeOccurrencesTable {
  id: Generated<number>
  crime_id: number
  occurred_from: string
  occurred_to: string
}

/** Every classification of a crime, principal and included, each with who added it, when and why. */
export interface CrimeClassificationsTable {
  id: Generated<number>
  crime_id: number
  code: string
  role: ClassificationRole
  added_by: string | null
  added_at: string | null
  reason: string | null
}

/**
 * The table shaped for the classification search (Recommendation 7): one row per crime and search key, where a key is
 * an offence code ('8Q'), 'group:<id>' or 'subgroup:<id>'. Its primary key (force_id, search_key, reported_at, crime_id)
 * makes "this classification, as principal/included/either, in this date range, newest first, first page and count"
 * one index range scan. role is 'principal', 'included' or 'both' (a group matched both ways).
 */
export interface CrimeClassificationIndexTable {
  force_id: number
  search_key: string
  reported_at: string
  crime_id: number
  role: 'principal' | 'included' | 'both'
}

/** How many crimes a search key has on one reported day ('YYYY-MM-DD'), by their role under the key. */
export interface CrimeClassificationDayCountsTable {
  force_id: number
  search_key: string
  day: string
  principal: number
  included: number
  both_roles: number
}

/** A person in a force's records (a party to crimes and intelligence reports). */
export interface PeopleTable {
  id: Generated<number>
  force_id: number
  /** How the import recognises the same person again: 'ref:<records-system ref>', or name and date of birth. */
  person_key: string
  forename: string | null
  surname: string | null
  /** Lower case, no accents or punctuation: what name searches compare. */
  forename_norm: string
  surname_norm: string
  date_of_birth: string | null
  created_at: string
  updated_at: string
}

export interface PersonIdentifiersTable {
  id: Generated<number>
  person_id: number
  force_id: number
  kind: string
  value: string
  /** Kind-agnostic normal form: what identifier searches compare. */
  value_norm: string
}

export interface CrimePartiesTable {
  id: Generated<number>
  crime_id: number
  person_id: number
  role: 'victim' | 'suspect' | 'witness'
}

/** An intelligence report's link to a crime, by the crime's force reference (the crime may be imported later). */
export interface IntelligenceLinksTable {
  id: Generated<number>
  intelligence_id: number
  force_id: number
  linked_reference: string
}

export type ImportJobStatus = 'queued' | 'running' | 'done' | 'refused' | 'failed' | 'cancelled'

/** An extract uploaded through the browser and its background import (ADR 0018). */
export interface CrimeImportJobsTable {
  id: Generated<number>
  force_id: number
  /** Username of who uploaded it. */
  created_by: string
  status: ImportJobStatus
  /** JSON: [{ name, size }] as uploaded. */
  files: string
  /** Where the uploaded files wait for the import (removed when it ends). */
  folder: string
  skip_bad_rows: number
  total_bytes: number
  created_at: string
  started_at: string | null
  finished_at: string | null
  cancelled_by: string | null
  /** JSON: the import's summary (ImportJobSummary), once it has ended. */
  summary: string | null
  /** Why an import stopped (failed), in words. */
  error: string | null
}

export interface CrimeTables {
  crime_import_jobs: CrimeImportJobsTable
  crimes: CrimesTable
  crime_occurrences: CrimeOccurrencesTable
  crime_classifications: CrimeClassificationsTable
  crime_classification_index: CrimeClassificationIndexTable
  crime_classification_day_counts: CrimeClassificationDayCountsTable
  people: PeopleTable
  person_identifiers: PersonIdentifiersTable
  crime_parties: CrimePartiesTable
  intelligence_links: IntelligenceLinksTable
}

export type CrimeRow = Selectable<CrimesTable>
export type PersonRow = Selectable<PeopleTable>

/** Every column of a crime row that an insert sets (all but the id and PostgreSQL's generated tsvector). */
export const CRIME_INSERT_COLUMNS = [
  'force_id',
  'force_reference',
  'kind',
  'reported_at',
  'first_occurred_on',
  'last_occurred_on',
  'principal_code',
  'domestic_abuse',
  'online',
  'repeat_victim',
  'stalking_flag',
  'narrative',
  'team',
  'officer_in_case',
  'status',
  'outcome',
  'location',
  'created_at',
  'updated_at',
] as const

/** The tables this area's queries see: the platform's and its own. */
export interface CrimeDatabase extends PlatformTables, CrimeTables {}
