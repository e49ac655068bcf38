// Kysely table types for the partners area (issue 15: Recommendations 14, 16, 20.4 and 25). Each table's shape must
// match src/partners/data/migrations.ts. Conventions (ADR 0003): timestamps ISO-8601 text in UTC, dates 'YYYY-MM-DD'
// text, booleans 0/1, JSON text.
import type { Generated, Selectable } from 'kysely'
import type { CrimeTables } from '../../crime/index.ts'
import type { PlatformTables } from '../../platform/data/schema.ts'

/** What kind of organisation a partner agency is: the kinds of referral and of panel work, kept as data. */
export const AGENCY_KINDS = [
  'victim_support',
  'digital_safeguarding',
  'perpetrator_intervention',
  'health',
  'probation',
  'prosecution',
  'housing',
  'social_care',
  'other',
] as const
export type AgencyKind = (typeof AGENCY_KINDS)[number]

/** The state of a referral sent to a partner through Threadline. */
export const REFERRAL_STATES = ['sent', 'accepted', 'declined', 'closed'] as const
export type ReferralState = (typeof REFERRAL_STATES)[number]

/** How a referral ended, in the service's words (the police see it on the case page). */
export const PARTNER_OUTCOMES = ['supported', 'support_declined', 'no_contact', 'referred_on', 'other'] as const
export type PartnerOutcome = (typeof PARTNER_OUTCOMES)[number]

export const CONTACT_METHODS = ['phone', 'text', 'email', 'in_person', 'letter'] as const
export type ContactMethod = (typeof CONTACT_METHODS)[number]

export const CONTACT_RESULTS = ['made', 'no_answer', 'message_left', 'unsafe'] as const
export type ContactResult = (typeof CONTACT_RESULTS)[number]

export const REFERRAL_EVENT_KINDS = ['sent', 'accepted', 'declined', 'contact', 'closed'] as const
export type ReferralEventKind = (typeof REFERRAL_EVENT_KINDS)[number]

/** The legal bases a force may share personal data with a partner under, as data (the form's radios). */
export const LAWFUL_BASES = ['consent', 'public_task', 'vital_interests', 'legal_obligation'] as const
export type LawfulBasis = (typeof LAWFUL_BASES)[number]

/** The victim details a referral can carry; the victim's consent says which (the name always goes with a referral). */
export const SHAREABLE_FIELDS = ['phone', 'email', 'contact_times', 'needs', 'risk', 'case_summary'] as const
export type ShareableField = (typeof SHAREABLE_FIELDS)[number]

export const RISK_LEVELS = ['high', 'medium', 'standard', 'not_assessed'] as const
export type RiskLevel = (typeof RISK_LEVELS)[number]

/** A partner organisation: a support service in the force's directory, or another agency (probation, health, ...). */
export interface PartnerAgenciesTable {
  id: Generated<number>
  force_id: number
  name: string
  kind: AgencyKind
  /** The support-directory service it is (victims area), or null for an agency not in the directory. */
  service_id: number | null
  /** The service's first-contact time: working days from accepting a referral. */
  first_contact_days: number
  /** Working days to accept or decline a referral. */
  answer_days: number
  created_at: string
  updated_by: string
  updated_at: string
}

/** A partner user's membership of their agency; removed rather than deleted. */
export interface PartnerMembersTable {
  id: Generated<number>
  force_id: number
  agency_id: number
  user_id: number
  added_by: string
  added_at: string
  removed_by: string | null
  removed_at: string | null
}

/**
 * A referral sent to a partner through Threadline: only what the victim's consent covers, copied when sent (the
 * service never reads the crime, the person or the needs assessment themselves). Linked to the victims area's referral.
 */
export interface PartnerReferralsTable {
  id: Generated<number>
  force_id: number
  agency_id: number
  /** The victims area's referral, when the organisation is a support-directory service. */
  victim_referral_id: number | null
  crime_id: number
  /** The crime's force reference, copied when sent: what the service quotes to the officer. */
  crime_reference: string
  person_id: number
  kind: AgencyKind
  victim_name: string
  /** '' when not shared. */
  contact_phone: string
  contact_email: string
  contact_times: string
  safe_to_leave_message: number
  /** JSON array of need labels, [] when not shared. */
  needs: string
  /** '' when not shared. */
  risk: string
  /** The officer's own words for the service ('' when none): the crime's narrative is never sent. */
  case_summary: string
  /** JSON array of SHAREABLE_FIELDS the victim agreed to share. */
  consent_covers: string
  consent_on: string
  lawful_basis: LawfulBasis
  officer_name: string
  officer_user_id: number | null
  officer_contact: string
  state: ReferralState
  answer_due_on: string
  first_contact_due_on: string | null
  decline_reason: string
  outcome: PartnerOutcome | null
  outcome_note: string
  sent_by: string
  sent_at: string
  updated_at: string
}

