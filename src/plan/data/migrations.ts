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

/** The plan area's migrations, named with the area's number range so they sort after the platform's. */
export const planMigrations: Record<string, Migration> = {
  '0100_plan_tables': plans,
}
