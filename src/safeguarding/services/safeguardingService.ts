// Stalking Protection Orders (Recommendation 13): police consider an SPO in every stalking case and apply where
// relevant and appropriate, tracked through to breach. Each consideration is stored with who and when; the latest one
// on a crime counts. Every read of a crime's SPO record and every change is audited in the same transaction.
import { z } from 'zod'
import type { CrimeServices } from '../../crime/index.ts'
import type { AuditService } from '../../platform/services/auditService.ts'
import type { MeasurePeriod, SafeguardingRepository } from '../data/safeguardingRepository.ts'
import {
  COURT_OUTCOMES,
  SPO_DECISIONS,
  type BreachRow,
  type ConsiderationRow,
  type CourtOutcome,
  type SpoDecision,
} from '../data/tables.ts'
import { FieldInputError, checkViewer, type Viewer } from '../../platform/services/viewer.ts'
import { isRealDay } from '../../platform/days.ts'
import { OrderRepository } from '../data/orderRepository.ts'
import { crimeHeading } from '../../crime/index.ts'
import { STALKING_KEY } from '../../crime/index.ts'
import {
  crimeListItem,
  blank,
  trimmed,
  fieldErrorsOf,
  pageNumberSchema,
  listPage,
  pageOffset,
  listReadDetails,
} from '../../platform/forms.ts'

// The area's vocabulary, for its pages and API.
export { COURT_OUTCOMES, SPO_DECISIONS } from '../data/tables.ts'

export type { Viewer }

/** Bad input, by form field; `crime` when there is no such crime. */
export class SafeguardingInputError extends FieldInputError {}

export const DECISION_LABELS: Record<SpoDecision, string> = {
  apply: 'Apply for an SPO',
  not_apply: 'Do not apply for an SPO',
  already_in_place: 'An SPO is already in place',
}

export const COURT_OUTCOME_LABELS: Record<CourtOutcome, string> = {
  pending: 'Pending: the court has not decided',
  granted: 'Granted',
  refused: 'Refused',
  withdrawn: 'Withdrawn',
}

export { STALKING_KEY }

const today = () => new Date().toISOString().slice(0, 10)

