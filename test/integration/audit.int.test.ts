// The audit log on both dialects: a hash chain written in the caller's transaction, keyed with a key held outside the
// database, and checkpoints of its head in a file outside it (docs/adr/0016): rewriting rows without the key, cutting
// the log short with its head moved back, and rewriting it with the key are each detected by verify.
import { createHmac } from 'node:crypto'
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { runCli } from '../../src/cli/main.ts'
import type { Database } from '../../src/compositionRoot.ts'
import { AuditRepository } from '../../src/platform/data/auditRepository.ts'
import type { DialectName } from '../../src/platform/data/database.ts'
import { platformView } from '../../src/platform/data/schema.ts'
import { AuditService, hashAuditEvent, SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { createTestDatabase, DIALECTS, TEST_AUDIT_KEYING, type TestDatabase } from '../support/databases.ts'

const KEY = TEST_AUDIT_KEYING.key

/** Someone with rights on the database drops the append-only guard (they can; the point is what verify then sees). */
async function dropGuards(db: Kysely<Database>, dialect: DialectName) {
  if (dialect === 'postgres') {
    await sql`alter table audit_events disable trigger audit_events_no_update`.execute(db)
  } else {
    await sql`drop trigger if exists audit_events_no_update`.execute(db)
    await sql`drop trigger if exists audit_events_no_delete`.execute(db)
  }
}

type Row = Awaited<ReturnType<AuditRepository['byId']>> & {}

/** Rewrites the chain from row `fromId` on with the hash function given, links and head included. */
async function recomputeChain(db: Kysely<Database>, fromId: number, hashOf: (row: Omit<Row, 'id' | 'hash'>) => string) {
  const rows = await db.selectFrom('audit_events').selectAll().orderBy('id').execute()
  let previous = rows.filter((row) => row.id < fromId).at(-1)?.hash ?? '0'.repeat(64)
  let last = { id: 0, hash: previous }
  for (const row of rows.filter((r) => r.id >= fromId)) {
    const hash = hashOf({ ...row, previous_hash: previous })
    await db.updateTable('audit_events').set({ previous_hash: previous, hash }).where('id', '=', row.id).execute()
    previous = hash
    last = { id: row.id, hash }
  }
  await db.updateTable('audit_chain_head').set({ last_id: last.id, last_hash: last.hash }).where('id', '=', 1).execute()
}

describe.each(DIALECTS)('audit log on %s', (dialect) => {
  let database: TestDatabase
  let audit: AuditService

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    const db = platformView(database.handle.db)
    audit = new AuditService(db, new AuditRepository(db), TEST_AUDIT_KEYING)
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
    // Keyed: not the plain SHA-256 anyone could recompute.
    expect(rows[0].hash).not.toBe(hashAuditEvent(rows[0]))
    expect(await audit.verify()).toEqual({
      ok: true,
      checked: 5,
      firstBroken: null,
      checkpoints: 0,
      checkpointFile: null,
    })
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
    await dropGuards(database.handle.db, dialect)
    await sql`update audit_events set details = '{"i":99}' where id = ${target}`.execute(database.handle.db)
    const result = await audit.verify()
    expect(result.ok).toBe(false)
    expect(result.firstBroken).toEqual({ id: target, reason: 'its contents do not match its keyed hash' })
  })
})

