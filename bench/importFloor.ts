// The import's floor: the same rows the import wrote, loaded into the same tables of a fresh database by the bare
// loader of each engine, with no parsing, no checks and nothing looked up (PostgreSQL: COPY from files dumped by COPY;
// SQLite: INSERT ... SELECT from the imported database attached), secondary indexes set aside and built after, as the
// import does into empty tables, and the same statistics refresh at the end. The import's time divided by this is how
// far the import is from what the engine itself needs to store the data.
import { createReadStream, createWriteStream, rmSync } from 'node:fs'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { from as copyFrom, to as copyTo } from 'pg-copy-streams'
import { CrimeRepository, DEFERRED_TABLES } from '../src/crime/data/crimeRepository.ts'
import { singleConnection } from '../src/crime/data/pgCopyWriter.ts'
import { openDatabase, removeSqliteDatabase, type DatabaseHandle } from '../src/platform/data/database.ts'
import type { Kysely } from 'kysely'
import type { Database } from '../src/compositionRoot.ts'
import type { CrimeDatabase } from '../src/crime/index.ts'
import { migrateThreadline } from '../src/compositionRoot.ts'

/** Every table an import writes, in an order in which each row's references exist (they are checked only at the end). */
export const IMPORTED_TABLES = [
  'forces',
  'crimes',
  'crime_occurrences',
  'crime_classifications',
  'crime_classification_index',
  'crime_classification_day_counts',
  'people',
  'person_identifiers',
  'crime_parties',
  'intelligence_links',
]

export interface ImportFloor {
  seconds: number
  /** Rows loaded (COPY or INSERT ... SELECT, full text included on SQLite). */
  loadSeconds: number
  /** Secondary indexes (and PostgreSQL's foreign keys) built again, and the commit. */
  indexSeconds: number
  statisticsSeconds: number
  rows: number
  what: string
}

const round = (value: number) => Math.round(value * 10) / 10
const since = (started: number) => (performance.now() - started) / 1000

/** PostgreSQL: dumps the imported tables with COPY TO (not timed), then COPY FROM into a fresh database (timed). */
export async function postgresImportFloor(sourceUrl: string, serverUrl: string, tmpDir: string): Promise<ImportFloor> {
  const name = `threadline_floor_${process.pid}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`drop database if exists ${name}`)
  await admin.query(`create database ${name}`)
  await admin.end()
  const targetUrl = new URL(serverUrl)
  targetUrl.pathname = `/${name}`
  const files: { table: string; columns: string[]; file: string }[] = []
  const source = new pg.Client({ connectionString: sourceUrl })
  await source.connect()
  let target: DatabaseHandle<Database> | undefined
  try {
    for (const table of IMPORTED_TABLES) {
      const { rows } = await source.query<{ column_name: string }>(
        `select column_name from information_schema.columns where table_schema = current_schema() and table_name = $1
           and is_generated = 'NEVER' order by ordinal_position`,
        [table],
      )
      const columns = rows.map((row) => row.column_name)
      const file = join(tmpDir, `floor-${table}.copy`)
      await pipeline(
        source.query(copyTo(`copy (select ${columns.join(', ')} from ${table}) to stdout`)),
        createWriteStream(file),
      )
      files.push({ table, columns, file })
    }
    target = openDatabase<Database>(targetUrl.href)
    await migrateThreadline(target.db)
    const client = await target.pgPool!.connect()
    const db = singleConnection(client)
    let rowsLoaded = 0
    const started = performance.now()
    let loadSeconds = 0
    try {
      await db.transaction().execute(async (trx) => {
        const repository = new CrimeRepository(trx)
        await repository.deferIndexesIfEmpty()
        for (const { table, columns, file } of files) {
          const stream = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`))
          await pipeline(createReadStream(file), stream)
          rowsLoaded += stream.rowCount
        }
        loadSeconds = since(started)
        await repository.restoreDeferred()
      })
    } finally {
      await db.destroy()
      client.release()
    }
    const indexSeconds = since(started) - loadSeconds
    const statisticsStarted = performance.now()
    await new CrimeRepository(target.db as unknown as Kysely<CrimeDatabase>).refreshStatistics()
    const statisticsSeconds = since(statisticsStarted)
    return {
      seconds: round(loadSeconds + indexSeconds + statisticsSeconds),
      loadSeconds: round(loadSeconds),
      indexSeconds: round(indexSeconds),
      statisticsSeconds: round(statisticsSeconds),
      rows: rowsLoaded,
      what:
        'COPY FROM files (dumped by COPY TO from the imported database) into a fresh database in one transaction, secondary ' +
        'indexes and foreign keys set aside and built after, then the same VACUUM ANALYZE as the import',
    }
  } finally {
    await source.end()
    await target?.close()
    for (const { file } of files) rmSync(file, { force: true })
    const cleanup = new pg.Client({ connectionString: serverUrl })
    await cleanup.connect()
    await cleanup.query(`drop database if exists ${name} with (force)`)
    await cleanup.end()
  }
}

/** SQLite: INSERT ... SELECT of every imported table (and the full-text index) from the imported file, attached. */
export async function sqliteImportFloor(sourceFile: string, tmpDir: string): Promise<ImportFloor> {
  const file = join(tmpDir, 'floor.sqlite')
  const remove = () => removeSqliteDatabase(file)
  remove()
  const handle = openDatabase<Database>(file)
  await migrateThreadline(handle.db)
  await handle.close()
  // The import's own connection settings (see sqliteBulkWriter.ts).
  const connection = new SQLite(file)
  connection.pragma('journal_mode = WAL')
  connection.pragma('foreign_keys = OFF')
  connection.pragma('synchronous = NORMAL')
  connection.pragma('cache_size = -1000000')
  connection.pragma('temp_store = memory')
  try {
    connection.prepare('attach database ? as src').run(sourceFile)
    let rowsLoaded = 0
    const started = performance.now()
    connection.exec('begin')
    const tables = DEFERRED_TABLES.map(() => '?').join(', ')
    const indexes = connection
      .prepare(
        `select name, sql from main.sqlite_schema where type = 'index' and sql is not null and tbl_name in (${tables})`,
      )
      .all(...DEFERRED_TABLES) as { name: string; sql: string }[]
    for (const index of indexes) connection.exec(`drop index main."${index.name}"`)
    for (const table of IMPORTED_TABLES) {
      const columns = (connection.prepare(`select name from pragma_table_info(?)`).pluck().all(table) as string[]).join(
        ', ',
      )
      rowsLoaded += connection
        .prepare(`insert into main.${table} (${columns}) select ${columns} from src.${table}`)
        .run().changes
    }
    connection.exec('insert into main.crime_text (rowid, narrative) select id, narrative from src.crimes')
    const loadSeconds = since(started)
    for (const index of indexes) connection.exec(index.sql)
    connection.exec('commit')
    const indexSeconds = since(started) - loadSeconds
    const statisticsStarted = performance.now()
    connection.exec('detach database src')
    connection.pragma('analysis_limit = 2000')
    connection.exec('analyze')
    const statisticsSeconds = since(statisticsStarted)
    return {
      seconds: round(loadSeconds + indexSeconds + statisticsSeconds),
      loadSeconds: round(loadSeconds),
      indexSeconds: round(indexSeconds),
      statisticsSeconds: round(statisticsSeconds),
      rows: rowsLoaded,
      what:
        'INSERT ... SELECT of every imported table and the FTS5 index from the imported file (attached) into a fresh ' +
        'file in one transaction on the import connection’s settings, secondary indexes built after, then the same ANALYZE',
    }
  } finally {
    connection.close()
    remove()
  }
}
