// The safeguarding area's ObligationSource (src/platform/obligations.ts): an SPO considered, an order granted (or
// already in place), read from its own tables set-based; its considerations and breaches on a case's timeline.
import type { Kysely } from 'kysely'
import type { SafeguardingDatabase as Database } from './data/tables.ts'
import { firstPerCrime, recordsChangedSince, forCrimes } from '../platform/data/occurrenceRows.ts'
import type { EventOccurrence, ObligationDefinition, ObligationSource } from '../platform/obligations.ts'
import { OrderRepository } from './data/orderRepository.ts'

export const SAFEGUARDING_EVENTS = {
  spoConsidered: 'safeguarding.spo_considered',
  orderGranted: 'safeguarding.order_granted',
  notificationRequired: 'safeguarding.notification_required',
  notified: 'safeguarding.notified',
  applicationPending: 'safeguarding.application_pending',
  applicationDecided: 'safeguarding.application_decided',
} as const

/** Timers on protective orders, as case work obligations (periods a force may change in its settings). */
export const ORDER_OBLIGATIONS: ObligationDefinition[] = [
  {
    id: 'order_notification',
    wording: "Record the subject's notification under the order",
    recommendation: '12',
    evidence: ['12.3'],
    source:
      "Recommendation 12.3: recognise the heightened risk of breaches of protective orders. An SPO's subject must notify the police of their name and home address within 3 days of the order (Stalking Protection Act 2019 s.9); a DAPO may require the same. Starts the day the order starts; met when every such notification on the case is recorded. Default: 3 calendar days.",
    appliesWhen: [SAFEGUARDING_EVENTS.notificationRequired],
    metBy: [SAFEGUARDING_EVENTS.notified],
    due: { days: 3, kind: 'calendar' },
    action: { href: '/safeguarding/crimes/{crimeId}/orders', text: 'Record the notification' },
  },
  {
    id: 'order_application_outcome',
    wording: "Record the court's decision on the order application",
    recommendation: '13',
    evidence: ['13.2'],
    source:
      "Recommendation 13: apply for an SPO where relevant and appropriate; the force's answer adds a post to monitor applications. Starts when an application is made; met when every application on the case has an outcome. Default: 28 calendar days.",
    appliesWhen: [SAFEGUARDING_EVENTS.applicationPending],
    metBy: [SAFEGUARDING_EVENTS.applicationDecided],
    due: { days: 28, kind: 'calendar' },
    action: { href: '/safeguarding/crimes/{crimeId}/orders', text: 'Record the outcome' },
  },
]

const DECISION_WORDS = {
  apply: 'apply for an SPO',
  not_apply: 'not apply',
  already_in_place: 'an order is already in place',
}

/** The only queries of the safeguarding tables the case work area's questions need. */
export class SafeguardingObligationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async considerations(forceId: number, crimeIds: readonly number[] | undefined, grantedOnly: boolean) {
    const run = (ids?: readonly number[]) => {
      let query = this.db
        .selectFrom('spo_considerations')
        .select(['crime_id', 'considered_at as at', 'considered_by as by', 'considered_by_id as by_id'])
        .where('force_id', '=', forceId)
      if (grantedOnly) {
        query = query.where((eb) =>
          eb.or([eb('court_outcome', '=', 'granted'), eb('decision', '=', 'already_in_place')]),
        )
      }
      if (ids) query = query.where('crime_id', 'in', ids)
      return query.execute()
    }
    return forCrimes(crimeIds, run)
  }

  async recordsOf(forceId: number, crimeId: number) {
    const [considerations, breaches] = await Promise.all([
      this.db
        .selectFrom('spo_considerations')
        .select(['decision', 'reason', 'court_outcome', 'considered_by', 'considered_at'])
        .where('force_id', '=', forceId)
        .where('crime_id', '=', crimeId)
        .execute(),
      this.db
        .selectFrom('spo_breaches')
        .select(['occurred_on', 'action_taken', 'recorded_by'])
        .where('force_id', '=', forceId)
        .where('crime_id', '=', crimeId)
        .execute(),
    ])
    return { considerations, breaches }
  }
}

/**
 * Per crime, an obligation over several records: it starts at the earliest record still waiting, or (none waiting)
 * at the latest record, and is met, when none is waiting, at the latest time one was done.
 */
function startedAndMet<T>(
  rows: readonly T[],
  crimeOf: (row: T) => number,
  startOf: (row: T) => string | null,
  doneOf: (row: T) => string | null,
  byOf: (row: T) => { by: string | null; byId: number | null },
  events: { started: string; met: string },
): EventOccurrence[] {
  const out: EventOccurrence[] = []
  const byCrime = new Map<number, T[]>()
  for (const row of rows) {
    if (!startOf(row)) continue
    const list = byCrime.get(crimeOf(row)) ?? []
    list.push(row)
    byCrime.set(crimeOf(row), list)
  }
  const iso = (day: string) => (day.length === 10 ? `${day}T00:00:00.000Z` : day)
  for (const [crimeId, list] of byCrime) {
    const waiting = list.filter((row) => !doneOf(row))
    const start = waiting.length
      ? waiting.reduce((a, b) => ((startOf(a) as string) <= (startOf(b) as string) ? a : b))
      : list.reduce((a, b) => ((startOf(a) as string) >= (startOf(b) as string) ? a : b))
    out.push({ crimeId, event: events.started, at: iso(startOf(start) as string), ...byOf(start) })
    if (!waiting.length) {
      const last = list.reduce((a, b) => ((doneOf(a) as string) >= (doneOf(b) as string) ? a : b))
      out.push({ crimeId, event: events.met, at: iso(doneOf(last) as string), ...byOf(last) })
    }
  }
  return out
}

