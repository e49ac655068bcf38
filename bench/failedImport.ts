// A failed import at scale (issue 17, done-when): the benchmark's generated extract of N crimes with record R made bad
// (an unknown offence code), imported into a database already holding a smaller import, must be refused naming the
// line and field and leave every table, index and row exactly as it was. Times the refusal and checks the database.
//
//   npx tsx bench/failedImport.ts --dialect postgres --crimes 1000000 [--bad-record 900000] [--base 20000]
import { createReadStream, createWriteStream, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../src/compositionRoot.ts'
import { migrateThreadline } from '../src/compositionRoot.ts'
import { generateRecords } from '../src/crime/generator/index.ts'
import { createCrimeServices } from '../src/crime/index.ts'
import { readInWorker } from '../src/crime/services/readerWorker.ts'
import { SYSTEM_ACTOR } from '../src/platform/services/auditService.ts'
import { benchPlatform, extractFor, FORCE, machineInfo, openBenchDatabase } from './crime.ts'

const args = new Map<string, string>()
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1])
const dialect = (args.get('dialect') ?? 'sqlite') as 'sqlite' | 'postgres'
const crimes = Number(args.get('crimes') ?? 1_000_000)
const badRecord = Number(args.get('bad-record') ?? Math.round(crimes * 0.9))
const base = Number(args.get('base') ?? 20_000)
const tmpDir = join('bench', 'tmp')
const resultsDir = join('bench', 'results')
const BAD_CODE = '999Z'

/** Every table's rows (sorted), and the schema's tables and indexes: what "exactly as before" compares. */
async function snapshot(db: Kysely<Database>): Promise<Map<string, string[]>> {
  const tables =
    dialect === 'postgres'
      ? await sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`.execute(db)
      : await sql<{ name: string }>`select name from sqlite_schema where type = 'table' order by 1`.execute(db)
  const contents = new Map<string, string[]>()
  for (const { name } of tables.rows) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db)
    contents.set(name, rows.rows.map((row) => JSON.stringify(row)).sort())
  }
  const schema =
    dialect === 'postgres'
      ? await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema()
          union all select conname from pg_constraint where connamespace = current_schema()::regnamespace`.execute(db)
      : await sql<{ name: string }>`select type || ' ' || name as name from sqlite_schema`.execute(db)
  contents.set('(schema)', schema.rows.map((row) => row.name).sort())
  return contents
}

function differences(before: Map<string, string[]>, after: Map<string, string[]>): string[] {
  const changed: string[] = []
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(name) ?? []
    const is = after.get(name) ?? []
    if (was.length !== is.length || was.some((row, index) => row !== is[index])) {
      changed.push(`${name} (${was.length} rows before, ${is.length} after)`)
    }
  }
  return changed
}

/** A copy of the extract with record `record` (line record + 1) carrying an unknown offence code. */
async function withBadRecord(source: string, target: string, record: number): Promise<void> {
  const output = createWriteStream(target)
  let line = 0
  for await (const text of createInterface({ input: createReadStream(source), crlfDelay: Infinity })) {
    line++
    let written = text
    if (line === record + 1) {
      const fields = text.split(',')
      if (!/^\d+[A-Z]?$/.test(fields[6] ?? '')) throw new Error(`line ${line} has no offence code in column 7`)
      fields[6] = BAD_CODE
      written = fields.join(',')
    }
    if (!output.write(`${written}\n`)) await new Promise<void>((resolve) => output.once('drain', () => resolve()))
  }
  await new Promise<void>((resolve, reject) =>
    output.end((error?: Error | null) => (error ? reject(error) : resolve())),
  )
  if (line <= record) throw new Error(`the extract has ${line - 1} records, fewer than ${record}`)
}

async function main(): Promise<void> {
  mkdirSync(tmpDir, { recursive: true })
  const [extract] = await extractFor(crimes, tmpDir)
  const badFile = join(tmpDir, `failed-import-${crimes}-bad-${badRecord}.csv`)
  await withBadRecord(extract, badFile, badRecord)
  const database = await openBenchDatabase(dialect, crimes, tmpDir, 'failed-import')
  try {
    await migrateThreadline(database.handle.db)
    const crime = createCrimeServices(benchPlatform(database.handle))
    const actor = { ...SYSTEM_ACTOR, actorUsername: 'bench' }
    // What the database holds before: a smaller import of other references (so the big one loads into small tables,
    // the path that sets indexes aside and builds them after).
    let line = 1
    const baseItems = (function* () {
      for (const { record } of generateRecords({ crimes: base, seed: 99, force: FORCE })) {
        yield {
          record: { ...record, forceReference: `B/${record.forceReference}` },
          source: { file: 'base', line: ++line },
        }
      }
    })()
    const first = await crime.importer.importRecords(actor, baseItems, { force: FORCE })
    if (!first.written) throw new Error(`the base import was refused: ${first.problems[0]?.message}`)
    const before = await snapshot(database.handle.db)
    const machine = machineInfo()
    console.log(`failed import ${dialect}: ${crimes} records, record ${badRecord} bad, over ${base} crimes`)
    let recordsRead = 0
    const started = performance.now()
    const summary = await crime.importer.importRecords(actor, readInWorker([badFile], { forceName: FORCE }), {
      force: FORCE,
      files: [badFile],
      onProgress: ({ records }) => (recordsRead = records),
    })
    const seconds = (performance.now() - started) / 1000
    const after = await snapshot(database.handle.db)
    const changed = differences(before, after)
    const problem = summary.problems[0]
    const result = {
      benchmark: 'failed-import',
      dialect,
      records: crimes,
      badRecord,
      baseCrimes: base,
      ranAt: new Date().toISOString(),
      machine: { ...machine, loadAverageAtEnd: machineInfo().loadAverage },
      refused: !summary.written,
      problem: problem ? { line: problem.line, field: problem.field, message: problem.message } : null,
      problems: summary.problems.length,
      recordsRead,
      secondsToRefusal: Math.round(seconds * 10) / 10,
      tablesCompared: before.size - 1,
      rowsCompared: [...before.values()].reduce((sum, rows) => sum + rows.length, 0),
      unchanged: changed.length === 0,
      changed,
    }
    writeFileSync(join(resultsDir, `failed-import-${dialect}-${crimes}.json`), `${JSON.stringify(result, null, 2)}\n`)
    console.log(JSON.stringify(result, null, 2))
    if (summary.written || changed.length) process.exitCode = 1
  } finally {
    await database.drop()
  }
}

main().catch((error: unknown) => {
  console.error(`failed-import bench: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
