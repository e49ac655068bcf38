// Partners working in Threadline (issue 15): partner organisations (support services from the directory and other
// agencies) and their users; referrals sent to a service through Threadline with the victim's consent and the lawful
// basis, carrying only what the consent covers; the service's inbox, its answer (accept or decline), contact attempts
// and outcome, which the police see on the case page and the victim care page; and the information-sharing log of every
// disclosure to a partner. Every read of a person's record and every change is audited in the same transaction.
import { createHash, randomBytes } from 'node:crypto'
import type { Transaction } from 'kysely'
import { z } from 'zod'
import type { CrimeServices } from '../../crime/index.ts'
import { dueOn, type BankHolidays } from '../../cases/index.ts'
import { neutraliseCell } from '../../platform/csv.ts'
import type { AuditService } from '../../platform/services/auditService.ts'
import { ForbiddenError } from '../../platform/services/permissions.ts'
import type { UserService } from '../../platform/services/userService.ts'
import { checkViewer, type Viewer } from '../../platform/services/viewer.ts'
import type { VictimServices } from '../../victims/index.ts'
import type { PartnerRepository } from '../data/partnerRepository.ts'
import {
  AGENCY_KINDS,
  CONTACT_METHODS,
  CONTACT_RESULTS,
  LAWFUL_BASES,
  PARTNER_OUTCOMES,
  RISK_LEVELS,
  SHAREABLE_FIELDS,
  type AgencyRow,
  type PartnerDatabase as Database,
  type PartnerOutcome,
  type PartnerReferralRow,
  type ReferralEventRow,
  type ShareableField,
} from '../data/tables.ts'
import {
  asList,
  blank,
  dateField,
  nameOf,
  parse,
  PartnerInputError,
  type PartnerViewer,
  requiredText,
  text,
  today,
  trimmed,
} from './common.ts'
import {
  AGENCY_KIND_LABELS,
  CONTACT_METHOD_LABELS,
  CONTACT_RESULT_LABELS,
  FIELD_LABELS,
  LAWFUL_BASIS_LABELS,
  PARTNER_OUTCOME_LABELS,
  RISK_LABELS,
  STATE_LABELS,
} from './labels.ts'

export { PartnerInputError, type PartnerViewer }

const id = (message: string) =>
  z.preprocess(
    (value) => (blank(value) === undefined ? undefined : Number(value)),
    z.number({ message }).int({ message }).positive({ message }),
  )

export const referralSchema = z
  .object({
    personId: id('Choose the victim being referred'),
    agencyId: id('Choose the service to refer to'),
    consented: z.preprocess(
      blank,
      z
        .enum(['yes', 'no'], { message: 'Choose whether the victim consented to the referral' })
        .refine(
          (value) => value === 'yes',
          'A referral cannot be sent without the victim’s consent: ask them, or do not send it',
        ),
    ),
    consentOn: dateField('the date the victim consented'),
    lawfulBasis: z.preprocess(
      blank,
      z.enum(LAWFUL_BASES, { message: 'Choose the lawful basis for sharing the victim’s details' }),
    ),
    shares: z.preprocess(
      asList,
      z.array(z.enum(SHAREABLE_FIELDS, { message: 'Choose what the victim agreed to share from the list' })),
    ),
    phone: z.preprocess(
      (value) => trimmed(value) ?? '',
      z
        .string()
        .max(30, 'The phone number must be 30 characters or fewer')
        .regex(/^([0-9+() ]{6,30})?$/, 'Enter the phone number in digits, for example 07700 900123'),
    ),
    email: z.preprocess(
      (value) => trimmed(value) ?? '',
      z
        .string()
        .max(200, 'The email address must be 200 characters or fewer')
        .regex(/^([^\s@]+@[^\s@]+\.[^\s@]+)?$/, 'Enter the email address in the right format, like name@example.com'),
    ),
    contactTimes: text(500, 'The safe times and ways to contact'),
    safeToLeaveMessage: z.preprocess(
      blank,
      z.enum(['yes', 'no'], { message: 'Choose whether it is safe to leave a message' }),
    ),
    risk: z.preprocess(
      (value) => blank(value) ?? 'not_assessed',
      z.enum(RISK_LEVELS, { message: 'Choose the risk level' }),
    ),
    caseSummary: text(3000, "The officer's summary"),
    officerContact: requiredText(
      200,
      'Enter how the service can contact you (a phone number or email)',
      'How to contact you',
    ),
  })
  .superRefine((value, ctx) => {
    const add = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    const shares = new Set(value.shares)
    if (!shares.has('phone') && !shares.has('email')) {
      add('shares', 'Choose at least one way the service may contact the victim (phone number or email address)')
    }
    const pairs: [ShareableField, 'phone' | 'email' | 'contactTimes' | 'caseSummary', string][] = [
      ['phone', 'phone', 'the phone number'],
      ['email', 'email', 'the email address'],
      ['contact_times', 'contactTimes', 'the safe times and ways to contact'],
      ['case_summary', 'caseSummary', 'your summary of the case'],
    ]
    for (const [field, input, words] of pairs) {
      if (shares.has(field) && !value[input]) add(input, `Enter ${words} the victim agreed to share`)
      if (!shares.has(field) && value[input])
        add(input, `The victim has not agreed to share ${words}: tick it above, or leave it blank`)
    }
  })

