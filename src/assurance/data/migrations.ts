import { sql, type Kysely, type Migration } from 'kysely'
import { withIdColumn } from '../../platform/data/columns.ts'
import { dialectOf } from '../../platform/data/database.ts'

const SCALE = sql`('very_satisfied', 'fairly_satisfied', 'neither', 'fairly_dissatisfied', 'very_dissatisfied', 'not_answered')`

const assurance: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db)

    await withIdColumn(db.schema.createTable('assurance_audits'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('period_from', 'text', (c) => c.notNull())
      .addColumn('period_to', 'text', (c) => c.notNull())
      .addColumn('sample_size', 'integer', (c) => c.notNull().check(sql`sample_size between 1 and 200`))
      .addColumn('checklist_version', 'integer', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_by_id', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addCheckConstraint('assurance_audits_period', sql`period_from <= period_to`)
      .execute()
    await db.schema.createIndex('assurance_audits_force').on('assurance_audits').columns(['force_id', 'id']).execute()

    await withIdColumn(db.schema.createTable('assurance_audit_cases'), dialect)
      .addColumn('audit_id', 'integer', (c) => c.notNull().references('assurance_audits.id').onDelete('cascade'))
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addUniqueConstraint('assurance_audit_cases_crime', ['audit_id', 'crime_id'])
      .execute()

    await withIdColumn(db.schema.createTable('assurance_audit_findings'), dialect)
      .addColumn('audit_id', 'integer', (c) => c.notNull().references('assurance_audits.id').onDelete('cascade'))
      .addColumn('case_id', 'integer', (c) => c.notNull().references('assurance_audit_cases.id').onDelete('cascade'))
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('question_id', 'text', (c) => c.notNull())
      .addColumn('answer', 'text', (c) => c.notNull().check(sql`answer in ('yes', 'no', 'not_applicable')`))
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_by_id', 'integer')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('assurance_audit_findings_question', ['case_id', 'question_id'])
      .addCheckConstraint('assurance_audit_findings_note', sql`answer <> 'no' or note <> ''`)
      .execute()
    await db.schema
      .createIndex('assurance_audit_findings_force_recorded')
      .on('assurance_audit_findings')
      .columns(['force_id', 'recorded_at'])
      .execute()

    await withIdColumn(db.schema.createTable('assurance_surveys'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
      .addColumn('surveyed_on', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) =>
        c.notNull().check(sql`method in ('telephone', 'online', 'paper', 'in_person')`),
      )
      .addColumn('ease_of_contact', 'text', (c) => c.notNull().check(sql`ease_of_contact in ${SCALE}`))
      .addColumn('updates', 'text', (c) => c.notNull().check(sql`updates in ${SCALE}`))
      .addColumn('actions_taken', 'text', (c) => c.notNull().check(sql`actions_taken in ${SCALE}`))
      .addColumn('treatment', 'text', (c) => c.notNull().check(sql`treatment in ${SCALE}`))
      .addColumn('overall', 'text', (c) => c.notNull().check(sql`overall in ${SCALE}`))
      .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_by_id', 'integer')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('assurance_surveys_force_surveyed')
      .on('assurance_surveys')
      .columns(['force_id', 'surveyed_on'])
      .execute()
    await db.schema
      .createIndex('assurance_surveys_force_crime')
      .on('assurance_surveys')
      .columns(['force_id', 'crime_id', 'id'])
      .execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

/** The assurance area's migrations, numbered in the area's range (0700) so they sort after investigation's. */
export const assuranceMigrations: Record<string, Migration> = {
  '0700_assurance': assurance,
}
