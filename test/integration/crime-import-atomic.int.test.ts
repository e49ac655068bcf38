// An import is all or nothing whichever writer carries it (COPY on PostgreSQL, the prepared-statement writer on
// SQLite): a bad row late in a generated extract, after many batches were already written, leaves every table exactly
// as it was.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPlatformServices } from '../../src/compositionRoot.ts'
import { loadConfig } from '../../src/config.ts'
import { generateRecords, writeImportFiles } from '../../src/crime/generator/index.ts'
import { readCrimeExtracts } from '../../src/crime/import/index.ts'
import { createCrimeServices, type CrimeServices } from '../../src/crime/index.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DIALECTS, createTestDatabase, type TestDatabase } from '../support/databases.ts'
import { crime, items } from './crime-fixtures.ts'

const FORCE = 'Demoshire Police'
const actor = { ...SYSTEM_ACTOR, actorUsername: 'test' }

describe.each(DIALECTS)('all-or-nothing crime imports on %s', (dialect) => {
  let database: TestDatabase
  let crimes: CrimeServices
  let dir: string

  /** Every row of every table, and every schema object: what "exactly as before" is compared on. */
  const snapshot = async () => {
    const db = database.handle.db
    const tables =
      dialect === 'postgres'
        ? await sql<{ name: string }>`select table_name as name from information_schema.tables
            where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`.execute(db)
        : await sql<{ name: string }>`select name from sqlite_schema where type = 'table' order by 1`.execute(db)
    const contents: Record<string, string[]> = {}
    for (const { name } of tables.rows) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db)
      contents[name] = rows.rows.map((row) => JSON.stringify(row)).sort()
    }
    const schema =
      dialect === 'postgres'
        ? await sql<{ d: string }>`select indexdef as d from pg_indexes where schemaname = current_schema()
            union all select conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) from pg_constraint
            where connamespace = current_schema()::regnamespace order by 1`.execute(db)
        : await sql<{ d: string }>`select coalesce(sql, name) as d from sqlite_schema order by 1`.execute(db)
    return { contents, schema: schema.rows.map((row) => row.d) }
  }

  const extract = async (name: string, size: number, seed: number) => {
    const written = await writeImportFiles(generateRecords({ crimes: size, seed, force: FORCE }), join(dir, name), {
      layout: 'single',
      force: FORCE,
    })
    return written.files[0]
  }

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    crimes = createCrimeServices(createPlatformServices(loadConfig({ NODE_ENV: 'test' }), database.handle))
    dir = mkdtempSync(join(tmpdir(), 'threadline-atomic-'))
    const first = await extract('first', 400, 11)
    const summary = await crimes.importer.importRecords(actor, readCrimeExtracts([first], { forceName: FORCE }), {
      force: FORCE,
      batchSize: 100,
    })
    expect(summary).toMatchObject({ written: true, records: 400, created: 400 })
  })
  afterAll(async () => {
    await database.drop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('refuses an extract whose 900th record is bad, after writing earlier batches, and leaves every table as it was', async () => {
    // 1,000 records, numbered as the first import's were (so the first 400 references update crimes already known),
    // with an unknown offence code on record 900: nine batches of 100 are written before the bad row is read.
    const file = await extract('second', 1000, 12)
    const lines = readFileSync(file, 'utf8').split('\n')
    const known = new Set(
      (await database.handle.db.selectFrom('crimes').select('force_reference').execute()).map((r) => r.force_reference),
    )
    expect(lines.slice(1, 1001).filter((line) => known.has(line.split(',')[0])).length).toBeGreaterThan(100)
    const bad = lines[900].split(',')
    expect(bad[6]).toMatch(/^\d+[A-Z]?$/)
    bad[6] = '999Z'
    lines[900] = bad.join(',')
    writeFileSync(file, lines.join('\n'))

    const before = await snapshot()
    const progress: number[] = []
    const summary = await crimes.importer.importRecords(actor, readCrimeExtracts([file], { forceName: FORCE }), {
      force: FORCE,
      batchSize: 100,
      onProgress: ({ records }) => progress.push(records),
    })
    expect(summary.written).toBe(false)
    expect(summary.problems).toEqual([
      expect.objectContaining({ line: 901, field: 'HO Code', message: expect.stringContaining('999Z') }),
    ])
    expect(Math.max(...progress)).toBe(999) // every record but the bad one was read and checked
    expect(await snapshot()).toEqual(before)
  })

  // On PostgreSQL a row the server itself refuses in the middle of a COPY (text cannot hold a NUL character) undoes
  // everything, and the pool's connections stay usable.
  const onPostgres = dialect === 'postgres' ? it : () => undefined
  onPostgres('undoes everything when the server refuses a row in the middle of a COPY', async () => {
    const before = await snapshot()
    const records = Array.from({ length: 300 }, (_, index) =>
      crime({
        forceReference: `NUL/${index}`,
        narrative: index === 250 ? 'A message\u0000 with a NUL character' : 'Damage to a car.',
      }),
    )
    await expect(
      crimes.importer.importRecords(actor, items(records), { force: FORCE, batchSize: 50 }),
    ).rejects.toThrow()
    expect(await snapshot()).toEqual(before)
    const again = await crimes.importer.importRecords(actor, items(records.slice(0, 10)), { force: FORCE })
    expect(again).toMatchObject({ written: true, created: 10 })
  })
})
