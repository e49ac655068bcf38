// Bulk import on PostgreSQL: COPY ... FROM STDIN (pg-copy-streams) on one connection taken from the pool, inside one
// transaction that also carries everything else the import writes through Kysely (updates of crimes already known,
// the force, the audit entry). COPY is one statement per table per batch, parsed by the server as a stream, instead of
// a multi-row INSERT that is planned, bound and unpacked from JSON for every 5,000 rows.
//
// New crimes and people are numbered by this writer from their tables' own sequences (nextval, many at once), so rows
// that refer to them can be written in the same batch without RETURNING. COPY has no ON CONFLICT: identifiers of
// people this import created are made unique in memory before they are copied; those of people already in the
// database go through the ordinary INSERT ... ON CONFLICT DO NOTHING.
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Kysely, PostgresDialect, sql, type Insertable, type Transaction } from 'kysely'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { CrimeDatabase as Database } from './tables.ts'
import { CrimeRepository } from './crimeRepository.ts'
import type {
  CrimeClassificationIndexTable,
  CrimeClassificationsTable,
  CrimeOccurrencesTable,
  CrimePartiesTable,
  CrimesTable,
  PeopleTable,
  PersonIdentifiersTable,
  PersonRow,
} from './tables.ts'
import { CRIME_INSERT_COLUMNS } from './tables.ts'

const PEOPLE_COLUMNS = [
  'force_id',
  'person_key',
  'forename',
  'surname',
  'forename_norm',
  'surname_norm',
  'date_of_birth',
  'created_at',
  'updated_at',
] as const

/** Rows turned into one string before it is written to the COPY stream. */
const ROWS_PER_CHUNK = 500

/** One value in COPY's text format: \N for null, and backslash, tab, newline and carriage return escaped. */
export function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N'
  const text = typeof value === 'string' ? value : String(value)
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/[\\\t\n\r]/g, (char) =>
        char === '\\' ? '\\\\' : char === '\t' ? '\\t' : char === '\n' ? '\\n' : '\\r',
      )
    : text
}

/** Rows as COPY text lines, a chunk of rows to a string. */
function* copyLines<T>(rows: readonly T[], valuesOf: (row: T) => unknown[]): Generator<string> {
  for (let start = 0; start < rows.length; start += ROWS_PER_CHUNK) {
    let text = ''
    const end = Math.min(rows.length, start + ROWS_PER_CHUNK)
    for (let position = start; position < end; position++)
      text += `${valuesOf(rows[position]).map(copyValue).join('\t')}\n`
    yield text
  }
}

