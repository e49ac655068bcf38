import { sql, type Kysely, type Migration } from 'kysely'
import { withIdColumn } from '../columns.ts'
import { dialectOf } from '../database.ts'

export const platformMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db)
    await withIdColumn(db.schema.createTable('forces'), dialect)
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()

    await withIdColumn(db.schema.createTable('users'), dialect)
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('email', 'text')
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('roles', 'text', (c) => c.notNull())
      .addColumn('oidc_subject', 'text', (c) => c.unique())
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('sessions')
      .addColumn('sid', 'text', (c) => c.primaryKey())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute()

    await withIdColumn(db.schema.createTable('audit_events'), dialect)
      .addColumn('occurred_at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'integer')
      .addColumn('actor_username', 'text', (c) => c.notNull())
      .addColumn('force_id', 'integer')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('subject_type', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text')
      .addColumn('request_id', 'text')
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('previous_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('audit_events_subject')
      .on('audit_events')
      .columns(['subject_type', 'subject_id'])
      .execute()

    await db.schema
      .createTable('audit_chain_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('last_id', 'integer', (c) => c.notNull())
      .addColumn('last_hash', 'text', (c) => c.notNull())
      .execute()
    await sql`insert into audit_chain_head (id, last_id, last_hash) values (1, 0, ${'0'.repeat(64)})`.execute(db)

    // The audit log is append-only: the database itself refuses updates and deletes.
    if (dialect === 'postgres') {
      await sql`create function audit_events_append_only() returns trigger language plpgsql as $$
        begin raise exception 'audit_events is append-only'; end; $$`.execute(db)
      await sql`create trigger audit_events_no_update before update or delete on audit_events
        for each row execute function audit_events_append_only()`.execute(db)
      await sql`create trigger audit_events_no_truncate before truncate on audit_events
        for each statement execute function audit_events_append_only()`.execute(db)
    } else {
      await sql`create trigger audit_events_no_update before update on audit_events
        begin select raise(abort, 'audit_events is append-only'); end`.execute(db)
      await sql`create trigger audit_events_no_delete before delete on audit_events
        begin select raise(abort, 'audit_events is append-only'); end`.execute(db)
    }
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}