describe.each(DIALECTS)('audit log tampering detected beyond the database on %s', (dialect) => {
  let database: TestDatabase
  let dir: string
  let checkpointFile: string
  let audit: AuditService
  let ids: number[]

  /** A fresh log of eight events with checkpoints after the fifth and the eighth. */
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'threadline-audit-'))
    checkpointFile = join(dir, 'checkpoints.log')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  afterEach(() => database.drop())

  async function freshLog() {
    rmSync(checkpointFile, { force: true })
    database = await createTestDatabase(dialect)
    const db = platformView(database.handle.db)
    audit = new AuditService(db, new AuditRepository(db), { key: KEY, checkpointFile })
    for (let i = 0; i < 8; i++) {
      await audit.recordAlone(
        { ...SYSTEM_ACTOR, forceId: 1 },
        {
          action: 'person.viewed',
          subjectType: 'person',
          subjectId: i,
          details: { i },
        },
      )
      if (i === 4 || i === 7) expect(await audit.checkpoint()).toBe(true)
    }
    expect(await audit.checkpoint()).toBe(false)
    ids = (await database.handle.db.selectFrom('audit_events').select('id').orderBy('id').execute()).map((r) => r.id)
    const intact = await audit.verify()
    expect(intact).toMatchObject({ ok: true, checked: 8, checkpoints: 2, checkpointFile })
  }

  it('detects the last rows deleted and the head moved back (the rows left are a valid chain)', async () => {
    await freshLog()
    await dropGuards(database.handle.db, dialect)
    const keep = ids[3]
    const kept = await database.handle.db
      .selectFrom('audit_events')
      .selectAll()
      .where('id', '=', keep)
      .executeTakeFirstOrThrow()
    await database.handle.db.deleteFrom('audit_events').where('id', '>', keep).execute()
    await database.handle.db
      .updateTable('audit_chain_head')
      .set({ last_id: keep, last_hash: kept.hash })
      .where('id', '=', 1)
      .execute()

    // Inside the database the shortened chain is consistent: only the checkpoints outside it show the cut.
    const db = platformView(database.handle.db)
    const withoutCheckpoints = new AuditService(db, new AuditRepository(db), TEST_AUDIT_KEYING)
    expect((await withoutCheckpoints.verify()).ok).toBe(true)
    const result = await audit.verify()
    expect(result.ok).toBe(false)
    expect(result.firstBroken?.id).toBe(ids[4])
    expect(result.firstBroken?.reason).toMatch(
      /was the chain's head at the checkpoint of .* and is no longer in the log: rows were removed/,
    )
  })

  it('detects a row rewritten with every later hash recomputed without the key', async () => {
    await freshLog()
    await dropGuards(database.handle.db, dialect)
    const target = ids[2]
    await database.handle.db
      .updateTable('audit_events')
      .set({ details: '{"i":"someone else"}' })
      .where('id', '=', target)
      .execute()
    // As the old plain SHA-256 chain, and with a guessed key.
    await recomputeChain(database.handle.db, target, hashAuditEvent)
    expect((await audit.verify()).firstBroken).toEqual({
      id: target,
      reason: 'its contents do not match its keyed hash',
    })
    const guessed = (row: Omit<Row, 'id' | 'hash'>) =>
      createHmac('sha256', 'guess').update(JSON.stringify(row)).digest('hex')
    await recomputeChain(database.handle.db, target, guessed)
    expect((await audit.verify()).firstBroken).toEqual({
      id: target,
      reason: 'its contents do not match its keyed hash',
    })
  })

  it('detects the switch to keyed hashes moved or removed so the whole chain can be recomputed in plain SHA-256', async () => {
    await freshLog()
    await dropGuards(database.handle.db, dialect)
    await database.handle.db
      .updateTable('audit_events')
      .set({ details: '{"i":"someone else"}' })
      .where('id', '=', ids[2])
      .execute()
    await recomputeChain(database.handle.db, ids[0], hashAuditEvent)
    await database.handle.db
      .updateTable('audit_chain_head')
      .set({ keyed_from_id: 1_000_000 })
      .where('id', '=', 1)
      .execute()
    expect((await audit.verify()).firstBroken).toEqual({
      id: 1_000_000,
      reason: 'the point where keyed hashes begin was moved, or the key is not the one in use',
    })
    // Removed altogether (as if the log predated keyed hashes): the signed checkpoints still name where they began.
    await database.handle.db
      .updateTable('audit_chain_head')
      .set({ keyed_from_id: null, keyed_from_mac: null })
      .where('id', '=', 1)
      .execute()
    const result = await audit.verify()
    expect(result.ok).toBe(false)
    expect(result.firstBroken?.id).toBe(ids[0])
    expect(result.firstBroken?.reason).toMatch(/keyed hashes began here at the checkpoint of/)
  })

  it('detects a chain rewritten with the key itself, by the checkpoints written before', async () => {
    await freshLog()
    await dropGuards(database.handle.db, dialect)
    await database.handle.db
      .updateTable('audit_events')
      .set({ details: '{"i":"someone else"}' })
      .where('id', '=', ids[1])
      .execute()
    const insider = createHmac('sha256', KEY()).update('threadline audit rows').digest()
    await recomputeChain(database.handle.db, ids[1], (row) =>
      createHmac('sha256', insider)
        .update(
          JSON.stringify([
            row.previous_hash,
            row.occurred_at,
            row.actor_id,
            row.actor_username,
            row.force_id,
            row.action,
            row.subject_type,
            row.subject_id,
            row.request_id,
            row.details,
          ]),
        )
        .digest('hex'),
    )
    const result = await audit.verify()
    expect(result.ok).toBe(false)
    expect(result.firstBroken?.id).toBe(ids[4])
    expect(result.firstBroken?.reason).toMatch(/differs from the checkpoint of .*: the chain was rewritten/)
  })

  it('refuses a checkpoint line not signed with the key', async () => {
    await freshLog()
    const last = JSON.parse(readFileSync(checkpointFile, 'utf8').trim().split('\n').at(-1)!)
    appendFileSync(checkpointFile, `${JSON.stringify({ ...last, lastId: 3, mac: 'f'.repeat(64) })}\n`)
    const result = await audit.verify()
    expect(result.ok).toBe(false)
    expect(result.firstBroken?.reason).toBe(
      'the checkpoint on line 3 of the checkpoint file is not signed with the key',
    )
  })

  it('verifies rows written before keyed hashes with their plain hash, up to the recorded switch point', async () => {
    rmSync(checkpointFile, { force: true })
    database = await createTestDatabase(dialect)
    const db = database.handle.db
    // Two rows as the plain chain wrote them, the switch point not yet set (as the migration leaves it).
    let previous = '0'.repeat(64)
    const oldIds: number[] = []
    for (let i = 0; i < 2; i++) {
      const event = {
        occurred_at: new Date().toISOString(),
        actor_id: null,
        actor_username: 'system',
        force_id: null,
        action: 'old.event',
        subject_type: 'person',
        subject_id: String(i),
        request_id: null,
        details: '{}',
        previous_hash: previous,
      }
      const hash = hashAuditEvent(event)
      const { id } = await db
        .insertInto('audit_events')
        .values({ ...event, hash })
        .returning('id')
        .executeTakeFirstOrThrow()
      await db.updateTable('audit_chain_head').set({ last_id: id, last_hash: hash }).where('id', '=', 1).execute()
      oldIds.push(id)
      previous = hash
    }
    expect(await db.selectFrom('audit_chain_head').select('keyed_from_id').executeTakeFirstOrThrow()).toEqual({
      keyed_from_id: null,
    })
    audit = new AuditService(platformView(db), new AuditRepository(platformView(db)), { key: KEY, checkpointFile })
    await audit.recordAlone(SYSTEM_ACTOR, { action: 'new.event', subjectType: 'person', subjectId: 9 })
    const head = await db.selectFrom('audit_chain_head').select(['keyed_from_id', 'last_id']).executeTakeFirstOrThrow()
    expect(head.keyed_from_id).toBe(head.last_id)
    expect(head.keyed_from_id).toBeGreaterThan(oldIds[1])
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 3 })
    await dropGuards(db, dialect)
    await db.updateTable('audit_events').set({ details: '{"x":1}' }).where('id', '=', oldIds[0]).execute()
    expect((await audit.verify()).firstBroken).toEqual({ id: oldIds[0], reason: 'its contents do not match its hash' })
  })

  it('threadline audit verify writes checkpoints and fails, in words, on a log cut short', async ({ skip }) => {
    await freshLog()
    if (!database.url) skip('PGlite: no URL for the CLI')
    const previous = process.env.AUDIT_CHECKPOINT_FILE
    process.env.AUDIT_CHECKPOINT_FILE = checkpointFile
    const cli = async (...args: string[]) => {
      const out: string[] = []
      const log = vi.spyOn(console, 'log').mockImplementation((...parts) => void out.push(parts.join(' ')))
      const error = vi.spyOn(console, 'error').mockImplementation((...parts) => void out.push(parts.join(' ')))
      try {
        return { code: await runCli(['node', 'threadline', ...args, '--db', database.url!]), output: out.join('\n') }
      } finally {
        log.mockRestore()
        error.mockRestore()
      }
    }
    try {
      const intact = await cli('audit', 'verify')
      expect(intact).toEqual({
        code: 0,
        output: `Audit chain intact: 8 events checked, 2 checkpoints in ${checkpointFile} matched`,
      })
      await dropGuards(database.handle.db, dialect)
      await database.handle.db.deleteFrom('audit_events').where('id', '>', ids[5]).execute()
      const kept = await database.handle.db
        .selectFrom('audit_events')
        .select('hash')
        .where('id', '=', ids[5])
        .executeTakeFirstOrThrow()
      await database.handle.db
        .updateTable('audit_chain_head')
        .set({ last_id: ids[5], last_hash: kept.hash })
        .where('id', '=', 1)
        .execute()
      const cut = await cli('audit', 'verify')
      expect(cut.code).toBe(1)
      expect(cut.output).toMatch(
        new RegExp(
          `^threadline: Audit chain broken at event ${ids[7]}: it was the chain's head at the checkpoint of .* and is no longer in the log: rows were removed \\(6 events checked\\)$`,
        ),
      )
    } finally {
      if (previous === undefined) delete process.env.AUDIT_CHECKPOINT_FILE
      else process.env.AUDIT_CHECKPOINT_FILE = previous
    }
  })
})