export const declineSchema = z.object({
  reason: requiredText(1000, 'Enter why the service cannot take the referral', 'The reason'),
})

export const contactSchema = z.object({
  contactOn: dateField('the date of the contact attempt'),
  method: z.preprocess(blank, z.enum(CONTACT_METHODS, { message: 'Choose how the service tried to make contact' })),
  result: z.preprocess(blank, z.enum(CONTACT_RESULTS, { message: 'Choose what happened' })),
  note: text(2000, 'The note'),
})

export const closeSchema = z.object({
  closedOn: dateField('the date the referral was closed'),
  outcome: z.preprocess(blank, z.enum(PARTNER_OUTCOMES, { message: 'Choose the outcome of the referral' })),
  note: text(2000, 'The note'),
})

export const agencySchema = z.object({
  name: requiredText(200, 'Enter the name of the organisation', 'The name of the organisation'),
  kind: z.preprocess(blank, z.enum(AGENCY_KINDS, { message: 'Choose what kind of organisation it is' })),
  serviceId: z.preprocess(
    (value) => (blank(value) === undefined ? null : Number(value)),
    z.number().int().positive().nullable(),
  ),
  answerDays: z.preprocess(
    (value) => Number(blank(value) ?? 2),
    z
      .number({ message: 'Enter the working days to answer a referral as a whole number' })
      .int('Enter the working days to answer a referral as a whole number')
      .min(0, 'The working days to answer a referral must be 0 or more')
      .max(60, 'The working days to answer a referral must be 60 or fewer'),
  ),
  firstContactDays: z.preprocess(
    (value) => Number(blank(value) ?? 2),
    z
      .number({ message: 'Enter the working days to first contact as a whole number' })
      .int('Enter the working days to first contact as a whole number')
      .min(0, 'The working days to first contact must be 0 or more')
      .max(60, 'The working days to first contact must be 60 or fewer'),
  ),
})

export const memberSchema = z.object({
  displayName: requiredText(200, 'Enter the person’s full name', 'The name'),
  username: z.preprocess(
    (value) => trimmed(value) ?? '',
    z
      .string()
      .regex(/^[a-z0-9._@-]{2,64}$/i, 'Enter a username of 2 to 64 letters, digits, dots, hyphens, underscores or @'),
  ),
  email: z.preprocess(
    (value) => trimmed(value) ?? '',
    z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'Enter their work email address, like name@example.org.uk'),
  ),
})

/** How a service's answer shows on the victim care page (the victims area's outcome, and the service's words). */
const VICTIM_OUTCOME: Record<PartnerOutcome, 'closed' | 'declined' | 'no_contact'> = {
  supported: 'closed',
  support_declined: 'declined',
  no_contact: 'no_contact',
  referred_on: 'closed',
  other: 'closed',
}

function describeEvent(row: ReferralEventRow) {
  const what =
    row.kind === 'contact'
      ? `Contact attempt: ${CONTACT_METHOD_LABELS[row.method!].toLowerCase()}, ${CONTACT_RESULT_LABELS[row.result!].toLowerCase()}`
      : row.kind === 'sent'
        ? 'Referral sent'
        : row.kind === 'accepted'
          ? 'Accepted by the service'
          : row.kind === 'declined'
            ? 'Declined by the service'
            : 'Closed by the service'
  return { ...row, what }
}

/** What a partner user may see of a referral: what was shared with them, never more. */
function describeForPartner(row: PartnerReferralRow) {
  const covers = JSON.parse(row.consent_covers) as ShareableField[]
  const needs = JSON.parse(row.needs) as string[]
  return {
    id: row.id,
    crimeReference: row.crime_reference,
    kindLabel: AGENCY_KIND_LABELS[row.kind],
    victimName: row.victim_name,
    phone: row.contact_phone,
    email: row.contact_email,
    contactTimes: row.contact_times,
    safeToLeaveMessage: row.safe_to_leave_message === 1,
    needs,
    risk: covers.includes('risk') && row.risk ? RISK_LABELS[row.risk as keyof typeof RISK_LABELS] : '',
    caseSummary: row.case_summary,
    consentOn: row.consent_on,
    lawfulBasisLabel: LAWFUL_BASIS_LABELS[row.lawful_basis],
    sharedLabels: ['name' as const, ...covers].map((field) => FIELD_LABELS[field]),
    officerName: row.officer_name,
    officerContact: row.officer_contact,
    state: row.state,
    stateLabel: STATE_LABELS[row.state],
    answerDueOn: row.answer_due_on,
    firstContactDueOn: row.first_contact_due_on,
    declineReason: row.decline_reason,
    outcome: row.outcome,
    outcomeLabel: row.outcome ? PARTNER_OUTCOME_LABELS[row.outcome] : '',
    outcomeNote: row.outcome_note,
    sentAt: row.sent_at,
  }
}
export type PartnerReferralView = ReturnType<typeof describeForPartner>

