import type { Kysely, Migration } from 'kysely'

/**
 * Keyed audit hashes (docs/adr/0016-tamper-evident-audit.md): rows before `keyed_from_id` keep their plain SHA-256
 * hashes; the first row written after this migration sets it, with a MAC of it so that it cannot be moved quietly.
 */
export const auditKeyedMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('audit_chain_head').addColumn('keyed_from_id', 'integer').execute()
    await db.schema.alterTable('audit_chain_head').addColumn('keyed_from_mac', 'text').execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}
