// Protective orders of every kind, one lifecycle (Recommendations 12.3 and 13): the person protected and the person
// subject to it (people on the crime), the application, hearings, the outcome, when it starts and ends ("until further
// order" allowed), each prohibition and requirement, the notification requirement (a due day and whether it was met),
// variations, discharge, and breaches with the crime recorded for each (linked by reference). Every read of a crime's
// orders and every change is audited in the same transaction; another force's record is refused.
import { z } from 'zod'
import type { CrimeServices } from '../../crime/index.ts'
import { addDays, isRealDay } from '../../platform/days.ts'
import type { AuditService } from '../../platform/services/auditService.ts'
import { FieldInputError, checkViewer, type Viewer } from '../../platform/services/viewer.ts'
import type { OrderListRow, OrderRepository } from '../data/orderRepository.ts'
import { ORDER_OUTCOMES, ORDER_TERM_KINDS, type ProtectiveOrderRow } from '../data/tables.ts'
import type { OrderKind } from './orderKinds.ts'

export { ORDER_OUTCOMES } from '../data/tables.ts'

export class OrderInputError extends FieldInputError {}

export const ORDER_OUTCOME_LABELS: Record<(typeof ORDER_OUTCOMES)[number], string> = {
  pending: 'Pending: the court has not decided',
  granted: 'Granted',
  refused: 'Refused',
  withdrawn: 'Withdrawn',
}

const text = (max: number, what: string) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.trim() : ''),
    z.string().max(max, `${what} must be ${max} characters or fewer`),
  )
const requiredText = (max: number, what: string, message: string) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.trim() : ''),
    z.string().min(1, message).max(max, `${what} must be ${max} characters or fewer`),
  )
const day = (what: string) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined),
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, `Enter ${what} as a real date, for example 27 3 2025`)
      .refine(isRealDay, `Enter ${what} as a real date`)
      .optional(),
  )
const personId = (what: string) =>
  z.preprocess(
    (value) => (value === '' || value === undefined ? undefined : value),
    z.coerce
      .number({ message: `Choose ${what} from the people on this crime` })
      .int()
      .positive()
      .optional(),
  )
const lines = (value: unknown) =>
  (typeof value === 'string' ? value.split(/\r?\n/) : Array.isArray(value) ? value.map(String) : [])
    .map((line) => line.trim())
    .filter(Boolean)

export const orderSchema = z.object({
  kind: z.string({ message: 'Choose the kind of order' }).min(1, 'Choose the kind of order'),
  protectedPersonId: personId('the person the order protects'),
  subjectPersonId: personId('the person the order is against'),
  applicant: text(200, 'The applicant'),
  appliedOn: day('the date of the application'),
  court: text(200, 'The court'),
  interimSought: z.preprocess((value) => (value === 'yes' ? 1 : 0), z.number()),
  outcome: z.preprocess(
    (value) => (value === '' || value === undefined ? 'pending' : value),
    z.enum(ORDER_OUTCOMES, { message: 'Choose the outcome, or pending if the court has not decided' }),
  ),
  outcomeOn: day('the date of the outcome'),
  startsOn: day('the date the order starts'),
  endsOn: day('the date the order ends'),
  untilFurtherOrder: z.preprocess((value) => value === 'yes' || value === true, z.boolean()),
  prohibitions: z.preprocess(lines, z.array(z.string().max(1000, 'Each prohibition must be 1000 characters or fewer'))),
  requirements: z.preprocess(lines, z.array(z.string().max(1000, 'Each requirement must be 1000 characters or fewer'))),
})

export const breachSchema = z.object({
  occurredOn: day('the date of the breach'),
  whatBreached: requiredText(2000, 'What was breached', 'Enter which prohibition or requirement was breached, and how'),
  reportedHow: requiredText(200, 'How it was reported', 'Enter how the breach was reported'),
  breachCrimeReference: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined),
    z
      .string()
      .max(40, 'The crime reference must be 40 characters or fewer')
      .regex(/^[A-Za-z0-9/._ -]+$/, 'Enter the crime reference as the records system shows it, such as DS/0123/25')
      .optional(),
  ),
  outcome: text(2000, 'The outcome'),
})

