import { sql, type Kysely, type Migration } from 'kysely'
import { withIdColumn } from '../../platform/data/columns.ts'
import { dialectOf } from '../../platform/data/database.ts'

const caseWork: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db)

    await db.schema
      .createTable('cases')
      .addColumn('crime_id', 'integer', (c) => c.primaryKey().references('crimes.id').onDelete('cascade'))
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('reference', 'text', (c) => c.notNull())
      .addColumn('reported_at', 'text', (c) => c.notNull())
      .addColumn('team', 'text')
      .addColumn('risk', 'text', (c) => c.check(sql`risk in ('standard', 'medium', 'high')`))
      .addColumn('risk_rank', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('assigned_user_id', 'integer', (c) => c.references('users.id'))
      .addColumn('assigned_by', 'text')
      .addColumn('assigned_at', 'text')
      .addColumn('next_due_on', 'text')
      .addColumn('open_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('refreshed_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('cases_assigned')
      .on('cases')
      .columns(['force_id', 'assigned_user_id', 'next_due_on'])
      .execute()
    await db.schema.createIndex('cases_due').on('cases').columns(['force_id', 'next_due_on']).execute()

    await db.schema
      .createTable('case_obligations')
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('obligation_id', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('started_on', 'text', (c) => c.notNull())
      .addColumn('due_on', 'text', (c) => c.notNull())
      .addColumn('settings_version', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open', 'met', 'not_applicable')`))
      .addColumn('met_at', 'text')
      .addColumn('met_on', 'text')
      .addColumn('met_by', 'text')
      .addColumn('met_event', 'text')
      .addColumn('team', 'text')
      .addColumn('risk_rank', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('assigned_user_id', 'integer')
      .addPrimaryKeyConstraint('case_obligations_pk', ['crime_id', 'obligation_id'])
      .execute()
    await db.schema
      .createIndex('case_obligations_open')
      .on('case_obligations')
      .columns(['force_id', 'state', 'due_on'])
      .execute()
    await db.schema
      .createIndex('case_obligations_started')
      .on('case_obligations')
      .columns(['force_id', 'obligation_id', 'started_on'])
      .execute()
    await db.schema
      .createIndex('case_obligations_assigned')
      .on('case_obligations')
      .columns(['assigned_user_id', 'state', 'due_on'])
      .execute()

    await withIdColumn(db.schema.createTable('case_settings'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('periods', 'text', (c) => c.notNull())
      .addColumn('changed_by', 'text', (c) => c.notNull())
      .addColumn('changed_by_id', 'integer')
      .addColumn('changed_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('case_settings_force_version', ['force_id', 'version'])
      .execute()

    await withIdColumn(db.schema.createTable('case_exemptions'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('obligation_id', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason <> ''`))
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_by_id', 'integer')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('withdrawn_by', 'text')
      .addColumn('withdrawn_at', 'text')
      .execute()
    await db.schema
      .createIndex('case_exemptions_force_crime')
      .on('case_exemptions')
      .columns(['force_id', 'crime_id', 'id'])
      .execute()

    await db.schema
      .createTable('case_refresh_cursors')
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('cursor', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('case_refresh_cursors_pk', ['force_id', 'source'])
      .execute()

    await withIdColumn(db.schema.createTable('case_notifications'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('assigned', 'due_tomorrow', 'overdue')`))
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('obligation_id', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('reference', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('read_at', 'text')
      .addColumn('emailed_at', 'text')
      .execute()
    await db.schema
      .createIndex('case_notifications_user')
      .on('case_notifications')
      .columns(['user_id', 'read_at', 'id'])
      .execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

/**
 * The team queue at 100k cases (issue 12's speed): one index per way the queue is narrowed (none, an obligation, a
 * team, a risk level, who it is assigned to), each in the queue's own order (due day, highest risk, crime, obligation) after its equality
 * columns, so a page reads as far as the page and a capped count as far as the cap; the overdue counts by officer
 * and by team read the assigned and team indexes alone. Replaces the indexes on (force, state, due day), which left
 * every tie on the due day to be sorted, and on (officer, state, due day), which had no force.
 */
const queueIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('case_obligations_open').execute()
    await db.schema.dropIndex('case_obligations_assigned').execute()
    const order = ['due_on', 'risk_rank desc', 'crime_id', 'obligation_id']
    const indexes: [string, string[]][] = [
      ['case_obligations_queue', ['force_id', 'state', ...order]],
      // The other filters after the order, so a capped count of an obligation in one team reads the index alone.
      [
        'case_obligations_queue_obligation',
        ['force_id', 'state', 'obligation_id', 'due_on', 'risk_rank desc', 'crime_id', 'team', 'assigned_user_id'],
      ],
      ['case_obligations_queue_team', ['force_id', 'state', 'team', ...order]],
      // One risk level: its rank is the same on every row, so the order after it needs no rank.
      ['case_obligations_queue_risk', ['force_id', 'state', 'risk_rank', 'due_on', 'crime_id', 'obligation_id']],
      // Who it is assigned to (one officer's My work, or nobody's): also read alone for the overdue counts by officer.
      ['case_obligations_queue_assigned', ['force_id', 'state', 'assigned_user_id', ...order]],
    ]
    for (const [name, columns] of indexes) {
      await db.schema.createIndex(name).on('case_obligations').columns(columns).execute()
    }
    // The queue's filter lists: the force's teams.
    await db.schema.createIndex('cases_team').on('cases').columns(['force_id', 'team']).execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

/** The case work area's migrations, numbered in its own range (1200, for issue 12) so they collide with no one's. */
export const caseMigrations: Record<string, Migration> = {
  '1200_case_work': caseWork,
  '1201_case_queue_indexes': queueIndexes,
}
