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

const dailyMeetings: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db)
    await withIdColumn(db.schema.createTable('risk_meetings'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('meeting_date', 'text', (c) => c.notNull())
      .addColumn('team', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('chair_user_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('attendees', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('list_snapshot', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_by_id', 'integer')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('risk_meetings_force_team_date')
      .on('risk_meetings')
      .columns(['force_id', 'team', 'meeting_date'])
      .execute()
    await withIdColumn(db.schema.createTable('risk_meeting_cases'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('meeting_id', 'integer', (c) => c.notNull().references('risk_meetings.id').onDelete('cascade'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision <> ''`))
      .execute()
    await db.schema
      .createIndex('risk_meeting_cases_meeting')
      .on('risk_meeting_cases')
      .columns(['meeting_id', 'id'])
      .execute()
    await db.schema
      .createIndex('risk_meeting_cases_force_crime')
      .on('risk_meeting_cases')
      .columns(['force_id', 'crime_id'])
      .execute()
    await withIdColumn(db.schema.createTable('risk_meeting_actions'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('meeting_id', 'integer', (c) => c.notNull().references('risk_meetings.id').onDelete('cascade'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('text', 'text', (c) => c.notNull().check(sql`text <> ''`))
      .addColumn('owner_user_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('due_on', 'text', (c) => c.notNull())
      .addColumn('done_at', 'text')
      .addColumn('done_by', 'text')
      .execute()
    await db.schema
      .createIndex('risk_meeting_actions_owner')
      .on('risk_meeting_actions')
      .columns(['force_id', 'owner_user_id', 'done_at'])
      .execute()
    await db.schema
      .createIndex('risk_meeting_actions_meeting')
      .on('risk_meeting_actions')
      .columns(['meeting_id', 'id'])
      .execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

/** The risk area's migrations, numbered in the area's range (0800) so they sort after every area it reads. */
export const riskMigrations: Record<string, Migration> = {
  '0800_risk_assessments': riskAssessments,
  '0810_daily_meetings': dailyMeetings,
}
