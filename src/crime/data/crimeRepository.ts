// The only code that touches the crime area's tables. Bulk writes go in multi-row statements sized to each dialect's
// parameter limit; searches are written against the tables shaped for them (see migrations.ts).
import type pg from 'pg'
import { sql, type Insertable, type Kysely, type RawBuilder, type SelectQueryBuilder, type Transaction } from 'kysely'
import { dialectOf, type DialectName } from '../../platform/data/database.ts'
import type { MeasurePeriod } from '../../platform/days.ts'
import { findForceByName, insertForce } from '../../platform/data/forces.ts'
import type { CrimeDatabase as Database } from './tables.ts'
import type {
  CrimeClassificationDayCountsTable,
  CrimeClassificationIndexTable,
  CrimeClassificationsTable,
  CrimeOccurrencesTable,
  CrimePartiesTable,
  CrimeRow,
  CrimesTable,
  PeopleTable,
  PersonIdentifiersTable,
  PersonRow,
} from './tables.ts'
import { CRIME_INSERT_COLUMNS } from './tables.ts'
import { inKeyOrder, keyBoundable, TEXT_KEY_ID_MASK, textKeySql } from './textKey.ts'

type Executor = Kysely<Database> | Transaction<Database>

type ImportRun<T> = (repository: CrimeRepository, trx: Transaction<Database>) => Promise<T>

/**
 * The bulk writers an import runs in (sqliteBulkWriter.ts, pgCopyWriter.ts). They extend this repository, so they are
 * handed in (crime/index.ts) rather than imported here.
 */
export interface BulkWriters {
  sqlite<T>(path: string, run: ImportRun<T>): Promise<T>
  postgres<T>(pool: pg.Pool, run: ImportRun<T>): Promise<T>
}

/** Rows one bulk statement carries. */
const BULK_ROWS = 5000

