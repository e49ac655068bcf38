// Screening every crime in the database, then the incremental screening after a daily import (issue 14's speed
// targets): N generated crimes imported through the import service (not timed), a full `screening run` (every crime
// screened and linked, timed), then a daily extract of 10,000 more crimes imported and the incremental run that
// follows an import timed on its own. Both dialects; seeded generator data only.
//
//   npx tsx bench/screeningIncremental.ts --dialect sqlite --crimes 100000 [--daily 10000]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { loadConfig } from '../src/config.ts'
import { createServices } from '../src/compositionRoot.ts'
import { generateRecords } from '../src/crime/generator/index.ts'
import { SYSTEM_ACTOR } from '../src/platform/services/auditService.ts'
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
    let t = performance.now()
    const full = await services.screening.service.run(actor, forceId, { mode: 'full' })
    const fullSeconds = (performance.now() - t) / 1000
    console.log(`  ${fullSeconds.toFixed(1)} s: ${JSON.stringify(full)}`)

    console.log(`daily import of ${daily.toLocaleString('en-GB')} crimes, timing the incremental screening it runs`)
    // The import screens what it imported (the screening area's listener calls screenChangedCrimes): time that call.
    const service = services.screening.service
    const screen = service.screenChangedCrimes.bind(service)
    let incrementalSeconds = 0
    let incremental: Awaited<ReturnType<typeof screen>> | undefined
    service.screenChangedCrimes = async (...call) => {
      const started = performance.now()
      incremental = await screen(...call)
      incrementalSeconds = (performance.now() - started) / 1000
      return incremental
    }
    t = performance.now()
    await importGenerated(services, daily, 99, 'D')
    const dailyImportSeconds = (performance.now() - t) / 1000
    if (!incremental) throw new Error('the import did not screen what it imported')
    console.log(`  ${incrementalSeconds.toFixed(2)} s: ${JSON.stringify(incremental)}`)

    const result = {
      benchmark: 'screening-incremental',
      dialect,
      crimes,
      daily,
      ranAt: new Date().toISOString(),
      full: { seconds: Math.round(fullSeconds * 10) / 10, summary: full },
      incremental: {
        seconds: Math.round(incrementalSeconds * 100) / 100,
        importWithScreeningSeconds: Math.round(dailyImportSeconds * 10) / 10,
        summary: incremental,
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