/** What happened on a referral, append-only: sent, accepted, declined, each contact attempt, closed. */
export interface PartnerReferralEventsTable {
  id: Generated<number>
  force_id: number
  crime_id: number
  referral_id: number
  kind: ReferralEventKind
  on_day: string
  method: ContactMethod | null
  result: ContactResult | null
  note: string
  by_username: string
  by_name: string
  by_id: number | null
  recorded_at: string
}

/** Every disclosure of personal data to a partner: what, to whom, when, why and under which basis (the DPO's log). */
export interface PartnerDisclosuresTable {
  id: Generated<number>
  force_id: number
  agency_id: number
  crime_id: number
  /** The person the data is about, when one is (a referral's victim); null for a panel action about a case. */
  person_id: number | null
  subject_type: 'referral' | 'panel_action'
  subject_id: number
  /** JSON array of the fields disclosed, in words. */
  fields: string
  purpose: string
  lawful_basis: LawfulBasis
  /** The consent it rests on, in words ('' when the basis is not consent). */
  consent: string
  disclosed_by: string
  disclosed_by_id: number | null
  disclosed_at: string
}

/** A multi-agency panel meeting (MARAC, MAPPA, adult risk management, stalking clinic). */
export interface PanelMeetingsTable {
  id: Generated<number>
  force_id: number
  /** A panel id from src/partners/panels.json. */
  panel: string
  held_on: string
  chair: string
  recorded_by: string
  recorded_by_id: number | null
  recorded_at: string
}

export interface PanelAttendeesTable {
  id: Generated<number>
  force_id: number
  meeting_id: number
  agency_id: number
  attendee: string
}

/** A case heard at a meeting: the crime, whether about the victim or the perpetrator, a summary and decisions. */
export interface PanelCasesTable {
  id: Generated<number>
  force_id: number
  meeting_id: number
  crime_id: number
  subject: 'victim' | 'perpetrator'
  summary: string
  decisions: string
  lawful_basis: LawfulBasis
  recorded_by: string
  recorded_at: string
}

/** An action a panel gave an agency on a case, with a person and a due date; the agency's users complete it. */
export interface PanelActionsTable {
  id: Generated<number>
  force_id: number
  meeting_id: number
  panel_case_id: number
  crime_id: number
  agency_id: number
  owner: string
  action: string
  due_on: string
  state: 'open' | 'done'
  done_on: string | null
  done_note: string
  done_by: string | null
  recorded_at: string
  updated_at: string
}

/** A key an organisation's own case system uses for the partner API: only its SHA-256 hash is kept. */
export interface PartnerApiKeysTable {
  id: Generated<number>
  force_id: number
  agency_id: number
  name: string
  /** The key's first characters after "tlp_", to tell keys apart. */
  prefix: string
  key_hash: string
  created_by: string
  created_at: string
  revoked_by: string | null
  revoked_at: string | null
  last_used_at: string | null
}

export const PROGRAMME_ENDINGS = ['completed', 'dropped_out'] as const
export type ProgrammeEnding = (typeof PROGRAMME_ENDINGS)[number]

/** A suspect referred to a perpetrator programme (Recommendation 25.1): referral, start, completion or drop-out. */
export interface PerpetratorProgrammesTable {
  id: Generated<number>
  force_id: number
  crime_id: number
  /** A suspect party on the crime. */
  person_id: number
  programme: string
  /** The organisation running it, when it is a partner organisation. */
  agency_id: number | null
  referred_on: string
  started_on: string | null
  ended_on: string | null
  ending: ProgrammeEnding | null
  note: string
  recorded_by: string
  recorded_at: string
  updated_by: string | null
  updated_at: string | null
}

export interface PartnerTables {
  partner_agencies: PartnerAgenciesTable
  partner_members: PartnerMembersTable
  partner_referrals: PartnerReferralsTable
  partner_referral_events: PartnerReferralEventsTable
  partner_disclosures: PartnerDisclosuresTable
  panel_meetings: PanelMeetingsTable
  panel_attendees: PanelAttendeesTable
  panel_cases: PanelCasesTable
  panel_actions: PanelActionsTable
  partner_api_keys: PartnerApiKeysTable
  perpetrator_programmes: PerpetratorProgrammesTable
}

export type AgencyRow = Selectable<PartnerAgenciesTable>
export type PartnerReferralRow = Selectable<PartnerReferralsTable>
export type ReferralEventRow = Selectable<PartnerReferralEventsTable>
export type DisclosureRow = Selectable<PartnerDisclosuresTable>
export type PanelMeetingRow = Selectable<PanelMeetingsTable>
export type PanelCaseRow = Selectable<PanelCasesTable>
export type PanelActionRow = Selectable<PanelActionsTable>

/** The tables this area's queries see: the platform's, the crime index and its own. */
export interface PartnerDatabase extends PlatformTables, CrimeTables, PartnerTables {}
