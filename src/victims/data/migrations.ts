import { sql, type Kysely, type Migration } from 'kysely'
import { withIdColumn } from '../../platform/data/columns.ts'
import { dialectOf } from '../../platform/data/database.ts'

const victimCare: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db)

    await withIdColumn(db.schema.createTable('support_services'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('national', 'local')`))
      .addColumn('area_covered', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('website', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('referral_route', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('listed', 'integer', (c) =>
        c
          .notNull()
          .defaultTo(1)
          .check(sql`listed in (0, 1)`),
      )
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addCheckConstraint('support_services_website', sql`website = '' or website like 'https://%'`)
      .execute()
    await db.schema.createIndex('support_services_force').on('support_services').columns(['force_id', 'id']).execute()

    await withIdColumn(db.schema.createTable('victim_rights'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
      .addColumn('told_on', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) =>
        c.notNull().check(sql`method in ('in_person', 'phone', 'letter', 'email', 'other')`),
      )
      .addColumn('enhanced', 'integer', (c) => c.notNull().check(sql`enhanced in (0, 1)`))
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_by_id', 'integer')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('victim_rights_force_crime')
      .on('victim_rights')
      .columns(['force_id', 'crime_id', 'id'])
      .execute()

    await withIdColumn(db.schema.createTable('victim_needs_assessments'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
      .addColumn('assessed_on', 'text', (c) => c.notNull())
      .addColumn('needs', 'text', (c) => c.notNull())
      .addColumn('support_wanted', 'text', (c) => c.notNull().check(sql`support_wanted in ('yes', 'declined')`))
      .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('assessed_by', 'text', (c) => c.notNull())
      .addColumn('assessed_by_id', 'integer')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('victim_needs_assessments_force_crime')
      .on('victim_needs_assessments')
      .columns(['force_id', 'crime_id', 'id'])
      .execute()

    await withIdColumn(db.schema.createTable('victim_referrals'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
      .addColumn('service_id', 'integer', (c) => c.notNull().references('support_services.id'))
      .addColumn('referred_on', 'text', (c) => c.notNull())
      .addColumn('consented', 'integer', (c) => c.notNull().check(sql`consented in (0, 1)`))
      .addColumn('outcome', 'text', (c) =>
        c.notNull().check(sql`outcome in ('pending', 'accepted', 'declined', 'no_contact', 'closed')`),
      )
      .addColumn('outcome_on', 'text')
      .addColumn('referred_by', 'text', (c) => c.notNull())
      .addColumn('referred_by_id', 'integer')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text')
      .addColumn('updated_at', 'text')
      .addCheckConstraint('victim_referrals_outcome_on', sql`outcome_on is null or outcome_on >= referred_on`)
      .execute()
    await db.schema
      .createIndex('victim_referrals_force_crime')
      .on('victim_referrals')
      .columns(['force_id', 'crime_id', 'id'])
      .execute()
    await db.schema
      .createIndex('victim_referrals_force_referred')
      .on('victim_referrals')
      .columns(['force_id', 'referred_on'])
      .execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

/** The service's own words on a referral it answers through Threadline (issue 15). */
const serviceUpdate: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('victim_referrals')
      .addColumn('service_update', 'text', (c) => c.notNull().defaultTo(''))
      .execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

/** Low referral numbers (14.5): the force's rule, the months found low, and the force leads' notifications. */
const referralAlerts: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db)
    await withIdColumn(db.schema.createTable('victim_referral_settings'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('threshold_percent', 'integer', (c) => c.notNull().check(sql`threshold_percent between 0 and 100`))
      .addColumn('min_victims', 'integer', (c) => c.notNull().check(sql`min_victims between 1 and 10000`))
      .addColumn('changed_by', 'text', (c) => c.notNull())
      .addColumn('changed_at', 'text', (c) => c.notNull())
      .execute()
    await withIdColumn(db.schema.createTable('victim_referral_alerts'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('month', 'text', (c) => c.notNull())
      .addColumn('team', 'text', (c) => c.notNull())
      .addColumn('victims', 'integer', (c) => c.notNull())
      .addColumn('referred', 'integer', (c) => c.notNull())
      .addColumn('threshold_percent', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('victim_referral_alerts_once', ['force_id', 'month', 'team'])
      .execute()
    await withIdColumn(db.schema.createTable('victim_alert_notifications'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('alert_id', 'integer', (c) => c.notNull().references('victim_referral_alerts.id'))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('read_at', 'text')
      .addUniqueConstraint('victim_alert_notifications_once', ['alert_id', 'user_id'])
      .execute()
    await db.schema
      .createIndex('victim_alert_notifications_user')
      .on('victim_alert_notifications')
      .columns(['user_id', 'read_at', 'id'])
      .execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

/** The victims area's migrations, numbered in the area's range so they sort after safeguarding's. */
export const victimMigrations: Record<string, Migration> = {
  '0500_victim_care': victimCare,
  '0501_victim_referral_service_update': serviceUpdate,
  '0502_victim_referral_alerts': referralAlerts,
}
