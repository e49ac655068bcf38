import { sql, type Kysely, type Migration } from 'kysely'
import { withIdColumn } from '../../platform/data/columns.ts'
import { dialectOf } from '../../platform/data/database.ts'

const inList = (values: readonly string[]) => sql.raw(values.map((value) => `'${value}'`).join(', '))
const AGENCY_KINDS = [
  'victim_support',
  'digital_safeguarding',
  'perpetrator_intervention',
  'health',
  'probation',
  'prosecution',
  'housing',
  'social_care',
  'other',
]
const BASES = ['consent', 'public_task', 'vital_interests', 'legal_obligation']

const partners: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db)

    await withIdColumn(db.schema.createTable('partner_agencies'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in (${inList(AGENCY_KINDS)})`))
      .addColumn('service_id', 'integer', (c) => c.references('support_services.id'))
      .addColumn('first_contact_days', 'integer', (c) => c.notNull().check(sql`first_contact_days between 0 and 60`))
      .addColumn('answer_days', 'integer', (c) => c.notNull().check(sql`answer_days between 0 and 60`))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('partner_agencies_force_name', ['force_id', 'name'])
      .execute()

    await withIdColumn(db.schema.createTable('partner_members'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('agency_id', 'integer', (c) => c.notNull().references('partner_agencies.id'))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('added_by', 'text', (c) => c.notNull())
      .addColumn('added_at', 'text', (c) => c.notNull())
      .addColumn('removed_by', 'text')
      .addColumn('removed_at', 'text')
      .execute()
    await db.schema.createIndex('partner_members_user').on('partner_members').columns(['user_id', 'id']).execute()

    await withIdColumn(db.schema.createTable('partner_referrals'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('agency_id', 'integer', (c) => c.notNull().references('partner_agencies.id'))
      .addColumn('victim_referral_id', 'integer', (c) => c.unique().references('victim_referrals.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('crime_reference', 'text', (c) => c.notNull())
      .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in (${inList(AGENCY_KINDS)})`))
      .addColumn('victim_name', 'text', (c) => c.notNull())
      .addColumn('contact_phone', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('contact_email', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('contact_times', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('safe_to_leave_message', 'integer', (c) => c.notNull().check(sql`safe_to_leave_message in (0, 1)`))
      .addColumn('needs', 'text', (c) => c.notNull())
      .addColumn('risk', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('case_summary', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('consent_covers', 'text', (c) => c.notNull())
      .addColumn('consent_on', 'text', (c) => c.notNull())
      .addColumn('lawful_basis', 'text', (c) => c.notNull().check(sql`lawful_basis in (${inList(BASES)})`))
      .addColumn('officer_name', 'text', (c) => c.notNull())
      .addColumn('officer_user_id', 'integer')
      .addColumn('officer_contact', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('sent', 'accepted', 'declined', 'closed')`))
      .addColumn('answer_due_on', 'text', (c) => c.notNull())
      .addColumn('first_contact_due_on', 'text')
      .addColumn('decline_reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('outcome', 'text', (c) =>
        c.check(
          sql`outcome is null or outcome in ('supported', 'support_declined', 'no_contact', 'referred_on', 'other')`,
        ),
      )
      .addColumn('outcome_note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('sent_by', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('partner_referrals_agency')
      .on('partner_referrals')
      .columns(['agency_id', 'state', 'id'])
      .execute()
    await db.schema
      .createIndex('partner_referrals_force_crime')
      .on('partner_referrals')
      .columns(['force_id', 'crime_id', 'id'])
      .execute()

    await withIdColumn(db.schema.createTable('partner_referral_events'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('referral_id', 'integer', (c) => c.notNull().references('partner_referrals.id'))
      .addColumn('kind', 'text', (c) =>
        c.notNull().check(sql`kind in ('sent', 'accepted', 'declined', 'contact', 'closed')`),
      )
      .addColumn('on_day', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) =>
        c.check(sql`method is null or method in ('phone', 'text', 'email', 'in_person', 'letter')`),
      )
      .addColumn('result', 'text', (c) =>
        c.check(sql`result is null or result in ('made', 'no_answer', 'message_left', 'unsafe')`),
      )
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('by_username', 'text', (c) => c.notNull())
      .addColumn('by_name', 'text', (c) => c.notNull())
      .addColumn('by_id', 'integer')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('partner_referral_events_force_crime')
      .on('partner_referral_events')
      .columns(['force_id', 'crime_id', 'id'])
      .execute()

    await withIdColumn(db.schema.createTable('partner_disclosures'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('agency_id', 'integer', (c) => c.notNull().references('partner_agencies.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('person_id', 'integer', (c) => c.references('people.id').onDelete('cascade'))
      .addColumn('subject_type', 'text', (c) => c.notNull().check(sql`subject_type in ('referral', 'panel_action')`))
      .addColumn('subject_id', 'integer', (c) => c.notNull())
      .addColumn('fields', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('lawful_basis', 'text', (c) => c.notNull().check(sql`lawful_basis in (${inList(BASES)})`))
      .addColumn('consent', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('disclosed_by', 'text', (c) => c.notNull())
      .addColumn('disclosed_by_id', 'integer')
      .addColumn('disclosed_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('partner_disclosures_force')
      .on('partner_disclosures')
      .columns(['force_id', 'disclosed_at'])
      .execute()

    await withIdColumn(db.schema.createTable('panel_meetings'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('panel', 'text', (c) => c.notNull())
      .addColumn('held_on', 'text', (c) => c.notNull())
      .addColumn('chair', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_by_id', 'integer')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .execute()

    await withIdColumn(db.schema.createTable('panel_attendees'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('meeting_id', 'integer', (c) => c.notNull().references('panel_meetings.id'))
      .addColumn('agency_id', 'integer', (c) => c.notNull().references('partner_agencies.id'))
      .addColumn('attendee', 'text', (c) => c.notNull().defaultTo(''))
      .execute()

    await withIdColumn(db.schema.createTable('panel_cases'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('meeting_id', 'integer', (c) => c.notNull().references('panel_meetings.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('subject', 'text', (c) => c.notNull().check(sql`subject in ('victim', 'perpetrator')`))
      .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('decisions', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('lawful_basis', 'text', (c) => c.notNull().check(sql`lawful_basis in (${inList(BASES)})`))
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('panel_cases_force_crime')
      .on('panel_cases')
      .columns(['force_id', 'crime_id', 'id'])
      .execute()

    await withIdColumn(db.schema.createTable('panel_actions'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('meeting_id', 'integer', (c) => c.notNull().references('panel_meetings.id'))
      .addColumn('panel_case_id', 'integer', (c) => c.notNull().references('panel_cases.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('agency_id', 'integer', (c) => c.notNull().references('partner_agencies.id'))
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('due_on', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open', 'done')`))
      .addColumn('done_on', 'text')
      .addColumn('done_note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('done_by', 'text')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('panel_actions_agency')
      .on('panel_actions')
      .columns(['agency_id', 'state', 'due_on'])
      .execute()
    await db.schema
      .createIndex('panel_actions_force_crime')
      .on('panel_actions')
      .columns(['force_id', 'crime_id', 'id'])
      .execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

const apiKeys: Migration = {
  async up(db: Kysely<unknown>) {
    await withIdColumn(db.schema.createTable('partner_api_keys'), dialectOf(db))
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('agency_id', 'integer', (c) => c.notNull().references('partner_agencies.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_by', 'text')
      .addColumn('revoked_at', 'text')
      .addColumn('last_used_at', 'text')
      .execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

const programmes: Migration = {
  async up(db: Kysely<unknown>) {
    await withIdColumn(db.schema.createTable('perpetrator_programmes'), dialectOf(db))
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
      .addColumn('programme', 'text', (c) => c.notNull())
      .addColumn('agency_id', 'integer', (c) => c.references('partner_agencies.id'))
      .addColumn('referred_on', 'text', (c) => c.notNull())
      .addColumn('started_on', 'text')
      .addColumn('ended_on', 'text')
      .addColumn('ending', 'text', (c) => c.check(sql`ending is null or ending in ('completed', 'dropped_out')`))
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text')
      .addColumn('updated_at', 'text')
      .addCheckConstraint(
        'perpetrator_programmes_dates',
        sql`(started_on is null or started_on >= referred_on) and (ended_on is null or ended_on >= referred_on)`,
      )
      .execute()
    await db.schema
      .createIndex('perpetrator_programmes_force_crime')
      .on('perpetrator_programmes')
      .columns(['force_id', 'crime_id', 'id'])
      .execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

/** The partners area's migrations, numbered in its own range (1500, for issue 15). */
export const partnerMigrations: Record<string, Migration> = {
  '1500_partners': partners,
  '1501_partner_api_keys': apiKeys,
  '1502_perpetrator_programmes': programmes,
}
