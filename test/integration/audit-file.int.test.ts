// SQLite keeps the audit log in a file of its own beside the database (docs/adr/0017): a page view's audit row, written
// in the same transaction as the read it records, does not wait for the write lock a long import holds on the
// database; a database made before the move has its log moved whole, ids and chain intact.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateThreadline } from '../../src/compositionRoot.ts'
import { loadConfig } from '../../src/config.ts'
import { SERVER_BUSY_TIMEOUT_MS, startServer } from '../../src/server.ts'
import { AuditRepository } from '../../src/platform/data/auditRepository.ts'
import { auditFileOf, openDatabase } from '../../src/platform/data/database.ts'
import { migrateToLatest, platformMigrations } from '../../src/platform/data/migrate.ts'
import { platformView } from '../../src/platform/data/schema.ts'
import { AuditService, SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { createTestApp, type TestApp } from '../support/app.ts'
import { createTestDatabase, TEST_AUDIT_KEYING, type TestDatabase } from '../support/databases.ts'
import { courseOfConduct, items } from './crime-fixtures.ts'

describe('the audit file of a SQLite database', () => {
  it('is named after the database, beside it', () => {
    expect(auditFileOf('/srv/data/threadline.sqlite')).toBe('/srv/data/threadline.audit.sqlite')
    expect(auditFileOf('.data/threadline.db')).toBe('.data/threadline.audit.sqlite')
    expect(auditFileOf('/tmp/extract-db')).toBe('/tmp/extract-db.audit.sqlite')
    expect(auditFileOf(':memory:')).toBe(':memory:')
  })

  it('refuses to open a database whose audit file was left behind, naming the file it expects', async () => {
    const database = await createTestDatabase('sqlite')
    try {
      await database.handle.close()
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${auditFileOf(database.url!)}${suffix}`, { force: true })
      expect(() => openDatabase(database.url!)).toThrow(
        `Cannot open the audit log at ${auditFileOf(database.url!)}: it is missing`,
      )
    } finally {
      rmSync(dirname(database.url!), { recursive: true, force: true })
    }
  })

  it('has the server wait less than the command line for another process’s write lock, since SQLite waits on the event loop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'threadline-server-'))
    const server = await startServer(
      loadConfig({ NODE_ENV: 'test' }, { databaseUrl: join(dir, 'server.sqlite'), port: 0 }),
    )
    try {
      const timeout = await sql<{ timeout: number }>`pragma busy_timeout`.execute(server.services.db)
      expect(timeout.rows[0].timeout).toBe(SERVER_BUSY_TIMEOUT_MS)
      expect(SERVER_BUSY_TIMEOUT_MS).toBeLessThan(5000)
    } finally {
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  describe('a database made before the move', () => {
    let database: TestDatabase

    beforeAll(async () => {
      database = await createTestDatabase('sqlite', { migrate: false })
    })
    afterAll(() => database.drop())

    it('has its log moved into the audit file whole: the same rows and ids, a chain that verifies, still append-only', async () => {
      const db = database.handle.db
      const { '0003_audit_file': _moved, ...before } = platformMigrations
      await migrateToLatest(db, before)
      const platform = platformView(db)
      const audit = new AuditService(platform, new AuditRepository(platform), TEST_AUDIT_KEYING)
      for (let n = 1; n <= 5; n++) {
        await audit.recordAlone(SYSTEM_ACTOR, { action: 'test.event', subjectType: 'thing', subjectId: n })
      }
      const inMain = await db.selectFrom('audit_events').select(['id', 'hash']).orderBy('id').execute()
      expect(inMain).toHaveLength(5)

      await migrateThreadline(db)

      const mainTables = await sql<{ name: string }>`select name from main.sqlite_master where type = 'table'`.execute(
        db,
      )
      expect(mainTables.rows.map((row) => row.name)).not.toContain('audit_events')
      expect(mainTables.rows.map((row) => row.name)).not.toContain('audit_chain_head')
      const moved = await sql<{
        id: number
        hash: string
      }>`select id, hash from audit.audit_events order by id`.execute(db)
      expect(moved.rows).toEqual(inMain)
      expect(existsSync(auditFileOf(database.url!))).toBe(true)
      expect(await audit.verify()).toMatchObject({ ok: true, checked: 5 })

      await audit.recordAlone(SYSTEM_ACTOR, { action: 'test.event', subjectType: 'thing', subjectId: 6 })
      expect(await audit.verify()).toMatchObject({ ok: true, checked: 6 })
      await expect(sql`update audit_events set action = 'changed' where id = 1`.execute(db)).rejects.toThrow(
        /append-only/,
      )
      await expect(sql`delete from audit_events where id = 1`.execute(db)).rejects.toThrow(/append-only/)
    })
  })

  describe('while another process holds the database for a long import', () => {
    let t: TestApp
    let crimeId: number
    let importer: SQLite.Database

    beforeAll(async () => {
      t = await createTestApp({ dialect: 'sqlite' })
      const summary = await t.services.crime.importer.importRecords(SYSTEM_ACTOR, items(courseOfConduct()), {
        force: 'Demoshire Police',
      })
      expect(summary.problems).toEqual([])
      const crime = await t.services.db.selectFrom('crimes').select('id').executeTakeFirstOrThrow()
      crimeId = crime.id
      await sql`pragma busy_timeout = 200`.execute(t.database.handle.db)
      importer = new SQLite(t.database.url!)
    })
    afterAll(async () => {
      importer.close()
      await t.close()
    })

    it('shows an analyst a crime with the read recorded in the audit log, without waiting for the import', async () => {
      const agent = await t.signedInAs('analyst')
      const before = await t.services.audit.historyOf('crime', crimeId)
      importer.exec('begin immediate')
      try {
        importer.exec('delete from crime_import_jobs where 0')
        const page = await agent.get(`/crimes/${crimeId}`)
        expect(page.status).toBe(200)
        const after = await t.services.audit.historyOf('crime', crimeId)
        expect(after.length).toBe(before.length + 1)
        expect(after[0].action).toBe('crime.viewed')
        expect(after[0].actor_username).toBe('analyst')
      } finally {
        importer.exec('rollback')
      }
      expect(await t.services.audit.verify()).toMatchObject({ ok: true })
    })
  })
})
