// Every repository test runs on both dialects: SQLite (a temp file) and PostgreSQL (the server named by
// TEST_DATABASE_URL, in a database created and dropped by the test file; otherwise PGlite, embedded).
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin'
import type { Kysely } from 'kysely'
import pg from 'pg'
import { openDatabase, wrap, type DatabaseHandle, type DialectName } from '../../src/platform/data/database.ts'
import { migrateThreadline, type Database } from '../../src/compositionRoot.ts'
import { pgliteDialect } from '../../src/platform/data/pgliteDriver.ts'

/** The test database seen with one area's tables (an area's own code gets it from areaDatabase). */
export function asAreaDatabase<Tables>(db: Kysely<Database>): Kysely<Tables> {
  return db as unknown as Kysely<Tables>
}

export const DIALECTS: DialectName[] = ['sqlite', 'postgres']

export interface TestDatabase {
  handle: DatabaseHandle<Database>
  /** A URL another process (the CLI, a server) can open: a file path or a postgres:// URL; null for PGlite. */
  url: string | null
  drop(): Promise<void>
}

export function postgresServerUrl(): string | null {
  return process.env.TEST_DATABASE_URL ?? null
}

export async function createTestDatabase(
  dialect: DialectName,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const database = dialect === 'sqlite' ? createSqlite() : await createPostgres()
  if (options.migrate !== false) await migrateThreadline(database.handle.db)
  return database
}

function createSqlite(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'threadline-test-'))
  const url = join(dir, 'test.sqlite')
  const handle = openDatabase<Database>(url)
  return {
    handle,
    url,
    async drop() {
      await handle.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function createPostgres(): Promise<TestDatabase> {
  const serverUrl = postgresServerUrl()
  if (!serverUrl) {
    const pglite = new PGlite({
      parsers: { 20: (value: string) => Number.parseInt(value, 10) },
      extensions: { btree_gin },
    })
    const handle = wrap<Database>(pgliteDialect(pglite), 'postgres', 'pglite (embedded)')
    return {
      handle,
      url: null,
      async drop() {
        await handle.close()
        await pglite.close()
      },
    }
  }
  const name = `threadline_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const handle = openDatabase<Database>(url.href)
  return {
    handle,
    url: url.href,
    async drop() {
      await handle.close()
      const cleanup = new pg.Client({ connectionString: serverUrl })
      await cleanup.connect()
      await cleanup.query(`drop database if exists ${name} with (force)`)
      await cleanup.end()
    },
  }
}

/** The audit log's key and no checkpoint file, for tests that build the audit service themselves. */
export const TEST_AUDIT_KEYING = { key: () => Buffer.from('test-audit-key-'.padEnd(40, 'x')), checkpointFile: null }
