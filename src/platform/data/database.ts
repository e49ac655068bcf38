import { mkdirSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, type Dialect } from 'kysely'
import pg from 'pg'
import type { PlatformTables } from './schema.ts'

export type DialectName = 'sqlite' | 'postgres'

/** An open database. `DB` is the table types it is used with: the platform's own, or the composition root's all. */
export interface DatabaseHandle<DB = PlatformTables> {
  db: Kysely<DB>
  dialect: DialectName
  /** A description safe to log: the file path, or the PostgreSQL URL without its password. */
  description: string
  /** PostgreSQL's connection pool (not for PGlite): what a bulk import takes one connection from to COPY on. */
  pgPool?: pg.Pool
  close(): Promise<void>
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url)
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+)(:[^@/]*)?@/, '//$1@')
}

// int8 (counts, sums) as numbers: Threadline's counts stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10))
pg.types.setTypeParser(1700, (value) => Number.parseFloat(value))

export function openDatabase<DB = PlatformTables>(url: string): DatabaseHandle<DB> {
  if (isPostgresUrl(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 10 })
    // An idle connection ended by the server (a restart, a failover, the database dropped) is discarded by the pool and
    // the next query opens another; without a listener Node treats the pool's 'error' as uncaught and stops the process.
    pool.on('error', () => undefined)
    return { ...wrap<DB>(new PostgresDialect({ pool }), 'postgres', redactUrl(url)), pgPool: pool }
  }
  const path = url.replace(/^sqlite:(\/\/)?/i, '')
  let sqlite: SQLite.Database
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
    sqlite = new SQLite(path)
  } catch (error) {
    throw new Error(`Cannot open the SQLite database at ${path}: ${(error as Error).message}`, { cause: error })
  }
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('busy_timeout = 5000')
  try {
    attachAuditFile(sqlite, path)
  } catch (error) {
    sqlite.close()
    throw new Error(`Cannot open the audit log at ${auditFileOf(path)}: ${(error as Error).message}`, { cause: error })
  }
  return wrap<DB>(new SqliteDialect({ database: sqlite }), 'sqlite', path)
}

/**
 * On SQLite the audit log lives in a file of its own beside the database (docs/adr/0017-audit-file-of-its-own.md), so
 * that a page view's audit row, written in the same transaction as the read it records, never waits for the one write
 * lock a long import holds on the database file. Queries name its tables without the schema; SQLite finds them there.
 */
export function auditFileOf(path: string): string {
  if (path === ':memory:' || path === '') return ':memory:'
  return `${path.replace(/\.(sqlite3?|db)$/i, '')}.audit.sqlite`
}

/** Removes a closed SQLite database at `path`: its file, its audit file and their write-ahead logs. */
export function removeSqliteDatabase(path: string): void {
  for (const file of [path, auditFileOf(path)])
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
}

/** Attaches the audit file to a connection to the database at `path` as the schema `audit`. */
export function attachAuditFile(connection: SQLite.Database, path: string): void {
  const file = auditFileOf(path)
  connection.prepare('attach database ? as audit').run(file)
  connection.pragma('audit.journal_mode = WAL')
  connection.pragma('audit.synchronous = NORMAL')
  const has = (schema: 'main' | 'audit', table: string) =>
    connection.prepare(`select 1 from ${schema}.sqlite_master where type = 'table' and name = ?`).get(table) !==
    undefined
  if (has('main', 'kysely_migration') && !has('main', 'audit_events') && !has('audit', 'audit_events')) {
    throw new Error(
      `it is missing: the database's audit log is kept in this file beside it (copy, back up and move the two together)`,
    )
  }
}

export function wrap<DB = PlatformTables>(
  dialect: Dialect,
  name: DialectName,
  description: string,
): DatabaseHandle<DB> {
  const db = new Kysely<DB>({ dialect })
  return { db, dialect: name, description, close: () => db.destroy() }
}

/** Which dialect a Kysely instance (or transaction) speaks: migrations and the few dialect-specific queries ask this. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'
}

const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED', '55P03'])

/**
 * Another writer held the database past the wait allowed (on SQLite, a long import holds the one write lock until it
 * commits): what was asked did nothing, and trying again later will work (a page answers 503, a job tries again).
 */
export function isDatabaseBusy(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
    const code = (cause as { code?: unknown }).code
    if (typeof code === 'string' && BUSY_CODES.has(code)) return true
  }
  return false
}
