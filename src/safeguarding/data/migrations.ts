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

/** The safeguarding area's migrations, numbered in the area's range so they sort after screening's. */
export const safeguardingMigrations: Record<string, Migration> = {
  '0400_protection_orders': protectionOrders,
}
