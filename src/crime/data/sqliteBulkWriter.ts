// Bulk import on SQLite: a connection of the import's own, with every statement prepared once and run inside one
// transaction. Rows go in many to a statement (one call into SQLite per 64 rows instead of per row), and foreign keys
// are not checked on this connection: every id a row refers to was issued by this same transaction (crimes and people
// it inserted or looked up), and checking each one costs a random B-tree lookup per row, more than the insert itself.
// Everything else in the import (the force, the audit entry) goes through Kysely on the same connection, so it is
// one transaction.
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect, type Insertable, type Transaction } from 'kysely'
import { attachAuditFile } from '../../platform/data/database.ts'
import { CRIME_INSERT_COLUMNS } from './tables.ts'
import { CrimeRepository, DEFERRED_TABLES, type TextRow } from './crimeRepository.ts'
import { inKeyOrder, textKeySql } from './textKey.ts'
import type { CrimeDatabase as Database } from './tables.ts'
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

/** Rows per multi-row INSERT: far below SQLite's 32,766 bound variables for the widest table (18 columns). */
const ROWS_PER_STATEMENT = 64

export class SqliteBulkWriter extends CrimeRepository {
  private readonly statements = new Map<string, SQLite.Statement>()
  private deferred: string[] = []
  private readonly nextIds = new Map<string, number>()
  /** No crimes or people when the import began: nothing to look up that this import did not write itself. */
  private startedEmpty = false

  constructor(
    trx: Transaction<Database>,
    private readonly connection: SQLite.Database,
  ) {
    super(trx)
  }

