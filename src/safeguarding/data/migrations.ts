import { sql, type Kysely, type Migration } from 'kysely'
import { withIdColumn } from '../../platform/data/columns.ts'
import { dialectOf } from '../../platform/data/database.ts'

const protectionOrders: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db)

    await withIdColumn(db.schema.createTable('spo_considerations'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('decision', 'text', (c) =>
        c.notNull().check(sql`decision in ('apply', 'not_apply', 'already_in_place')`),
      )
      .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('considered_by', 'text', (c) => c.notNull())
      .addColumn('considered_by_id', 'integer')
      .addColumn('considered_at', 'text', (c) => c.notNull())
      .addColumn('applied_on', 'text')
      .addColumn('interim', 'integer', (c) => c.check(sql`interim in (0, 1)`))
      .addColumn('court_outcome', 'text', (c) =>
        c.check(sql`court_outcome in ('pending', 'granted', 'refused', 'withdrawn')`),
      )
      .addColumn('order_made_on', 'text')
      .addColumn('order_expires_on', 'text')
      .addCheckConstraint('spo_considerations_reason', sql`decision <> 'not_apply' or reason <> ''`)
      .addCheckConstraint(
        'spo_considerations_expiry',
        sql`order_expires_on is null or order_made_on is null or order_expires_on >= order_made_on`,
      )
      .execute()
    await db.schema
      .createIndex('spo_considerations_force_crime')
      .on('spo_considerations')
      .columns(['force_id', 'crime_id', 'id'])
      .execute()

    await withIdColumn(db.schema.createTable('spo_breaches'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('breach_crime_reference', 'text')
      .addColumn('occurred_on', 'text', (c) => c.notNull())
      .addColumn('action_taken', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_by_id', 'integer')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('spo_breaches_force_crime')
      .on('spo_breaches')
      .columns(['force_id', 'crime_id', 'id'])
      .execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

/**
 * Protective orders of every kind, one lifecycle (issue 13). Every SPO recorded so far moves in without losing
 * anything: per crime, the latest consideration that applied for an SPO or recorded one in place becomes an order
 * (its application date, interim sought, outcome, made and expiry dates, who and when; `source_consideration_id`
 * names it), and every breach becomes a breach of that order (`legacy_breach_id`), its crime linked when the reference
 * is one of the force's crimes. A crime with breaches but no such consideration gets an order saying so. The old
 * tables stay as they are: the consideration (apply, not apply with the reason, already in place) is still the
 * decision, and the SPO page still reads it.
 */
const protectiveOrders: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db)
    await withIdColumn(db.schema.createTable('protective_orders'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('protected_person_id', 'integer', (c) => c.references('people.id'))
      .addColumn('subject_person_id', 'integer', (c) => c.references('people.id'))
      .addColumn('applicant', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('applied_on', 'text')
      .addColumn('court', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('interim_sought', 'integer', (c) =>
        c
          .notNull()
          .defaultTo(0)
          .check(sql`interim_sought in (0, 1)`),
      )
      .addColumn('outcome', 'text', (c) =>
        c.notNull().check(sql`outcome in ('pending', 'granted', 'refused', 'withdrawn')`),
      )
      .addColumn('outcome_on', 'text')
      .addColumn('starts_on', 'text')
      .addColumn('ends_on', 'text')
      .addColumn('until_further_order', 'integer', (c) =>
        c
          .notNull()
          .defaultTo(0)
          .check(sql`until_further_order in (0, 1)`),
      )
      .addColumn('notification_due_on', 'text')
      .addColumn('notified_on', 'text')
      .addColumn('discharged_on', 'text')
      .addColumn('discharge_reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('source_consideration_id', 'integer')
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_by_id', 'integer')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addCheckConstraint('protective_orders_dates', sql`ends_on is null or starts_on is null or ends_on >= starts_on`)
      .execute()
    await db.schema
      .createIndex('protective_orders_force_crime')
      .on('protective_orders')
      .columns(['force_id', 'crime_id', 'id'])
      .execute()
    // The daily list and the CLI: orders granted and ending, notifications due, applications pending.
    await db.schema
      .createIndex('protective_orders_force_ends')
      .on('protective_orders')
      .columns(['force_id', 'ends_on'])
      .execute()
    await db.schema
      .createIndex('protective_orders_force_notification')
      .on('protective_orders')
      .columns(['force_id', 'notification_due_on'])
      .execute()
    await db.schema
      .createIndex('protective_orders_force_outcome')
      .on('protective_orders')
      .columns(['force_id', 'outcome', 'applied_on'])
      .execute()

    await withIdColumn(db.schema.createTable('order_terms'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('order_id', 'integer', (c) => c.notNull().references('protective_orders.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('prohibition', 'requirement')`))
      .addColumn('text', 'text', (c) => c.notNull().check(sql`text <> ''`))
      .addColumn('added_by', 'text', (c) => c.notNull())
      .addColumn('added_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('order_terms_order').on('order_terms').columns(['order_id', 'id']).execute()

    await withIdColumn(db.schema.createTable('order_events'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('order_id', 'integer', (c) => c.notNull().references('protective_orders.id').onDelete('cascade'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) =>
        c.notNull().check(sql`kind in ('recorded', 'hearing', 'outcome', 'varied', 'notified', 'discharged')`),
      )
      .addColumn('on_date', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('order_events_order').on('order_events').columns(['order_id', 'id']).execute()
    await db.schema
      .createIndex('order_events_force_crime')
      .on('order_events')
      .columns(['force_id', 'crime_id', 'id'])
      .execute()

    await withIdColumn(db.schema.createTable('order_breaches'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('order_id', 'integer', (c) => c.notNull().references('protective_orders.id').onDelete('cascade'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('occurred_on', 'text', (c) => c.notNull())
      .addColumn('what_breached', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('reported_how', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('breach_crime_reference', 'text')
      .addColumn('breach_crime_id', 'integer', (c) => c.references('crimes.id').onDelete('set null'))
      .addColumn('outcome', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('legacy_breach_id', 'integer')
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_by_id', 'integer')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('order_breaches_order').on('order_breaches').columns(['order_id', 'id']).execute()
    await db.schema
      .createIndex('order_breaches_force_crime')
      .on('order_breaches')
      .columns(['force_id', 'crime_id', 'id'])
      .execute()
    await db.schema
      .createIndex('order_breaches_force_breach_crime')
      .on('order_breaches')
      .columns(['force_id', 'breach_crime_id'])
      .execute()
    await db.schema
      .createIndex('order_breaches_force_recorded')
      .on('order_breaches')
      .columns(['force_id', 'recorded_at'])
      .execute()

    // The SPOs recorded so far, moved in.
    await sql`
      insert into protective_orders (force_id, crime_id, kind, applicant, applied_on, court, interim_sought, outcome,
        outcome_on, starts_on, ends_on, until_further_order, discharge_reason, source_consideration_id, recorded_by,
        recorded_by_id, recorded_at, updated_at)
      select s.force_id, s.crime_id, 'spo', '', s.applied_on, '', coalesce(s.interim, 0),
        case when s.decision = 'already_in_place' then 'granted' else coalesce(s.court_outcome, 'pending') end,
        s.order_made_on, s.order_made_on, s.order_expires_on,
        case when s.order_made_on is not null and s.order_expires_on is null then 1 else 0 end,
        '', s.id, s.considered_by, s.considered_by_id, s.considered_at, s.considered_at
      from spo_considerations s
      where s.decision in ('apply', 'already_in_place')
        and s.id = (select max(s2.id) from spo_considerations s2
                    where s2.crime_id = s.crime_id and s2.decision in ('apply', 'already_in_place'))
    `.execute(db)
    await sql`
      insert into protective_orders (force_id, crime_id, kind, applicant, court, interim_sought, outcome,
        until_further_order, discharge_reason, recorded_by, recorded_by_id, recorded_at, updated_at)
      select b.force_id, b.crime_id, 'spo', '', '', 0, 'granted', 0,
        '', min(b.recorded_by), min(b.recorded_by_id), min(b.recorded_at), min(b.recorded_at)
      from spo_breaches b
      where not exists (select 1 from protective_orders o where o.crime_id = b.crime_id)
      group by b.force_id, b.crime_id
    `.execute(db)
    await sql`
      insert into order_events (force_id, order_id, crime_id, kind, on_date, detail, recorded_by, recorded_at)
      select o.force_id, o.id, o.crime_id, 'recorded', substr(o.recorded_at, 1, 10),
        case when o.source_consideration_id is null
          then 'Moved from the SPO breach records: no consideration recorded the order'
          else 'Moved from the SPO consideration' end,
        o.recorded_by, o.recorded_at
      from protective_orders o
    `.execute(db)
    await sql`
      insert into order_breaches (force_id, order_id, crime_id, occurred_on, what_breached, reported_how,
        breach_crime_reference, breach_crime_id, outcome, legacy_breach_id, recorded_by, recorded_by_id, recorded_at)
      select b.force_id, o.id, b.crime_id, b.occurred_on, '', '', b.breach_crime_reference,
        (select c.id from crimes c where c.force_id = b.force_id and c.force_reference = b.breach_crime_reference),
        b.action_taken, b.id, b.recorded_by, b.recorded_by_id, b.recorded_at
      from spo_breaches b
      join protective_orders o on o.crime_id = b.crime_id
    `.execute(db)
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

/**
 * The daily list's notifications due: granted orders whose notification is not recorded, by due day. The (force,
 * notification_due_on) index alone reads every order with a notification ever due; this one reads only the waiting.
 */
const notificationsWaiting: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('protective_orders_force_waiting_notification')
      .on('protective_orders')
      .columns(['force_id', 'notified_on', 'notification_due_on'])
      .execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

/** The safeguarding area's migrations, numbered in the area's range so they sort after screening's. */
export const safeguardingMigrations: Record<string, Migration> = {
  '0400_protection_orders': protectionOrders,
  '0410_protective_orders': protectiveOrders,
  '0411_orders_waiting_notification': notificationsWaiting,
}
