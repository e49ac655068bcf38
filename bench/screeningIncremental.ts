// Screening every crime in the database, then the incremental screening after a daily import (issue 14's speed
// targets): N generated crimes imported through the import service (not timed), a full `screening run` (every crime
// screened and linked, timed), then a daily extract of 10,000 more crimes imported and the incremental run that
// follows an import timed on its own. Both dialects; seeded generator data only. Each run's time is broken down by
// phase (the run's own clock, RunPhases) with the CPU time the process used; the floor is the engine alone reading the
// rows a full run reads, one statement per table, and writing the rows it writes (courses, their crimes and person
// keys), with no Threadline code between.
//
//   npx tsx bench/screeningIncremental.ts --dialect sqlite --crimes 100000 [--daily 10000]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import Sqlite from 'better-sqlite3'
import { loadConfig } from '../src/config.ts'
import { createServices } from '../src/compositionRoot.ts'
import { generateRecords } from '../src/crime/generator/index.ts'
import { SYSTEM_ACTOR } from '../src/platform/services/auditService.ts'
import type { RunPhases } from '../src/screening/services/screeningService.ts'
import { machineInfo } from './crime.ts'

const args = new Map<string, string>()
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1])
const dialect = (args.get('dialect') ?? 'sqlite') as 'sqlite' | 'postgres'
const crimes = Number(args.get('crimes') ?? 100_000)
const daily = Number(args.get('daily') ?? 10_000)
const FORCE = 'Benchshire Police'

async function databaseUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = join('bench', 'tmp', `screening-incremental-${crimes}`)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    return { url: join(dir, 'bench.sqlite'), drop: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const name = `threadline_bench_screening_${process.pid}`
  const admin = new pg.Client({ connectionString: server })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(server)
  url.pathname = `/${name}`
  return {
    url: url.href,
    async drop() {
      const client = new pg.Client({ connectionString: server })
      await client.connect()
      await client.query(`drop database if exists ${name} with (force)`)
      await client.end()
    },
  }
}

async function importGenerated(
  services: Awaited<ReturnType<typeof createServices>>,
  count: number,
  seed: number,
  prefix: string,
): Promise<void> {
  const items = (function* () {
    let line = 1
    for (const { record } of generateRecords({ crimes: count, seed })) {
      line++
      yield {
        record: { ...record, forceReference: `${prefix}${record.forceReference}` },
        source: { file: 'x.csv', line },
      }
    }
  })()
  const result = await services.crime.importer.importRecords(SYSTEM_ACTOR, items, { force: FORCE })
  if (result.problems.length) throw new Error(`import problems: ${JSON.stringify(result.problems.slice(0, 3))}`)
}

const seconds = (ms: number, places = 2) => Math.round(ms / 10 ** (3 - places)) / 10 ** places

/** Whole seconds per phase, largest first. */
function phaseSeconds(phases: RunPhases): Record<string, number> {
  return Object.fromEntries(
    Object.entries(phases)
      .sort((a, b) => b[1] - a[1])
      .map(([name, ms]) => [name, seconds(ms)]),
  )
}

/** CPU seconds (user and system, every thread of this process) used by `work`, with its wall time. */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage()
  const started = performance.now()
  const value = await work()
  const used = process.cpuUsage(cpu)
  return { value, seconds: seconds(performance.now() - started), cpuSeconds: seconds((used.user + used.system) / 1000) }
}

// The floor: what a full run reads, one statement per table, and the rows it writes, by the bare engine.
const FLOOR_READS: Record<string, string> = {
  crimes: `select id, kind, reported_at, updated_at, principal_code, domestic_abuse, stalking_flag, narrative
    from crimes where force_id = $1 order by id`,
  included: `select cc.crime_id, cc.code from crime_classifications cc join crimes c on c.id = cc.crime_id
    where c.force_id = $1 and cc.role = 'included' order by cc.crime_id, cc.id`,
  parties: `select cp.id, cp.crime_id, cp.person_id, cp.role, p.forename, p.surname, p.date_of_birth
    from crime_parties cp join people p on p.id = cp.person_id
    where p.force_id = $1 and cp.role in ('suspect', 'victim') order by cp.id`,
  identifiers: `select person_id, kind, value from person_identifiers where force_id = $1`,
  queue: `select crime_id, status, reasons, reported_at from screening_queue where force_id = $1`,
}
const FLOOR_WRITES = ['screening_courses', 'screening_course_crimes', 'screening_person_keys']

