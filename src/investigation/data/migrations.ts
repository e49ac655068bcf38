import { sql, type Kysely, type Migration } from 'kysely'
import { withIdColumn } from '../../platform/data/columns.ts'
import { dialectOf } from '../../platform/data/database.ts'

const investigation: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db)

    await withIdColumn(db.schema.createTable('investigation_skills'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('officer', 'text', (c) => c.notNull())
      .addColumn('officer_key', 'text', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.references('users.id'))
      .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('trained', 'specialist')`))
      .addColumn('course_name', 'text', (c) => c.notNull())
      .addColumn('trained_on', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_by_id', 'integer')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('removed_by', 'text')
      .addColumn('removed_at', 'text')
      .execute()
    await db.schema
      .createIndex('investigation_skills_force_officer')
      .on('investigation_skills')
      .columns(['force_id', 'officer_key'])
      .execute()

    await withIdColumn(db.schema.createTable('investigation_allocations'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('team', 'text', (c) => c.notNull())
      .addColumn('officer', 'text', (c) => c.notNull())
      .addColumn('officer_key', 'text', (c) => c.notNull())
      .addColumn('allocated_on', 'text', (c) => c.notNull())
      .addColumn('risk_level', 'text', (c) => c.notNull().check(sql`risk_level in ('standard', 'medium', 'high')`))
      .addColumn('complexity_notes', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('officer_trained', 'integer', (c) => c.notNull().check(sql`officer_trained in (0, 1)`))
      .addColumn('skill_id', 'integer', (c) => c.references('investigation_skills.id'))
      .addColumn('allocated_by', 'text', (c) => c.notNull())
      .addColumn('allocated_by_id', 'integer')
      .addColumn('allocated_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('investigation_allocations_force_crime')
      .on('investigation_allocations')
      .columns(['force_id', 'crime_id', 'id'])
      .execute()

    await withIdColumn(db.schema.createTable('investigation_reviews'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('reviewed_on', 'text', (c) => c.notNull())
      .addColumn('checklist_version', 'integer', (c) => c.notNull())
      .addColumn('answers', 'text', (c) => c.notNull())
      .addColumn('digital_pursued', 'integer', (c) => c.notNull().check(sql`digital_pursued in (0, 1)`))
      .addColumn('arrested', 'integer', (c) => c.notNull().check(sql`arrested in (0, 1)`))
      .addColumn('searched', 'integer', (c) => c.notNull().check(sql`searched in (0, 1)`))
      .addColumn('victim_impact', 'integer', (c) => c.notNull().check(sql`victim_impact in (0, 1)`))
      .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('reviewed_by', 'text', (c) => c.notNull())
      .addColumn('reviewed_by_id', 'integer')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('investigation_reviews_force_crime')
      .on('investigation_reviews')
      .columns(['force_id', 'crime_id', 'id'])
      .execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

const training: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db)
    await withIdColumn(db.schema.createTable('investigation_training_officers'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('officer', 'text', (c) => c.notNull())
      .addColumn('number_key', 'text')
      .addColumn('name_key', 'text')
      .addColumn('role', 'text')
      .addColumn('frontline', 'integer', (c) => c.check(sql`frontline in (0, 1)`))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('investigation_training_officers_number')
      .on('investigation_training_officers')
      .columns(['force_id', 'number_key'])
      .execute()
    await db.schema
      .createIndex('investigation_training_officers_name')
      .on('investigation_training_officers')
      .columns(['force_id', 'name_key'])
      .execute()
    await withIdColumn(db.schema.createTable('investigation_training_completions'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('officer_id', 'integer', (c) => c.notNull().references('investigation_training_officers.id'))
      .addColumn('course_id', 'text', (c) => c.notNull())
      .addColumn('completed_on', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_by_id', 'integer')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('investigation_training_completions_officer')
      .on('investigation_training_completions')
      .columns(['force_id', 'officer_id', 'course_id'])
      .execute()
    await db.schema.alterTable('investigation_allocations').addColumn('training_completion_id', 'integer').execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

/** The investigation area's migrations, numbered in the area's range (0600) so they sort after safeguarding's. */
export const investigationMigrations: Record<string, Migration> = {
  '0600_investigation': investigation,
  '0601_training': training,
}
