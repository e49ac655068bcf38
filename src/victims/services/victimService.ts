// Victims' code rights and access to support (Recommendation 14). Per victim on a crime: that they were told of their
// rights under the Victims' Code, their needs assessment, and their referrals to services from the force's support
// directory. Each record is stored with who and when; the latest rights record and assessment count. Every read of a
// crime's victim care and every change is audited in the same transaction. The force's directory of national and local
// stalking support services is kept here too, with a public list of it.
import type { Transaction } from 'kysely'
import { z } from 'zod'
import type { CrimeServices } from '../../crime/index.ts'
import type { VictimDatabase as Database } from '../data/tables.ts'
import type { PlatformTables } from '../../platform/data/schema.ts'
import type { AuditService } from '../../platform/services/auditService.ts'
import { ForbiddenError, type Capability } from '../../platform/services/permissions.ts'
import { FieldInputError, checkViewer, type Viewer } from '../../platform/services/viewer.ts'
import { STALKING_KEY } from '../../crime/index.ts'
import type { MeasurePeriod, ReferralWithService, VictimRepository } from '../data/victimRepository.ts'
import {
  NEEDS,
  REFERRAL_OUTCOMES,
  RIGHTS_METHODS,
  SERVICE_KINDS,
  SUPPORT_ANSWERS,
  type NeedsAssessmentRow,
  type Need,
  type ReferralOutcome,
  type RightsMethod,
  type RightsRow,
  type ServiceKind,
  type SupportAnswer,
  type SupportServiceRow,
} from '../data/tables.ts'
import { addDays, daysBetween, isRealDay, monthsBetween } from '../../platform/days.ts'
import { crimeHeading } from '../../crime/index.ts'
import { blank, trimmed, fieldErrorsOf } from '../../platform/forms.ts'

// The area's vocabulary, for its pages and API.
export { NEEDS, REFERRAL_OUTCOMES, RIGHTS_METHODS, SERVICE_KINDS } from '../data/tables.ts'

export type { Viewer }
export { STALKING_KEY }

/** Bad input, by form field; `crime` when there is no such crime, `person` when the person is not its victim. */
export class VictimInputError extends FieldInputError {}

export const RIGHTS_METHOD_LABELS: Record<RightsMethod, string> = {
  in_person: 'In person',
  phone: 'By phone',
  letter: 'By letter',
  email: 'By email',
  other: 'Another way',
}

export const NEED_LABELS: Record<Need, string> = {
  safety: 'Safety and safeguarding',
  emotional: 'Emotional support',
  practical: 'Practical help',
  advocacy: 'Advocacy (ISAC – independent stalking advocacy caseworker)',
  communication: 'Communication needs or an interpreter',
  dependants: 'Children or dependants',
  digital: 'Digital and online safety',
  housing: 'Housing',
  none: 'None identified',
}

export const SUPPORT_LABELS: Record<SupportAnswer, string> = {
  yes: 'Would like to be referred for support',
  declined: 'Declined support',
}

export const OUTCOME_LABELS: Record<ReferralOutcome, string> = {
  pending: 'Pending',
  accepted: 'Accepted by the service',
  declined: 'Declined by the victim',
  no_contact: 'Service could not make contact',
  closed: 'Closed',
}

export const KIND_LABELS: Record<ServiceKind, string> = { national: 'National', local: 'Local' }

const today = () => new Date().toISOString().slice(0, 10)
const text = (max: number, what: string) =>
  z.preprocess((value) => trimmed(value) ?? '', z.string().max(max, `${what} must be ${max} characters or fewer`))

function capitalise(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1)
}