async function floor(url: string, forceId: number) {
  const reads: Record<string, { rows: number; seconds: number }> = {}
  let written = 0
  let writeMs: number
  if (dialect === 'sqlite') {
    const db = new Sqlite(url)
    try {
      for (const [name, text] of Object.entries(FLOOR_READS)) {
        const started = performance.now()
        const rows = db.prepare(text.replace('$1', '?')).raw(true).all(forceId)
        reads[name] = { rows: rows.length, seconds: seconds(performance.now() - started) }
      }
      db.exec('begin')
      for (const table of FLOOR_WRITES) db.exec(`create temp table floor_${table} as select * from ${table} where 0`)
      const started = performance.now()
      for (const table of FLOOR_WRITES) {
        written += db
          .prepare(`insert into floor_${table} select * from ${table} where force_id = ?`)
          .run(forceId).changes
      }
      writeMs = performance.now() - started
      db.exec('rollback')
    } finally {
      db.close()
    }
  } else {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      for (const [name, text] of Object.entries(FLOOR_READS)) {
        const started = performance.now()
        const result = await client.query({ text, values: [forceId], rowMode: 'array' })
        reads[name] = { rows: result.rows.length, seconds: seconds(performance.now() - started) }
      }
      await client.query('begin')
      for (const table of FLOOR_WRITES) {
        await client.query(`create temp table floor_${table} as select * from ${table} where false`)
      }
      const started = performance.now()
      for (const table of FLOOR_WRITES) {
        const result = await client.query(`insert into floor_${table} select * from ${table} where force_id = $1`, [
          forceId,
        ])
        written += result.rowCount ?? 0
      }
      writeMs = performance.now() - started
      await client.query('rollback')
    } finally {
      await client.end()
    }
  }
  const readSeconds = seconds(Object.values(reads).reduce((sum, read) => sum + read.seconds * 1000, 0))
  return { readSeconds, reads, writeSeconds: seconds(writeMs), rowsWritten: written }
}

async function main() {
  const database = await databaseUrl()
  const atStart = machineInfo()
  const services = await createServices(loadConfig({ NODE_ENV: 'test' }, { databaseUrl: database.url }), undefined)
  try {
    console.log(`${dialect}: importing ${crimes.toLocaleString('en-GB')} crimes (not timed)`)
    await importGenerated(services, crimes, 7, '')
    const forceId = (await services.screening.service.forceByName(FORCE))!.id
    const actor = { ...SYSTEM_ACTOR, forceId }

    console.log('full screening run')
    const fullPhases: RunPhases = {}
    const fullRun = await timed(() =>
      services.screening.service.run(actor, forceId, { mode: 'full', phases: fullPhases }),
    )
    const full = fullRun.value
    console.log(`  ${fullRun.seconds} s (CPU ${fullRun.cpuSeconds} s): ${JSON.stringify(full)}`)
    console.log(`  phases: ${JSON.stringify(phaseSeconds(fullPhases))}`)

    console.log(`daily import of ${daily.toLocaleString('en-GB')} crimes, timing the incremental screening it runs`)
    // The import screens what it imported (the screening area's listener calls screenChangedCrimes, which is the
    // incremental run): time that call, with the run's phases.
    const service = services.screening.service
    const incrementalPhases: RunPhases = {}
    let incrementalRun: Awaited<ReturnType<typeof timed<Awaited<ReturnType<typeof service.run>>>>> | undefined
    service.screenChangedCrimes = async (callActor, callForce) => {
      incrementalRun = await timed(() =>
        service.run(callActor, callForce, { mode: 'incremental', phases: incrementalPhases }),
      )
      return incrementalRun.value
    }
    const started = performance.now()
    await importGenerated(services, daily, 99, 'D')
    const dailyImportSeconds = (performance.now() - started) / 1000
    if (!incrementalRun) throw new Error('the import did not screen what it imported')
    const incremental = incrementalRun.value
    console.log(`  ${incrementalRun.seconds} s (CPU ${incrementalRun.cpuSeconds} s): ${JSON.stringify(incremental)}`)
    console.log(`  phases: ${JSON.stringify(phaseSeconds(incrementalPhases))}`)

    console.log('floor: the same reads and writes by the bare engine')
    const engineFloor = await floor(database.url, forceId)
    console.log(`  ${JSON.stringify(engineFloor)}`)

    const result = {
      benchmark: 'screening-incremental',
      dialect,
      crimes,
      daily,
      ranAt: new Date().toISOString(),
      full: {
        seconds: Math.round(fullRun.seconds * 10) / 10,
        cpuSeconds: fullRun.cpuSeconds,
        phases: phaseSeconds(fullPhases),
        summary: full,
      },
      incremental: {
        seconds: incrementalRun.seconds,
        cpuSeconds: incrementalRun.cpuSeconds,
        phases: phaseSeconds(incrementalPhases),
        importWithScreeningSeconds: Math.round(dailyImportSeconds * 10) / 10,
        summary: incremental,
      },
      floor: {
        ...engineFloor,
        note: 'after the daily import: the rows a full run reads, one statement per table, and the courses, course crimes and person keys it writes, by the bare engine',
      },
      machine: { ...atStart, loadAverageAtEnd: machineInfo().loadAverage },
      targets: 'issue 14: every crime of 1M screened in under 60 s; incremental after a 10k import under 5 s at 1M',
    }
    mkdirSync(join('bench', 'results'), { recursive: true })
    const file = join('bench', 'results', `screening-incremental-${dialect}-${crimes}.json`)
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`)
    console.log(`wrote ${file}`)
  } finally {
    await services.db.destroy()
    await database.drop()
  }
}

await main()
