import { sql, type Kysely, type Migration } from 'kysely'
import { withIdColumn } from '../../platform/data/columns.ts'
import { dialectOf } from '../../platform/data/database.ts'

const plans: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db)
    await withIdColumn(db.schema.createTable('plan_plans'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().unique().references('forces.id'))
      .addColumn('title', 'text')
      .addColumn('executive_lead', 'text')
      .addColumn('operational_lead', 'text')
      .addColumn('published', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('published_at', 'text')
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()

    await withIdColumn(db.schema.createTable('plan_recommendations'), dialect)
      .addColumn('plan_id', 'integer', (c) => c.notNull().references('plan_plans.id'))
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('deadline', 'text')
      .addColumn('deadline_precision', 'text')
      .addUniqueConstraint('plan_recommendations_plan_number', ['plan_id', 'number'])
      .execute()

    await withIdColumn(db.schema.createTable('plan_items'), dialect)
      .addColumn('plan_id', 'integer', (c) => c.notNull().references('plan_plans.id'))
      .addColumn('recommendation_id', 'integer', (c) => c.notNull().references('plan_recommendations.id'))
      .addColumn('ref', 'text', (c) => c.notNull())
      .addColumn('requirement', 'text', (c) => c.notNull())
      .addColumn('owner', 'text')
      .addColumn('status', 'text')
      .addColumn('status_label', 'text')
      .addColumn('percent', 'real')
      .addUniqueConstraint('plan_items_plan_ref', ['plan_id', 'ref'])
      .execute()
    await db.schema.createIndex('plan_items_recommendation').on('plan_items').column('recommendation_id').execute()

    await withIdColumn(db.schema.createTable('plan_updates'), dialect)
      .addColumn('item_id', 'integer', (c) => c.notNull().references('plan_items.id'))
      .addColumn('date', 'text')
      .addColumn('date_precision', 'text')
      .addColumn('heading', 'text')
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('text_hash', 'text', (c) => c.notNull())
      .addColumn('status', 'text')
      .addColumn('status_label', 'text')
      .addColumn('percent', 'real')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('plan_updates_item').on('plan_updates').columns(['item_id', 'date']).execute()

    await withIdColumn(db.schema.createTable('plan_owner_changes'), dialect)
      .addColumn('item_id', 'integer', (c) => c.notNull().references('plan_items.id'))
      .addColumn('previous_owner', 'text')
      .addColumn('new_owner', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('changed_by', 'text', (c) => c.notNull())
      .addColumn('changed_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('plan_owner_changes_item').on('plan_owner_changes').column('item_id').execute()

    await withIdColumn(db.schema.createTable('plan_documents'), dialect)
      .addColumn('item_id', 'integer', (c) => c.notNull().references('plan_items.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('url', 'text')
      .addColumn('stored_path', 'text')
      .addColumn('checksum', 'text')
      .addColumn('media_type', 'text')
      .addColumn('size', 'integer')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('uploaded_by', 'text', (c) => c.notNull())
      .addColumn('uploaded_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('plan_documents_item').on('plan_documents').column('item_id').execute()

    await withIdColumn(db.schema.createTable('plan_imports'), dialect)
      .addColumn('plan_id', 'integer', (c) => c.notNull().references('plan_plans.id'))
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('checksum', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('warnings', 'text', (c) => c.notNull())
      .addColumn('updates_added', 'integer', (c) => c.notNull())
      .addColumn('imported_by', 'text', (c) => c.notNull())
      .addColumn('imported_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('plan_imports_plan_checksum')
      .on('plan_imports')
      .columns(['plan_id', 'checksum'])
      .execute()

    // Update history is append-only: the database refuses changes to rows once written.
    if (dialect === 'postgres') {
      await sql`create function plan_updates_append_only() returns trigger language plpgsql as $$
        begin raise exception 'plan_updates is append-only'; end; $$`.execute(db)
      await sql`create trigger plan_updates_no_change before update or delete on plan_updates
        for each row execute function plan_updates_append_only()`.execute(db)
    } else {
      await sql`create trigger plan_updates_no_update before update on plan_updates
        begin select raise(abort, 'plan_updates is append-only'); end`.execute(db)
      await sql`create trigger plan_updates_no_delete before delete on plan_updates
        begin select raise(abort, 'plan_updates is append-only'); end`.execute(db)
    }
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

/** Refuses any change or removal of a table's rows once written (both dialects). */
async function appendOnly(db: Kysely<unknown>, table: string, when = ''): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql
      .raw(
        `create function ${table}_append_only() returns trigger language plpgsql as $$
        begin ${when ? `if ${when.replace(/\bold\./g, 'OLD.')} then ` : ''}raise exception '${table} is append-only'; ${when ? 'end if; return coalesce(NEW, OLD); ' : ''}end; $$`,
      )
      .execute(db)
    await sql
      .raw(
        `create trigger ${table}_no_change before update or delete on ${table} for each row execute function ${table}_append_only()`,
      )
      .execute(db)
  } else {
    const guard = when ? ` when ${when}` : ''
    await sql
      .raw(
        `create trigger ${table}_no_update before update on ${table}${guard} begin select raise(abort, '${table} is append-only'); end`,
      )
      .execute(db)
    await sql
      .raw(
        `create trigger ${table}_no_delete before delete on ${table}${guard} begin select raise(abort, '${table} is append-only'); end`,
      )
      .execute(db)
  }
}

/**
 * Sign-off (issue 16): approvals and what each approved, corrections of updates, imports held for approval, the
 * public (approved) owner and status of each item, and NPCC returns, frozen once approved.
 */
const signOff: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db)
    await withIdColumn(db.schema.createTable('plan_approvals'), dialect)
      .addColumn('plan_id', 'integer', (c) => c.notNull().references('plan_plans.id'))
      .addColumn('comment', 'text', (c) => c.notNull())
      .addColumn('approved_by', 'text', (c) => c.notNull())
      .addColumn('approved_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('plan_approvals_plan').on('plan_approvals').column('plan_id').execute()
    await appendOnly(db, 'plan_approvals')

    await withIdColumn(db.schema.createTable('plan_approved_changes'), dialect)
      .addColumn('approval_id', 'integer', (c) => c.notNull().references('plan_approvals.id'))
      .addColumn('plan_id', 'integer', (c) => c.notNull().references('plan_plans.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('row_id', 'integer', (c) => c.notNull())
      .addUniqueConstraint('plan_approved_changes_kind_row', ['kind', 'row_id'])
      .execute()
    await db.schema.createIndex('plan_approved_changes_plan').on('plan_approved_changes').column('plan_id').execute()
    await appendOnly(db, 'plan_approved_changes')

    await withIdColumn(db.schema.createTable('plan_update_corrections'), dialect)
      .addColumn('update_id', 'integer', (c) => c.notNull().references('plan_updates.id'))
      .addColumn('date', 'text')
      .addColumn('date_precision', 'text')
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('status', 'text')
      .addColumn('status_label', 'text')
      .addColumn('percent', 'real')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('corrected_by', 'text', (c) => c.notNull())
      .addColumn('corrected_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('plan_update_corrections_update')
      .on('plan_update_corrections')
      .column('update_id')
      .execute()
    await appendOnly(db, 'plan_update_corrections')

    await withIdColumn(db.schema.createTable('plan_held_imports'), dialect)
      .addColumn('plan_id', 'integer', (c) => c.notNull().references('plan_plans.id'))
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('checksum', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('parsed', 'text', (c) => c.notNull())
      .addColumn('source_url', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('held_by', 'text', (c) => c.notNull())
      .addColumn('held_at', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'text')
      .execute()
    await db.schema
      .createIndex('plan_held_imports_plan')
      .on('plan_held_imports')
      .columns(['plan_id', 'state'])
      .execute()

    await db.schema.alterTable('plan_items').addColumn('public_owner', 'text').execute()
    await db.schema.alterTable('plan_items').addColumn('public_status', 'text').execute()
    await db.schema.alterTable('plan_items').addColumn('public_status_label', 'text').execute()
    await db.schema.alterTable('plan_items').addColumn('public_percent', 'real').execute()
    await db.schema.alterTable('plan_items').addColumn('public_at', 'text').execute()
    await db.schema.alterTable('plan_imports').addColumn('source_url', 'text').execute()

    await withIdColumn(db.schema.createTable('plan_returns'), dialect)
      .addColumn('plan_id', 'integer', (c) => c.notNull().references('plan_plans.id'))
      .addColumn('as_at', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('generated_by', 'text', (c) => c.notNull())
      .addColumn('generated_at', 'text', (c) => c.notNull())
      .addColumn('reviewed_by', 'text')
      .addColumn('reviewed_at', 'text')
      .addColumn('review_comment', 'text')
      .addColumn('approved_by', 'text')
      .addColumn('approved_at', 'text')
      .addColumn('approval_comment', 'text')
      .execute()
    await db.schema.createIndex('plan_returns_plan').on('plan_returns').columns(['plan_id', 'as_at']).execute()
    // A return, once approved, is frozen: the database refuses any change to it or its removal.
    await appendOnly(db, 'plan_returns', "old.state = 'approved'")
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

/** The plan area's migrations, named with the area's number range so they sort after the platform's. */
export const planMigrations: Record<string, Migration> = {
  '0100_plan_tables': plans,
  '0110_plan_signoff': signOff,
}