export const ORDER_CHANGES = ['outcome', 'hearing', 'vary', 'notified', 'discharge', 'term'] as const

function errorsOf(error: z.ZodError, fallback: string): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const issue of error.issues) errors[String(issue.path[0] ?? fallback)] ??= issue.message
  return errors
}

/** Where an order stands on a day: applied (pending), refused or withdrawn, in force, ended, discharged. */
export function orderStatus(
  order: Pick<ProtectiveOrderRow, 'outcome' | 'starts_on' | 'ends_on' | 'discharged_on'>,
  today: string,
) {
  if (order.outcome !== 'granted')
    return order.outcome === 'pending' ? 'Application pending' : ORDER_OUTCOME_LABELS[order.outcome]
  if (order.discharged_on && order.discharged_on <= today) return 'Discharged'
  if (order.ends_on && order.ends_on < today) return 'Ended'
  if (order.starts_on && order.starts_on > today) return 'Granted, not yet started'
  return 'In force'
}

/** The notification requirement on a day: not required, met (on time or late), due, or overdue. */
export function notificationStatus(
  order: Pick<ProtectiveOrderRow, 'notification_due_on' | 'notified_on'>,
  today: string,
): { state: 'not_required' | 'met' | 'met_late' | 'due' | 'overdue'; text: string } {
  const due = order.notification_due_on
  if (!due) return { state: 'not_required', text: 'No notification requirement recorded' }
  if (order.notified_on) {
    return order.notified_on <= due
      ? { state: 'met', text: `Notified on ${order.notified_on} (due by ${due})` }
      : { state: 'met_late', text: `Notified late on ${order.notified_on} (due by ${due})` }
  }
  return due < today
    ? { state: 'overdue', text: `Overdue: due by ${due}, not recorded` }
    : { state: 'due', text: `Due by ${due}` }
}