/** A YYYY-MM-DD date named in its messages, never after today. */
function pastDate(what: string) {
  return z
    .string({ message: `Enter ${what} as a real date` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Enter ${what} as a real date, for example 27 3 2025`)
    .refine(isRealDay, `Enter ${what} as a real date`)
    .refine((value) => value <= today(), `${capitalise(what)} must be today or in the past`)
}
const dateField = (what: string) => z.preprocess((value) => trimmed(blank(value)), pastDate(what))
const optionalDateField = (what: string) => z.preprocess((value) => trimmed(blank(value)), pastDate(what).optional())

const yesNo = (message: string) => z.preprocess(blank, z.enum(['yes', 'no'], { message }))

export const rightsSchema = z.object({
  toldOn: dateField('the date the victim was told of their rights'),
  method: z.preprocess(blank, z.enum(RIGHTS_METHODS, { message: 'Choose how the victim was told of their rights' })),
  enhanced: yesNo('Choose whether the victim is entitled to enhanced rights'),
})

const asList = (value: unknown) => (value === undefined || value === null || value === '' ? [] : [value].flat())

export const needsSchema = z.object({
  assessedOn: dateField('the date the needs assessment was completed'),
  needs: z.preprocess(
    asList,
    z
      .array(z.enum(NEEDS, { message: 'Choose the needs identified from the list' }))
      .min(1, 'Choose the needs identified, or none identified')
      .refine(
        (needs) => !(needs.includes('none') && needs.length > 1),
        'Choose none identified on its own, or untick it to choose needs',
      ),
  ),
  supportWanted: z.preprocess(
    blank,
    z.enum(SUPPORT_ANSWERS, { message: 'Choose whether the victim would like to be referred for support' }),
  ),
  notes: text(5000, 'The notes'),
})

export const referralSchema = z
  .object({
    serviceId: z.preprocess(
      (value) => (blank(value) === undefined ? undefined : Number(value)),
      z.number({ message: 'Choose the service the victim was referred to' }).int().positive(),
    ),
    referredOn: dateField('the date of the referral'),
    consented: yesNo('Choose whether the victim consented to the referral'),
    outcome: z.preprocess(
      (value) => blank(value) ?? 'pending',
      z.enum(REFERRAL_OUTCOMES, { message: 'Choose the outcome of the referral' }),
    ),
    outcomeOn: optionalDateField('the date of the outcome'),
  })
  .superRefine((value, ctx) => {
    if (value.referredOn && value.outcomeOn && value.outcomeOn < value.referredOn) {
      ctx.addIssue({
        code: 'custom',
        path: ['outcomeOn'],
        message: 'The date of the outcome must be on or after the date of the referral',
      })
    }
  })

export const outcomeSchema = z.object({
  outcome: z.preprocess(blank, z.enum(REFERRAL_OUTCOMES, { message: 'Choose the outcome of the referral' })),
  outcomeOn: optionalDateField('the date of the outcome'),
})

export const serviceSchema = z.object({
  name: z.preprocess(
    (value) => trimmed(value) ?? '',
    z
      .string()
      .min(1, 'Enter the name of the service')
      .max(200, 'The name of the service must be 200 characters or fewer'),
  ),
  kind: z.preprocess(blank, z.enum(SERVICE_KINDS, { message: 'Choose whether the service is national or local' })),
  areaCovered: text(200, 'The area covered'),
  phone: z.preprocess(
    (value) => trimmed(value) ?? '',
    z
      .string()
      .max(30, 'The phone number must be 30 characters or fewer')
      .regex(/^([0-9+() ]{3,30})?$/, 'Enter the phone number in digits, for example 0808 157 0000, or leave it blank'),
  ),
  website: z.preprocess(
    (value) => trimmed(value) ?? '',
    z
      .string()
      .max(500, 'The website address must be 500 characters or fewer')
      .refine(
        (value) => value === '' || isHttpsUrl(value),
        'Enter the website address starting with https://, for example https://www.example.org.uk, or leave it blank',
      ),
  ),
  referralRoute: text(2000, 'How to refer'),
  listed: z.preprocess(
    (value) => blank(value) ?? 'yes',
    z.enum(['yes', 'no'], { message: 'Choose whether to list the service' }),
  ),
})

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'https:' && url.hostname.includes('.') && !/\s/.test(value)
  } catch {
    return false
  }
}

function parse<T extends z.ZodType>(schema: T, body: unknown, fallback: string): z.output<T> {
  const parsed = schema.safeParse(body ?? {})
  if (!parsed.success) throw new VictimInputError(fieldErrorsOf(parsed.error, fallback))
  return parsed.data
}

/** The day a crime was reported, for "on or after" checks. */
const reportedDay = (crime: { reported_at: string }) => crime.reported_at.slice(0, 10)

function notBeforeReport(day: string, crime: { reported_at: string }, field: string, what: string): void {
  if (day < reportedDay(crime)) {
    throw new VictimInputError({
      [field]: `${capitalise(what)} must be on or after the date the crime was reported (${reportedDay(crime)})`,
    })
  }
}

export interface VictimMeasure {
  /** Victims (victim parties) of crimes reported in the period with 8Q, principal or included. */
  victims: number
  /** Of them, those told of their rights under the Victims' Code. */
  rightsTold: number
  /** Of them, those with a needs assessment completed. */
  needsAssessed: number
  /** Of those assessed, by their latest assessment: would like support, or declined it. */
  wantedSupport: number
  declinedSupport: number
  /** Of those who would like support, those referred to a service. */
  referredOfWanting: number
  /** Victims with any referral (whatever the assessment says). */
  referred: number
  /** Median whole days from the crime's report to the victim's first referral; null without referrals. */
  medianDaysToReferral: number | null
}

export interface DirectoryMeasure {
  listed: number
  national: number
  local: number
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const NO_TEAM = 'No team recorded'

/** What "low" means on the monitoring page, in words the page shows. */
export const LOW_MONTH_RULE =
  "A month is flagged low when a team's referrals that month are fewer than half of that team's median month over the months shown (the whole force's row is judged the same way). Every team with stalking crimes reported in the range is listed; a team whose median month is 0 is not flagged month by month, so look at its total: none at all is the lowest count."

export interface MonthlyRow {
  team: string
  counts: { month: string; count: number; low: boolean }[]
  total: number
  median: number
}

/** A team's referrals in each month, its total and median month, and each month flagged low by LOW_MONTH_RULE. */
export function monthlyRow(team: string, months: string[], byMonth: Map<string, number>): MonthlyRow {
  const values = months.map((month) => byMonth.get(month) ?? 0)
  const mid = median(values) ?? 0
  return {
    team,
    counts: months.map((month, index) => ({ month, count: values[index], low: mid > 0 && values[index] < mid / 2 })),
    total: values.reduce((sum, value) => sum + value, 0),
    median: mid,
  }
}

export class VictimService {
  constructor(
    private readonly repository: VictimRepository,
    private readonly audit: AuditService,
    private readonly crime: CrimeServices,
  ) {}

  // ---- A crime's victim care ------------------------------------------------------------------------------------

  /** A crime's victims, each with rights, needs assessments and referrals; the read is audited. Undefined if no crime. */
  async crimeView(viewer: Viewer, crimeId: number) {
    checkViewer(viewer, 'case:read')
    return this.repository.transaction(async (repository, trx) => {
      const crimes = this.crime.repository.with(trx)
      const crime = await crimes.crimeById(crimeId)
      if (!crime) return undefined
      checkViewer(viewer, 'case:read', crime.force_id)
      const [parties, rights, assessments, referrals, services] = await Promise.all([
        crimes.partiesOf(crimeId),
        repository.rightsOf(crime.force_id, crimeId),
        repository.assessmentsOf(crime.force_id, crimeId),
        repository.referralsOf(crime.force_id, crimeId),
        repository.servicesOf(crime.force_id),
      ])
      const seen = new Set<number>()
      const victims = parties
        .filter((party) => party.role === 'victim' && !seen.has(party.person_id) && seen.add(party.person_id))
        .map((party) => {
          const own = <T extends { person_id: number }>(rows: T[]) =>
            rows.filter((r) => r.person_id === party.person_id)
          const rightsRecords = own(rights).map(describeRights)
          const needsAssessments = own(assessments).map(describeAssessment)
          const referralList = own(referrals).map(describeReferral)
          const latestAssessment = needsAssessments[0] ?? null
          return {
            person_id: party.person_id,
            name: [party.forename, party.surname].filter(Boolean).join(' ') || 'Unnamed person',
            date_of_birth: party.date_of_birth,
            rights: rightsRecords,
            latestRights: rightsRecords[0] ?? null,
            assessments: needsAssessments,
            latestAssessment,
            referrals: referralList,
            /** Would like support but has no referral yet: what the page asks the officer to do next. */
            referralDue: latestAssessment?.support_wanted === 'yes' && referralList.length === 0,
          }
        })
      await this.audit.record(trx, viewer.actor, {
        action: 'victims.care.viewed',
        subjectType: 'crime',
        subjectId: crimeId,
        details: {
          reference: crime.force_reference,
          victims: victims.length,
          rights: rights.length,
          assessments: assessments.length,
          referrals: referrals.length,
        },
      })
      return {
        crime: crimeHeading(crime),
        victims,
        services: services.map(describeService),
      }
    })
  }

  /** Records that a victim was told of their rights under the Victims' Code, with who and when, audited. */
  async recordRights(viewer: Viewer, crimeId: number, personId: number, body: unknown): Promise<{ rightsId: number }> {
    checkViewer(viewer, 'case:edit')
    return this.repository.transaction(async (repository, trx) => {
      const crime = await this.editableVictim(viewer, crimeId, personId, trx)
      const input = parse(rightsSchema, body, 'toldOn')
      notBeforeReport(input.toldOn, crime, 'toldOn', 'the date the victim was told of their rights')
      const row = {
        force_id: crime.force_id,
        crime_id: crimeId,
        person_id: personId,
        told_on: input.toldOn,
        method: input.method,
        enhanced: input.enhanced === 'yes' ? 1 : 0,
        recorded_by: viewer.actor.actorUsername,
        recorded_by_id: viewer.actor.actorId,
        recorded_at: new Date().toISOString(),
      }
      const rightsId = await repository.insertRights(row)
      await this.audit.record(trx, viewer.actor, {
        action: 'victims.rights.recorded',
        subjectType: 'crime',
        subjectId: crimeId,
        details: { rightsId, personId, toldOn: row.told_on, method: row.method, enhanced: row.enhanced },
      })
      return { rightsId }
    })
  }

  /** Records a victim needs assessment completed by the signed-in user, audited. */
  async recordAssessment(
    viewer: Viewer,
    crimeId: number,
    personId: number,
    body: unknown,
  ): Promise<{ assessmentId: number }> {
    checkViewer(viewer, 'case:edit')
    return this.repository.transaction(async (repository, trx) => {
      const crime = await this.editableVictim(viewer, crimeId, personId, trx)
      const input = parse(needsSchema, body, 'assessedOn')
      notBeforeReport(input.assessedOn, crime, 'assessedOn', 'the date the needs assessment was completed')
      const needs = NEEDS.filter((need) => input.needs.includes(need))
      const row = {
        force_id: crime.force_id,
        crime_id: crimeId,
        person_id: personId,
        assessed_on: input.assessedOn,
        needs: JSON.stringify(needs),
        support_wanted: input.supportWanted,
        notes: input.notes,
        assessed_by: viewer.actor.actorUsername,
        assessed_by_id: viewer.actor.actorId,
        recorded_at: new Date().toISOString(),
      }
      const assessmentId = await repository.insertAssessment(row)
      await this.audit.record(trx, viewer.actor, {
        action: 'victims.needs.assessed',
        subjectType: 'crime',
        subjectId: crimeId,
        details: { assessmentId, personId, assessedOn: row.assessed_on, needs, supportWanted: row.support_wanted },
      })
      return { assessmentId }
    })
  }

  /** Records a referral of the victim to a listed service of the crime's force, audited. */
  async recordReferral(
    viewer: Viewer,
    crimeId: number,
    personId: number,
    body: unknown,
  ): Promise<{ referralId: number }> {
    checkViewer(viewer, 'case:edit')
    return this.repository.transaction((_repository, trx) =>
      this.recordReferralIn(trx, viewer, crimeId, personId, body),
    )
  }

  /**
   * Records a referral inside the caller's transaction (the partners area sends a referral through Threadline and keeps
   * its own record with it, in one transaction), audited there. Bad input is a VictimInputError by field.
   */
  async recordReferralIn<DB extends PlatformTables>(
    trx: Transaction<DB>,
    viewer: Viewer,
    crimeId: number,
    personId: number,
    body: unknown,
  ): Promise<{ referralId: number; serviceName: string; referredOn: string }> {
    checkViewer(viewer, 'case:edit')
    const db = trx as unknown as Transaction<Database>
    const repository = this.repository.with(db)
    const crime = await this.editableVictim(viewer, crimeId, personId, db)
    const input = parse(referralSchema, body, 'serviceId')
    const service = await repository.serviceById(crime.force_id, input.serviceId)
    if (!service || !service.listed) {
      throw new VictimInputError({ serviceId: "Choose a service from your force's support directory" })
    }
    notBeforeReport(input.referredOn, crime, 'referredOn', 'the date of the referral')
    const row = {
      force_id: crime.force_id,
      crime_id: crimeId,
      person_id: personId,
      service_id: service.id,
      referred_on: input.referredOn,
      consented: input.consented === 'yes' ? 1 : 0,
      outcome: input.outcome,
      outcome_on: input.outcome === 'pending' ? null : (input.outcomeOn ?? null),
      referred_by: viewer.actor.actorUsername,
      referred_by_id: viewer.actor.actorId,
      recorded_at: new Date().toISOString(),
      updated_by: null,
      updated_at: null,
    }
    const referralId = await repository.insertReferral(row)
    await this.audit.record(db, viewer.actor, {
      action: 'victims.referral.made',
      subjectType: 'crime',
      subjectId: crimeId,
      details: {
        referralId,
        personId,
        serviceId: service.id,
        service: service.name,
        referredOn: row.referred_on,
        consented: row.consented,
        outcome: row.outcome,
        outcomeOn: row.outcome_on,
      },
    })
    return { referralId, serviceName: service.name, referredOn: row.referred_on }
  }

  /**
   * The service's answer to a referral sent through Threadline (the partners area), inside its transaction: the
   * referral's outcome and the service's own words beside it, audited with the outcome before and after.
   */
  async recordServiceResponseIn<DB extends PlatformTables>(
    trx: Transaction<DB>,
    actor: Viewer['actor'],
    forceId: number,
    referralId: number,
    response: { outcome: ReferralOutcome; outcomeOn: string | null; serviceUpdate: string },
  ): Promise<void> {
    const db = trx as unknown as Transaction<Database>
    const repository = this.repository.with(db)
    const referral = await repository.referralById(referralId)
    if (!referral || referral.force_id !== forceId) throw new Error(`No referral ${referralId} in force ${forceId}`)
    const row = {
      outcome: response.outcome,
      outcome_on: response.outcome === 'pending' ? null : response.outcomeOn,
      service_update: response.serviceUpdate,
      updated_by: actor.actorUsername,
      updated_at: new Date().toISOString(),
    }
    await repository.updateReferral(forceId, referralId, row)
    await this.audit.record(db, actor, {
      action: 'victims.referral.updated',
      subjectType: 'crime',
      subjectId: referral.crime_id,
      details: {
        referralId,
        personId: referral.person_id,
        by: 'service',
        from: { outcome: referral.outcome, outcomeOn: referral.outcome_on },
        to: { outcome: row.outcome, outcomeOn: row.outcome_on, serviceUpdate: row.service_update },
      },
    })
  }

  /** The needs identified in the victim's latest needs assessment on the crime (none when not assessed). */
  async latestNeedsIn<DB extends PlatformTables>(
    trx: Transaction<DB>,
    forceId: number,
    crimeId: number,
    personId: number,
  ) {
    const repository = this.repository.with(trx as unknown as Transaction<Database>)
    const latest = (await repository.assessmentsOf(forceId, crimeId)).find((row) => row.person_id === personId)
    return latest ? describeAssessment(latest).needs.filter((need) => need !== 'none') : []
  }

  /** Updates a referral's outcome (on a crime of the viewer's force), audited with the outcome before and after. */
  async updateReferralOutcome(viewer: Viewer, crimeId: number, referralId: number, body: unknown): Promise<void> {
    checkViewer(viewer, 'case:edit')
    await this.repository.transaction(async (repository, trx) => {
      const crime = await this.crime.records.editableCrime(viewer, crimeId, trx, VictimInputError)
      const referral = await repository.referralById(referralId)
      if (!referral || referral.crime_id !== crimeId || referral.force_id !== crime.force_id) {
        throw new VictimInputError({ referral: 'There is no such referral on this crime' })
      }
      const input = parse(outcomeSchema, body, 'outcome')
      if (input.outcomeOn && input.outcomeOn < referral.referred_on) {
        throw new VictimInputError({
          outcomeOn: `The date of the outcome must be on or after the date of the referral (${referral.referred_on})`,
        })
      }
      const row = {
        outcome: input.outcome,
        outcome_on: input.outcome === 'pending' ? null : (input.outcomeOn ?? null),
        updated_by: viewer.actor.actorUsername,
        updated_at: new Date().toISOString(),
      }
      await repository.updateReferral(crime.force_id, referralId, row)
      await this.audit.record(trx, viewer.actor, {
        action: 'victims.referral.updated',
        subjectType: 'crime',
        subjectId: crimeId,
        details: {
          referralId,
          personId: referral.person_id,
          from: { outcome: referral.outcome, outcomeOn: referral.outcome_on },
          to: { outcome: row.outcome, outcomeOn: row.outcome_on },
        },
      })
    })
  }

  // ---- Support-service directory (14.3) ------------------------------------------------------------------------

  /** Whether the viewer may read their force's directory: anyone who works with victims or with the plan. */
  canReadDirectory(viewer: Viewer): boolean {
    const p = viewer.permissions
    return !p || ['case:read', 'analysis:read', 'plan:edit', 'users:manage'].some((c) => p.can(c as Capability))
  }

  /** Whether the viewer may change their force's directory: the force's plan owner (force lead) or administrator. */
  canEditDirectory(viewer: Viewer): boolean {
    const p = viewer.permissions
    return !p || p.can('plan:edit') || p.can('users:manage')
  }

  /** The viewer's force's directory: listed services, or every one (for editors) with `all`. */
  async directory(viewer: Viewer, options: { all?: boolean } = {}) {
    if (!this.canReadDirectory(viewer)) throw new ForbiddenError('case:read', viewer.forceId)
    const all = options.all === true && this.canEditDirectory(viewer)
    return (await this.repository.servicesOf(viewer.forceId, { all })).map(describeService)
  }

  /** A force's listed services for the public page, by the force's URL code; undefined when there is no such force. */
  async publicDirectory(code: string) {
    if (!/^[a-z0-9-]{1,80}$/.test(code)) return undefined
    const force = await this.repository.forceByCode(code)
    if (!force) return undefined
    const services = (await this.repository.servicesOf(force.id)).map(describeService)
    return { force, services }
  }

  /** The URL code of the force's public support page. */
  async publicDirectoryCode(forceId: number): Promise<string | undefined> {
    return this.repository.forceCode(forceId)
  }

  async service(viewer: Viewer, id: number) {
    if (!this.canEditDirectory(viewer)) throw new ForbiddenError('plan:edit', viewer.forceId)
    const row = await this.repository.serviceById(viewer.forceId, id)
    return row ? describeService(row) : undefined
  }

  /** Adds a service to the viewer's force's directory, audited. */
  async addService(viewer: Viewer, body: unknown): Promise<{ serviceId: number }> {
    if (!this.canEditDirectory(viewer)) throw new ForbiddenError('plan:edit', viewer.forceId)
    const input = parse(serviceSchema, body, 'name')
    return this.repository.transaction(async (repository, trx) => {
      const now = new Date().toISOString()
      const row = {
        force_id: viewer.forceId,
        name: input.name,
        kind: input.kind,
        area_covered: input.areaCovered,
        phone: input.phone,
        website: input.website,
        referral_route: input.referralRoute,
        listed: input.listed === 'yes' ? 1 : 0,
        created_at: now,
        updated_by: viewer.actor.actorUsername,
        updated_at: now,
      }
      const serviceId = await repository.insertService(row)
      await this.audit.record(trx, viewer.actor, {
        action: 'victims.service.added',
        subjectType: 'support_service',
        subjectId: serviceId,
        details: { ...input },
      })
      return { serviceId }
    })
  }

  /** Changes a service in the viewer's force's directory (unlisting keeps it for referrals made to it), audited. */
  async updateService(viewer: Viewer, id: number, body: unknown): Promise<boolean> {
    if (!this.canEditDirectory(viewer)) throw new ForbiddenError('plan:edit', viewer.forceId)
    const input = parse(serviceSchema, body, 'name')
    return this.repository.transaction(async (repository, trx) => {
      const before = await repository.serviceById(viewer.forceId, id)
      if (!before) return false
      const row = {
        name: input.name,
        kind: input.kind,
        area_covered: input.areaCovered,
        phone: input.phone,
        website: input.website,
        referral_route: input.referralRoute,
        listed: input.listed === 'yes' ? 1 : 0,
        updated_by: viewer.actor.actorUsername,
        updated_at: new Date().toISOString(),
      }
      await repository.updateService(viewer.forceId, id, row)
      const changed = Object.fromEntries(
        Object.entries(row).filter(
          ([key, value]) =>
            key !== 'updated_by' && key !== 'updated_at' && before[key as keyof typeof before] !== value,
        ),
      )
      await this.audit.record(trx, viewer.actor, {
        action: 'victims.service.updated',
        subjectType: 'support_service',
        subjectId: id,
        details: { name: row.name, changed },
      })
      return true
    })
  }

  // ---- Measures (14.1, 14.2, 14.4, 14.5) -----------------------------------------------------------------------

  /**
   * The force's victim care measure over victims of crimes reported in the period with 8Q (principal or included, as
   * the SPO measure counts them): counts only, no person's details, so not audited. Each victim's latest assessment
   * decides whether they would like support.
   */
  async measure(forceId: number, period: MeasurePeriod): Promise<VictimMeasure> {
    return (await this.measureDetail(forceId, period)).measure
  }

  /** The measure, and referrals on those victims by service and outcome. */
  async measureDetail(forceId: number, period: MeasurePeriod) {
    const rows = await this.repository.measureRows(forceId, STALKING_KEY, period)
    const key = (row: { crime_id: number; person_id: number }) => `${row.crime_id}:${row.person_id}`
    const victims = new Map<string, { reported: string; crimeId: number; reference: string }>()
    for (const row of rows.victims) {
      victims.set(key(row), {
        reported: row.reported_at.slice(0, 10),
        crimeId: row.crime_id,
        reference: row.force_reference,
      })
    }
    const told = new Set(rows.rights.map(key).filter((k) => victims.has(k)))
    const latest = new Map<string, SupportAnswer>()
    for (const row of rows.assessments) if (victims.has(key(row))) latest.set(key(row), row.support_wanted)
    const firstReferral = new Map<string, string>()
    const byService = new Map<string, { service: string; total: number; outcomes: Record<ReferralOutcome, number> }>()
    for (const row of rows.referrals) {
      const k = key(row)
      if (!victims.has(k)) continue
      if (!firstReferral.has(k)) firstReferral.set(k, row.referred_on)
      const entry = byService.get(row.service_name) ?? {
        service: row.service_name,
        total: 0,
        outcomes: { pending: 0, accepted: 0, declined: 0, no_contact: 0, closed: 0 },
      }
      entry.total++
      entry.outcomes[row.outcome]++
      byService.set(row.service_name, entry)
    }
    let wantedSupport = 0
    let declinedSupport = 0
    let referredOfWanting = 0
    /** Victims who would like support and have no referral: crimes to act on (references only, no names). */
    const awaitingReferral: { crimeId: number; reference: string; reportedOn: string }[] = []
    for (const [k, answer] of latest) {
      if (answer === 'yes') {
        wantedSupport++
        if (firstReferral.has(k)) referredOfWanting++
        else {
          const victim = victims.get(k)!
          awaitingReferral.push({ crimeId: victim.crimeId, reference: victim.reference, reportedOn: victim.reported })
        }
      } else declinedSupport++
    }
    awaitingReferral.sort((a, b) => a.reportedOn.localeCompare(b.reportedOn) || a.crimeId - b.crimeId)
    const days = [...firstReferral].map(([k, day]) => Math.max(0, daysBetween(victims.get(k)!.reported, day)))
    const measure: VictimMeasure = {
      victims: victims.size,
      rightsTold: told.size,
      needsAssessed: latest.size,
      wantedSupport,
      declinedSupport,
      referredOfWanting,
      referred: firstReferral.size,
      medianDaysToReferral: median(days),
    }
    const referralsByService = [...byService.values()].sort(
      (a, b) => b.total - a.total || a.service.localeCompare(b.service),
    )
    return { measure, referralsByService, awaitingReferral }
  }

  /** The listed services in the force's directory (14.3). */
  async directoryMeasure(forceId: number): Promise<DirectoryMeasure> {
    const services = await this.repository.servicesOf(forceId)
    const national = services.filter((s) => s.kind === 'national').length
    return { listed: services.length, national, local: services.length - national }
  }

  /**
   * Referrals made in each month between two days on the force's stalking crimes, by the crime's team, with low months
   * flagged (LOW_MONTH_RULE); the first row is the whole force.
   */
  async referralsByTeamAndMonth(forceId: number, fromDay: string, toDay: string) {
    const months = monthsBetween(fromDay, toDay)
    const rows = await this.repository.referralsMadeBetween(forceId, STALKING_KEY, fromDay, toDay)
    const counts = new Map<string, Map<string, number>>()
    // Teams with stalking crimes reported in the range are shown even with no referral: that is the lowest count.
    const period = { from: `${fromDay}T00:00:00.000Z`, to: `${addDays(toDay, 1)}T00:00:00.000Z` }
    for (const team of await this.repository.teamsOfCrimesWithKey(forceId, STALKING_KEY, period)) {
      counts.set(team || NO_TEAM, new Map())
    }
    const add = (team: string, month: string) => {
      const byMonth = counts.get(team) ?? new Map<string, number>()
      byMonth.set(month, (byMonth.get(month) ?? 0) + 1)
      counts.set(team, byMonth)
    }
    for (const row of rows) {
      const month = row.referred_on.slice(0, 7)
      add(row.team || NO_TEAM, month)
    }
    const shape = (team: string, byMonth: Map<string, number>) => monthlyRow(team, months, byMonth)
    const force = new Map<string, number>()
    for (const row of rows) force.set(row.referred_on.slice(0, 7), (force.get(row.referred_on.slice(0, 7)) ?? 0) + 1)
    const teams = [...counts.keys()].sort((a, b) => a.localeCompare(b)).map((team) => shape(team, counts.get(team)!))
    return { months, force: shape('Whole force', force), teams }
  }

  // ---- Checks -----------------------------------------------------------------------------------------------------

  /** The editable crime, when the person is recorded as one of its victims; `person` error otherwise. */
  private async editableVictim(viewer: Viewer, crimeId: number, personId: number, trx: Transaction<Database>) {
    const crime = await this.crime.records.editableCrime(viewer, crimeId, trx, VictimInputError)
    const parties = await this.crime.repository.with(trx).partiesOf(crimeId)
    if (!parties.some((party) => party.role === 'victim' && party.person_id === personId)) {
      throw new VictimInputError({ person: 'This person is not recorded as a victim of this crime' })
    }
    return crime
  }
}

function describeRights(row: RightsRow) {
  return { ...row, methodLabel: RIGHTS_METHOD_LABELS[row.method] }
}

function describeAssessment(row: NeedsAssessmentRow) {
  const needs = (JSON.parse(row.needs) as Need[]).filter((need) => need in NEED_LABELS)
  return {
    ...row,
    needs,
    needLabels: needs.map((need) => NEED_LABELS[need]),
    supportLabel: SUPPORT_LABELS[row.support_wanted],
  }
}

function describeReferral(row: ReferralWithService) {
  return { ...row, outcomeLabel: OUTCOME_LABELS[row.outcome] }
}

function describeService(row: SupportServiceRow) {
  return { ...row, kindLabel: KIND_LABELS[row.kind] }
}

export type VictimCareView = NonNullable<Awaited<ReturnType<VictimService['crimeView']>>>