/** Streams rows into a table with COPY on this connection (inside its open transaction). */
export async function copyRows<T>(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  rows: readonly T[],
  valuesOf: (row: T) => unknown[],
): Promise<void> {
  if (rows.length === 0) return
  const stream = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`))
  await pipeline(Readable.from(copyLines(rows, valuesOf)), stream)
}

/** Kysely over one pooled connection, so its transaction and COPY streams on the same client share the session. */
export function singleConnection(client: pg.PoolClient): Kysely<Database> {
  const pool = {
    connect: async () => ({ query: client.query.bind(client), release: () => undefined }),
    end: async () => undefined,
  }
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as never }) })
}

export class PgCopyWriter extends CrimeRepository {
  /** No crimes or people when the import began: nothing to look up that this import did not write itself. */
  private startedEmpty = false
  /** People this import created: their identifiers are all known here, so made unique here. */
  private readonly freshPeople = new Set<number>()
  private readonly identifiersCopied = new Set<string>()

  constructor(
    trx: Transaction<Database>,
    private readonly client: pg.PoolClient,
  ) {
    super(trx)
  }

  /** Takes a connection from the pool and runs the import in one transaction on it; COPY goes on the same one. */
  static async run<T>(pool: pg.Pool, run: (writer: PgCopyWriter, trx: Transaction<Database>) => Promise<T>) {
    const client = await pool.connect()
    const db = singleConnection(client)
    let broken: Error | undefined
    try {
      return await db.transaction().execute(async (trx) => {
        const writer = new PgCopyWriter(trx, client)
        writer.gatherDayCounts()
        const result = await run(writer, trx)
        await writer.writeDayCounts()
        await writer.restoreDeferred()
        return result
      })
    } catch (error) {
      // A connection left unusable (a COPY cut off part way) is closed instead of handed back to the pool.
      const usable = await client.query('select 1').then(
        () => true,
        () => false,
      )
      if (!usable) broken = error as Error
      throw error
    } finally {
      await db.destroy()
      client.release(broken)
    }
  }

  override async deferIndexesIfEmpty(threshold = 1000): Promise<boolean> {
    const { rows } = await sql<{ crimes: boolean; people: boolean }>`select
      exists (select 1 from crimes) as crimes, exists (select 1 from people) as people`.execute(this.db)
    this.startedEmpty = !rows[0].crimes && !rows[0].people
    return super.deferIndexesIfEmpty(threshold)
  }

  override async crimeIdsByReference(forceId: number, references: string[]): Promise<Map<string, number>> {
    // A reference appears once in an import (the import refuses a repeat), so into empty tables nothing is known.
    if (this.startedEmpty) return new Map()
    return super.crimeIdsByReference(forceId, references)
  }

  override async peopleByKey(forceId: number, keys: string[]) {
    if (this.startedEmpty) return new Map<string, Pick<PersonRow, 'id' | 'forename' | 'surname' | 'date_of_birth'>>()
    return super.peopleByKey(forceId, keys)
  }

  override async refreshStatisticsDuringImport(): Promise<void> {
    // Only the look-ups of references and people need fresh statistics, and into empty tables there are none.
    if (!this.startedEmpty) await super.refreshStatisticsDuringImport()
  }

  /** count ids from the table's own sequence (not necessarily consecutive: other sessions may draw too). */
  private async takeIds(table: 'crimes' | 'people', count: number): Promise<number[]> {
    const { rows } = await sql<{ id: number }>`select nextval(pg_get_serial_sequence(${table}, 'id')) as id
      from generate_series(1, ${count})`.execute(this.db)
    return rows.map((row) => Number(row.id))
  }

  override async insertCrimes(rows: Insertable<CrimesTable>[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>()
    if (rows.length === 0) return ids
    const taken = await this.takeIds('crimes', rows.length)
    rows.forEach((row, position) => ids.set(row.force_reference, taken[position]))
    await copyRows(this.client, 'crimes', ['id', ...CRIME_INSERT_COLUMNS], rows, (row) => {
      const record = row as unknown as Record<string, unknown>
      return [ids.get(row.force_reference), ...CRIME_INSERT_COLUMNS.map((column) => record[column])]
    })
    return ids
  }

  override async insertPeople(rows: Insertable<PeopleTable>[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>()
    if (rows.length === 0) return ids
    const taken = await this.takeIds('people', rows.length)
    rows.forEach((row, position) => {
      ids.set(row.person_key, taken[position])
      this.freshPeople.add(taken[position])
    })
    await copyRows(this.client, 'people', ['id', ...PEOPLE_COLUMNS], rows, (row) => {
      const record = row as unknown as Record<string, unknown>
      return [ids.get(row.person_key), ...PEOPLE_COLUMNS.map((column) => record[column])]
    })
    return ids
  }

  override async insertOccurrences(rows: Insertable<CrimeOccurrencesTable>[]): Promise<void> {
    await copyRows(this.client, 'crime_occurrences', ['crime_id', 'occurred_from', 'occurred_to'], rows, (row) => [
      row.crime_id,
      row.occurred_from,
      row.occurred_to,
    ])
  }

  override async insertClassifications(rows: Insertable<CrimeClassificationsTable>[]): Promise<void> {
    const columns = ['crime_id', 'code', 'role', 'added_by', 'added_at', 'reason']
    await copyRows(this.client, 'crime_classifications', columns, rows, (row) => [
      row.crime_id,
      row.code,
      row.role,
      row.added_by,
      row.added_at,
      row.reason,
    ])
  }

  override async insertIndexRows(rows: CrimeClassificationIndexTable[]): Promise<void> {
    const columns = ['force_id', 'search_key', 'reported_at', 'crime_id', 'role']
    await copyRows(this.client, 'crime_classification_index', columns, rows, (row) => [
      row.force_id,
      row.search_key,
      row.reported_at,
      row.crime_id,
      row.role,
    ])
    await this.countSearchRows(rows, 1)
  }

  override async insertParties(rows: Insertable<CrimePartiesTable>[]): Promise<void> {
    await copyRows(this.client, 'crime_parties', ['crime_id', 'person_id', 'role'], rows, (row) => [
      row.crime_id,
      row.person_id,
      row.role,
    ])
  }

  override async insertIdentifiers(rows: Insertable<PersonIdentifiersTable>[]): Promise<void> {
    const fresh: Insertable<PersonIdentifiersTable>[] = []
    const known: Insertable<PersonIdentifiersTable>[] = []
    for (const row of rows) {
      if (!this.freshPeople.has(row.person_id)) {
        known.push(row)
        continue
      }
      const key = `${row.person_id}\u0000${row.kind}\u0000${row.value_norm}`
      if (this.identifiersCopied.has(key)) continue
      this.identifiersCopied.add(key)
      fresh.push(row)
    }
    const columns = ['person_id', 'force_id', 'kind', 'value', 'value_norm']
    await copyRows(this.client, 'person_identifiers', columns, fresh, (row) => [
      row.person_id,
      row.force_id,
      row.kind,
      row.value,
      row.value_norm,
    ])
    if (known.length > 0) await super.insertIdentifiers(known)
  }

  override async insertIntelligenceLinks(
    rows: { intelligence_id: number; force_id: number; linked_reference: string }[],
  ): Promise<void> {
    const columns = ['intelligence_id', 'force_id', 'linked_reference']
    await copyRows(this.client, 'intelligence_links', columns, rows, (row) => [
      row.intelligence_id,
      row.force_id,
      row.linked_reference,
    ])
  }
}
