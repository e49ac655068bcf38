import { sql, type Kysely, type Migration } from 'kysely'
import { withIdColumn } from '../../platform/data/columns.ts'
import { dialectOf } from '../../platform/data/database.ts'

const LEVELS = sql`('standard', 'medium', 'high')`

const riskAssessments: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db)
    await withIdColumn(db.schema.createTable('risk_assessments'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('tool_id', 'text', (c) => c.notNull())
      .addColumn('tool_version', 'integer', (c) => c.notNull())
      .addColumn('answers', 'text', (c) => c.notNull())
      .addColumn('yes_count', 'integer', (c) => c.notNull())
      .addColumn('question_count', 'integer', (c) => c.notNull())
      .addColumn('risk_level', 'text', (c) => c.notNull().check(sql`risk_level in ${LEVELS}`))
      .addColumn('rationale', 'text', (c) => c.notNull().check(sql`rationale <> ''`))
      .addColumn('assessed_by', 'text', (c) => c.notNull())
      .addColumn('assessed_by_id', 'integer')
      .addColumn('assessed_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('risk_assessments_force_crime')
      .on('risk_assessments')
      .columns(['force_id', 'crime_id', 'id'])
      .execute()
    await db.schema
      .createIndex('risk_assessments_force_assessed')
      .on('risk_assessments')
      .columns(['force_id', 'assessed_at'])
      .execute()

    await withIdColumn(db.schema.createTable('risk_reviews'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('assessment_id', 'integer', (c) => c.notNull().references('risk_assessments.id').onDelete('cascade'))
      .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('agreed', 'changed')`))
      .addColumn('previous_level', 'text', (c) => c.notNull().check(sql`previous_level in ${LEVELS}`))
      .addColumn('risk_level', 'text', (c) => c.notNull().check(sql`risk_level in ${LEVELS}`))
      .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('reviewed_by', 'text', (c) => c.notNull())
      .addColumn('reviewed_by_id', 'integer')
      .addColumn('reviewed_at', 'text', (c) => c.notNull())
      .addCheckConstraint('risk_reviews_changed_reason', sql`outcome <> 'changed' or reason <> ''`)
      .addCheckConstraint(
        'risk_reviews_outcome_level',
        sql`(outcome = 'agreed' and risk_level = previous_level) or (outcome = 'changed' and risk_level <> previous_level)`,
      )
      .execute()
    await db.schema
      .createIndex('risk_reviews_force_crime')
      .on('risk_reviews')
      .columns(['force_id', 'crime_id', 'id'])
      .execute()
    // One review per assessment: a second review is refused (a changed view is a new assessment).
    await db.schema.createIndex('risk_reviews_assessment').on('risk_reviews').column('assessment_id').unique().execute()
    await db.schema
      .createIndex('risk_reviews_force_reviewed')
      .on('risk_reviews')
      .columns(['force_id', 'reviewed_at'])
      .execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

/** The risk area's migrations, numbered in the area's range (0800) so they sort after every area it reads. */
export const riskMigrations: Record<string, Migration> = {
  '0800_risk_assessments': riskAssessments,
}
