// Words for the partners area's codes, as the pages and the disclosure log show them.
import panelsData from '../panels.json' with { type: 'json' }
import type {
  AgencyKind,
  ContactMethod,
  ContactResult,
  LawfulBasis,
  PartnerOutcome,
  ReferralState,
  RiskLevel,
  ShareableField,
} from '../data/tables.ts'

export const AGENCY_KIND_LABELS: Record<AgencyKind, string> = {
  victim_support: 'Victim support service',
  digital_safeguarding: 'Digital safeguarding (cyber protect: device checks, online safety advice)',
  perpetrator_intervention: 'Perpetrator intervention programme',
  health: 'Health',
  probation: 'Probation',
  prosecution: 'Crown Prosecution Service',
  housing: 'Housing',
  social_care: 'Social care',
  other: 'Another agency',
}

export const STATE_LABELS: Record<ReferralState, string> = {
  sent: 'Waiting for the service to answer',
  accepted: 'Accepted by the service',
  declined: 'Declined by the service',
  closed: 'Closed by the service',
}

export const PARTNER_OUTCOME_LABELS: Record<PartnerOutcome, string> = {
  supported: 'Support given',
  support_declined: 'The victim declined support',
  no_contact: 'Could not make contact',
  referred_on: 'Referred on to another service',
  other: 'Another outcome',
}

export const CONTACT_METHOD_LABELS: Record<ContactMethod, string> = {
  phone: 'Phone call',
  text: 'Text message',
  email: 'Email',
  in_person: 'In person',
  letter: 'Letter',
}

export const CONTACT_RESULT_LABELS: Record<ContactResult, string> = {
  made: 'Spoke with the victim',
  no_answer: 'No answer',
  message_left: 'Message left',
  unsafe: 'Not safe to talk; try again later',
}

export const LAWFUL_BASIS_LABELS: Record<LawfulBasis, string> = {
  consent: 'Consent of the victim (UK GDPR Article 6(1)(a))',
  public_task:
    'Public task: policing purposes and crime prevention (UK GDPR 6(1)(e); Crime and Disorder Act 1998 s.115)',
  vital_interests: 'Vital interests: to protect someone’s life (UK GDPR 6(1)(d))',
  legal_obligation:
    'Legal obligation, for example MAPPA duty to co-operate (UK GDPR 6(1)(c); Criminal Justice Act 2003 s.325)',
}

/** The victim details a referral may carry, in words (the disclosure log lists them so). */
export const FIELD_LABELS: Record<ShareableField | 'name', string> = {
  name: 'Name',
  phone: 'Phone number',
  email: 'Email address',
  contact_times: 'Safe times and ways to contact',
  needs: 'Needs identified',
  risk: 'Risk level',
  case_summary: "Officer's summary of the case",
}

export const RISK_LABELS: Record<RiskLevel, string> = {
  high: 'High',
  medium: 'Medium',
  standard: 'Standard',
  not_assessed: 'Not assessed yet',
}

export interface PanelKind {
  id: string
  name: string
  about: string
}

export const PANELS: readonly PanelKind[] = panelsData.panels
export const PANEL_IDS = PANELS.map((panel) => panel.id) as [string, ...string[]]
export const panelName = (id: string) => PANELS.find((panel) => panel.id === id)?.name ?? id

export const SUBJECT_LABELS = { victim: 'The victim', perpetrator: 'The perpetrator' } as const