  /** Opens the import's connection to the database file and runs the import in one transaction on it. */
  static async run<T>(path: string, run: (writer: SqliteBulkWriter, trx: Transaction<Database>) => Promise<T>) {
    const connection = new SQLite(path)
    connection.pragma('journal_mode = WAL')
    connection.pragma('foreign_keys = OFF')
    connection.pragma('synchronous = NORMAL')
    connection.pragma('busy_timeout = 30000')
    connection.pragma('cache_size = -1000000')
    connection.pragma('temp_store = memory')
    attachAuditFile(connection, path)
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) })
    try {
      return await db.transaction().execute(async (trx) => {
        // Take the write lock now (a write statement does, even one that changes nothing), as BEGIN IMMEDIATE would:
        // the import reads before it writes, and a page's write committed in between (a session, an audit entry)
        // would otherwise make its first write fail as a stale snapshot (SQLITE_BUSY_SNAPSHOT).
        connection.exec('delete from crime_import_jobs where 0')
        const writer = new SqliteBulkWriter(trx, connection)
        writer.gatherDayCounts()
        const result = await run(writer, trx)
        await writer.writeDayCounts()
        writer.restoreIndexes()
        return result
      })
    } finally {
      await db.destroy()
    }
  }

  /** Inserts rows (values in column order), ROWS_PER_STATEMENT to a statement. */
  private insertMany<T>(
    table: string,
    columns: readonly string[],
    rows: readonly T[],
    valuesOf: (row: T, into: unknown[], at: number) => void,
    verb = 'insert',
    tuple = `(${columns.map(() => '?').join(', ')})`,
  ): void {
    const width = tuple.split('?').length - 1
    const head = `${verb} into ${table} (${columns.join(', ')}) values `
    const full = Math.floor(rows.length / ROWS_PER_STATEMENT) * ROWS_PER_STATEMENT
    if (full > 0) {
      const many = this.statement(head + Array(ROWS_PER_STATEMENT).fill(tuple).join(', '))
      const args = new Array<unknown>(ROWS_PER_STATEMENT * width)
      for (let start = 0; start < full; start += ROWS_PER_STATEMENT) {
        for (let offset = 0; offset < ROWS_PER_STATEMENT; offset++) valuesOf(rows[start + offset], args, offset * width)
        many.run(args)
      }
    }
    if (full < rows.length) {
      const one = this.statement(head + tuple)
      const args = new Array<unknown>(width)
      for (let position = full; position < rows.length; position++) {
        valuesOf(rows[position], args, 0)
        one.run(args)
      }
    }
  }

  private statement(text: string): SQLite.Statement {
    let statement = this.statements.get(text)
    if (!statement) {
      statement = this.connection.prepare(text)
      this.statements.set(text, statement)
    }
    return statement
  }

  /**
   * When the crime tables are (nearly) empty, drops their secondary indexes for the import and builds them at the end:
   * one sort per index instead of a random B-tree insert per row.
   */
  override async deferIndexesIfEmpty(threshold = 1000): Promise<boolean> {
    const { crimes, people } = this.statement(
      'select (select count(*) from crimes) as crimes, (select count(*) from people) as people',
    ).get() as { crimes: number; people: number }
    this.startedEmpty = crimes === 0 && people === 0
    if (crimes > threshold) return false
    // Read from the schema, so they come back exactly as the migrations made them. Constraint indexes have no SQL.
    const tables = DEFERRED_TABLES.map(() => '?').join(', ')
    const indexes = this.connection
      .prepare(
        `select name, sql from sqlite_schema where type = 'index' and sql is not null and tbl_name in (${tables})`,
      )
      .all(...DEFERRED_TABLES) as { name: string; sql: string }[]
    for (const index of indexes) this.connection.exec(`drop index "${index.name.replaceAll('"', '""')}"`)
    this.deferred = indexes.map((index) => index.sql)
    this.statements.clear()
    return true
  }

  private restoreIndexes(): void {
    for (const statement of this.deferred) this.connection.exec(statement)
    this.deferred = []
  }

  override async crimeIdsByReference(forceId: number, references: string[]): Promise<Map<string, number>> {
    if (this.startedEmpty) return new Map()
    const select = this.statement('select id from crimes where force_id = ? and force_reference = ?').pluck()
    const found = new Map<string, number>()
    for (const reference of references) {
      const id = select.get(forceId, reference) as number | undefined
      if (id !== undefined) found.set(reference, id)
    }
    return found
  }

  /**
   * The ids the next n rows of a table get: this writer numbers rows itself (from the table's AUTOINCREMENT sequence),
   * so a multi-row INSERT still tells each crime and person its id. It holds the write lock, so nobody else numbers.
   */
  private takeIds(table: 'crimes' | 'people', count: number): number {
    let next = this.nextIds.get(table)
    if (next === undefined) {
      next =
        (this.statement(
          `select max(coalesce((select seq from sqlite_sequence where name = '${table}'), 0), coalesce((select max(id) from ${table}), 0)) + 1`,
        )
          .pluck()
          .get() as number) ?? 1
    }
    this.nextIds.set(table, next + count)
    return next
  }

  override async insertCrimes(rows: Insertable<CrimesTable>[]): Promise<Map<string, number>> {
    const first = this.takeIds('crimes', rows.length)
    const ids = new Map<string, number>()
    rows.forEach((row, position) => ids.set(row.force_reference, first + position))
    const columns = ['id', ...CRIME_INSERT_COLUMNS]
    const width = CRIME_INSERT_COLUMNS.length
    this.insertMany('crimes', columns, rows, (row, into, at) => {
      into[at] = ids.get(row.force_reference)
      const record = row as unknown as Record<string, unknown>
      for (let column = 0; column < width; column++)
        into[at + 1 + column] = record[CRIME_INSERT_COLUMNS[column]] ?? null
    })
    return ids
  }

  override async peopleByKey(forceId: number, keys: string[]) {
    const found = new Map<string, Pick<PersonRow, 'id' | 'forename' | 'surname' | 'date_of_birth'>>()
    if (this.startedEmpty) return found
    const select = this.statement(
      'select id, forename, surname, date_of_birth from people where force_id = ? and person_key = ?',
    )
    for (const key of keys) {
      const row = select.get(forceId, key) as Pick<PersonRow, 'id' | 'forename' | 'surname' | 'date_of_birth'>
      if (row) found.set(key, row)
    }
    return found
  }

  override async insertPeople(rows: Insertable<PeopleTable>[]): Promise<Map<string, number>> {
    const first = this.takeIds('people', rows.length)
    const ids = new Map<string, number>()
    rows.forEach((row, position) => ids.set(row.person_key, first + position))
    const width = PEOPLE_COLUMNS.length
    this.insertMany('people', ['id', ...PEOPLE_COLUMNS], rows, (row, into, at) => {
      into[at] = ids.get(row.person_key)
      const record = row as unknown as Record<string, unknown>
      for (let column = 0; column < width; column++) into[at + 1 + column] = record[PEOPLE_COLUMNS[column]] ?? null
    })
    return ids
  }

  override async insertOccurrences(rows: Insertable<CrimeOccurrencesTable>[]): Promise<void> {
    this.insertMany('crime_occurrences', ['crime_id', 'occurred_from', 'occurred_to'], rows, (row, into, at) => {
      into[at] = row.crime_id
      into[at + 1] = row.occurred_from
      into[at + 2] = row.occurred_to
    })
  }

  override async insertClassifications(rows: Insertable<CrimeClassificationsTable>[]): Promise<void> {
    const columns = ['crime_id', 'code', 'role', 'added_by', 'added_at', 'reason']
    this.insertMany('crime_classifications', columns, rows, (row, into, at) => {
      into[at] = row.crime_id
      into[at + 1] = row.code
      into[at + 2] = row.role
      into[at + 3] = row.added_by ?? null
      into[at + 4] = row.added_at ?? null
      into[at + 5] = row.reason ?? null
    })
  }

  override async insertIndexRows(rows: CrimeClassificationIndexTable[]): Promise<void> {
    const columns = ['force_id', 'search_key', 'reported_at', 'crime_id', 'role']
    this.insertMany('crime_classification_index', columns, rows, (row, into, at) => {
      into[at] = row.force_id
      into[at + 1] = row.search_key
      into[at + 2] = row.reported_at
      into[at + 3] = row.crime_id
      into[at + 4] = row.role
    })
    await this.countSearchRows(rows, 1)
  }

  override async insertParties(rows: Insertable<CrimePartiesTable>[]): Promise<void> {
    this.insertMany('crime_parties', ['crime_id', 'person_id', 'role'], rows, (row, into, at) => {
      into[at] = row.crime_id
      into[at + 1] = row.person_id
      into[at + 2] = row.role
    })
  }

  override async insertIdentifiers(rows: Insertable<PersonIdentifiersTable>[]): Promise<void> {
    const columns = ['person_id', 'force_id', 'kind', 'value', 'value_norm']
    const fill = (row: Insertable<PersonIdentifiersTable>, into: unknown[], at: number) => {
      into[at] = row.person_id
      into[at + 1] = row.force_id
      into[at + 2] = row.kind
      into[at + 3] = row.value
      into[at + 4] = row.value_norm
    }
    this.insertMany('person_identifiers', columns, rows, fill, 'insert or ignore')
  }

  override async insertIntelligenceLinks(
    rows: { intelligence_id: number; force_id: number; linked_reference: string }[],
  ): Promise<void> {
    const columns = ['intelligence_id', 'force_id', 'linked_reference']
    this.insertMany('intelligence_links', columns, rows, (row, into, at) => {
      into[at] = row.intelligence_id
      into[at + 1] = row.force_id
      into[at + 2] = row.linked_reference
    })
  }

  override async indexText(rows: TextRow[]): Promise<void> {
    // Values, not INSERT ... SELECT from crimes (five times slower when the table had external content); the key is
    // made from the reported time and id in SQL, as everywhere else (textKey.ts).
    const tuple = `(${textKeySql('?', '?')}, ?)`
    this.insertMany(
      'crime_text',
      ['rowid', 'narrative'],
      inKeyOrder(rows),
      (row, into, at) => {
        into[at] = row.reported_at
        into[at + 1] = row.id
        into[at + 2] = row.narrative
      },
      'insert',
      tuple,
    )
  }
}
