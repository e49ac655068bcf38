import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuditRepository } from '../../src/platform/data/auditRepository.ts'
import { AuditService, SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.ts'
import { platformView } from '../../src/platform/data/schema.ts'

describe.each(DIALECTS)('audit log on %s', (dialect) => {
  let database: TestDatabase
  let audit: AuditService

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    const db = platformView(database.handle.db)
    audit = new AuditService(db, new AuditRepository(db))
  })
  afterAll(() => database.drop())

  it('chains every event to the one before and verifies intact', async () => {
    for (let i = 0; i < 5; i++) {
      await audit.recordAlone(SYSTEM_ACTOR, {
        action: 'test.event',
        subjectType: 'person',
        subjectId: i,
        details: { i },
      })
    }
    const rows = await database.handle.db.selectFrom('audit_events').selectAll().orderBy('id').execute()
    expect(rows).toHaveLength(5)
    for (let i = 1; i < rows.length; i++) expect(rows[i].previous_hash).toBe(rows[i - 1].hash)
    expect(await audit.verify()).toEqual({ ok: true, checked: 5, firstBroken: null })
  })

  it('writes the audit row in the caller transaction: a rolled-back change leaves no audit row', async () => {
    const before = await database.handle.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
    await expect(
      database.handle.db.transaction().execute(async (trx) => {
        await audit.record(trx, SYSTEM_ACTOR, { action: 'test.rollback', subjectType: 'person', subjectId: 1 })
        throw new Error('change failed')
      }),
    ).rejects.toThrow('change failed')
    const after = await database.handle.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  it('refuses updates and deletes through the database itself', async () => {
    await expect(sql`update audit_events set action = 'tampered'`.execute(database.handle.db)).rejects.toThrow(
      /append-only/,
    )
    await expect(sql`delete from audit_events`.execute(database.handle.db)).rejects.toThrow(/append-only/)
  })

  it('detects a row edited behind the application’s back and names the first broken link', async () => {
    const rows = await database.handle.db.selectFrom('audit_events').select('id').orderBy('id').execute()
    const target = rows[2].id
    // Someone with database rights drops the guard and edits a row.
    if (dialect === 'postgres') {
      await sql`alter table audit_events disable trigger audit_events_no_update`.execute(database.handle.db)
    } else {
      await sql`drop trigger audit_events_no_update`.execute(database.handle.db)
    }
    await sql`update audit_events set details = '{"i":99}' where id = ${target}`.execute(database.handle.db)
    const result = await audit.verify()
    expect(result.ok).toBe(false)
    expect(result.firstBroken).toEqual({ id: target, reason: 'its contents do not match its hash' })
  })
})