export function safeguardingObligationSource(
  db: Kysely<Database>,
  kindName: (kind: string) => string = (kind) => kind,
): ObligationSource {
  const repository = new SafeguardingObligationRepository(db)
  const orders = new OrderRepository(db)
  return {
    area: 'safeguarding',
    events: [
      { id: SAFEGUARDING_EVENTS.spoConsidered, label: 'Stalking Protection Order considered' },
      { id: SAFEGUARDING_EVENTS.orderGranted, label: 'Stalking Protection Order granted or in place' },
      { id: SAFEGUARDING_EVENTS.notificationRequired, label: 'Order granted with a notification requirement' },
      { id: SAFEGUARDING_EVENTS.notified, label: "Subject's notification recorded" },
      { id: SAFEGUARDING_EVENTS.applicationPending, label: 'Order applied for' },
      { id: SAFEGUARDING_EVENTS.applicationDecided, label: "Court's decision on the application recorded" },
    ],
    obligations: ORDER_OBLIGATIONS,
    async occurrences({ forceId, events, crimeIds }) {
      const out: EventOccurrence[] = []
      if (events.includes(SAFEGUARDING_EVENTS.spoConsidered)) {
        const rows = await repository.considerations(forceId, crimeIds, false)
        out.push(...firstPerCrime(SAFEGUARDING_EVENTS.spoConsidered, rows))
      }
      if (events.includes(SAFEGUARDING_EVENTS.orderGranted)) {
        const rows = await repository.considerations(forceId, crimeIds, true)
        out.push(...firstPerCrime(SAFEGUARDING_EVENTS.orderGranted, rows))
      }
      const wantsNotification =
        events.includes(SAFEGUARDING_EVENTS.notificationRequired) || events.includes(SAFEGUARDING_EVENTS.notified)
      const wantsApplication =
        events.includes(SAFEGUARDING_EVENTS.applicationPending) ||
        events.includes(SAFEGUARDING_EVENTS.applicationDecided)
      if (wantsNotification || wantsApplication) {
        const rows = await orders.ordersForObligations(forceId, crimeIds)
        const by = (row: (typeof rows)[number]) => ({ by: row.recorded_by, byId: row.recorded_by_id })
        if (wantsNotification) {
          // Orders granted with a notification due, not discharged before it fell due.
          const required = rows.filter(
            (row) =>
              row.outcome === 'granted' &&
              row.notification_due_on !== null &&
              (row.discharged_on === null || row.discharged_on > row.notification_due_on),
          )
          out.push(
            ...startedAndMet(
              required,
              (row) => row.crime_id,
              (row) => row.starts_on,
              (row) => row.notified_on,
              by,
              {
                started: SAFEGUARDING_EVENTS.notificationRequired,
                met: SAFEGUARDING_EVENTS.notified,
              },
            ).filter((occurrence) => events.includes(occurrence.event)),
          )
        }
        if (wantsApplication) {
          const applied = rows.filter((row) => row.applied_on !== null)
          out.push(
            ...startedAndMet(
              applied,
              (row) => row.crime_id,
              (row) => row.applied_on,
              (row) => (row.outcome === 'pending' ? null : (row.outcome_on ?? row.updated_at)),
              by,
              { started: SAFEGUARDING_EVENTS.applicationPending, met: SAFEGUARDING_EVENTS.applicationDecided },
            ).filter((occurrence) => events.includes(occurrence.event)),
          )
        }
      }
      return out
    },
    // An order's change writes an order_events row (with its crime), so that table answers for every order change.
    changedSince: (forceId, cursor) =>
      recordsChangedSince(
        db,
        forceId,
        ['spo_considerations', 'spo_breaches', 'order_events', 'order_breaches'],
        cursor,
      ),
    async timeline(forceId, crimeId) {
      const { considerations, breaches } = await repository.recordsOf(forceId, crimeId)
      const href = `/safeguarding/crimes/${crimeId}/spo`
      const [crimeOrders, breachedAs] = await Promise.all([
        orders.ordersOf(forceId, crimeId),
        orders.breachesRecordedAs(forceId, crimeId),
      ])
      return [
        ...crimeOrders.map((order) => ({
          at: order.recorded_at,
          area: 'safeguarding',
          title: `${kindName(order.kind)}: ${order.outcome}${order.starts_on ? ` from ${order.starts_on}` : ''}${order.ends_on ? ` to ${order.ends_on}` : order.until_further_order ? ' until further order' : ''}`,
          by: order.recorded_by,
          href: `/safeguarding/orders/${order.id}`,
        })),
        ...breachedAs.map((row) => ({
          at: `${row.occurred_on}T00:00:00.000Z`,
          area: 'safeguarding',
          title: `Recorded as a breach of the ${kindName(row.kind)} on ${row.force_reference}`,
          detail: row.what_breached || undefined,
          by: null,
          href: `/safeguarding/orders/${row.order_id}`,
        })),
        ...considerations.map((row) => ({
          at: row.considered_at,
          area: 'safeguarding',
          title: `SPO considered: ${DECISION_WORDS[row.decision]}${row.court_outcome ? ` (court: ${row.court_outcome})` : ''}`,
          detail: row.reason || undefined,
          by: row.considered_by,
          href,
        })),
        ...breaches.map((row) => ({
          at: `${row.occurred_on}T00:00:00.000Z`,
          area: 'safeguarding',
          title: 'SPO breached',
          detail: row.action_taken,
          by: row.recorded_by,
          href,
        })),
      ]
    },
  }
}