export class OrderService {
  constructor(
    private readonly repository: OrderRepository,
    private readonly audit: AuditService,
    private readonly crime: CrimeServices,
    readonly kinds: ReadonlyMap<string, OrderKind>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  today(): string {
    return this.now().toISOString().slice(0, 10)
  }

  kindName(id: string): string {
    return this.kinds.get(id)?.name ?? id
  }

  private async crimeOf(viewer: Viewer, crimeId: number, capability: 'case:read' | 'case:edit') {
    const crime = await this.crime.repository.crimeById(crimeId)
    if (!crime) return undefined
    checkViewer(viewer, capability, crime.force_id)
    return crime
  }

  private describe(order: ProtectiveOrderRow) {
    const today = this.today()
    return {
      ...order,
      kindName: this.kindName(order.kind),
      status: orderStatus(order, today),
      outcomeLabel: ORDER_OUTCOME_LABELS[order.outcome],
      notification: notificationStatus(order, today),
    }
  }

  /** A crime's orders, the breaches recorded as this crime, and the people on it; the read is audited. */
  async crimeOrders(viewer: Viewer, crimeId: number) {
    checkViewer(viewer, 'case:read')
    const crime = await this.crimeOf(viewer, crimeId, 'case:read')
    if (!crime) return undefined
    return this.repository.transaction(async (repository, trx) => {
      const [orders, breachedAs, parties] = await Promise.all([
        repository.ordersOf(crime.force_id, crimeId),
        repository.breachesRecordedAs(crime.force_id, crimeId),
        repository.partiesOf(crimeId),
      ])
      await this.audit.record(trx, viewer.actor, {
        action: 'safeguarding.orders.viewed',
        subjectType: 'crime',
        subjectId: crimeId,
        details: { reference: crime.force_reference, orders: orders.map((order) => order.id) },
      })
      const names = new Map(parties.map((party) => [party.person_id, `${party.forename} ${party.surname}`]))
      return {
        crime: { id: crime.id, force_id: crime.force_id, force_reference: crime.force_reference },
        orders: orders.map((order) => ({
          ...this.describe(order),
          protectedName: order.protected_person_id
            ? (names.get(order.protected_person_id) ?? 'Not on this crime')
            : null,
          subjectName: order.subject_person_id ? (names.get(order.subject_person_id) ?? 'Not on this crime') : null,
        })),
        breachedAs: breachedAs.map((row) => ({ ...row, kindName: this.kindName(row.kind) })),
        parties,
      }
    })
  }

  /** One order with its terms, history and breaches; the read is audited. Undefined when no such order. */
  async orderView(viewer: Viewer, orderId: number) {
    checkViewer(viewer, 'case:read')
    return this.repository.transaction(async (repository, trx) => {
      const order = await repository.orderById(orderId)
      if (!order) return undefined
      checkViewer(viewer, 'case:read', order.force_id)
      const crime = await this.crime.repository.with(trx).crimeById(order.crime_id)
      const [terms, events, breaches, parties] = await Promise.all([
        repository.termsOf(orderId),
        repository.eventsOf(orderId),
        repository.breachesOfOrder(orderId),
        repository.partiesOf(order.crime_id),
      ])
      await this.audit.record(trx, viewer.actor, {
        action: 'safeguarding.order.viewed',
        subjectType: 'crime',
        subjectId: order.crime_id,
        details: { orderId, reference: crime?.force_reference },
      })
      const names = new Map(parties.map((party) => [party.person_id, `${party.forename} ${party.surname}`]))
      return {
        order: this.describe(order),
        kind: this.kinds.get(order.kind) ?? null,
        crime: { id: order.crime_id, force_reference: crime?.force_reference ?? '' },
        protectedName: order.protected_person_id ? (names.get(order.protected_person_id) ?? null) : null,
        subjectName: order.subject_person_id ? (names.get(order.subject_person_id) ?? null) : null,
        terms,
        events: [...events].reverse(),
        breaches,
      }
    })
  }

  /** Records an order or notice on a crime (the body as the form sent it), audited. */
  async recordOrder(viewer: Viewer, crimeId: number, body: unknown): Promise<{ orderId: number }> {
    checkViewer(viewer, 'case:edit')
    const crime = await this.crimeOf(viewer, crimeId, 'case:edit')
    if (!crime) throw new OrderInputError({ crime: 'There is no such crime' })
    const parsed = orderSchema.safeParse(body ?? {})
    if (!parsed.success) throw new OrderInputError(errorsOf(parsed.error, 'kind'))
    const input = parsed.data
    const errors: Record<string, string> = {}
    const kind = this.kinds.get(input.kind)
    if (!kind) errors.kind = 'Choose the kind of order from the list'
    const parties = await this.repository.partiesOf(crimeId)
    const onCrime = new Set(parties.map((party) => party.person_id))
    if (input.protectedPersonId === undefined) errors.protectedPersonId = 'Choose the person the order protects'
    else if (!onCrime.has(input.protectedPersonId)) {
      errors.protectedPersonId = 'The person the order protects must be one of the people on this crime'
    }
    if (input.subjectPersonId === undefined) errors.subjectPersonId = 'Choose the person the order is against'
    else if (!onCrime.has(input.subjectPersonId)) {
      errors.subjectPersonId = 'The person the order is against must be one of the people on this crime'
    } else if (input.subjectPersonId === input.protectedPersonId) {
      errors.subjectPersonId = 'The person the order is against cannot be the person it protects'
    }
    const today = this.today()
    if (input.appliedOn && input.appliedOn > today)
      errors.appliedOn = 'The date of the application must be today or in the past'
    Object.assign(errors, this.datesErrors(input, undefined))
    if (Object.keys(errors).length) throw new OrderInputError(errors)
    const now = this.now().toISOString()
    return this.repository.transaction(async (repository, trx) => {
      const granted = input.outcome === 'granted'
      const row = {
        force_id: crime.force_id,
        crime_id: crimeId,
        kind: input.kind,
        protected_person_id: input.protectedPersonId ?? null,
        subject_person_id: input.subjectPersonId ?? null,
        applicant: input.applicant,
        applied_on: input.appliedOn ?? null,
        court: input.court,
        interim_sought: input.interimSought,
        outcome: input.outcome,
        outcome_on: input.outcome === 'pending' ? null : (input.outcomeOn ?? input.startsOn ?? null),
        starts_on: granted ? (input.startsOn ?? null) : null,
        ends_on: granted && !input.untilFurtherOrder ? (input.endsOn ?? null) : null,
        until_further_order: granted && input.untilFurtherOrder ? 1 : 0,
        notification_due_on:
          granted && kind?.notification && input.startsOn ? addDays(input.startsOn, kind.notification.days) : null,
        notified_on: null,
        discharged_on: null,
        discharge_reason: '',
        source_consideration_id: null,
        recorded_by: viewer.actor.actorUsername,
        recorded_by_id: viewer.actor.actorId,
        recorded_at: now,
        updated_at: now,
      }
      const orderId = await repository.insertOrder(row)
      await repository.insertTerms(
        [
          ...input.prohibitions.map((text) => ({ kind: 'prohibition' as const, text })),
          ...input.requirements.map((text) => ({ kind: 'requirement' as const, text })),
        ].map((term) => ({
          ...term,
          force_id: crime.force_id,
          order_id: orderId,
          added_by: viewer.actor.actorUsername,
          added_at: now,
        })),
      )
      await repository.insertEvent({
        force_id: crime.force_id,
        order_id: orderId,
        crime_id: crimeId,
        kind: 'recorded',
        on_date: today,
        detail: `${this.kindName(input.kind)} recorded: ${ORDER_OUTCOME_LABELS[input.outcome]}`,
        recorded_by: viewer.actor.actorUsername,
        recorded_at: now,
      })
      await this.audit.record(trx, viewer.actor, {
        action: 'safeguarding.order.recorded',
        subjectType: 'crime',
        subjectId: crimeId,
        details: { orderId, ...row, prohibitions: input.prohibitions, requirements: input.requirements },
      })
      return { orderId }
    })
  }

  /** The dates' rules, by field: an order ending before it starts, an outcome before the application, and so on. */
  private datesErrors(
    input: {
      outcome: string
      appliedOn?: string
      outcomeOn?: string
      startsOn?: string
      endsOn?: string
      untilFurtherOrder: boolean
    },
    _order: ProtectiveOrderRow | undefined,
  ): Record<string, string> {
    const errors: Record<string, string> = {}
    if (input.outcome === 'granted') {
      if (!input.startsOn) errors.startsOn = 'Enter the date the order starts, as the court granted it'
      if (!input.endsOn && !input.untilFurtherOrder)
        errors.endsOn = 'Enter the date the order ends, or choose until further order'
      if (input.endsOn && input.untilFurtherOrder)
        errors.endsOn = 'Enter an end date or choose until further order, not both'
    }
    if (input.startsOn && input.endsOn && input.endsOn < input.startsOn) {
      errors.endsOn = 'The date the order ends must be on or after the date it starts'
    }
    if (input.appliedOn && input.startsOn && input.startsOn < input.appliedOn) {
      errors.startsOn = 'The date the order starts must be on or after the date of the application'
    }
    if (input.appliedOn && input.outcomeOn && input.outcomeOn < input.appliedOn) {
      errors.outcomeOn = 'The date of the outcome must be on or after the date of the application'
    }
    return errors
  }

  /**
   * A change to an order: the court's outcome (with the dates it runs), a hearing, a variation, the notification
   * recorded, a discharge, or an added prohibition or requirement. Each is a history row and an audit row.
   */
  async changeOrder(viewer: Viewer, orderId: number, change: string, body: unknown): Promise<{ crimeId: number }> {
    checkViewer(viewer, 'case:edit')
    if (!(ORDER_CHANGES as readonly string[]).includes(change))
      throw new OrderInputError({ change: 'There is no such change' })
    const input = (body ?? {}) as Record<string, unknown>
    const now = this.now().toISOString()
    const today = this.today()
    return this.repository.transaction(async (repository, trx) => {
      const order = await repository.orderById(orderId)
      if (!order) throw new OrderInputError({ order: 'There is no such order' })
      checkViewer(viewer, 'case:edit', order.force_id)
      const kind = this.kinds.get(order.kind)
      const errors: Record<string, string> = {}
      const update: Partial<ProtectiveOrderRow> = {}
      let onDate = today
      let detail = ''
      const dayOf = (field: string, what: string, required = true) => {
        const parsed = day(what).safeParse(input[field])
        if (!parsed.success) errors[field] = parsed.error.issues[0].message
        else if (!parsed.data && required) errors[field] = `Enter ${what} as a real date`
        return parsed.success ? parsed.data : undefined
      }
      const words = (field: string, what: string, required: boolean) => {
        const value = typeof input[field] === 'string' ? (input[field] as string).trim() : ''
        if (required && !value) errors[field] = `Enter ${what}`
        if (value.length > 2000)
          errors[field] = `${what[0].toUpperCase()}${what.slice(1)} must be 2000 characters or fewer`
        return value
      }
      const eventKind = {
        outcome: 'outcome',
        hearing: 'hearing',
        vary: 'varied',
        notified: 'notified',
        discharge: 'discharged',
        term: 'varied',
      }[change as (typeof ORDER_CHANGES)[number]] as 'outcome' | 'hearing' | 'varied' | 'notified' | 'discharged'
      if (change === 'outcome') {
        const parsed = orderSchema
          .pick({ outcome: true, outcomeOn: true, startsOn: true, endsOn: true, untilFurtherOrder: true })
          .safeParse(input)
        if (!parsed.success) Object.assign(errors, errorsOf(parsed.error, 'outcome'))
        else {
          const value = parsed.data
          Object.assign(errors, this.datesErrors({ ...value, appliedOn: order.applied_on ?? undefined }, order))
          const granted = value.outcome === 'granted'
          Object.assign(update, {
            outcome: value.outcome,
            outcome_on: value.outcome === 'pending' ? null : (value.outcomeOn ?? value.startsOn ?? today),
            starts_on: granted ? (value.startsOn ?? null) : null,
            ends_on: granted && !value.untilFurtherOrder ? (value.endsOn ?? null) : null,
            until_further_order: granted && value.untilFurtherOrder ? 1 : 0,
            notification_due_on:
              granted && kind?.notification && value.startsOn ? addDays(value.startsOn, kind.notification.days) : null,
          })
          onDate = value.outcomeOn ?? today
          detail = `Outcome: ${ORDER_OUTCOME_LABELS[value.outcome]}${granted ? `, from ${value.startsOn}${value.untilFurtherOrder ? ' until further order' : ` to ${value.endsOn}`}` : ''}`
        }
      } else if (change === 'hearing') {
        onDate = dayOf('hearingOn', 'the date of the hearing') ?? today
        detail = `Hearing: ${words('detail', 'what the hearing is for', false) || 'listed'}`
      } else if (change === 'vary') {
        onDate = dayOf('variedOn', 'the date of the variation') ?? today
        const endsOn = dayOf('endsOn', 'the new end date', false)
        const what = words('detail', 'how the order was varied', true)
        if (order.outcome !== 'granted')
          errors.variedOn = 'Only a granted order can be varied: record the outcome first'
        if (order.starts_on && onDate < order.starts_on)
          errors.variedOn = `The variation must be on or after the date the order starts (${order.starts_on})`
        if (endsOn && order.starts_on && endsOn < order.starts_on)
          errors.endsOn = 'The date the order ends must be on or after the date it starts'
        if (endsOn) Object.assign(update, { ends_on: endsOn, until_further_order: 0 })
        detail = `Varied: ${what}${endsOn ? ` (now ends ${endsOn})` : ''}`
      } else if (change === 'notified') {
        const notifiedOn = dayOf('notifiedOn', 'the date the subject notified the police')
        if (!order.notification_due_on) errors.notifiedOn = 'This order has no notification requirement recorded'
        if (notifiedOn && order.starts_on && notifiedOn < order.starts_on) {
          errors.notifiedOn = `The date of the notification must be on or after the date the order starts (${order.starts_on})`
        }
        if (notifiedOn && notifiedOn > today)
          errors.notifiedOn = 'The date of the notification must be today or in the past'
        onDate = notifiedOn ?? today
        update.notified_on = notifiedOn ?? null
        detail = `Notification received${kind?.notification ? `: ${kind.notification.what}` : ''}`
      } else if (change === 'discharge') {
        const dischargedOn = dayOf('dischargedOn', 'the date the order was discharged')
        const reason = words('reason', 'why the order was discharged', true)
        if (order.outcome !== 'granted') errors.dischargedOn = 'Only a granted order can be discharged'
        if (dischargedOn && order.starts_on && dischargedOn < order.starts_on) {
          errors.dischargedOn = `The date of the discharge must be on or after the date the order starts (${order.starts_on})`
        }
        onDate = dischargedOn ?? today
        Object.assign(update, { discharged_on: dischargedOn ?? null, discharge_reason: reason })
        detail = `Discharged: ${reason}`
      } else {
        const termKind = input.termKind
        if (typeof termKind !== 'string' || !(ORDER_TERM_KINDS as readonly string[]).includes(termKind)) {
          errors.termKind = 'Choose prohibition or requirement'
        }
        const what = words('text', 'the prohibition or requirement', true)
        if (!Object.keys(errors).length) {
          await repository.insertTerms([
            {
              force_id: order.force_id,
              order_id: orderId,
              kind: termKind as 'prohibition' | 'requirement',
              text: what,
              added_by: viewer.actor.actorUsername,
              added_at: now,
            },
          ])
        }
        detail = `${termKind === 'prohibition' ? 'Prohibition' : 'Requirement'} added: ${what}`
      }
      if (Object.keys(errors).length) throw new OrderInputError(errors)
      if (Object.keys(update).length) await repository.updateOrder(orderId, { ...update, updated_at: now })
      await repository.insertEvent({
        force_id: order.force_id,
        order_id: orderId,
        crime_id: order.crime_id,
        kind: eventKind,
        on_date: onDate,
        detail,
        recorded_by: viewer.actor.actorUsername,
        recorded_at: now,
      })
      await this.audit.record(trx, viewer.actor, {
        action: `safeguarding.order.${eventKind}`,
        subjectType: 'crime',
        subjectId: order.crime_id,
        details: { orderId, change, onDate, detail, ...update },
      })
      return { crimeId: order.crime_id }
    })
  }

  /** Records a breach of a granted order: not before the order starts, the breach crime linked when it is known. */
  async recordBreach(viewer: Viewer, orderId: number, body: unknown): Promise<{ breachId: number; crimeId: number }> {
    checkViewer(viewer, 'case:edit')
    return this.repository.transaction(async (repository, trx) => {
      const order = await repository.orderById(orderId)
      if (!order) throw new OrderInputError({ order: 'There is no such order' })
      checkViewer(viewer, 'case:edit', order.force_id)
      const parsed = breachSchema.safeParse(body ?? {})
      const errors: Record<string, string> = parsed.success ? {} : errorsOf(parsed.error, 'occurredOn')
      const input = parsed.success ? parsed.data : undefined
      if (order.outcome !== 'granted')
        errors.order = 'A breach can be recorded only on a granted order: record the outcome first'
      if (input && !input.occurredOn) errors.occurredOn = 'Enter the date of the breach as a real date'
      if (input?.occurredOn) {
        if (order.starts_on && input.occurredOn < order.starts_on) {
          errors.occurredOn = `The date of the breach must be on or after the date the order starts (${order.starts_on})`
        } else if (input.occurredOn > this.today())
          errors.occurredOn = 'The date of the breach must be today or in the past'
      }
      if (Object.keys(errors).length || !input) throw new OrderInputError(errors)
      const breachCrimeId = input.breachCrimeReference
        ? ((await repository.crimeIdByReference(order.force_id, input.breachCrimeReference)) ?? null)
        : null
      const row = {
        force_id: order.force_id,
        order_id: orderId,
        crime_id: order.crime_id,
        occurred_on: input.occurredOn as string,
        what_breached: input.whatBreached,
        reported_how: input.reportedHow,
        breach_crime_reference: input.breachCrimeReference ?? null,
        breach_crime_id: breachCrimeId,
        outcome: input.outcome,
        legacy_breach_id: null,
        recorded_by: viewer.actor.actorUsername,
        recorded_by_id: viewer.actor.actorId,
        recorded_at: this.now().toISOString(),
      }
      const breachId = await repository.insertBreach(row)
      await this.audit.record(trx, viewer.actor, {
        action: 'safeguarding.order.breach.recorded',
        subjectType: 'crime',
        subjectId: order.crime_id,
        details: { breachId, ...row },
      })
      return { breachId, crimeId: order.crime_id }
    })
  }

  /** Granted orders ending within `days` of today (the CLI's `orders ending`): references and dates, no person. */
  async endingWithin(forceId: number, days: number, team?: string): Promise<(OrderListRow & { kindName: string })[]> {
    const today = this.today()
    const rows = await this.repository.endingBetween(forceId, today, addDays(today, days), team)
    return rows.map((row) => ({ ...row, kindName: this.kindName(row.kind) }))
  }

  /**
   * Orders applied for, granted and breached, by kind; notification requirements met; by month (of the application,
   * the outcome, the breach, the due day). Counts only, so not audited.
   */
  async measure(forceId: number, period: { from: string; to: string }) {
    const { orders, breaches } = await this.repository.measureRows(forceId)
    const from = period.from.slice(0, 10)
    const to = period.to.slice(0, 10)
    const inPeriod = (value: string | null) => value !== null && value >= from && value < to
    const byKind = new Map<
      string,
      { kind: string; name: string; appliedFor: number; granted: number; breaches: number; ordersBreached: number }
    >()
    const entry = (kind: string) => {
      let found = byKind.get(kind)
      if (!found)
        byKind.set(
          kind,
          (found = { kind, name: this.kindName(kind), appliedFor: 0, granted: 0, breaches: 0, ordersBreached: 0 }),
        )
      return found
    }
    const months = new Map<string, { month: string; appliedFor: number; granted: number; breaches: number }>()
    const month = (value: string) => {
      const key = value.slice(0, 7)
      let found = months.get(key)
      if (!found) months.set(key, (found = { month: key, appliedFor: 0, granted: 0, breaches: 0 }))
      return found
    }
    let notificationsDue = 0
    let notificationsMet = 0
    for (const order of orders) {
      if (inPeriod(order.applied_on)) {
        entry(order.kind).appliedFor++
        month(order.applied_on as string).appliedFor++
      }
      const grantedOn = order.outcome === 'granted' ? (order.outcome_on ?? order.starts_on) : null
      if (inPeriod(grantedOn)) {
        entry(order.kind).granted++
        month(grantedOn as string).granted++
      }
      if (inPeriod(order.notification_due_on)) {
        notificationsDue++
        if (order.notified_on && order.notified_on <= (order.notification_due_on as string)) notificationsMet++
      }
    }
    const breachedOrders = new Map<string, Set<number>>()
    for (const breach of breaches) {
      if (!inPeriod(breach.occurred_on)) continue
      entry(breach.kind).breaches++
      month(breach.occurred_on).breaches++
      const set = breachedOrders.get(breach.kind) ?? new Set<number>()
      set.add(breach.order_id)
      breachedOrders.set(breach.kind, set)
    }
    for (const [kind, set] of breachedOrders) entry(kind).ordersBreached = set.size
    return {
      byKind: [...byKind.values()].sort((a, b) => a.name.localeCompare(b.name)),
      byMonth: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
      appliedFor: [...byKind.values()].reduce((sum, row) => sum + row.appliedFor, 0),
      granted: [...byKind.values()].reduce((sum, row) => sum + row.granted, 0),
      breaches: [...byKind.values()].reduce((sum, row) => sum + row.breaches, 0),
      notificationsDue,
      notificationsMet,
    }
  }
}

export type OrderMeasure = Awaited<ReturnType<OrderService['measure']>>
