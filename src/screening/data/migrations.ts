import { sql, type Kysely, type Migration } from 'kysely'
import { withIdColumn } from '../../platform/data/columns.ts'
import { dialectOf } from '../../platform/data/database.ts'

const screeningTables: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db)
    const bytes = dialect === 'postgres' ? sql`text collate "C"` : sql`text`

    await db.schema
      .createTable('screening_config')
      .addColumn('force_id', 'integer', (c) => c.primaryKey().references('forces.id'))
      .addColumn('watched_codes', 'text', (c) => c.notNull())
      .addColumn('watch_former_partners', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('window_days', 'integer', (c) => c.notNull())
      .addColumn('min_incidents', 'integer', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()

    await withIdColumn(db.schema.createTable('screening_queue'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('reasons', 'text', (c) => c.notNull())
      .addColumn('reason_kinds', 'text', (c) => c.notNull())
      .addColumn('suggests_stalking', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('entered_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'decided')`))
      .addColumn('reported_at', bytes, (c) => c.notNull())
      .addUniqueConstraint('screening_queue_crime', ['crime_id'])
      .execute()
    await db.schema
      .createIndex('screening_queue_force_status')
      .on('screening_queue')
      .columns(['force_id', 'status', 'reported_at', 'id'])
      .execute()

    await withIdColumn(db.schema.createTable('screening_decisions'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('outcome', 'text', (c) =>
        c.notNull().check(sql`outcome in ('stalking_identified', 'harassment_only', 'not_relevant')`),
      )
      .addColumn('action', 'text', (c) => c.check(sql`action in ('add_included_8q', 'propose_reclassification')`))
      .addColumn('rationale', 'text', (c) => c.notNull())
      .addColumn('course_keys', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('pair_keys', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('decided_by', 'text', (c) => c.notNull())
      .addColumn('decided_by_id', 'integer')
      .addColumn('decided_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('screening_decisions_crime').on('screening_decisions').column('crime_id').execute()
    await db.schema
      .createIndex('screening_decisions_force')
      .on('screening_decisions')
      .columns(['force_id', 'decided_at'])
      .execute()

    await withIdColumn(db.schema.createTable('screening_courses'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('course_key', bytes, (c) => c.notNull())
      .addColumn('pair_key', bytes, (c) => c.notNull())
      .addColumn('suspect_key', 'text', (c) => c.notNull())
      .addColumn('victim_key', 'text', (c) => c.notNull())
      .addColumn('first_reported_at', 'text', (c) => c.notNull())
      .addColumn('last_reported_at', 'text', (c) => c.notNull())
      .addColumn('incident_count', 'integer', (c) => c.notNull())
      .addColumn('reasons', 'text', (c) => c.notNull())
      .addColumn('classifications', 'text', (c) => c.notNull())
      .addColumn('detected_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('screening_courses_key', ['force_id', 'course_key'])
      .execute()
    await db.schema
      .createIndex('screening_courses_pair')
      .on('screening_courses')
      .columns(['force_id', 'pair_key'])
      .execute()

    await db.schema
      .createTable('screening_course_crimes')
      .addColumn('course_id', 'integer', (c) => c.notNull().references('screening_courses.id').onDelete('cascade'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('force_id', 'integer', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('reported_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('screening_course_crimes_pk', ['course_id', 'crime_id'])
      .execute()
    await db.schema
      .createIndex('screening_course_crimes_crime')
      .on('screening_course_crimes')
      .column('crime_id')
      .execute()

    await db.schema
      .createTable('screening_person_keys')
      .addColumn('force_id', 'integer', (c) => c.notNull())
      .addColumn('party_id', 'integer', (c) => c.primaryKey())
      .addColumn('crime_id', 'integer', (c) => c.notNull())
      .addColumn('person_id', 'integer', (c) => c.notNull())
      .addColumn('person_key', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('screening_person_keys_key')
      .on('screening_person_keys')
      .columns(['force_id', 'person_key'])
      .execute()

    await withIdColumn(db.schema.createTable('screening_assessments'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('answers', 'text', (c) => c.notNull())
      .addColumn('yes_count', 'integer', (c) => c.notNull())
      .addColumn('judgement', 'text', (c) => c.notNull())
      .addColumn('risk_level', 'text', (c) => c.notNull().check(sql`risk_level in ('standard', 'medium', 'high')`))
      .addColumn('assessed_by', 'text', (c) => c.notNull())
      .addColumn('assessed_by_id', 'integer')
      .addColumn('assessed_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('screening_assessments_crime').on('screening_assessments').column('crime_id').execute()

    await db.schema
      .createTable('screening_runs')
      .addColumn('force_id', 'integer', (c) => c.primaryKey().references('forces.id'))
      .addColumn('crimes_updated_until', 'text', (c) => c.notNull())
      .addColumn('last_run_at', 'text', (c) => c.notNull())
      .addColumn('last_run', 'text', (c) => c.notNull())
      .execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

// Pending changes for the records system (issue 14): each change Threadline made that the force's records system
// should hold, listed for the crime registrar until an extract shows the records system carries it.
const pendingChanges: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db)
    await withIdColumn(db.schema.createTable('screening_pending_changes'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('decision_id', 'integer', (c) => c.references('screening_decisions.id'))
      .addColumn('change', 'text', (c) =>
        c.notNull().check(sql`change in ('add_included_classification', 'flag_intelligence_stalking')`),
      )
      .addColumn('code', 'text')
      .addColumn('decided_by', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'confirmed')`))
      .addColumn('confirmed_at', 'text')
      .addColumn('confirmed_by', 'text')
      .execute()
    await db.schema
      .createIndex('screening_pending_changes_force')
      .on('screening_pending_changes')
      .columns(['force_id', 'decided_at', 'id'])
      .execute()
    await db.schema
      .createIndex('screening_pending_changes_open')
      .on('screening_pending_changes')
      .columns(['force_id', 'status', 'crime_id'])
      .execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

// Incremental screening starts from the crimes updated since the last run (and records the latest update it saw): one
// range of this index instead of a scan of every crime of the force (issue 14's speed targets, bench/README.md).
const crimesByUpdate: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('screening_crimes_force_updated')
      .on('crimes')
      .columns(['force_id', 'updated_at', 'id'])
      .execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

/** The screening area's migrations, named with the area's number range so they sort after the platform's. */
export const screeningMigrations: Record<string, Migration> = {
  '0300_screening_queue_decisions_courses_assessments': screeningTables,
  '0310_screening_pending_changes': pendingChanges,
  '0320_screening_crimes_by_update': crimesByUpdate,
}
