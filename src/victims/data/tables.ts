// Kysely table types for the victims area (Recommendation 14: victims' code rights and access to support). Each
// table's shape must match src/victims/data/migrations.ts. Conventions (ADR 0003): timestamps ISO-8601 text in UTC,
// dates 'YYYY-MM-DD' text, booleans 0/1, JSON text.
import type { PlatformTables } from '../../platform/data/schema.ts'
import type { CrimeTables } from '../../crime/index.ts'
import type { Generated, Selectable } from 'kysely'

export const SERVICE_KINDS = ['national', 'local'] as const
export type ServiceKind = (typeof SERVICE_KINDS)[number]

export const RIGHTS_METHODS = ['in_person', 'phone', 'letter', 'email', 'other'] as const
export type RightsMethod = (typeof RIGHTS_METHODS)[number]

/** The needs an assessment can identify, kept as data (the form's checkboxes); 'none' stands alone. */
export const NEEDS = [
  'safety',
  'emotional',
  'practical',
  'advocacy',
  'communication',
  'dependants',
  'digital',
  'housing',
  'none',
] as const
export type Need = (typeof NEEDS)[number]

/** Whether the victim would like referral to a support service: 'declined' is a valid answer, then none is expected. */
export const SUPPORT_ANSWERS = ['yes', 'declined'] as const
export type SupportAnswer = (typeof SUPPORT_ANSWERS)[number]

export const REFERRAL_OUTCOMES = ['pending', 'accepted', 'declined', 'no_contact', 'closed'] as const
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number]

/** A force's directory of national and local specialist stalking support services (evidence 14.3). */
export interface SupportServicesTable {
  id: Generated<number>
  force_id: number
  name: string
  kind: ServiceKind
  /** Where the service works, e.g. "England and Wales" or "Demoshire"; '' when not given. */
  area_covered: string
  /** '' when not known: never invented. */
  phone: string
  /** An https URL, or ''. */
  website: string
  /** How officers and staff refer a victim (or how a victim contacts the service). */
  referral_route: string
  /** 1 while listed (on the officers' list and the public page); 0 kept for referrals made to it before. */
  listed: number
  created_at: string
  updated_by: string
  updated_at: string
}

/** That a victim was told of their rights under the Victims' Code (evidence 14.2); the latest counts. */
export interface VictimRightsTable {
  id: Generated<number>
  force_id: number
  crime_id: number
  /** The victim: a person recorded as a victim party on the crime. */
  person_id: number
  told_on: string
  method: RightsMethod
  /** Entitled to enhanced rights (victims of the most serious crime, persistently targeted): 0/1. */
  enhanced: number
  recorded_by: string
  recorded_by_id: number | null
  recorded_at: string
}

/** A victim needs assessment (evidence 14.1); a victim may be reassessed, and the latest counts. */
export interface VictimNeedsAssessmentsTable {
  id: Generated<number>
  force_id: number
  crime_id: number
  person_id: number
  assessed_on: string
  /** JSON text: the Need keys identified, in the form's order; ["none"] when none. */
  needs: string
  support_wanted: SupportAnswer
  notes: string
  assessed_by: string
  assessed_by_id: number | null
  recorded_at: string
}

/** A referral of a victim to a service from the force's directory (evidence 14.4), its outcome updated over time. */
export interface VictimReferralsTable {
  id: Generated<number>
  force_id: number
  crime_id: number
  person_id: number
  service_id: number
  referred_on: string
  /** The victim consented to the referral: 0/1. */
  consented: number
  outcome: ReferralOutcome
  outcome_on: string | null
  referred_by: string
  referred_by_id: number | null
  recorded_at: string
  updated_by: string | null
  updated_at: string | null
  /** The service's own words on the referral when it answers through Threadline (partners area); '' otherwise. */
  service_update: Generated<string>
}

/**
 * A force's low-referral rule (evidence 14.5), each change a new row (the latest counts): a month's referral rate of
 * stalking victims below `threshold_percent`, judged when at least `min_victims` victims, notifies the force lead.
 */
export interface VictimReferralSettingsTable {
  id: Generated<number>
  force_id: number
  threshold_percent: number
  min_victims: number
  changed_by: string
  changed_at: string
}

/** A month in which the force's or a team's referral rate fell below the threshold: made once per force, month, team. */
export interface VictimReferralAlertsTable {
  id: Generated<number>
  force_id: number
  /** 'YYYY-MM'. */
  month: string
  /** '' for the whole force. */
  team: string
  victims: number
  referred: number
  threshold_percent: number
  created_at: string
}

/** An alert as a notification to one force lead, read or not. */
export interface VictimAlertNotificationsTable {
  id: Generated<number>
  force_id: number
  alert_id: number
  user_id: number
  text: string
  created_at: string
  read_at: string | null
}

export interface VictimTables {
  support_services: SupportServicesTable
  victim_rights: VictimRightsTable
  victim_needs_assessments: VictimNeedsAssessmentsTable
  victim_referrals: VictimReferralsTable
  victim_referral_settings: VictimReferralSettingsTable
  victim_referral_alerts: VictimReferralAlertsTable
  victim_alert_notifications: VictimAlertNotificationsTable
}

export type SupportServiceRow = Selectable<SupportServicesTable>
export type RightsRow = Selectable<VictimRightsTable>
export type NeedsAssessmentRow = Selectable<VictimNeedsAssessmentsTable>
export type ReferralRow = Selectable<VictimReferralsTable>

/** The tables this area's queries see: the platform's, the crime index and its own. */
export interface VictimDatabase extends PlatformTables, CrimeTables, VictimTables {}
