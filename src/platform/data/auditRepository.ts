import type { Kysely, Selectable, Transaction } from 'kysely'
import { dialectOf } from './database.ts'
import type { AuditEventTable, PlatformTables } from './schema.ts'

export type StoredAuditEvent = Selectable<AuditEventTable>

export interface ChainHead {
  last_id: number
  last_hash: string
  keyed_from_id: number | null
  keyed_from_mac: string | null
}

const HEAD_COLUMNS = ['last_id', 'last_hash', 'keyed_from_id', 'keyed_from_mac'] as const

export class AuditRepository {
  constructor(private readonly db: Kysely<PlatformTables>) {}

  /**
   * Reads the chain head, locked so that concurrent writers append one after another: on PostgreSQL the row; on SQLite
   * the audit file's write lock, taken by a write before the read (waiting its turn), since a transaction that read
   * the file first could not take the lock once another process had appended (SQLITE_BUSY_SNAPSHOT).
   */
  async lockHead(trx: Transaction<PlatformTables>): Promise<ChainHead> {
    let query = trx.selectFrom('audit_chain_head').select(HEAD_COLUMNS).where('id', '=', 1)
    if (dialectOf(trx) === 'postgres') query = query.forUpdate()
    else {
      await trx
        .updateTable('audit_chain_head')
        .set((eb) => ({ last_id: eb.ref('last_id') }))
        .where('id', '=', 1)
        .execute()
    }
    return query.executeTakeFirstOrThrow()
  }

  async head(): Promise<ChainHead> {
    return this.db.selectFrom('audit_chain_head').select(HEAD_COLUMNS).where('id', '=', 1).executeTakeFirstOrThrow()
  }

  /** Records the first row hashed with the key, with its MAC: once, by the first writer after the upgrade. */
  async setKeyedFrom(trx: Transaction<PlatformTables>, id: number, mac: string): Promise<void> {
    await trx
      .updateTable('audit_chain_head')
      .set({ keyed_from_id: id, keyed_from_mac: mac })
      .where('id', '=', 1)
      .execute()
  }

  async byId(id: number): Promise<StoredAuditEvent | undefined> {
    return this.db.selectFrom('audit_events').selectAll().where('id', '=', id).executeTakeFirst()
  }

  async insert(trx: Transaction<PlatformTables>, event: Omit<StoredAuditEvent, 'id'>): Promise<number> {
    const row = await trx.insertInto('audit_events').values(event).returning('id').executeTakeFirstOrThrow()
    return row.id
  }

  async moveHead(trx: Transaction<PlatformTables>, lastId: number, lastHash: string): Promise<void> {
    await trx
      .updateTable('audit_chain_head')
      .set({ last_id: lastId, last_hash: lastHash })
      .where('id', '=', 1)
      .execute()
  }

  async forSubject(
    subjectType: string,
    subjectId: string,
    limit: number,
    forceId?: number,
  ): Promise<StoredAuditEvent[]> {
    let query = this.db
      .selectFrom('audit_events')
      .selectAll()
      .where('subject_type', '=', subjectType)
      .where('subject_id', '=', subjectId)
    if (forceId !== undefined) query = query.where('force_id', '=', forceId)
    return query.orderBy('id', 'desc').limit(limit).execute()
  }

  async recent(forceId: number, limit: number): Promise<StoredAuditEvent[]> {
    return this.db
      .selectFrom('audit_events')
      .selectAll()
      .where('force_id', '=', forceId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
  }

  async *iterateAll(batchSize = 1000): AsyncGenerator<StoredAuditEvent> {
    let after = 0
    for (;;) {
      const rows = await this.db
        .selectFrom('audit_events')
        .selectAll()
        .where('id', '>', after)
        .orderBy('id')
        .limit(batchSize)
        .execute()
      if (rows.length === 0) return
      yield* rows
      after = rows[rows.length - 1].id
    }
  }
}