export class PartnerService {
  constructor(
    private readonly repository: PartnerRepository,
    private readonly audit: AuditService,
    private readonly crime: CrimeServices,
    private readonly victims: VictimServices,
    private readonly users: UserService,
    private readonly holidays: BankHolidays,
  ) {}

  // ---- Who a partner user is ------------------------------------------------------------------------------------

  /** Whether the partner user is a current member of an organisation (their pages say so when not). */
  async isMember(viewer: Viewer): Promise<boolean> {
    checkViewer(viewer, 'referral:respond')
    if (viewer.actor.actorId === null) return false
    const agency = await this.repository.agencyOfUser(viewer.actor.actorId)
    return agency !== undefined && agency.force_id === viewer.forceId
  }

  /** The partner user's organisation; 403 when they are not a current member of one. */
  async agencyOf(viewer: PartnerViewer, repository = this.repository): Promise<AgencyRow> {
    checkViewer(viewer, 'referral:respond')
    const agency =
      viewer.agencyId !== undefined
        ? await repository.agencyById(viewer.forceId, viewer.agencyId)
        : viewer.actor.actorId === null
          ? undefined
          : await repository.agencyOfUser(viewer.actor.actorId)
    if (!agency || agency.force_id !== viewer.forceId) throw new ForbiddenError('referral:respond', viewer.forceId)
    return agency
  }

  // ---- Sending a referral (police) --------------------------------------------------------------------------------