/** An optional YYYY-MM-DD date, named in its messages; `past` refuses a date after today. */
function dateField(what: string, options: { past?: boolean } = {}) {
  return z.preprocess(
    (value) => trimmed(blank(value)),
    z
      .string({ message: `Enter ${what} as a real date` })
      .regex(/^\d{4}-\d{2}-\d{2}$/, `Enter ${what} as a real date, for example 27 3 2025`)
      .refine(isRealDay, `Enter ${what} as a real date`)
      .refine((value) => !options.past || value <= today(), `${capitalise(what)} must be today or in the past`)
      .optional(),
  )
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

export const considerationSchema = z
  .object({
    decision: z.enum(SPO_DECISIONS, {
      message: 'Choose whether to apply for an SPO, not to apply, or that an SPO is already in place',
    }),
    reason: z.preprocess(
      (value) => trimmed(value) ?? '',
      z.string().max(5000, 'The reason must be 5000 characters or fewer'),
    ),
    appliedOn: dateField('the date the application was made', { past: true }),
    interim: z.preprocess(blank, z.enum(['yes', 'no']).optional()),
    courtOutcome: z.preprocess(blank, z.enum(COURT_OUTCOMES).optional()),
    orderMadeOn: dateField('the date the order was made', { past: true }),
    orderExpiresOn: dateField('the date the order expires'),
  })
  .superRefine((value, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    if (value.decision === 'not_apply' && !value.reason) {
      issue('reason', 'Enter why an SPO is not being applied for')
    }
    if (value.decision === 'apply') {
      if (!value.interim) issue('interim', 'Choose whether an interim SPO was applied for')
      if (!value.courtOutcome)
        issue('courtOutcome', 'Choose the court outcome, or pending if the court has not decided')
      if (value.courtOutcome === 'granted' && !value.orderMadeOn) {
        issue('orderMadeOn', 'Enter the date the order was made, as the court granted it')
      }
      if (value.appliedOn && value.orderMadeOn && value.orderMadeOn < value.appliedOn) {
        issue('orderMadeOn', 'The date the order was made must be on or after the date of the application')
      }
    }
    const orderRecorded =
      value.decision === 'already_in_place' || (value.decision === 'apply' && value.courtOutcome === 'granted')
    if (orderRecorded && value.orderMadeOn && value.orderExpiresOn && value.orderExpiresOn < value.orderMadeOn) {
      issue('orderExpiresOn', 'The date the order expires must be on or after the date it was made')
    }
  })
export type ConsiderationInput = z.output<typeof considerationSchema>

export const breachSchema = z.object({
  breachCrimeReference: z.preprocess(
    (value) => trimmed(blank(value)),
    z
      .string()
      .max(40, 'The crime reference must be 40 characters or fewer')
      .regex(/^[A-Za-z0-9/._ -]+$/, 'Enter the crime reference as the records system shows it, such as DS/0123/25')
      .optional(),
  ),
  occurredOn: dateField('the date of the breach', { past: true }).refine((value) => value !== undefined, {
    message: 'Enter the date of the breach as a real date',
  }),
  actionTaken: z.preprocess(
    (value) => trimmed(value) ?? '',
    z
      .string()
      .min(1, 'Enter the action taken on the breach')
      .max(5000, 'The action taken must be 5000 characters or fewer'),
  ),
})
export type BreachInput = z.output<typeof breachSchema>

/** The list page's decision filter: a latest decision, or `none` for crimes with no consideration yet. */
export const LIST_DECISIONS = [...SPO_DECISIONS, 'none'] as const
export type ListDecision = (typeof LIST_DECISIONS)[number]
export const LIST_DECISION_LABELS: Record<ListDecision, string> = { ...DECISION_LABELS, none: 'Not considered yet' }
/** Crimes per page of the list. */
export const LIST_PAGE_SIZE = 25

export const listFiltersSchema = z.object({
  decision: z.preprocess(
    (value) => trimmed(blank(value)),
    z.enum(LIST_DECISIONS, { message: 'Choose a latest decision from the list' }).optional(),
  ),
  page: pageNumberSchema,
})
export type ListFilters = z.output<typeof listFiltersSchema>

/** Whether the consideration records an order that a breach can be recorded against. */
export function orderInForce(latest: Pick<ConsiderationRow, 'decision' | 'court_outcome'> | undefined): boolean {
  return Boolean(latest && (latest.court_outcome === 'granted' || latest.decision === 'already_in_place'))
}

export interface SpoMeasure {
  /** Crimes reported in the period with 8Q, principal or included. */
  stalkingCrimes: number
  /** Of them, those with at least one SPO consideration. */
  considered: number
  /** Of them, those whose latest consideration is to apply (any court outcome). */
  appliedFor: number
  /** Of them, those whose latest consideration records the order granted. */
  granted: number
  /** Breaches recorded on them. */
  breaches: number
}

export class SafeguardingService {
  constructor(
    private readonly repository: SafeguardingRepository,
    private readonly audit: AuditService,
    private readonly crime: CrimeServices,
  ) {}

  /** A crime's SPO record: every consideration and breach; the read is audited. Undefined when no such crime. */
  async crimeView(viewer: Viewer, crimeId: number) {
    checkViewer(viewer, 'case:read')
    return this.repository.transaction(async (repository, trx) => {
      const crime = await this.crime.repository.with(trx).crimeById(crimeId)
      if (!crime) return undefined
      checkViewer(viewer, 'case:read', crime.force_id)
      const [considerations, breaches] = await Promise.all([
        repository.considerationsOf(crime.force_id, crimeId),
        repository.breachesOf(crime.force_id, crimeId),
      ])
      await this.audit.record(trx, viewer.actor, {
        action: 'safeguarding.spo.viewed',
        subjectType: 'crime',
        subjectId: crimeId,
        details: { reference: crime.force_reference, considerations: considerations.length, breaches: breaches.length },
      })
      return {
        crime: crimeHeading(crime),
        considerations: considerations.map(describeConsideration),
        breaches,
        latest: considerations[0] ? describeConsideration(considerations[0]) : null,
        orderInForce: orderInForce(considerations[0]),
      }
    })
  }

  /**
   * One page of the force's stalking crimes (8Q, principal or included; newest report first) with each crime's latest
   * SPO decision, filtered by that decision (the query as the URL sent it; bad filters are field errors). The read is
   * audited in the same transaction, with the crimes shown.
   */
  async list(viewer: Viewer, query: unknown) {
    checkViewer(viewer, 'case:read')
    const parsed = listFiltersSchema.safeParse(query ?? {})
    if (!parsed.success) throw new SafeguardingInputError(fieldErrorsOf(parsed.error, 'decision'))
    const filters = parsed.data
    return this.repository.transaction(async (repository, trx) => {
      const { total, rows } = await repository.listWithLatest(viewer.forceId, STALKING_KEY, {
        decision: filters.decision,
        limit: LIST_PAGE_SIZE,
        offset: pageOffset(filters.page, LIST_PAGE_SIZE),
      })
      await this.audit.record(trx, viewer.actor, {
        action: 'safeguarding.spo.listed',
        subjectType: 'spo-list',
        subjectId: null,
        details: listReadDetails(filters, total, rows),
      })
      return {
        ...listPage(filters, total, LIST_PAGE_SIZE),
        crimes: rows.map((row) => ({
          ...crimeListItem(row),
          team: row.team,
          latest: row.decision
            ? {
                decision: row.decision,
                decisionLabel: DECISION_LABELS[row.decision],
                courtOutcome: row.court_outcome,
                courtOutcomeLabel: row.court_outcome ? COURT_OUTCOME_LABELS[row.court_outcome] : null,
                orderMadeOn: row.order_made_on,
                consideredAt: row.considered_at,
                consideredBy: row.considered_by,
              }
            : null,
        })),
      }
    })
  }

  /** Records a consideration (validated: the body as the form sent it) with who and when, audited. */
  async recordConsideration(viewer: Viewer, crimeId: number, body: unknown): Promise<{ considerationId: number }> {
    checkViewer(viewer, 'case:edit')
    return this.repository.transaction(async (repository, trx) => {
      const crime = await this.crime.records.editableCrime(viewer, crimeId, trx, SafeguardingInputError)
      const parsed = considerationSchema.safeParse(body ?? {})
      if (!parsed.success) throw new SafeguardingInputError(fieldErrorsOf(parsed.error, 'decision'))
      const input = parsed.data
      const applying = input.decision === 'apply'
      const orderRecorded = input.decision === 'already_in_place' || (applying && input.courtOutcome === 'granted')
      const row = {
        force_id: crime.force_id,
        crime_id: crimeId,
        decision: input.decision,
        reason: input.reason,
        considered_by: viewer.actor.actorUsername,
        considered_by_id: viewer.actor.actorId,
        considered_at: new Date().toISOString(),
        applied_on: applying ? (input.appliedOn ?? null) : null,
        interim: applying ? (input.interim === 'yes' ? 1 : 0) : null,
        court_outcome: applying ? (input.courtOutcome ?? 'pending') : null,
        order_made_on: orderRecorded ? (input.orderMadeOn ?? null) : null,
        order_expires_on: orderRecorded ? (input.orderExpiresOn ?? null) : null,
      }
      const considerationId = await repository.insertConsideration(row)
      if (row.decision !== 'not_apply') await keepSpoOrder(new OrderRepository(trx), { ...row, id: considerationId })
      await this.audit.record(trx, viewer.actor, {
        action: 'safeguarding.spo.considered',
        subjectType: 'crime',
        subjectId: crimeId,
        details: {
          considerationId,
          decision: row.decision,
          reason: row.reason,
          appliedOn: row.applied_on,
          interim: row.interim,
          courtOutcome: row.court_outcome,
          orderMadeOn: row.order_made_on,
          orderExpiresOn: row.order_expires_on,
        },
      })
      return { considerationId }
    })
  }

  /** Records a breach of the order on the crime: refused unless the latest consideration records an order. */
  async recordBreach(viewer: Viewer, crimeId: number, body: unknown): Promise<{ breachId: number }> {
    checkViewer(viewer, 'case:edit')
    return this.repository.transaction(async (repository, trx) => {
      const crime = await this.crime.records.editableCrime(viewer, crimeId, trx, SafeguardingInputError)
      const latest = await repository.latestConsideration(crime.force_id, crimeId)
      if (!orderInForce(latest)) {
        throw new SafeguardingInputError({
          order:
            'A breach can be recorded only when an SPO on this crime has been granted or is already in place: record the order first',
        })
      }
      const parsed = breachSchema.safeParse(body ?? {})
      if (!parsed.success) throw new SafeguardingInputError(fieldErrorsOf(parsed.error, 'occurredOn'))
      const input = parsed.data
      if (latest?.order_made_on && input.occurredOn! < latest.order_made_on) {
        throw new SafeguardingInputError({
          occurredOn: `The date of the breach must be on or after the date the order was made (${latest.order_made_on})`,
        })
      }
      const row = {
        force_id: crime.force_id,
        crime_id: crimeId,
        breach_crime_reference: input.breachCrimeReference ?? null,
        occurred_on: input.occurredOn!,
        action_taken: input.actionTaken,
        recorded_by: viewer.actor.actorUsername,
        recorded_by_id: viewer.actor.actorId,
        recorded_at: new Date().toISOString(),
      }
      const breachId = await repository.insertBreach(row)
      // The breach is also a breach of the crime's SPO in the orders' lifecycle (kept by keepSpoOrder).
      const orders = new OrderRepository(trx)
      const order = await orders.spoOrderOf(crime.force_id, crimeId)
      if (order) {
        await orders.insertBreach({
          force_id: crime.force_id,
          order_id: order.id,
          crime_id: crimeId,
          occurred_on: row.occurred_on,
          what_breached: '',
          reported_how: '',
          breach_crime_reference: row.breach_crime_reference,
          breach_crime_id: row.breach_crime_reference
            ? ((await orders.crimeIdByReference(crime.force_id, row.breach_crime_reference)) ?? null)
            : null,
          outcome: row.action_taken,
          legacy_breach_id: breachId,
          recorded_by: row.recorded_by,
          recorded_by_id: row.recorded_by_id,
          recorded_at: row.recorded_at,
        })
      }
      await this.audit.record(trx, viewer.actor, {
        action: 'safeguarding.spo.breach.recorded',
        subjectType: 'crime',
        subjectId: crimeId,
        details: {
          breachId,
          breachCrimeReference: row.breach_crime_reference,
          occurredOn: row.occurred_on,
          actionTaken: row.action_taken,
        },
      })
      return { breachId }
    })
  }

  /**
   * The force's SPO measure over crimes reported in the period with 8Q (principal or included): counts only, no
   * person's details, so not audited. The latest consideration on each crime decides applied for and granted.
   */
  async measure(forceId: number, period: MeasurePeriod): Promise<SpoMeasure> {
    const rows = await this.repository.measureRows(forceId, STALKING_KEY, period)
    const latest = new Map<number, { decision: SpoDecision; court_outcome: CourtOutcome | null }>()
    for (const row of rows.considerations) latest.set(row.crime_id, row)
    let appliedFor = 0
    let granted = 0
    for (const row of latest.values()) {
      if (row.decision === 'apply') appliedFor++
      if (row.decision === 'apply' && row.court_outcome === 'granted') granted++
    }
    return {
      stalkingCrimes: rows.stalkingCrimes,
      considered: latest.size,
      appliedFor,
      granted,
      breaches: rows.breaches,
    }
  }
}

/**
 * The SPO page's decisions and the orders' lifecycle stay one record: a consideration that applies for an SPO or
 * records one in place writes the crime's SPO order (a new one, or the one an earlier consideration wrote), mapped as
 * migration 0410 moved the SPOs recorded before it: application date, interim sought, outcome (in place: granted),
 * made and expiry dates (none: until further order), who and when.
 */
export async function keepSpoOrder(orders: OrderRepository, consideration: ConsiderationRow): Promise<number> {
  const outcome = consideration.decision === 'already_in_place' ? 'granted' : (consideration.court_outcome ?? 'pending')
  const fields = {
    applied_on: consideration.applied_on,
    interim_sought: consideration.interim ?? 0,
    outcome,
    outcome_on: consideration.order_made_on,
    starts_on: consideration.order_made_on,
    ends_on: consideration.order_expires_on,
    until_further_order: consideration.order_made_on && !consideration.order_expires_on ? 1 : 0,
    source_consideration_id: consideration.id,
    updated_at: consideration.considered_at,
  } as const
  const existing = await orders.spoOrderOf(consideration.force_id, consideration.crime_id)
  const event = {
    force_id: consideration.force_id,
    crime_id: consideration.crime_id,
    kind: existing ? ('outcome' as const) : ('recorded' as const),
    on_date: consideration.considered_at.slice(0, 10),
    detail: `From the SPO consideration: ${DECISION_LABELS[consideration.decision]}${consideration.court_outcome ? `, ${COURT_OUTCOME_LABELS[consideration.court_outcome]}` : ''}`,
    recorded_by: consideration.considered_by,
    recorded_at: consideration.considered_at,
  }
  if (existing) {
    await orders.updateOrder(existing.id, fields)
    await orders.insertEvent({ ...event, order_id: existing.id })
    return existing.id
  }
  const orderId = await orders.insertOrder({
    ...fields,
    force_id: consideration.force_id,
    crime_id: consideration.crime_id,
    kind: 'spo',
    protected_person_id: null,
    subject_person_id: null,
    applicant: '',
    court: '',
    notification_due_on: null,
    notified_on: null,
    discharged_on: null,
    discharge_reason: '',
    recorded_by: consideration.considered_by,
    recorded_by_id: consideration.considered_by_id,
    recorded_at: consideration.considered_at,
  })
  await orders.insertEvent({ ...event, order_id: orderId })
  return orderId
}

function describeConsideration(row: ConsiderationRow) {
  return {
    ...row,
    decisionLabel: DECISION_LABELS[row.decision],
    courtOutcomeLabel: row.court_outcome ? COURT_OUTCOME_LABELS[row.court_outcome] : null,
  }
}

export type SpoCrimeView = NonNullable<Awaited<ReturnType<SafeguardingService['crimeView']>>>
export type { BreachRow }
