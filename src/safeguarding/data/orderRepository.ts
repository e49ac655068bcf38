// The only code that touches the protective order tables (migration 0410). The daily list's queries read the order
// indexes by force and date, with the crime's team from the crime index.
import type { Insertable, Kysely, Transaction, Updateable } from 'kysely'
import { forCrimes } from '../../platform/data/occurrenceRows.ts'
import type {
  OrderBreachesTable,
  OrderBreachRow,
  OrderEventsTable,
  OrderTermsTable,
  ProtectiveOrderRow,
  ProtectiveOrdersTable,
  SafeguardingDatabase as Database,
} from './tables.ts'

type Executor = Kysely<Database> | Transaction<Database>

/** An order on the daily list or the CLI: the order, its crime's reference and team. */
export interface OrderListRow {
  id: number
  crime_id: number
  kind: string
  outcome: string
  applied_on: string | null
  starts_on: string | null
  ends_on: string | null
  notification_due_on: string | null
  force_reference: string
  team: string | null
}

export class OrderRepository {
  constructor(private readonly db: Executor) {}

  with(trx: Transaction<Database>): OrderRepository {
    return new OrderRepository(trx)
  }

  async transaction<T>(run: (repository: OrderRepository, trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return (this.db as Kysely<Database>).transaction().execute((trx) => run(new OrderRepository(trx), trx))
  }

  async insertOrder(row: Insertable<ProtectiveOrdersTable>): Promise<number> {
    return (await this.db.insertInto('protective_orders').values(row).returning('id').executeTakeFirstOrThrow()).id
  }

  async updateOrder(id: number, row: Updateable<ProtectiveOrdersTable>): Promise<void> {
    await this.db.updateTable('protective_orders').set(row).where('id', '=', id).execute()
  }

  async insertTerms(rows: Insertable<OrderTermsTable>[]): Promise<void> {
    if (rows.length) await this.db.insertInto('order_terms').values(rows).execute()
  }

  async insertEvent(row: Insertable<OrderEventsTable>): Promise<void> {
    await this.db.insertInto('order_events').values(row).execute()
  }

  async insertBreach(row: Insertable<OrderBreachesTable>): Promise<number> {
    return (await this.db.insertInto('order_breaches').values(row).returning('id').executeTakeFirstOrThrow()).id
  }

  async orderById(id: number): Promise<ProtectiveOrderRow | undefined> {
    return this.db.selectFrom('protective_orders').selectAll().where('id', '=', id).executeTakeFirst()
  }

  /** A crime's orders, newest first. */
  async ordersOf(forceId: number, crimeId: number): Promise<ProtectiveOrderRow[]> {
    return this.db
      .selectFrom('protective_orders')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('crime_id', '=', crimeId)
      .orderBy('id', 'desc')
      .execute()
  }

  /** The crime's SPO kept with its considerations (the order the SPO page's decisions describe), if any. */
  async spoOrderOf(forceId: number, crimeId: number): Promise<ProtectiveOrderRow | undefined> {
    return this.db
      .selectFrom('protective_orders')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('crime_id', '=', crimeId)
      .where('kind', 'in', ['spo', 'interim_spo'])
      .where('source_consideration_id', 'is not', null)
      .orderBy('id', 'desc')
      .executeTakeFirst()
  }

  async termsOf(orderId: number) {
    return this.db.selectFrom('order_terms').selectAll().where('order_id', '=', orderId).orderBy('id').execute()
  }

  async eventsOf(orderId: number) {
    return this.db.selectFrom('order_events').selectAll().where('order_id', '=', orderId).orderBy('id').execute()
  }

  async breachesOfOrder(orderId: number): Promise<OrderBreachRow[]> {
    return this.db
      .selectFrom('order_breaches')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('occurred_on', 'desc')
      .orderBy('id', 'desc')
      .execute()
  }

  /** Breaches recorded as this crime (the breach offence), with the order's kind and its crime's reference. */
  async breachesRecordedAs(forceId: number, crimeId: number) {
    return this.db
      .selectFrom('order_breaches as b')
      .innerJoin('protective_orders as o', 'o.id', 'b.order_id')
      .innerJoin('crimes as c', 'c.id', 'o.crime_id')
      .select([
        'b.id',
        'b.order_id',
        'b.occurred_on',
        'b.what_breached',
        'b.outcome',
        'o.kind',
        'o.crime_id',
        'c.force_reference',
      ])
      .where('b.force_id', '=', forceId)
      .where('b.breach_crime_id', '=', crimeId)
      .orderBy('b.occurred_on', 'desc')
      .execute()
  }

  /** Breaches on a crime's orders (the order's crime). */
  async breachesOnCrime(forceId: number, crimeId: number): Promise<OrderBreachRow[]> {
    return this.db
      .selectFrom('order_breaches')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('crime_id', '=', crimeId)
      .orderBy('id')
      .execute()
  }

  /** The people on a crime (victims, suspects, witnesses): who an order may protect or restrain. */
  async partiesOf(crimeId: number) {
    return this.db
      .selectFrom('crime_parties as p')
      .innerJoin('people as person', 'person.id', 'p.person_id')
      .select(['p.person_id', 'p.role', 'person.forename', 'person.surname'])
      .where('p.crime_id', '=', crimeId)
      .orderBy('p.id')
      .execute()
  }

  async crimeIdByReference(forceId: number, reference: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('crimes')
      .select('id')
      .where('force_id', '=', forceId)
      .where('force_reference', '=', reference)
      .executeTakeFirst()
    return row?.id
  }

  /** The force's orders (of some crimes, or all): for the obligations, set-based. */
  async ordersForObligations(forceId: number, crimeIds?: readonly number[]) {
    const run = (ids?: readonly number[]) => {
      let query = this.db
        .selectFrom('protective_orders')
        .select([
          'id',
          'crime_id',
          'kind',
          'outcome',
          'applied_on',
          'outcome_on',
          'starts_on',
          'notification_due_on',
          'notified_on',
          'discharged_on',
          'recorded_by',
          'recorded_by_id',
          'updated_at',
        ])
        .where('force_id', '=', forceId)
      if (ids) query = query.where('crime_id', 'in', ids)
      return query.execute()
    }
    return forCrimes(crimeIds, run)
  }

  private listBase(forceId: number, team: string | undefined) {
    let query = this.db
      .selectFrom('protective_orders as o')
      .innerJoin('crimes as c', 'c.id', 'o.crime_id')
      .select([
        'o.id',
        'o.crime_id',
        'o.kind',
        'o.outcome',
        'o.applied_on',
        'o.starts_on',
        'o.ends_on',
        'o.notification_due_on',
        'c.force_reference',
        'c.team',
      ])
      .where('o.force_id', '=', forceId)
    if (team) query = query.where('c.team', '=', team)
    return query
  }

  /** Granted orders not discharged ending in [from, to] (days), soonest first. */
  async endingBetween(forceId: number, from: string, to: string, team?: string): Promise<OrderListRow[]> {
    return this.listBase(forceId, team)
      .where('o.ends_on', '>=', from)
      .where('o.ends_on', '<=', to)
      .where('o.outcome', '=', 'granted')
      .where('o.discharged_on', 'is', null)
      .orderBy('o.ends_on')
      .orderBy('o.id')
      .execute()
  }

  /** Granted orders whose notification is not recorded, due on or before `to` (overdue ones included). */
  async notificationsDueBy(forceId: number, to: string, team?: string): Promise<OrderListRow[]> {
    return this.listBase(forceId, team)
      .where('o.notification_due_on', '<=', to)
      .where('o.notified_on', 'is', null)
      .where('o.outcome', '=', 'granted')
      .where('o.discharged_on', 'is', null)
      .orderBy('o.notification_due_on')
      .orderBy('o.id')
      .execute()
  }

  /** Applications the court has not decided. */
  async pendingApplications(forceId: number, team?: string): Promise<OrderListRow[]> {
    return this.listBase(forceId, team)
      .where('o.outcome', '=', 'pending')
      .orderBy('o.applied_on')
      .orderBy('o.id')
      .execute()
  }

  /** Breaches recorded in [from, to) of ISO times, with the order's kind and crime. */
  async breachesRecordedBetween(forceId: number, from: string, to: string, team?: string) {
    let query = this.db
      .selectFrom('order_breaches as b')
      .innerJoin('protective_orders as o', 'o.id', 'b.order_id')
      .innerJoin('crimes as c', 'c.id', 'b.crime_id')
      .select([
        'b.id',
        'b.order_id',
        'b.crime_id',
        'b.occurred_on',
        'b.what_breached',
        'b.breach_crime_reference',
        'o.kind',
        'c.force_reference',
        'c.team',
      ])
      .where('b.force_id', '=', forceId)
      .where('b.recorded_at', '>=', from)
      .where('b.recorded_at', '<', to)
    if (team) query = query.where('c.team', '=', team)
    return query.orderBy('b.recorded_at').orderBy('b.id').execute()
  }

  /** For the measures: every order's kind, application, outcome and notification, and every breach's order kind. */
  async measureRows(forceId: number) {
    const [orders, breaches] = await Promise.all([
      this.db
        .selectFrom('protective_orders')
        .select([
          'id',
          'kind',
          'applied_on',
          'outcome',
          'outcome_on',
          'starts_on',
          'notification_due_on',
          'notified_on',
        ])
        .where('force_id', '=', forceId)
        .execute(),
      this.db
        .selectFrom('order_breaches as b')
        .innerJoin('protective_orders as o', 'o.id', 'b.order_id')
        .select(['b.id', 'b.order_id', 'b.occurred_on', 'o.kind'])
        .where('b.force_id', '=', forceId)
        .execute(),
    ])
    return { orders, breaches }
  }
}
