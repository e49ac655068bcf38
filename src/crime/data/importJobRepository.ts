// The background import jobs' rows (ADR 0018): what was uploaded, by whom, and how its import ended.
import type { Kysely, Selectable, Updateable } from 'kysely'
import type { CrimeDatabase as Database, CrimeImportJobsTable, ImportJobStatus } from './tables.ts'

export type ImportJobRow = Selectable<CrimeImportJobsTable>

/** An import that has not ended: waiting its turn, or running. */
export const UNFINISHED: ImportJobStatus[] = ['queued', 'running']

export class ImportJobRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: {
    force_id: number
    created_by: string
    files: string
    folder: string
    skip_bad_rows: number
    total_bytes: number
    created_at: string
  }): Promise<number> {
    const inserted = await this.db
      .insertInto('crime_import_jobs')
      .values({ ...row, status: 'queued' })
      .returning('id')
      .executeTakeFirstOrThrow()
    return inserted.id
  }

  async byId(id: number): Promise<ImportJobRow | undefined> {
    return this.db.selectFrom('crime_import_jobs').selectAll().where('id', '=', id).executeTakeFirst()
  }

  /** The force's import that has not ended, if any (there is at most one). */
  async unfinished(forceId: number): Promise<ImportJobRow | undefined> {
    return this.db
      .selectFrom('crime_import_jobs')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('status', 'in', UNFINISHED)
      .orderBy('id')
      .executeTakeFirst()
  }

  /** Every import that has not ended, oldest first: the queue. */
  async queue(): Promise<ImportJobRow[]> {
    return this.db.selectFrom('crime_import_jobs').selectAll().where('status', 'in', UNFINISHED).orderBy('id').execute()
  }

  async recent(forceId: number, limit: number): Promise<ImportJobRow[]> {
    return this.db
      .selectFrom('crime_import_jobs')
      .selectAll()
      .where('force_id', '=', forceId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
  }

  async update(id: number, changes: Updateable<CrimeImportJobsTable>): Promise<void> {
    await this.db.updateTable('crime_import_jobs').set(changes).where('id', '=', id).execute()
  }
}
