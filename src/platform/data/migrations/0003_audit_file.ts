import { sql, type Kysely, type Migration } from 'kysely'
import { dialectOf } from '../database.ts'

const COLUMNS =
  'id, occurred_at, actor_id, actor_username, force_id, action, subject_type, subject_id, request_id, details, previous_hash, hash'

/**
 * SQLite: moves the audit log into the file of its own that every connection attaches as `audit`
 * (docs/adr/0017-audit-file-of-its-own.md), rows, ids and chain head unchanged. PostgreSQL keeps it where it is: its
 * writers do not wait on one another.
 */
export const auditFileMigration: Migration = {
  async up(db: Kysely<unknown>) {
    if (dialectOf(db) !== 'sqlite') return
    const attached = await sql<{ name: string }>`select name from pragma_database_list where name = 'audit'`.execute(db)
    if (attached.rows.length === 0) throw new Error('the audit file is not attached to this connection')
    const existing = await sql<{
      name: string
    }>`select name from audit.sqlite_master where name = 'audit_events'`.execute(db)
    if (existing.rows.length > 0) {
      throw new Error(
        'an audit log file is already beside this database, from another database of the same name: move it away and start again',
      )
    }
    await sql`create table audit.audit_events (
      id integer primary key autoincrement,
      occurred_at text not null,
      actor_id integer,
      actor_username text not null,
      force_id integer,
      action text not null,
      subject_type text not null,
      subject_id text,
      request_id text,
      details text not null,
      previous_hash text not null,
      hash text not null
    )`.execute(db)
    await sql`create index audit.audit_events_subject on audit_events (subject_type, subject_id)`.execute(db)
    await sql`create index audit.audit_events_force on audit_events (force_id, id)`.execute(db)
    await sql`create table audit.audit_chain_head (
      id integer primary key,
      last_id integer not null,
      last_hash text not null,
      keyed_from_id integer,
      keyed_from_mac text
    )`.execute(db)
    await sql.raw(`insert into audit.audit_events (${COLUMNS}) select ${COLUMNS} from main.audit_events`).execute(db)
    await sql`insert into audit.audit_chain_head (id, last_id, last_hash, keyed_from_id, keyed_from_mac)
      select id, last_id, last_hash, keyed_from_id, keyed_from_mac from main.audit_chain_head`.execute(db)
    await sql`create trigger audit.audit_events_no_update before update on audit_events
      begin select raise(abort, 'audit_events is append-only'); end`.execute(db)
    await sql`create trigger audit.audit_events_no_delete before delete on audit_events
      begin select raise(abort, 'audit_events is append-only'); end`.execute(db)
    await sql`drop trigger main.audit_events_no_update`.execute(db)
    await sql`drop trigger main.audit_events_no_delete`.execute(db)
    await sql`drop table main.audit_events`.execute(db)
    await sql`drop table main.audit_chain_head`.execute(db)
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}