  /** What the referral form needs: the crime's victims (names only), the agencies with users, the latest needs. */
  async referralForm(viewer: Viewer, crimeId: number) {
    checkViewer(viewer, 'case:edit')
    return this.repository.transaction(async (repository, trx) => {
      const crimes = this.crime.repository.with(trx)
      const crime = await crimes.crimeById(crimeId)
      if (!crime) return undefined
      checkViewer(viewer, 'case:edit', crime.force_id)
      const seen = new Set<number>()
      const victims = (await crimes.partiesOf(crimeId))
        .filter((party) => party.role === 'victim' && !seen.has(party.person_id) && seen.add(party.person_id))
        .map((party) => ({
          personId: party.person_id,
          name: [party.forename, party.surname].filter(Boolean).join(' ') || 'Unnamed person',
        }))
      const agencies = await repository.agenciesOf(crime.force_id)
      const withMembers = new Set((await repository.membersOf(crime.force_id)).map((member) => member.agency_id))
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.referral_form.viewed',
        subjectType: 'crime',
        subjectId: crimeId,
        details: { reference: crime.force_reference, victims: victims.length },
      })
      return {
        crime: { id: crime.id, force_reference: crime.force_reference, force_id: crime.force_id },
        victims,
        agencies: agencies
          .filter((agency) => withMembers.has(agency.id))
          .map((agency) => ({ ...agency, kindLabel: AGENCY_KIND_LABELS[agency.kind] })),
      }
    })
  }

  /**
   * Sends a referral to a partner organisation with users in Threadline: the victim's consent and the lawful basis are
   * required; only the details the consent covers are copied into it. Records the victims area's referral (when the
   * organisation is a directory service), the disclosure and the audit rows, in one transaction.
   */
  async sendReferral(viewer: Viewer, crimeId: number, body: unknown): Promise<{ referralId: number }> {
    checkViewer(viewer, 'case:edit')
    const input = parse(referralSchema, body, 'agencyId')
    return this.repository.transaction(async (repository, trx) => {
      const crime = await this.crime.records.editableCrime(viewer, crimeId, trx, PartnerInputError)
      const party = (await this.crime.repository.with(trx).partiesOf(crimeId)).find(
        (p) => p.role === 'victim' && p.person_id === input.personId,
      )
      if (!party) throw new PartnerInputError({ personId: 'Choose a victim recorded on this crime' })
      const agency = await repository.agencyById(crime.force_id, input.agencyId)
      const members = new Set((await repository.membersOf(crime.force_id)).map((member) => member.agency_id))
      if (!agency || !members.has(agency.id)) {
        throw new PartnerInputError({ agencyId: 'Choose a partner organisation that works in Threadline' })
      }
      if (input.consentOn < crime.reported_at.slice(0, 10)) {
        throw new PartnerInputError({
          consentOn: `The date the victim consented must be on or after the date the crime was reported (${crime.reported_at.slice(0, 10)})`,
        })
      }
      const day = today()
      let victimReferralId: number | null = null
      if (agency.service_id !== null) {
        victimReferralId = (
          await this.victims.service.recordReferralIn(trx, viewer, crimeId, input.personId, {
            serviceId: agency.service_id,
            referredOn: day,
            consented: 'yes',
            outcome: 'pending',
          })
        ).referralId
      }
      const shares = SHAREABLE_FIELDS.filter((field) => input.shares.includes(field))
      const needs = shares.includes('needs')
        ? await this.victims.service.latestNeedsIn(trx, crime.force_id, crimeId, input.personId)
        : []
      const needLabels = needs.map((need) => this.victims.needLabels[need] ?? need)
      const victimName = [party.forename, party.surname].filter(Boolean).join(' ') || 'Unnamed person'
      const now = new Date().toISOString()
      const referralId = await repository.insertReferral({
        force_id: crime.force_id,
        agency_id: agency.id,
        victim_referral_id: victimReferralId,
        crime_id: crimeId,
        crime_reference: crime.force_reference,
        person_id: input.personId,
        kind: agency.kind,
        victim_name: victimName,
        contact_phone: shares.includes('phone') ? input.phone : '',
        contact_email: shares.includes('email') ? input.email : '',
        contact_times: shares.includes('contact_times') ? input.contactTimes : '',
        safe_to_leave_message: input.safeToLeaveMessage === 'yes' ? 1 : 0,
        needs: JSON.stringify(needLabels),
        risk: shares.includes('risk') ? input.risk : '',
        case_summary: shares.includes('case_summary') ? input.caseSummary : '',
        consent_covers: JSON.stringify(shares),
        consent_on: input.consentOn,
        lawful_basis: input.lawfulBasis,
        officer_name: nameOf(viewer),
        officer_user_id: viewer.actor.actorId,
        officer_contact: input.officerContact,
        state: 'sent',
        answer_due_on: dueOn(day, { days: agency.answer_days, kind: 'working' }, this.holidays),
        first_contact_due_on: null,
        decline_reason: '',
        outcome: null,
        outcome_note: '',
        sent_by: viewer.actor.actorUsername,
        sent_at: now,
        updated_at: now,
      })
      await repository.insertEvent({
        force_id: crime.force_id,
        crime_id: crimeId,
        referral_id: referralId,
        kind: 'sent',
        on_day: day,
        method: null,
        result: null,
        note: '',
        by_username: viewer.actor.actorUsername,
        by_name: nameOf(viewer),
        by_id: viewer.actor.actorId,
        recorded_at: now,
      })
      const fields = ['name' as const, ...shares].map((field) => FIELD_LABELS[field])
      await repository.insertDisclosure({
        force_id: crime.force_id,
        agency_id: agency.id,
        crime_id: crimeId,
        person_id: input.personId,
        subject_type: 'referral',
        subject_id: referralId,
        fields: JSON.stringify(['Crime reference', ...fields, "Officer's name and contact"]),
        purpose: `Referral for support: ${AGENCY_KIND_LABELS[agency.kind].toLowerCase()}`,
        lawful_basis: input.lawfulBasis,
        consent: `The victim consented on ${input.consentOn} to share: ${fields.join(', ')}`,
        disclosed_by: viewer.actor.actorUsername,
        disclosed_by_id: viewer.actor.actorId,
        disclosed_at: now,
      })
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.referral.sent',
        subjectType: 'crime',
        subjectId: crimeId,
        details: {
          referralId,
          victimReferralId,
          personId: input.personId,
          agencyId: agency.id,
          agency: agency.name,
          shared: fields,
          consentOn: input.consentOn,
          lawfulBasis: input.lawfulBasis,
        },
      })
      return { referralId }
    })
  }

  // ---- The service's inbox and its answers (partner users) -------------------------------------------------------

  /** The partner's organisation and its referrals (open, then answered); the read is audited. */
  async inbox(viewer: Viewer) {
    return this.repository.transaction(async (repository, trx) => {
      const agency = await this.agencyOf(viewer, repository)
      const open = await repository.referralsOfAgency(agency.id, ['sent', 'accepted'])
      const done = await repository.referralsOfAgency(agency.id, ['declined', 'closed'])
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.inbox.viewed',
        subjectType: 'partner_agency',
        subjectId: agency.id,
        details: { open: open.map((row) => row.id), answered: done.length },
      })
      return {
        agency: {
          id: agency.id,
          name: agency.name,
          answerDays: agency.answer_days,
          firstContactDays: agency.first_contact_days,
        },
        open: open.map(describeForPartner),
        done: done.map(describeForPartner),
      }
    })
  }

  /**
   * A referral to the partner's own organisation, with its history; another organisation's referral is refused (403,
   * audited by the web app as access.denied) and an unknown one is undefined. The read is audited.
   */
  async referral(viewer: Viewer, referralId: number) {
    return this.repository.transaction(async (repository, trx) => {
      const agency = await this.agencyOf(viewer, repository)
      const row = await repository.referralById(referralId)
      if (!row) return undefined
      if (row.agency_id !== agency.id) throw new ForbiddenError('referral:respond', viewer.forceId)
      const events = (await repository.eventsOfReferral(referralId)).map(describeEvent)
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.referral.viewed',
        subjectType: 'crime',
        subjectId: row.crime_id,
        details: { referralId, personId: row.person_id, agencyId: agency.id },
      })
      return { agency: { id: agency.id, name: agency.name }, referral: describeForPartner(row), events }
    })
  }

  private async ownReferral(viewer: Viewer, repository: PartnerRepository, referralId: number) {
    const agency = await this.agencyOf(viewer, repository)
    const row = await repository.referralById(referralId)
    if (!row) throw new PartnerInputError({ referral: 'There is no such referral' })
    if (row.agency_id !== agency.id) throw new ForbiddenError('referral:respond', viewer.forceId)
    return { agency, row }
  }

  private async addEvent(
    repository: PartnerRepository,
    viewer: Viewer,
    row: PartnerReferralRow,
    event: {
      kind: ReferralEventRow['kind']
      onDay: string
      method?: ReferralEventRow['method']
      result?: ReferralEventRow['result']
      note?: string
    },
  ) {
    await repository.insertEvent({
      force_id: row.force_id,
      crime_id: row.crime_id,
      referral_id: row.id,
      kind: event.kind,
      on_day: event.onDay,
      method: event.method ?? null,
      result: event.result ?? null,
      note: event.note ?? '',
      by_username: viewer.actor.actorUsername,
      by_name: nameOf(viewer),
      by_id: viewer.actor.actorId,
      recorded_at: new Date().toISOString(),
    })
  }

  private async tellVictims(
    trx: Transaction<Database>,
    viewer: Viewer,
    row: PartnerReferralRow,
    outcome: 'accepted' | 'closed' | 'declined' | 'no_contact',
    day: string,
    words: string,
  ) {
    if (row.victim_referral_id === null) return
    await this.victims.service.recordServiceResponseIn(trx, viewer.actor, row.force_id, row.victim_referral_id, {
      outcome,
      outcomeOn: day,
      serviceUpdate: words,
    })
  }

  /** The service accepts a referral waiting for its answer: first contact is then due within its working days. */
  async accept(viewer: Viewer, referralId: number): Promise<void> {
    await this.repository.transaction(async (repository, trx) => {
      const { agency, row } = await this.ownReferral(viewer, repository, referralId)
      if (row.state !== 'sent') throw new PartnerInputError({ state: 'This referral has already been answered' })
      const day = today()
      const due = dueOn(day, { days: agency.first_contact_days, kind: 'working' }, this.holidays)
      await repository.updateReferral(referralId, {
        state: 'accepted',
        first_contact_due_on: due,
        updated_at: new Date().toISOString(),
      })
      await this.addEvent(repository, viewer, row, { kind: 'accepted', onDay: day })
      await this.tellVictims(
        trx,
        viewer,
        row,
        'accepted',
        day,
        `Accepted by ${agency.name}; first contact due by ${due}`,
      )
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.referral.accepted',
        subjectType: 'crime',
        subjectId: row.crime_id,
        details: { referralId, agencyId: agency.id, firstContactDueOn: due },
      })
    })
  }

  /** The service declines a referral waiting for its answer, with its reason. */
  async decline(viewer: Viewer, referralId: number, body: unknown): Promise<void> {
    await this.repository.transaction(async (repository, trx) => {
      const { agency, row } = await this.ownReferral(viewer, repository, referralId)
      if (row.state !== 'sent') throw new PartnerInputError({ state: 'This referral has already been answered' })
      const input = parse(declineSchema, body, 'reason')
      const day = today()
      await repository.updateReferral(referralId, {
        state: 'declined',
        decline_reason: input.reason,
        updated_at: new Date().toISOString(),
      })
      await this.addEvent(repository, viewer, row, { kind: 'declined', onDay: day, note: input.reason })
      await this.tellVictims(trx, viewer, row, 'closed', day, `Declined by ${agency.name}: ${input.reason}`)
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.referral.declined',
        subjectType: 'crime',
        subjectId: row.crime_id,
        details: { referralId, agencyId: agency.id, reason: input.reason },
      })
    })
  }

  /** A contact attempt on an accepted referral. */
  async recordContact(viewer: Viewer, referralId: number, body: unknown): Promise<void> {
    await this.repository.transaction(async (repository, trx) => {
      const { agency, row } = await this.ownReferral(viewer, repository, referralId)
      if (row.state !== 'accepted') {
        throw new PartnerInputError({
          state: 'Accept the referral before recording contact; a closed referral is final',
        })
      }
      const input = parse(contactSchema, body, 'contactOn')
      if (input.contactOn < row.sent_at.slice(0, 10)) {
        throw new PartnerInputError({
          contactOn: `The date of the contact attempt must be on or after the referral was sent (${row.sent_at.slice(0, 10)})`,
        })
      }
      await this.addEvent(repository, viewer, row, {
        kind: 'contact',
        onDay: input.contactOn,
        method: input.method,
        result: input.result,
        note: input.note,
      })
      await repository.updateReferral(referralId, { updated_at: new Date().toISOString() })
      if (input.result === 'made') {
        await this.tellVictims(
          trx,
          viewer,
          row,
          'accepted',
          input.contactOn,
          `${agency.name} spoke with the victim on ${input.contactOn}`,
        )
      }
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.referral.contact_recorded',
        subjectType: 'crime',
        subjectId: row.crime_id,
        details: { referralId, agencyId: agency.id, ...input },
      })
    })
  }

  /** The service closes an accepted referral with its outcome. */
  async close(viewer: Viewer, referralId: number, body: unknown): Promise<void> {
    await this.repository.transaction(async (repository, trx) => {
      const { agency, row } = await this.ownReferral(viewer, repository, referralId)
      if (row.state !== 'accepted') {
        throw new PartnerInputError({ state: 'Only an accepted referral can be closed with an outcome' })
      }
      const input = parse(closeSchema, body, 'outcome')
      if (input.closedOn < row.sent_at.slice(0, 10)) {
        throw new PartnerInputError({
          closedOn: `The date the referral was closed must be on or after it was sent (${row.sent_at.slice(0, 10)})`,
        })
      }
      await repository.updateReferral(referralId, {
        state: 'closed',
        outcome: input.outcome,
        outcome_note: input.note,
        updated_at: new Date().toISOString(),
      })
      await this.addEvent(repository, viewer, row, { kind: 'closed', onDay: input.closedOn, note: input.note })
      const words = `${agency.name}: ${PARTNER_OUTCOME_LABELS[input.outcome]}${input.note ? ` (${input.note})` : ''}`
      await this.tellVictims(trx, viewer, row, VICTIM_OUTCOME[input.outcome], input.closedOn, words)
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.referral.closed',
        subjectType: 'crime',
        subjectId: row.crime_id,
        details: { referralId, agencyId: agency.id, ...input },
      })
    })
  }

  // ---- The police view of partner work on a crime ---------------------------------------------------------------

  /** The crime's referrals through Threadline with their history; the read is audited. Undefined if no crime. */
  async crimeReferrals(viewer: Viewer, crimeId: number) {
    checkViewer(viewer, 'case:read')
    return this.repository.transaction(async (repository, trx) => {
      const crime = await this.crime.repository.with(trx).crimeById(crimeId)
      if (!crime) return undefined
      checkViewer(viewer, 'case:read', crime.force_id)
      const referrals = await repository.referralsOfCrime(crime.force_id, crimeId)
      const events = (await repository.eventsOfCrime(crime.force_id, crimeId)).map(describeEvent)
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.crime.viewed',
        subjectType: 'crime',
        subjectId: crimeId,
        details: { reference: crime.force_reference, referrals: referrals.length },
      })
      return {
        crime: { id: crime.id, force_reference: crime.force_reference, force_id: crime.force_id },
        referrals: referrals.map((row) => ({
          ...describeForPartner(row),
          agencyName: row.agency_name,
          events: events.filter((event) => event.referral_id === row.id),
        })),
      }
    })
  }

  // ---- Organisations and their users (force administrators) -----------------------------------------------------

  async agencies(viewer: Viewer) {
    checkViewer(viewer, 'users:manage')
    const [agencies, members] = await Promise.all([
      this.repository.agenciesOf(viewer.forceId),
      this.repository.membersOf(viewer.forceId),
    ])
    return agencies.map((agency) => ({
      ...agency,
      kindLabel: AGENCY_KIND_LABELS[agency.kind],
      members: members.filter((member) => member.agency_id === agency.id),
    }))
  }

  async agency(viewer: Viewer, agencyId: number) {
    return (await this.agencies(viewer)).find((agency) => agency.id === agencyId)
  }

  /** Adds a partner organisation (linked to a directory service, or not), audited. */
  async addAgency(viewer: Viewer, body: unknown): Promise<{ agencyId: number }> {
    checkViewer(viewer, 'users:manage')
    const input = parse(agencySchema, body, 'name')
    if (input.serviceId !== null) {
      const listed = await this.victims.service.directory(viewer, { all: true })
      if (!listed.some((service) => service.id === input.serviceId)) {
        throw new PartnerInputError({ serviceId: "Choose a service from your force's support directory, or none" })
      }
    }
    return this.repository.transaction(async (repository, trx) => {
      if (await repository.agencyByName(viewer.forceId, input.name)) {
        throw new PartnerInputError({ name: 'Your force already has an organisation with this name' })
      }
      const now = new Date().toISOString()
      const agencyId = await repository.insertAgency({
        force_id: viewer.forceId,
        name: input.name,
        kind: input.kind,
        service_id: input.serviceId,
        answer_days: input.answerDays,
        first_contact_days: input.firstContactDays,
        created_at: now,
        updated_by: viewer.actor.actorUsername,
        updated_at: now,
      })
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.agency.added',
        subjectType: 'partner_agency',
        subjectId: agencyId,
        details: { ...input },
      })
      return { agencyId }
    })
  }

  /**
   * Invites a person to a partner organisation: a Threadline user with the partner role in the force (they sign in
   * through the force's identity provider with this email or username), and their membership, audited.
   */
  async addMember(viewer: Viewer, agencyId: number, body: unknown): Promise<{ userId: number }> {
    checkViewer(viewer, 'users:manage')
    const input = parse(memberSchema, body, 'displayName')
    const agency = await this.repository.agencyById(viewer.forceId, agencyId)
    if (!agency) throw new PartnerInputError({ agency: 'There is no such organisation' })
    const forceName = viewer.permissions?.user?.forceName
    const force = forceName ?? (await this.users.forceById(viewer.forceId))?.name
    if (!force) throw new PartnerInputError({ agency: 'There is no such force' })
    return this.repository.transaction(async (repository, trx) => {
      let userId: number
      try {
        userId = await this.users.addUserIn(trx, viewer.actor, {
          username: input.username,
          displayName: input.displayName,
          email: input.email,
          force,
          roles: ['partner'],
        })
      } catch (error) {
        if (error instanceof Error && error.name === 'UserInputError') {
          throw new PartnerInputError({ username: error.message })
        }
        throw error
      }
      const memberId = await repository.insertMember({
        force_id: viewer.forceId,
        agency_id: agencyId,
        user_id: userId,
        added_by: viewer.actor.actorUsername,
        added_at: new Date().toISOString(),
        removed_by: null,
        removed_at: null,
      })
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.member.added',
        subjectType: 'partner_agency',
        subjectId: agencyId,
        details: { memberId, userId, username: input.username, agency: agency.name },
      })
      return { userId }
    })
  }

  /** Removes a person from their organisation and stops them signing in, audited. */
  async removeMember(viewer: Viewer, memberId: number): Promise<boolean> {
    checkViewer(viewer, 'users:manage')
    return this.repository.transaction(async (repository, trx) => {
      const member = await repository.memberById(viewer.forceId, memberId)
      if (!member || member.removed_at) return false
      await repository.removeMember(viewer.forceId, memberId, viewer.actor.actorUsername, new Date().toISOString())
      await this.users.setActiveIn(trx, viewer.actor, member.user_id, false)
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.member.removed',
        subjectType: 'partner_agency',
        subjectId: member.agency_id,
        details: { memberId, userId: member.user_id, username: member.username },
      })
      return true
    })
  }

  // ---- Keys for an organisation's own case system (the partner API) ---------------------------------------------

  /** Makes a key for an organisation's case system: shown once, stored only as its SHA-256 hash. Audited. */
  async createApiKey(viewer: Viewer, agencyId: number, body: unknown): Promise<{ key: string; keyId: number }> {
    checkViewer(viewer, 'users:manage')
    const input = parse(
      z.object({ name: requiredText(100, 'Enter a name for the key, such as the case system it is for', 'The name') }),
      body,
      'name',
    )
    return this.repository.transaction(async (repository, trx) => {
      const agency = await repository.agencyById(viewer.forceId, agencyId)
      if (!agency) throw new PartnerInputError({ agency: 'There is no such organisation' })
      const secret = randomBytes(32).toString('base64url')
      const prefix = secret.slice(0, 8)
      const key = `tlp_${secret}`
      const keyId = await repository.insertApiKey({
        force_id: viewer.forceId,
        agency_id: agencyId,
        name: input.name,
        prefix,
        key_hash: hashKey(key),
        created_by: viewer.actor.actorUsername,
        created_at: new Date().toISOString(),
        revoked_by: null,
        revoked_at: null,
        last_used_at: null,
      })
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.api_key.created',
        subjectType: 'partner_agency',
        subjectId: agencyId,
        details: { keyId, name: input.name, prefix },
      })
      return { key, keyId }
    })
  }

  async apiKeys(viewer: Viewer, agencyId: number) {
    checkViewer(viewer, 'users:manage')
    return this.repository.apiKeysOf(viewer.forceId, agencyId)
  }

  /** Revokes a key: the case system using it is refused from then on. Audited. */
  async revokeApiKey(viewer: Viewer, keyId: number): Promise<boolean> {
    checkViewer(viewer, 'users:manage')
    return this.repository.transaction(async (repository, trx) => {
      const key = await repository.apiKeyById(viewer.forceId, keyId)
      if (!key || key.revoked_at) return false
      await repository.revokeApiKey(keyId, viewer.actor.actorUsername, new Date().toISOString())
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.api_key.revoked',
        subjectType: 'partner_agency',
        subjectId: key.agency_id,
        details: { keyId, prefix: key.prefix },
      })
      return true
    })
  }

  /** The viewer a key acts as (its organisation, in its force), or undefined for an unknown or revoked key. */
  async viewerForKey(key: string, requestId: string | null): Promise<PartnerViewer | undefined> {
    if (!/^tlp_[A-Za-z0-9_-]{20,100}$/.test(key)) return undefined
    const row = await this.repository.apiKeyByHash(hashKey(key))
    if (!row || row.revoked_at) return undefined
    await this.repository.touchApiKey(row.id, new Date().toISOString())
    return {
      actor: { actorId: null, actorUsername: `api-key:${row.prefix}`, forceId: row.force_id, requestId },
      forceId: row.force_id,
      agencyId: row.agency_id,
      displayName: `${row.agency_name} (case system)`,
    }
  }

  // ---- Measures (counts only, not audited) -----------------------------------------------------------------------

  /**
   * Partner work in a period (ISO instants, `to` exclusive) for the action plan's live figures: digital safeguarding
   * referrals sent (20.4) and how many the service accepted; suspects referred to perpetrator programmes (25.1), how
   * many started, completed or dropped out.
   */
  async partnerMeasure(forceId: number, period: { from: string; to: string }) {
    const sent = await this.repository.referralsSentBetween(forceId, period.from, period.to)
    const digital = sent.filter((row) => row.kind === 'digital_safeguarding')
    const programmes = await this.repository.programmesReferredBetween(
      forceId,
      period.from.slice(0, 10),
      period.to.slice(0, 10),
    )
    return {
      digitalReferrals: digital.length,
      digitalAccepted: digital.filter((row) => row.state === 'accepted' || row.state === 'closed').length,
      perpetratorsReferred: new Set(programmes.map((row) => row.person_id)).size,
      programmesReferred: programmes.length,
      programmesStarted: programmes.filter((row) => row.started_on !== null).length,
      programmesCompleted: programmes.filter((row) => row.ending === 'completed').length,
      programmesDroppedOut: programmes.filter((row) => row.ending === 'dropped_out').length,
    }
  }

  // ---- The information-sharing log (data protection officer) -----------------------------------------------------

  /** Every disclosure to a partner, newest first; to one organisation or about one person when asked. Audited. */
  async disclosures(
    viewer: Viewer,
    filter: { agencyId?: number; personId?: number; crimeId?: number } = {},
    exported = false,
  ) {
    checkViewer(viewer, 'audit:read')
    return this.repository.transaction(async (repository, trx) => {
      const rows = await repository.disclosures(viewer.forceId, filter)
      await this.audit.record(trx, viewer.actor, {
        action: exported ? 'partners.disclosures.exported' : 'partners.disclosures.viewed',
        subjectType: 'partner_disclosures',
        subjectId: null,
        details: { ...filter, rows: rows.length },
      })
      return {
        agencies: await repository.agenciesOf(viewer.forceId),
        rows: rows.map((row) => ({
          ...row,
          fieldList: JSON.parse(row.fields) as string[],
          basisLabel: LAWFUL_BASIS_LABELS[row.lawful_basis],
        })),
      }
    })
  }

  /** The log as CSV for a data protection officer (cells that a spreadsheet would run are neutralised). */
  async disclosuresCsv(viewer: Viewer, filter: { agencyId?: number; personId?: number } = {}): Promise<string> {
    const { rows } = await this.disclosures(viewer, filter, true)
    const header = [
      'disclosed_at',
      'to',
      'crime_reference',
      'person_id',
      'about',
      'fields',
      'purpose',
      'lawful_basis',
      'consent',
      'disclosed_by',
    ]
    const lines = rows.map((row) =>
      [
        row.disclosed_at,
        row.agency_name,
        row.crime_reference,
        row.person_id === null ? '' : String(row.person_id),
        row.subject_type === 'referral' ? `Referral ${row.subject_id}` : `Panel action ${row.subject_id}`,
        row.fieldList.join('; '),
        row.purpose,
        row.basisLabel,
        row.consent,
        row.disclosed_by,
      ]
        .map((cell) => csvCell(String(neutraliseCell(cell))))
        .join(','),
    )
    return [header.join(','), ...lines].join('\r\n') + '\r\n'
  }
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}