/** The tables a bulk import fills, whose secondary indexes and foreign keys it may build at the end instead. */
export const DEFERRED_TABLES = [
  'crimes',
  'crime_occurrences',
  'crime_classifications',
  'people',
  'person_identifiers',
  'crime_parties',
  'intelligence_links',
]

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`

function chunk<T>(rows: T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let start = 0; start < rows.length; start += size) chunks.push(rows.slice(start, start + size))
  return chunks
}

export type MatchRole = 'principal' | 'included' | 'either'

export interface PersonCriteria {
  /** Normalised name tokens: one token matches a forename or surname prefix; two or more, forename then surname. */
  nameTokens?: string[]
  dateOfBirth?: string
  identifierNorm?: string
}

/** Searches count their matches up to this many; past it, a page says "more than 10,000". */
export const COUNT_LIMIT = 10_000

export interface CrimeQuery {
  forceId: number
  /** Search keys (a code or a group key) with how they must match; the first drives the query. */
  keys: { key: string; match: MatchRole }[]
  /** Reported at or after (ISO), and before (ISO, exclusive). */
  reportedFrom?: string
  reportedBefore?: string
  team?: string
  flags?: ('domestic_abuse' | 'online' | 'repeat_victim' | 'stalking_flag')[]
  /** An outcome type, or 'none' for crimes not finalised. */
  outcome?: number | 'none'
  kind?: 'crime' | 'intelligence'
  person?: PersonCriteria
  /** Words every matching narrative contains (stemmed). */
  text?: string
  sort: 'reported' | 'reference' | 'principal' | 'outcome' | 'team'
  direction: 'asc' | 'desc'
}

/** A crime's narrative to index for full text, with what its key is made of (textKey.ts). */
export interface TextRow {
  id: number
  reported_at: string
  narrative: string
}

export interface PartyView {
  role: string
  person_id: number
  forename: string | null
  surname: string | null
  date_of_birth: string | null
}

export interface PersonCrimeView {
  id: number
  force_reference: string
  kind: 'crime' | 'intelligence'
  reported_at: string
  principal_code: string | null
  role: string
  narrative: string
}

/** Every column of a crime record (PostgreSQL's generated tsvector column is not part of it). */
const CRIME_COLUMNS = ['id', ...CRIME_INSERT_COLUMNS] as const

const SORT_COLUMNS: Record<CrimeQuery['sort'], string> = {
  reported: 'reported_at',
  reference: 'force_reference',
  principal: 'principal_code',
  outcome: 'outcome',
  team: 'team',
}

function roleCondition(alias: string, match: MatchRole): RawBuilder<unknown> {
  if (match === 'principal') return sql`and ${sql.ref(`${alias}.role`)} in ('principal', 'both')`
  if (match === 'included') return sql`and ${sql.ref(`${alias}.role`)} in ('included', 'both')`
  return sql``
}

/** FTS5 query from free text: each word quoted (so no operator is ever interpreted), all required. */
export function ftsQuery(text: string): string {
  const words = text.match(/[\p{L}\p{N}]+/gu) ?? []
  return words.map((word) => `"${word}"`).join(' ')
}

export type { MeasurePeriod } from '../../platform/days.ts'

/**
 * A force's crimes carrying a search key (principal or included), reported in [from, to) when a period is given: one
 * range of the classification search table's primary key, as `i` (one row per crime and key, so never DISTINCT).
 * The query other areas start from when they measure or list the force's stalking crimes.
 */
export function crimesWithKey<DB extends Database = Database>(
  db: Kysely<DB> | Transaction<DB>,
  forceId: number,
  searchKey: string,
  period?: MeasurePeriod,
): SelectQueryBuilder<DB & { i: CrimeClassificationIndexTable }, 'i', object> {
  // Another area's database type extends the crime index's; the query starts on the index and the caller joins on.
  let query = (db as unknown as Kysely<Database>)
    .selectFrom('crime_classification_index as i')
    .where('i.force_id', '=', forceId)
    .where('i.search_key', '=', searchKey)
  if (period) query = query.where('i.reported_at', '>=', period.from).where('i.reported_at', '<', period.to)
  return query as unknown as SelectQueryBuilder<DB & { i: CrimeClassificationIndexTable }, 'i', object>
}

const ROLE_COUNT_COLUMN = { principal: 'principal', included: 'included', both: 'both_roles' } as const
type DayCountCell = CrimeClassificationDayCountsTable

/**
 * Changes to the per-day counts of search rows (migration 0202), gathered as rows are written and removed: by force,
 * then key, then day (nested maps, and the day of the last timestamp remembered, as a crime's rows come together: four
 * times faster than one map by a joined name, which matters at 50 million rows).
 */
class DayCountChanges {
  private readonly cells = new Map<number, Map<string, Map<string, DayCountCell>>>()
  private lastReportedAt = ''
  private lastDay = ''

  add(row: Pick<CrimeClassificationIndexTable, 'force_id' | 'search_key' | 'reported_at' | 'role'>, by: 1 | -1): void {
    if (row.reported_at !== this.lastReportedAt) {
      this.lastReportedAt = row.reported_at
      this.lastDay = row.reported_at.slice(0, 10)
    }
    const day = this.lastDay
    let byKey = this.cells.get(row.force_id)
    if (!byKey) this.cells.set(row.force_id, (byKey = new Map()))
    let byDay = byKey.get(row.search_key)
    if (!byDay) byKey.set(row.search_key, (byDay = new Map()))
    let cell = byDay.get(day)
    if (!cell) {
      cell = { force_id: row.force_id, search_key: row.search_key, day, principal: 0, included: 0, both_roles: 0 }
      byDay.set(day, cell)
    }
    cell[ROLE_COUNT_COLUMN[row.role]] += by
  }

  /** The changed cells (those that net to nothing left out), forgetting them. */
  take(): DayCountCell[] {
    const cells: DayCountCell[] = []
    for (const byKey of this.cells.values()) {
      for (const byDay of byKey.values()) {
        for (const cell of byDay.values()) if (cell.principal || cell.included || cell.both_roles) cells.push(cell)
      }
    }
    this.cells.clear()
    return cells
  }
}

/** Filters a day count can answer: one search key and whole days, nothing that needs the crime row. */
/** A search by words and dates alone (with the force): no other condition on the crimes. */
function wordsAndDatesOnly(query: CrimeQuery): boolean {
  return (
    query.keys.length === 0 &&
    query.team === undefined &&
    (query.flags?.length ?? 0) === 0 &&
    query.outcome === undefined &&
    query.kind === undefined &&
    query.person === undefined
  )
}

function countableByDay(query: CrimeQuery): boolean {
  const wholeDay = (value: string | undefined) => value === undefined || /^\d{4}-\d{2}-\d{2}$/.test(value)
  return (
    query.keys.length === 1 &&
    wholeDay(query.reportedFrom) &&
    wholeDay(query.reportedBefore) &&
    query.team === undefined &&
    (query.flags?.length ?? 0) === 0 &&
    query.outcome === undefined &&
    query.kind === undefined &&
    query.person === undefined &&
    query.text === undefined
  )
}

export class CrimeRepository {
  readonly dialect: DialectName

  constructor(
    protected readonly db: Executor,
    private readonly options: { sqlitePath?: string; pgPool?: pg.Pool; bulkWriters?: BulkWriters } = {},
  ) {
    this.dialect = dialectOf(db)
  }

  /** The repository inside a transaction, whichever area's transaction it is (its tables include the crime index's). */
  with<DB extends Database>(trx: Transaction<DB>): CrimeRepository {
    return new CrimeRepository(trx as unknown as Transaction<Database>)
  }

  async transaction<T>(run: (repository: CrimeRepository, trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return (this.db as Kysely<Database>).transaction().execute((trx) => run(new CrimeRepository(trx), trx))
  }

  /**
   * Runs an import in one transaction. On a SQLite file the import gets a connection of its own with prepared
   * statements (see sqliteBulkWriter.ts); elsewhere it is an ordinary transaction with multi-row statements.
   */
  async importTransaction<T>(run: (repository: CrimeRepository, trx: Transaction<Database>) => Promise<T>): Promise<T> {
    const path = this.options.sqlitePath
    const writers = this.options.bulkWriters
    if (this.dialect === 'sqlite' && path && path !== ':memory:' && writers) return writers.sqlite(path, run)
    if (this.dialect === 'postgres' && this.options.pgPool && writers) return writers.postgres(this.options.pgPool, run)
    return this.transaction(async (repository, trx) => {
      repository.gatherDayCounts()
      const result = await run(repository, trx)
      await repository.writeDayCounts()
      await repository.restoreDeferred()
      return result
    })
  }

  private readonly dayCountChanges = new DayCountChanges()
  private dayCountsGathered = false

  /** Holds the per-day counts' changes until writeDayCounts (an import writes each day's count once, not per batch). */
  gatherDayCounts(): void {
    this.dayCountsGathered = true
  }

  /** Adds the changes to the per-day counts of search rows written (by 1) or removed (by -1). */
  protected async countSearchRows(
    rows: readonly Pick<CrimeClassificationIndexTable, 'force_id' | 'search_key' | 'reported_at' | 'role'>[],
    by: 1 | -1,
  ): Promise<void> {
    for (const row of rows) this.dayCountChanges.add(row, by)
    if (!this.dayCountsGathered) await this.writeDayCounts()
  }

  /** Writes the gathered changes to the per-day counts, adding to what each day already has. */
  async writeDayCounts(): Promise<void> {
    for (const cells of chunk(this.dayCountChanges.take(), 500)) {
      await this.db
        .insertInto('crime_classification_day_counts')
        .values(cells)
        .onConflict((conflict) =>
          conflict.columns(['force_id', 'search_key', 'day']).doUpdateSet((eb) => ({
            principal: eb('crime_classification_day_counts.principal', '+', eb.ref('excluded.principal')),
            included: eb('crime_classification_day_counts.included', '+', eb.ref('excluded.included')),
            both_roles: eb('crime_classification_day_counts.both_roles', '+', eb.ref('excluded.both_roles')),
          })),
        )
        .execute()
    }
  }

  private deferredStatements: string[] = []

  /**
   * When the crime tables are (nearly) empty, drops their secondary indexes and foreign keys for the import and builds
   * them again at the end, in the same transaction: one sort per index and one join per foreign key instead of a
   * B-tree insert and a lookup per row. On PostgreSQL (SQLite's bulk writer has its own) the definitions are read
   * from the catalogue, so they come back exactly as the migrations made them. Returns whether it deferred.
   */
  async deferIndexesIfEmpty(threshold = 1000): Promise<boolean> {
    if (this.dialect !== 'postgres') return false
    const { count } = await this.db
      .selectFrom('crimes')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow()
    if (Number(count) > threshold) return false
    const tables = sql.join(DEFERRED_TABLES.map((table) => sql.lit(table)))
    const foreignKeys = await sql<{ name: string; table: string; definition: string }>`
      select conname as name, conrelid::regclass::text as table, pg_get_constraintdef(oid) as definition
      from pg_constraint where contype = 'f' and conrelid::regclass::text in (${tables})`.execute(this.db)
    const indexes = await sql<{ name: string; definition: string }>`
      select i.indexname as name, i.indexdef as definition from pg_indexes i
      where i.schemaname = current_schema() and i.tablename in (${tables})
        and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(this.db)
    for (const key of foreignKeys.rows) {
      await sql`alter table ${sql.table(key.table)} drop constraint ${sql.ref(key.name)}`.execute(this.db)
      this.deferredStatements.push(
        `alter table ${quoteIdentifier(key.table)} add constraint ${quoteIdentifier(key.name)} ${key.definition}`,
      )
    }
    for (const index of indexes.rows) {
      await sql`drop index ${sql.ref(index.name)}`.execute(this.db)
      this.deferredStatements.unshift(index.definition)
    }
    return true
  }

  /** Builds again what deferIndexesIfEmpty dropped: indexes first, so the foreign keys are checked through them. */
  async restoreDeferred(): Promise<void> {
    const statements = this.deferredStatements
    this.deferredStatements = []
    for (const statement of statements) await sql.raw(statement).execute(this.db)
  }

  // ---- Forces -------------------------------------------------------------------------------------------------

  async forceByName(name: string): Promise<{ id: number; name: string } | undefined> {
    return findForceByName(this.db as Kysely<Database>, name)
  }

  async forceName(id: number): Promise<string | undefined> {
    const row = await this.db.selectFrom('forces').select('name').where('id', '=', id).executeTakeFirst()
    return row?.name
  }

  async insertForce(name: string): Promise<number> {
    return insertForce(this.db as Kysely<Database>, name)
  }

  /** Forces that have at least one crime record, with how many. */
  async forcesWithCrimes(): Promise<{ id: number; name: string; crimes: number }[]> {
    return this.db
      .selectFrom('crimes')
      .innerJoin('forces', 'forces.id', 'crimes.force_id')
      .select(['forces.id', 'forces.name', (eb) => eb.fn.countAll<number>().as('crimes')])
      .groupBy(['forces.id', 'forces.name'])
      .orderBy('forces.name')
      .execute()
  }

  /** The force references of the force's crimes with these ids (another force's crimes are left out). */
  async referencesOf(forceId: number, ids: number[]): Promise<Map<number, string>> {
    const found = new Map<number, string>()
    for (const part of chunk(ids, 5000)) {
      const rows = await this.db
        .selectFrom('crimes')
        .select(['id', 'force_reference'])
        .where('force_id', '=', forceId)
        .where('id', 'in', part)
        .execute()
      for (const row of rows) found.set(row.id, row.force_reference)
    }
    return found
  }

  // ---- Bulk writes (import) -----------------------------------------------------------------------------------

  /** Ids of the force's crimes with these references. */
  async crimeIdsByReference(forceId: number, references: string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>()
    for (const part of chunk(references, 5000)) {
      const rows = await this.db
        .selectFrom('crimes')
        .select(['id', 'force_reference'])
        .where('force_id', '=', forceId)
        .where('force_reference', 'in', part)
        .execute()
      for (const row of rows) found.set(row.force_reference, row.id)
    }
    return found
  }

  /**
   * Inserts many rows in one statement per chunk, the rows passed as one JSON parameter and unpacked by the database
   * (SQLite json_each, PostgreSQL json_populate_recordset): no per-row binding or statement building in JavaScript.
   */
  private async bulkInsert<R extends object>(
    table: string,
    columns: (keyof R & string)[],
    rows: R[],
    options: { returning?: string[]; onConflictDoNothing?: string[] } = {},
  ): Promise<Record<string, unknown>[]> {
    const returned: Record<string, unknown>[] = []
    const names = sql.join(columns.map((column) => sql.ref(column)))
    const source =
      this.dialect === 'sqlite'
        ? (json: string) =>
            sql`select ${sql.join(columns.map((column) => sql`value ->> ${`$.${column}`}`))} from json_each(${json})`
        : (json: string) => sql`select ${names} from json_populate_recordset(null::${sql.table(table)}, ${json}::json)`
    const conflict = options.onConflictDoNothing
      ? sql` on conflict (${sql.join(options.onConflictDoNothing.map((column) => sql.ref(column)))}) do nothing`
      : sql``
    const returning = options.returning ? sql` returning ${sql.join(options.returning.map((c) => sql.ref(c)))}` : sql``
    for (const part of chunk(rows, BULK_ROWS)) {
      const json = JSON.stringify(
        part.map((row) =>
          Object.fromEntries(columns.map((column) => [column, (row as Record<string, unknown>)[column]])),
        ),
      )
      // SQLite needs a WHERE before ON CONFLICT in INSERT ... SELECT, to tell it from a join constraint.
      const where = options.onConflictDoNothing && this.dialect === 'sqlite' ? sql` where true` : sql``
      const result = await sql<Record<string, unknown>>`insert into ${sql.table(table)} (${names})
        ${source(json)}${where}${conflict}${returning}`.execute(this.db)
      returned.push(...result.rows)
    }
    return returned
  }

  /** Inserts crimes and returns their ids by force reference. */
  async insertCrimes(rows: Insertable<CrimesTable>[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>()
    if (rows.length === 0) return ids
    const inserted = await this.bulkInsert(
      'crimes',
      CRIME_COLUMNS.slice(1) as (keyof (typeof rows)[0] & string)[],
      rows,
      {
        returning: ['id', 'force_reference'],
      },
    )
    for (const row of inserted) ids.set(row.force_reference as string, Number(row.id))
    return ids
  }

  async updateCrime(id: number, row: Omit<Insertable<CrimesTable>, 'created_at'>): Promise<void> {
    await this.db.updateTable('crimes').set(row).where('id', '=', id).execute()
  }

  /**
   * Removes everything derived from or attached to these crimes, so a re-import can write them afresh. The
   * classification search rows are found by primary key: searchKeys gives the keys a classification code is indexed under.
   */
  async clearCrimeDetails(crimeIds: number[], searchKeys: (code: string) => string[]): Promise<void> {
    for (const part of chunk(crimeIds, 5000)) {
      const classified = await this.db
        .selectFrom('crime_classifications as k')
        .innerJoin('crimes as c', 'c.id', 'k.crime_id')
        .select(['c.id', 'c.force_id', 'c.reported_at', 'k.code'])
        .where('k.crime_id', 'in', part)
        .execute()
      const indexRows = new Map<string, [number, string, string, number]>()
      for (const row of classified) {
        for (const key of searchKeys(row.code)) {
          indexRows.set(`${row.id}|${key}`, [row.force_id, key, row.reported_at, row.id])
        }
      }
      for (const rows of chunk([...indexRows.values()], 500)) {
        const removed = await this.db
          .deleteFrom('crime_classification_index')
          .where((eb) =>
            eb.or(
              rows.map(([forceId, key, reportedAt, crimeId]) =>
                eb.and([
                  eb('force_id', '=', forceId),
                  eb('search_key', '=', key),
                  eb('reported_at', '=', reportedAt),
                  eb('crime_id', '=', crimeId),
                ]),
              ),
            ),
          )
          .returning(['force_id', 'search_key', 'reported_at', 'role'])
          .execute()
        await this.countSearchRows(removed, -1)
      }
      if (this.dialect === 'sqlite') {
        // Keyed by the reported time the crime has now, before the re-import rewrites it (textKey.ts).
        await sql`delete from crime_text where rowid in (
          select ${sql.raw(textKeySql('reported_at', 'id'))} from crimes where id in (${sql.join(part)}))`.execute(
          this.db,
        )
      }
      await this.db.deleteFrom('crime_occurrences').where('crime_id', 'in', part).execute()
      await this.db.deleteFrom('crime_classifications').where('crime_id', 'in', part).execute()
      await this.db.deleteFrom('crime_parties').where('crime_id', 'in', part).execute()
      await this.db.deleteFrom('intelligence_links').where('intelligence_id', 'in', part).execute()
    }
  }

  /**
   * Indexes narratives for full text (SQLite; PostgreSQL's tsvector column is generated), keyed by the crimes' reported
   * time and id as written (textKey.ts): the crimes' own rows must be written first.
   */
  async indexText(rows: TextRow[]): Promise<void> {
    if (this.dialect !== 'sqlite' || rows.length === 0) return
    for (const part of chunk(inKeyOrder(rows), 2000)) {
      await sql`insert into crime_text (rowid, narrative)
        select ${sql.raw(textKeySql("value ->> '$.reported_at'", "value ->> '$.id'"))}, value ->> '$.narrative'
        from json_each(${JSON.stringify(part)})`.execute(this.db)
    }
  }

  async insertOccurrences(rows: Insertable<CrimeOccurrencesTable>[]): Promise<void> {
    await this.bulkInsert('crime_occurrences', ['crime_id', 'occurred_from', 'occurred_to'], rows)
  }

  async insertClassifications(rows: Insertable<CrimeClassificationsTable>[]): Promise<void> {
    await this.bulkInsert('crime_classifications', ['crime_id', 'code', 'role', 'added_by', 'added_at', 'reason'], rows)
  }

  async insertIndexRows(rows: CrimeClassificationIndexTable[]): Promise<void> {
    await this.bulkInsert(
      'crime_classification_index',
      ['force_id', 'search_key', 'reported_at', 'crime_id', 'role'],
      rows,
    )
    await this.countSearchRows(rows, 1)
  }

  async insertParties(rows: Insertable<CrimePartiesTable>[]): Promise<void> {
    await this.bulkInsert('crime_parties', ['crime_id', 'person_id', 'role'], rows)
  }

  async insertIntelligenceLinks(rows: { intelligence_id: number; force_id: number; linked_reference: string }[]) {
    await this.bulkInsert('intelligence_links', ['intelligence_id', 'force_id', 'linked_reference'], rows)
  }

  /** Ids of the force's people with these keys, with the fields an import may update. */
  async peopleByKey(
    forceId: number,
    keys: string[],
  ): Promise<Map<string, Pick<PersonRow, 'id' | 'forename' | 'surname' | 'date_of_birth'>>> {
    const found = new Map<string, Pick<PersonRow, 'id' | 'forename' | 'surname' | 'date_of_birth'>>()
    for (const part of chunk(keys, 5000)) {
      const rows = await this.db
        .selectFrom('people')
        .select(['id', 'person_key', 'forename', 'surname', 'date_of_birth'])
        .where('force_id', '=', forceId)
        .where('person_key', 'in', part)
        .execute()
      for (const row of rows) found.set(row.person_key, row)
    }
    return found
  }

  async insertPeople(rows: Insertable<PeopleTable>[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>()
    const columns = [
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
    const inserted = await this.bulkInsert('people', [...columns], rows, { returning: ['id', 'person_key'] })
    for (const row of inserted) ids.set(row.person_key as string, Number(row.id))
    return ids
  }

  async updatePerson(
    id: number,
    fields: Pick<PersonRow, 'forename' | 'surname' | 'forename_norm' | 'surname_norm' | 'date_of_birth'>,
  ): Promise<void> {
    await this.db
      .updateTable('people')
      .set({ ...fields, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute()
  }

  async insertIdentifiers(rows: Insertable<PersonIdentifiersTable>[]): Promise<void> {
    await this.bulkInsert('person_identifiers', ['person_id', 'force_id', 'kind', 'value', 'value_norm'], rows, {
      onConflictDoNothing: ['person_id', 'kind', 'value_norm'],
    })
  }

  /**
   * Tells PostgreSQL's planner, part way through an import, how big the tables it is filling have grown: without it,
   * a table that was empty when the import began has no statistics, so the planner takes the look-up of 2,000
   * references for a match on every row and scans the whole table for each batch (an import slowing as it grows).
   * ANALYZE inside the transaction sees the import's own rows. SQLite's look-ups are by index whatever it knows.
   */
  async refreshStatisticsDuringImport(): Promise<void> {
    if (this.dialect !== 'postgres') return
    await sql`analyze crimes, people, person_identifiers`.execute(this.db)
  }

  /** Refreshes the planner's statistics after a large import (PostgreSQL also marks pages all-visible). */
  async refreshStatistics(): Promise<void> {
    if (this.dialect === 'sqlite') {
      // Sampled statistics: enough for the planner, seconds faster than a full ANALYZE at 1M crimes.
      await sql`pragma analysis_limit = 2000`.execute(this.db)
      await sql`analyze`.execute(this.db)
    } else {
      await sql`vacuum analyze crimes, crime_classification_index, crime_classification_day_counts, crime_classifications, people, person_identifiers, crime_parties`.execute(
        this.db,
      )
    }
  }

  // ---- Classifications added in Threadline (a screening decision's included 8Q) --------------------------------

  /** Flags a record stalking (an intelligence report, Recommendation 7.2); updated_at is left alone, as for 8Q. */
  async setStalkingFlag(crimeId: number): Promise<void> {
    await this.db.updateTable('crimes').set({ stalking_flag: 1 }).where('id', '=', crimeId).execute()
  }

  async hasClassification(crimeId: number, codes: string[]): Promise<boolean> {
    const row = await this.db
      .selectFrom('crime_classifications')
      .select('id')
      .where('crime_id', '=', crimeId)
      .where('code', 'in', codes)
      .executeTakeFirst()
    return row !== undefined
  }

  /**
   * Adds an included classification with who, when and why, and its search-index rows (a key the crime already has
   * as principal becomes 'both'). The crime's updated_at is left alone: it says when the records system last changed
   * it, and the classification row carries who added it, when and why.
   */
  async addIncludedClassification(
    crime: { id: number; force_id: number; reported_at: string },
    code: string,
    searchKeys: string[],
    who: string,
    why: string,
    at: string,
  ): Promise<void> {
    await this.db
      .insertInto('crime_classifications')
      .values({ crime_id: crime.id, code, role: 'included', added_by: who, added_at: at, reason: why })
      .execute()
    const existing = await this.db
      .selectFrom('crime_classification_index')
      .select(['search_key', 'role'])
      .where('force_id', '=', crime.force_id)
      .where('search_key', 'in', searchKeys)
      .where('reported_at', '=', crime.reported_at)
      .where('crime_id', '=', crime.id)
      .execute()
    const roleOf = new Map(existing.map((row) => [row.search_key, row.role]))
    const counted: Pick<CrimeClassificationIndexTable, 'force_id' | 'search_key' | 'reported_at' | 'role'>[] = []
    const uncounted: typeof counted = []
    for (const key of searchKeys) {
      const role = roleOf.get(key)
      if (role === undefined) {
        await this.db
          .insertInto('crime_classification_index')
          .values({
            force_id: crime.force_id,
            search_key: key,
            reported_at: crime.reported_at,
            crime_id: crime.id,
            role: 'included',
          })
          .execute()
        counted.push({ force_id: crime.force_id, search_key: key, reported_at: crime.reported_at, role: 'included' })
      } else if (role === 'principal') {
        await this.db
          .updateTable('crime_classification_index')
          .set({ role: 'both' })
          .where('force_id', '=', crime.force_id)
          .where('search_key', '=', key)
          .where('reported_at', '=', crime.reported_at)
          .where('crime_id', '=', crime.id)
          .execute()
        uncounted.push({ force_id: crime.force_id, search_key: key, reported_at: crime.reported_at, role: 'principal' })
        counted.push({ force_id: crime.force_id, search_key: key, reported_at: crime.reported_at, role: 'both' })
      }
    }
    await this.countSearchRows(uncounted, -1)
    await this.countSearchRows(counted, 1)
  }

  // ---- Reads --------------------------------------------------------------------------------------------------

  /** The victims (party role victim) of the force's crimes carrying the search key, oldest report first: demo data. */
  async victimsOfCrimesWithKey(forceId: number, searchKey: string) {
    return crimesWithKey(this.db, forceId, searchKey)
      .innerJoin('crime_parties as p', 'p.crime_id', 'i.crime_id')
      .where('p.role', '=', 'victim')
      .select(['i.crime_id', 'i.reported_at', 'p.person_id'])
      .distinct()
      .orderBy('i.reported_at')
      .orderBy('i.crime_id')
      .orderBy('p.person_id')
      .execute()
  }

  async crimeById(id: number): Promise<CrimeRow | undefined> {
    return this.db.selectFrom('crimes').select(CRIME_COLUMNS).where('id', '=', id).executeTakeFirst()
  }

  async crimeByReference(forceId: number, reference: string): Promise<CrimeRow | undefined> {
    const row = await this.db
      .selectFrom('crimes')
      .select('id')
      .where('force_id', '=', forceId)
      .where('force_reference', '=', reference)
      .executeTakeFirst()
    return row ? this.crimeById(row.id) : undefined
  }

  async classificationsOf(crimeId: number) {
    return this.db
      .selectFrom('crime_classifications')
      .select(['code', 'role', 'added_by', 'added_at', 'reason'])
      .where('crime_id', '=', crimeId)
      .orderBy('role', 'desc')
      .orderBy('id')
      .execute()
  }

  async occurrencesOf(crimeId: number) {
    return this.db
      .selectFrom('crime_occurrences')
      .select(['occurred_from', 'occurred_to'])
      .where('crime_id', '=', crimeId)
      .orderBy('occurred_from')
      .execute()
  }

  async partiesOf(crimeId: number): Promise<PartyView[]> {
    return this.db
      .selectFrom('crime_parties')
      .innerJoin('people', 'people.id', 'crime_parties.person_id')
      .select([
        'crime_parties.role',
        'crime_parties.person_id',
        'people.forename',
        'people.surname',
        'people.date_of_birth',
      ])
      .where('crime_parties.crime_id', '=', crimeId)
      .orderBy('crime_parties.id')
      .execute()
  }

  /** Crimes an intelligence report is linked to (those imported so far) and references not yet known. */
  async linkedCrimesOf(intelligenceId: number) {
    return this.db
      .selectFrom('intelligence_links')
      .leftJoin('crimes', (join) =>
        join
          .onRef('crimes.force_id', '=', 'intelligence_links.force_id')
          .onRef('crimes.force_reference', '=', 'intelligence_links.linked_reference'),
      )
      .select(['intelligence_links.linked_reference', 'crimes.id', 'crimes.principal_code', 'crimes.reported_at'])
      .where('intelligence_links.intelligence_id', '=', intelligenceId)
      .orderBy('intelligence_links.id')
      .execute()
  }

  /** Intelligence reports linked to a crime. */
  async intelligenceLinkedTo(crime: Pick<CrimeRow, 'force_id' | 'force_reference'>) {
    return this.db
      .selectFrom('intelligence_links')
      .innerJoin('crimes', 'crimes.id', 'intelligence_links.intelligence_id')
      .select(['crimes.id', 'crimes.force_reference', 'crimes.reported_at'])
      .where('intelligence_links.force_id', '=', crime.force_id)
      .where('intelligence_links.linked_reference', '=', crime.force_reference)
      .orderBy('crimes.reported_at')
      .execute()
  }

  async personById(id: number): Promise<PersonRow | undefined> {
    return this.db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst()
  }

  async identifiersOf(personId: number) {
    return this.db
      .selectFrom('person_identifiers')
      .select(['kind', 'value'])
      .where('person_id', '=', personId)
      .orderBy('kind')
      .orderBy('value')
      .execute()
  }

  /** Every crime and intelligence report the person appears in, oldest first. */
  async recordsOfPerson(personId: number): Promise<PersonCrimeView[]> {
    return this.db
      .selectFrom('crime_parties')
      .innerJoin('crimes', 'crimes.id', 'crime_parties.crime_id')
      .select([
        'crimes.id',
        'crimes.force_reference',
        'crimes.kind',
        'crimes.reported_at',
        'crimes.principal_code',
        'crime_parties.role',
        'crimes.narrative',
      ])
      .where('crime_parties.person_id', '=', personId)
      .orderBy('crimes.reported_at')
      .orderBy('crimes.id')
      .execute()
  }

  /** The crimes with these ids (any order) and each one's included classification codes. */
  async crimesWithIncluded(ids: number[]): Promise<(CrimeRow & { included: string[] })[]> {
    if (ids.length === 0) return []
    const rows: CrimeRow[] = []
    const included = new Map<number, string[]>()
    for (const part of chunk(ids, 5000)) {
      rows.push(...(await this.db.selectFrom('crimes').select(CRIME_COLUMNS).where('id', 'in', part).execute()))
      const codes = await this.db
        .selectFrom('crime_classifications')
        .select(['crime_id', 'code'])
        .where('crime_id', 'in', part)
        .where('role', '=', 'included')
        .orderBy('id')
        .execute()
      for (const { crime_id, code } of codes) included.set(crime_id, [...(included.get(crime_id) ?? []), code])
    }
    const byId = new Map(rows.map((row) => [row.id, row]))
    return ids.flatMap((id) => {
      const row = byId.get(id)
      return row ? [{ ...row, included: included.get(id) ?? [] }] : []
    })
  }

  /**
   * The force's teams, in order. A loose index scan (each next team is one seek in the force-and-team index), so it
   * costs a few look-ups per team rather than a read of every crime.
   */
  async teams(forceId: number): Promise<string[]> {
    const rows = await sql<{ team: string | null }>`with recursive teams (team) as (
        select min(team) from crimes where force_id = ${forceId} and team is not null
        union all
        select (select min(c.team) from crimes c where c.force_id = ${forceId} and c.team > teams.team)
        from teams where teams.team is not null
      )
      select team from teams where team is not null order by team`.execute(this.db)
    return rows.rows.map((row) => row.team as string)
  }

  // ---- Search -------------------------------------------------------------------------------------------------

  private personCondition(forceId: number, person: PersonCriteria): RawBuilder<unknown> | null {
    const conditions: RawBuilder<unknown>[] = []
    const tokens = person.nameTokens ?? []
    if (tokens.length === 1) {
      const [token] = tokens
      const upper = `${token}\uffff`
      conditions.push(
        sql`p.id in (select id from people where force_id = ${forceId} and surname_norm >= ${token} and surname_norm < ${upper}
          union select id from people where force_id = ${forceId} and forename_norm >= ${token} and forename_norm < ${upper})`,
      )
    } else if (tokens.length > 1) {
      const surname = tokens[tokens.length - 1]
      const forename = tokens.slice(0, -1).join(' ')
      conditions.push(
        sql`p.surname_norm >= ${surname} and p.surname_norm < ${`${surname}\uffff`}
          and p.forename_norm >= ${forename} and p.forename_norm < ${`${forename}\uffff`}`,
      )
    }
    if (person.dateOfBirth) conditions.push(sql`p.date_of_birth = ${person.dateOfBirth}`)
    if (person.identifierNorm) {
      conditions.push(
        sql`p.id in (select person_id from person_identifiers where force_id = ${forceId} and value_norm = ${person.identifierNorm})`,
      )
    }
    if (conditions.length === 0) return null
    return sql`p.force_id = ${forceId} and ${sql.join(conditions, sql` and `)}`
  }

  /**
   * People of a force matching the criteria, by the name matched (a one-word search), then surname, forename and id.
   * A one-word search is two ordered index ranges, surnames and forenames starting with the word, each read only as
   * far as the page needs and merged; its count is the two ranges' counted up to the limit. Anything else is one
   * filter the planner drives from its most selective index (date of birth, identifier, surname).
   */
  async searchPeople(
    forceId: number,
    criteria: PersonCriteria,
    limit: number,
    offset = 0,
    countLimit = COUNT_LIMIT,
  ): Promise<{ people: (PersonRow & { records: number })[]; total: number; totalCapped: boolean }> {
    const tokens = criteria.nameTokens ?? []
    if (tokens.length === 1 && !criteria.dateOfBirth && !criteria.identifierNorm) {
      return this.searchPeopleByPrefix(forceId, tokens[0], limit, offset, countLimit)
    }
    const conditions: RawBuilder<unknown>[] = [sql`p.force_id = ${forceId}`]
    if (tokens.length === 1) {
      const [token] = tokens
      conditions.push(sql`(p.surname_norm >= ${token} and p.surname_norm < ${`${token}\uffff`}
        or p.forename_norm >= ${token} and p.forename_norm < ${`${token}\uffff`})`)
    } else if (tokens.length > 1) {
      const surname = tokens[tokens.length - 1]
      const forename = tokens.slice(0, -1).join(' ')
      conditions.push(sql`p.surname_norm >= ${surname} and p.surname_norm < ${`${surname}\uffff`}
        and p.forename_norm >= ${forename} and p.forename_norm < ${`${forename}\uffff`}`)
    }
    if (criteria.dateOfBirth) conditions.push(sql`p.date_of_birth = ${criteria.dateOfBirth}`)
    if (criteria.identifierNorm) {
      conditions.push(sql`p.id in (select person_id from person_identifiers
        where force_id = ${forceId} and value_norm = ${criteria.identifierNorm})`)
    }
    if (conditions.length === 1) return { people: [], total: 0, totalCapped: false }
    const where = sql.join(conditions, sql` and `)
    const counted = await this.cappedCount(sql`people p where ${where}`, countLimit)
    const rows = await sql<PersonRow & { records: number }>`select p.*,
        (select count(*) from crime_parties cp where cp.person_id = p.id) as records
      from people p where ${where}
      order by p.surname_norm, p.forename_norm, p.id limit ${limit} offset ${offset}`.execute(this.db)
    return { people: rows.rows.map((row) => ({ ...row, records: Number(row.records) })), ...counted }
  }

  private async searchPeopleByPrefix(
    forceId: number,
    token: string,
    limit: number,
    offset: number,
    countLimit: number,
  ): Promise<{ people: (PersonRow & { records: number })[]; total: number; totalCapped: boolean }> {
    const upper = `${token}\uffff`
    const surnames = sql`force_id = ${forceId} and surname_norm >= ${token} and surname_norm < ${upper}`
    // A forename match whose surname matches too is listed once, as a surname match.
    const forenames = sql`force_id = ${forceId} and forename_norm >= ${token} and forename_norm < ${upper}
      and not (surname_norm >= ${token} and surname_norm < ${upper})`
    const reach = offset + limit
    const page = await sql<{ id: number }>`select id from (
        select * from (select id, surname_norm as name, surname_norm, forename_norm from people where ${surnames}
          order by surname_norm, forename_norm, id limit ${reach}) as by_surname
        union all
        select * from (select id, forename_norm as name, surname_norm, forename_norm from people where ${forenames}
          order by forename_norm, surname_norm, id limit ${reach}) as by_forename
      ) as matches order by name, surname_norm, forename_norm, id limit ${limit} offset ${offset}`.execute(this.db)
    const counts = await sql<{ surnames: number | string; forenames: number | string }>`select
      (select count(*) from (select 1 from people where ${surnames} limit ${countLimit + 1}) as s) as surnames,
      (select count(*) from (select 1 from people where ${forenames} limit ${countLimit + 1}) as f) as forenames`.execute(
      this.db,
    )
    const total = Number(counts.rows[0]?.surnames ?? 0) + Number(counts.rows[0]?.forenames ?? 0)
    const ids = page.rows.map((row) => Number(row.id))
    if (ids.length === 0) return { people: [], total: Math.min(total, countLimit), totalCapped: total > countLimit }
    const rows = await sql<PersonRow & { records: number }>`select p.*,
        (select count(*) from crime_parties cp where cp.person_id = p.id) as records
      from people p where p.id in (${sql.join(ids)})`.execute(this.db)
    const byId = new Map(rows.rows.map((row) => [Number(row.id), { ...row, records: Number(row.records) }]))
    return {
      people: ids.flatMap((id) => byId.get(id) ?? []),
      total: Math.min(total, countLimit),
      totalCapped: total > countLimit,
    }
  }

  /**
   * The FROM and WHERE of a crime search, and the expressions for the id and the sort column. byTextKey: the search
   * is driven by SQLite's full-text rows in key order (textKey.ts), `t` joined to `c`; see searchCrimeIds.
   */
  private crimeSearchParts(query: CrimeQuery): {
    from: RawBuilder<unknown>
    id: string
    date: string
    byTextKey: boolean
    match: string
  } {
    const [driver, ...others] = query.keys
    const conditions: RawBuilder<unknown>[] = []
    const match = this.dialect === 'sqlite' && query.text ? ftsQuery(query.text) : ''
    // Words with no classification key, in reported order: the words' matches in key order are the crimes in
    // reported order (to the minute), so the page and the capped count read the first matches of one key range. A
    // person's crimes are few, so with a person the person drives as before.
    const byTextKey = match !== '' && !driver && query.sort === 'reported' && query.person === undefined
    const needsCrimes =
      !driver ||
      query.sort !== 'reported' ||
      query.team !== undefined ||
      (query.flags?.length ?? 0) > 0 ||
      query.outcome !== undefined ||
      query.kind !== undefined ||
      (query.text !== undefined && this.dialect === 'postgres')
    let from: RawBuilder<unknown>
    let id: string
    let date: string
    if (driver) {
      id = 'i.crime_id'
      date = 'i.reported_at'
      from = needsCrimes
        ? sql`crime_classification_index i join crimes c on c.id = i.crime_id`
        : sql`crime_classification_index i`
      conditions.push(
        sql`i.force_id = ${query.forceId} and i.search_key = ${driver.key} ${roleCondition('i', driver.match)}`,
      )
      for (const other of others) {
        conditions.push(sql`exists (select 1 from crime_classification_index j where j.force_id = i.force_id
          and j.search_key = ${other.key} and j.reported_at = i.reported_at and j.crime_id = i.crime_id
          ${roleCondition('j', other.match)})`)
      }
    } else if (byTextKey) {
      id = 'c.id'
      date = 'c.reported_at'
      // CROSS JOIN keeps the full-text rows the outer loop, so their key order is the order rows are found in.
      from = sql`crime_text t cross join crimes c on c.id = (t.rowid & ${sql.lit(TEXT_KEY_ID_MASK)})`
      conditions.push(sql`t.crime_text match ${match}`, ...this.textKeyRange('t.rowid', query))
      conditions.push(sql`c.force_id = ${query.forceId}`)
    } else {
      id = 'c.id'
      date = 'c.reported_at'
      from = sql`crimes c`
      conditions.push(sql`c.force_id = ${query.forceId}`)
    }
    if (query.reportedFrom) conditions.push(sql`${sql.raw(date)} >= ${query.reportedFrom}`)
    if (query.reportedBefore) conditions.push(sql`${sql.raw(date)} < ${query.reportedBefore}`)
    if (query.team !== undefined) conditions.push(sql`c.team = ${query.team}`)
    for (const flag of query.flags ?? []) conditions.push(sql`${sql.ref(`c.${flag}`)} = 1`)
    if (query.outcome === 'none') conditions.push(sql`c.outcome is null`)
    else if (query.outcome !== undefined) conditions.push(sql`c.outcome = ${query.outcome}`)
    if (query.kind) conditions.push(sql`c.kind = ${query.kind}`)
    if (query.person) {
      const person = this.personCondition(query.forceId, query.person)
      if (person) {
        conditions.push(
          sql`${sql.raw(id)} in (select cp.crime_id from crime_parties cp join people p on p.id = cp.person_id where ${person})`,
        )
      }
    }
    if (query.text) {
      if (this.dialect === 'sqlite') {
        if (match && !byTextKey) {
          const range = this.textKeyRange('rowid', query)
          conditions.push(sql`${sql.raw(id)} in (select rowid & ${sql.lit(TEXT_KEY_ID_MASK)} from crime_text
            where ${sql.join([sql`crime_text match ${match}`, ...range], sql` and `)})`)
        }
      } else {
        conditions.push(sql`c.narrative_tsv @@ websearch_to_tsquery('english', ${query.text})`)
        // The same range by day, which the full-text index (migration 0217) holds beside the words: the count
        // becomes one scan of that index instead of every match of the words joined with every crime in the range.
        if (query.reportedFrom) conditions.push(sql`substr(c.reported_at, 1, 10) >= ${query.reportedFrom.slice(0, 10)}`)
        if (query.reportedBefore) {
          const day = query.reportedBefore.slice(0, 10)
          conditions.push(
            query.reportedBefore.length === 10
              ? sql`substr(c.reported_at, 1, 10) < ${day}`
              : sql`substr(c.reported_at, 1, 10) <= ${day}`,
          )
        }
      }
    }
    return { from: sql`${from} where ${sql.join(conditions, sql` and `)}`, id, date, byTextKey, match }
  }

  /**
   * The full-text keys a search's date range can reach (textKey.ts): every crime reported in the range has its key in
   * them, so with the range's own conditions on reported_at the matches are exactly as without them.
   */
  private textKeyRange(rowid: string, query: CrimeQuery): RawBuilder<unknown>[] {
    const range: RawBuilder<unknown>[] = []
    const minute = (value: string) => sql`(unixepoch(substr(${value}, 1, 19)) / 60)`
    if (query.reportedFrom && keyBoundable(query.reportedFrom)) {
      range.push(sql`${sql.raw(rowid)} >= (${minute(query.reportedFrom)} << 32)`)
    }
    if (query.reportedBefore && keyBoundable(query.reportedBefore)) {
      range.push(sql`${sql.raw(rowid)} < ((${minute(query.reportedBefore)} + 1) << 32)`)
    }
    return range
  }

  /** One page of matching crime ids in the asked order, and how many match in all. */
  async searchCrimeIds(
    query: CrimeQuery,
    limit: number,
    offset: number,
    options: { count?: boolean; countLimit?: number } = {},
  ): Promise<{ ids: number[]; total: number; totalCapped: boolean }> {
    const { from, id, date, byTextKey, match } = this.crimeSearchParts(query)
    const direction = sql.raw(query.direction === 'asc' ? 'asc' : 'desc')
    const order =
      query.sort === 'reported'
        ? sql`${sql.raw(date)} ${direction}, ${sql.raw(id)} ${direction}`
        : sql`${sql.ref(`c.${SORT_COLUMNS[query.sort]}`)} ${direction} ${sql.raw(this.dialect === 'postgres' ? 'nulls last' : '')}, ${sql.raw(date)} desc, ${sql.raw(id)} desc`
    // Driven by full-text keys: the (offset + limit)th match in key order fixes the last minute the page can reach;
    // every match from that minute on, sorted by reported_at and id, holds the page (crimes of an earlier minute come
    // after all of them), so the sort is of a page's worth of rows, not of every match.
    const reach =
      byTextKey && limit > 0
        ? query.direction === 'asc'
          ? sql`and t.rowid < coalesce((select ((k >> 32) + 1) << 32 from (select t.rowid as k from ${from}
              order by t.rowid asc limit 1 offset ${offset + limit - 1})), 9223372036854775807)`
          : sql`and t.rowid >= coalesce((select (k >> 32) << 32 from (select t.rowid as k from ${from}
              order by t.rowid desc limit 1 offset ${offset + limit - 1})), -9223372036854775807 - 1)`
        : sql``
    const page = await sql<{ id: number }>`select ${sql.raw(id)} as id from ${from} ${reach} order by ${order}
      limit ${limit} offset ${offset}`.execute(this.db)
    const ids = page.rows.map((row) => Number(row.id))
    if (options.count === false) return { ids, total: -1, totalCapped: false }
    if (countableByDay(query)) return { ids, total: await this.countByDay(query), totalCapped: false }
    const countLimit = options.countLimit ?? COUNT_LIMIT
    if (byTextKey && wordsAndDatesOnly(query)) {
      const counted = await this.countTextKeys(query, match, countLimit)
      if (counted) return { ids, ...counted }
    }
    return { ids, ...(await this.cappedCount(from, countLimit)) }
  }

  /**
   * The capped count of words in a date range from the full-text keys alone, when the force is the only one with
   * crimes: every key of a minute strictly inside the range is a crime reported in the range (textKey.ts), so those
   * are counted without reading the crimes; the crimes of the range's first and last minutes are read to compare their
   * reported_at with the range's ends. Null when another force has crimes or an end cannot bound the keys.
   */
  private async countTextKeys(
    query: CrimeQuery,
    match: string,
    countLimit: number,
  ): Promise<{ total: number; totalCapped: boolean } | null> {
    const { reportedFrom: from, reportedBefore: before } = query
    if ((from && !keyBoundable(from)) || (before && !keyBoundable(before))) return null
    const others = await sql<{ others: number }>`select exists (select 1 from crimes where force_id < ${query.forceId})
      or exists (select 1 from crimes where force_id > ${query.forceId}) as others`.execute(this.db)
    if (Number(others.rows[0]?.others) !== 0) return null
    const minute = (value: string) => sql`(unixepoch(substr(${value}, 1, 19)) / 60)`
    const capped = async (from: RawBuilder<unknown>) => {
      const count = await sql<{ total: number | string }>`select count(*) as total
        from (select 1 from ${from} limit ${countLimit + 1}) as capped`.execute(this.db)
      return Number(count.rows[0]?.total ?? 0)
    }
    const words = sql`t.crime_text match ${match}`
    const interior = [words]
    if (from) interior.push(sql`t.rowid >= ((${minute(from)} + 1) << 32)`)
    if (before) interior.push(sql`t.rowid < (${minute(before)} << 32)`)
    let total = await capped(sql`crime_text t where ${sql.join(interior, sql` and `)}`)
    const edge = (end: string, exact: RawBuilder<unknown>[]) =>
      capped(sql`crime_text t cross join crimes c on c.id = (t.rowid & ${sql.lit(TEXT_KEY_ID_MASK)})
        where ${words} and t.rowid >= (${minute(end)} << 32) and t.rowid < ((${minute(end)} + 1) << 32)
        and ${sql.join(exact, sql` and `)}`)
    const inRange = [
      ...(from ? [sql`c.reported_at >= ${from}`] : []),
      ...(before ? [sql`c.reported_at < ${before}`] : []),
    ]
    if (from) total += await edge(from, inRange)
    // The last minute, unless it is the first (counted just now).
    if (before) total += await edge(before, from ? [...inRange, sql`${minute(before)} > ${minute(from)}`] : inRange)
    return total > countLimit ? { total: countLimit, totalCapped: true } : { total, totalCapped: false }
  }

  /**
   * How many rows a FROM ... WHERE gives, counting no further than the limit: a count visits every match, and a name
   * prefix or a common word matches hundreds of thousands at national scale (seconds) when nobody pages that far.
   */
  private async cappedCount(
    from: RawBuilder<unknown>,
    countLimit: number,
  ): Promise<{ total: number; totalCapped: boolean }> {
    const count = await sql<{ total: number | string }>`select count(*) as total
      from (select 1 from ${from} limit ${countLimit + 1}) as capped`.execute(this.db)
    const total = Number(count.rows[0]?.total ?? 0)
    return total > countLimit ? { total: countLimit, totalCapped: true } : { total, totalCapped: false }
  }

  /** A one-key search's total from the per-day counts: a sum over the days in range. */
  private async countByDay(query: CrimeQuery): Promise<number> {
    const [{ key, match }] = query.keys
    const roles =
      match === 'principal'
        ? sql`principal + both_roles`
        : match === 'included'
          ? sql`included + both_roles`
          : sql`principal + included + both_roles`
    const conditions = [sql`force_id = ${query.forceId}`, sql`search_key = ${key}`]
    if (query.reportedFrom) conditions.push(sql`day >= ${query.reportedFrom}`)
    if (query.reportedBefore) conditions.push(sql`day < ${query.reportedBefore}`)
    const result = await sql<{ total: number | string | null }>`select sum(${roles}) as total
      from crime_classification_day_counts where ${sql.join(conditions, sql` and `)}`.execute(this.db)
    return Number(result.rows[0]?.total ?? 0)
  }

  /** Every matching id in order, in pages, for exports (up to limit). */
  async *iterateCrimeIds(query: CrimeQuery, limit: number, pageSize = 1000): AsyncGenerator<number[]> {
    for (let offset = 0; offset < limit; offset += pageSize) {
      const { ids } = await this.searchCrimeIds(query, Math.min(pageSize, limit - offset), offset, { count: false })
      if (ids.length > 0) yield ids
      if (ids.length < pageSize) return
    }
  }
}
