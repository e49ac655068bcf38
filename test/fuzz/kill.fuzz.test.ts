// Issue 18: `threadline crime import` killed with SIGKILL part way through (no handler runs, nothing is flushed or
// rolled back by the process) leaves a database that opens, passes its integrity check and holds either none of the
// import's crimes or all of them, never part; the same import then succeeds. On SQLite, and on PostgreSQL when a server
// is named (a process is killed, so PGlite, inside this process, cannot stand in).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateRecords, writeImportFiles } from '../../src/crime/generator/index.ts'
import type { DialectName } from '../../src/platform/data/database.ts'
import { Random } from '../../src/platform/random.ts'
import { createTestDatabase, postgresServerUrl, type TestDatabase } from '../support/databases.ts'

const FORCE = 'Demoshire Police'
/** Enough records that the import holds its transaction open for seconds on a loaded machine. */
const RECORDS = Number(process.env.FUZZ_KILL_RECORDS ?? 8000)
/** How long after the import's transaction is seen open the process is killed: seeded, so a failure replays. */
const KILL_SEED = Number(process.env.FUZZ_SEED ?? 20261203)
/** Imports killed one after another before the last runs to the end: one in npm test, more with FUZZ_KILLS. */
const KILLS = Number(process.env.FUZZ_KILLS ?? 1)

const dialects: DialectName[] = postgresServerUrl() ? ['sqlite', 'postgres'] : ['sqlite']

function startImport(file: string, url: string): { child: ChildProcess; output: () => string } {
  const child = spawn(
    process.execPath,
    ['bin/threadline.js', 'crime', 'import', file, '--db', url, '--force', FORCE],
    // VITEST unset: the command reads on its worker thread, as it does outside the tests.
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VITEST: '' } },
  )
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  return { child, output: () => output }
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode })
    else child.on('exit', (code, signal) => resolve({ code, signal }))
  })

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.each(dialects)('kill -9 during a command-line crime import on %s', (dialect) => {
  let database: TestDatabase
  let dir: string
  let file: string
  let url: string

  /** Whether the import's write transaction is open: SQLite's write lock is held; PostgreSQL has a writing backend. */
  let transactionOpen: () => Promise<boolean>
  let admin: pg.Client | null = null

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    url = database.url!
    dir = mkdtempSync(join(tmpdir(), 'threadline-kill-'))
    const written = await writeImportFiles(generateRecords({ crimes: RECORDS, seed: 41, force: FORCE }), dir, {
      layout: 'single',
      force: FORCE,
    })
    file = written.files[0]
    if (dialect === 'sqlite') {
      transactionOpen = async () => {
        const probe = new SQLite(url, { timeout: 0 })
        try {
          probe.exec('begin immediate')
          probe.exec('rollback')
          return false
        } catch (error) {
          if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true
          throw error
        } finally {
          probe.close()
        }
      }
    } else {
      admin = new pg.Client({ connectionString: postgresServerUrl()! })
      await admin.connect()
      const name = new URL(url).pathname.slice(1)
      transactionOpen = async () => {
        const result = await admin!.query(
          `select count(*)::int as n from pg_stat_activity where datname = $1 and backend_xid is not null
            and query not ilike '%kysely_migration%'`,
          [name],
        )
        return (result.rows[0] as { n: number }).n > 0
      }
    }
  })
  afterAll(async () => {
    await admin?.end()
    await database?.drop()
    rmSync(dir, { recursive: true, force: true })
  })

  const crimes = async () =>
    Number(
      (
        await database.handle.db
          .selectFrom('crimes')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  /** Starts the import and kills it once its transaction has been open 250 ms + killAfterMs; checks what is left. */
  async function killOnce(killAfterMs: number): Promise<{ killed: boolean; after: number; ms: number }> {
    const { child, output } = startImport(file, url)
    const exit = exited(child)
    const started = Date.now()
    // The transaction is the import's once it has stayed open a quarter of a second (starting up, the migration check
    // takes the lock for a moment).
    let openSince: number | null = null
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) break
      const open = await transactionOpen()
      const now = Date.now()
      openSince = open ? (openSince ?? now) : null
      if (openSince !== null && now - openSince >= 250 + killAfterMs) {
        child.kill('SIGKILL')
        break
      }
      await sleep(50)
    }
    const ended = await exit
    const killed = ended.signal === 'SIGKILL'
    // Not killed: it finished first, and must have finished well.
    if (!killed) expect(ended.code, output()).toBe(0)

    if (dialect === 'sqlite') {
      // A fresh connection, as the next process would open it: the WAL is recovered and the file is whole.
      const check = new SQLite(url)
      try {
        expect(check.pragma('integrity_check', { simple: true })).toBe('ok')
        expect(check.pragma('foreign_key_check')).toEqual([])
      } finally {
        check.close()
      }
    } else {
      // The server ends the killed process's backend, and its transaction with it.
      for (let i = 0; i < 100 && (await transactionOpen()); i++) await sleep(100)
      expect(await transactionOpen()).toBe(false)
      await sql`select 1`.execute(database.handle.db)
    }
    return { killed, after: await crimes(), ms: Date.now() - started }
  }

  it(`leaves none of the crimes or all of them after ${KILLS === 1 ? 'a kill' : `each of ${KILLS} kills`}, an intact database, and the same import then succeeds`, async () => {
    const random = new Random(KILL_SEED)
    let committed = false
    for (let kill = 0; kill < KILLS; kill++) {
      // The first kill early in the transaction, later ones anywhere in the few seconds an import takes.
      const killAfterMs = random.int(kill === 0 ? 250 : 8000)
      const { killed, after, ms } = await killOnce(killAfterMs)
      console.log(
        `[kill] ${dialect}: ${killed ? `killed ${killAfterMs + 250} ms into the import's transaction` : 'finished before the kill'} (${ms} ms after starting); ${after} crimes after`,
      )
      expect([0, RECORDS], `crimes after a kill ${killAfterMs + 250} ms into the import (seed ${KILL_SEED})`).toContain(
        after,
      )
      // Killed with its transaction open, nothing was committed; once an import has committed, every crime stays.
      expect(after).toBe(committed || !killed ? RECORDS : 0)
      committed ||= !killed
      if (kill === 0) expect(killed, 'the first import finished before it could be killed').toBe(true)
    }
    const again = startImport(file, url)
    const second = await exited(again.child)
    expect(second.code, again.output()).toBe(0)
    expect(again.output()).toMatch(
      new RegExp(
        `Imported ${RECORDS} records into ${FORCE} in [\\d.]+ s: ${committed ? `0 new, ${RECORDS} updated` : `${RECORDS} new`}`,
      ),
    )
    expect(await crimes()).toBe(RECORDS)
  }, 600_000)
})
