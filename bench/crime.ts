// Crime benchmark: import rate and search latencies at force and national scale, on SQLite and PostgreSQL, against
// a plain in-memory index answering the same classification queries in the same process (the floor).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import os from 'node:os'
import pg from 'pg'
import type { Database } from '../src/compositionRoot.ts'
import type { PlatformServices } from '../src/platform/area.ts'
import { COUNT_LIMIT, type CrimeQuery } from '../src/crime/data/crimeRepository.ts'
import { generateRecords, writeImportFiles } from '../src/crime/generator/index.ts'
import { createCrimeServices, type CrimeServices } from '../src/crime/index.ts'
import { readInWorker } from '../src/crime/services/readerWorker.ts'
import { nextDay } from '../src/crime/services/normalise.ts'
import {
  openDatabase,
  removeSqliteDatabase,
  type DatabaseHandle,
  type DialectName,
} from '../src/platform/data/database.ts'
import { migrateThreadline } from '../src/compositionRoot.ts'
import { AuditRepository } from '../src/platform/data/auditRepository.ts'
import { platformView } from '../src/platform/data/schema.ts'
import { AuditService } from '../src/platform/services/auditService.ts'
import { RecordNames } from '../src/platform/services/recordNames.ts'
import { SYSTEM_ACTOR } from '../src/platform/services/auditService.ts'
import { Random } from '../src/platform/random.ts'
import { PeopleFloor, TextFloor } from './searchFloors.ts'
import { postgresImportFloor, sqliteImportFloor, type ImportFloor } from './importFloor.ts'

export const FORCE = 'Demoshire Police'
const SEED = 1
const PAGE = 25

export interface Latency {
  queries: number
  p50Ms: number
  p95Ms: number
  /** p50 and p95 divided by the in-memory floor's. */
  p50RatioToFloor: number | null
  p95RatioToFloor: number | null
  meanMatches: number
}

export interface CrimeBenchResult {
  benchmark: 'crime'
  dialect: DialectName
  size: number
  ranAt: string
  machine: Record<string, unknown>
  import: {
    records: number
    seconds: number
    crimesPerSecond: number
    /** CPU time of this process during the import, every thread (a PostgreSQL server's own work is not in it). */
    cpuSeconds?: number
    /** The same extract read, checked and handed over by the worker with nothing written: the reading's share. */
    readingAlone?: { seconds: number; cpuSeconds: number }
    /** The same rows loaded into the same tables by the engine's bare loader (see importFloor.ts), and import / floor. */
    floor?: ImportFloor
    ratioToFloor?: number
    what: string
  }
  classificationSearch: Latency
  groupSearch: Latency
  /** Before issue 17: a 3-letter prefix and a surname with date of birth, alternately (older result files). */
  personSearch?: Latency
  /** A 3-letter name prefix; a forename and surname with date of birth; an identifier (first page and capped count). */
  personPrefix?: Latency & { floor: Latency }
  personNameBirth?: Latency & { floor: Latency }
  personIdentifier?: Latency & { floor: Latency }
  fullTextSearch: Latency & { floor?: Latency }
  floor: Latency & { what: string }
  notes: string[]
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

function round(value: number, places = 2): number {
  const factor = 10 ** places
  return Math.round(value * factor) / factor
}

async function measure(
  queries: number,
  warmup: number,
  run: (index: number) => Promise<number> | number,
): Promise<Omit<Latency, 'p50RatioToFloor' | 'p95RatioToFloor'>> {
  for (let index = 0; index < warmup; index++) await run(index)
  const times: number[] = []
  let matches = 0
  for (let index = 0; index < queries; index++) {
    const started = performance.now()
    matches += await run(index)
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  return {
    queries,
    p50Ms: round(percentile(times, 50), 3),
    p95Ms: round(percentile(times, 95), 3),
    meanMatches: Math.round(matches / queries),
  }
}

/** Generates the extract for a size once (seeded, so the same every time) and keeps it under bench/tmp. */
export async function extractFor(size: number, dir: string): Promise<string[]> {
  const target = join(dir, `crime-${size}-seed${SEED}`)
  const marker = join(target, 'complete.json')
  if (existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8')).files as string[]
  rmSync(target, { recursive: true, force: true })
  const started = performance.now()
  const written = await writeImportFiles(generateRecords({ crimes: size, seed: SEED, force: FORCE }), target, {
    layout: 'single',
    force: FORCE,
  })
  writeFileSync(marker, JSON.stringify({ files: written.files, records: written.records }))
  console.log(`  generated ${written.records} records in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return written.files
}

/** Only what the crime area uses of the platform: the database and the audit log (no other area is loaded). */
export function benchPlatform(handle: DatabaseHandle<Database>): PlatformServices {
  return {
    db: handle.db,
    dialect: handle.dialect,
    databaseHandle: handle,
    audit: new AuditService(platformView(handle.db), new AuditRepository(platformView(handle.db)), {
      key: () => Buffer.from('bench-audit-key-'.padEnd(40, 'x')),
      checkpointFile: null,
    }),
    recordNames: new RecordNames(),
  } as unknown as PlatformServices
}

export interface BenchDatabase {
  handle: DatabaseHandle<Database>
  /** The SQLite file, or the PostgreSQL database's URL. */
  url: string
  drop(): Promise<void>
}

export async function openBenchDatabase(
  dialect: DialectName,
  size: number,
  dir: string,
  label = 'crime',
): Promise<BenchDatabase> {
  if (dialect === 'sqlite') {
    const file = join(dir, `bench-${label}-${size}.sqlite`)
    removeSqliteDatabase(file)
    const handle = openDatabase<Database>(file)
    return {
      handle,
      url: file,
      async drop() {
        await handle.close()
        removeSqliteDatabase(file)
      },
    }
  }
  const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const name = `threadline_bench_${label.replace(/\W/g, '_')}_${process.pid}_${size}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`drop database if exists ${name}`)
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

function cpuSecondsSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before)
  return (used.user + used.system) / 1e6
}

/** Reads the extract as the import does (worker thread: parse, check, hand over) and writes nothing. */
async function readAlone(files: string[]): Promise<{ seconds: number; cpuSeconds: number }> {
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  let records = 0
  for await (const item of readInWorker(files, { forceName: FORCE })) if ('record' in item) records++
  if (records === 0) throw new Error('the extract gave no records')
  return { seconds: round((performance.now() - started) / 1000, 1), cpuSeconds: round(cpuSecondsSince(cpuBefore), 1) }
}

/** The plain in-memory index: per search key, (reported_at, crime id) sorted; a query is two binary searches. */
class MemoryIndex {
  private readonly keys = new Map<string, { dates: string[]; ids: number[] }>()

  static async load(crime: CrimeServices, db: DatabaseHandle<Database>, forceId: number): Promise<MemoryIndex> {
    const index = new MemoryIndex()
    const rows = await db.db
      .selectFrom('crime_classification_index')
      .select(['search_key', 'reported_at', 'crime_id'])
      .where('force_id', '=', forceId)
      .orderBy('search_key')
      .orderBy('reported_at')
      .orderBy('crime_id')
      .execute()
    for (const row of rows) {
      let entry = index.keys.get(row.search_key)
      if (!entry) index.keys.set(row.search_key, (entry = { dates: [], ids: [] }))
      entry.dates.push(row.reported_at)
      entry.ids.push(row.crime_id)
    }
    void crime
    return index
  }

  private static lowerBound(values: string[], target: string): number {
    let low = 0
    let high = values.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (values[middle] < target) low = middle + 1
      else high = middle
    }
    return low
  }

  /** Newest first page and the count of matches in [from, before). */
  query(key: string, from: string, before: string, limit: number): { ids: number[]; total: number } {
    const entry = this.keys.get(key)
    if (!entry) return { ids: [], total: 0 }
    const low = MemoryIndex.lowerBound(entry.dates, from)
    const high = MemoryIndex.lowerBound(entry.dates, before)
    const ids: number[] = []
    for (let position = high - 1; position >= low && ids.length < limit; position--) ids.push(entry.ids[position])
    return { ids, total: high - low }
  }
}

export function machineInfo(): Record<string, unknown> {
  const cpus = os.cpus()
  return {
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    loadAverage: os.loadavg().map((value) => round(value, 2)),
  }
}

const CLASSIFICATION_CODES = ['8Q', '8L', '8R', '58C', '105A', '8U', '9A', '46']
const TEXT_QUERIES = ['following', 'loitering outside', 'messages', 'threatened', 'window smashed', 'tracker', 'shop']

export async function benchCrime(options: {
  dialect: DialectName
  size: number
  queries: number
  tmpDir: string
}): Promise<CrimeBenchResult> {
  const { dialect, size, queries, tmpDir } = options
  mkdirSync(tmpDir, { recursive: true })
  console.log(`crime ${dialect} ${size}: preparing the extract`)
  const files = await extractFor(size, tmpDir)
  const database = await openBenchDatabase(dialect, size, tmpDir)
  const notes: string[] = []
  try {
    await migrateThreadline(database.handle.db)
    const platform = benchPlatform(database.handle)
    const crime = createCrimeServices(platform)
    const machine = machineInfo()

    const readingAlone = size <= 1_000_000 ? await readAlone(files) : undefined
    console.log(`crime ${dialect} ${size}: importing`)
    const cpuBefore = process.cpuUsage()
    const started = performance.now()
    const summary = await crime.importer.importRecords(
      { ...SYSTEM_ACTOR, actorUsername: 'bench' },
      readInWorker(files, { forceName: FORCE }),
      { force: FORCE, files },
    )
    const seconds = (performance.now() - started) / 1000
    const cpuSeconds = cpuSecondsSince(cpuBefore)
    if (!summary.written) throw new Error(`import refused: ${JSON.stringify(summary.problems.slice(0, 3))}`)
    console.log(`  ${summary.records} records in ${seconds.toFixed(1)} s (${Math.round(summary.records / seconds)}/s)`)
    const forceId = (await crime.repository.forceByName(FORCE))!.id

    const random = new Random(7)
    const end = Date.UTC(2026, 9, 31)
    const ranges = Array.from({ length: queries }, () => {
      const days = 30 + random.between(0, 335)
      const to = new Date(end - random.between(0, 700) * 86400000)
      const from = new Date(to.getTime() - days * 86400000)
      return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) }
    })
    const classificationQuery = (index: number): CrimeQuery => ({
      forceId,
      keys: [{ key: CLASSIFICATION_CODES[index % CLASSIFICATION_CODES.length], match: 'either' }],
      reportedFrom: ranges[index].from,
      reportedBefore: nextDay(ranges[index].to),
      sort: 'reported',
      direction: 'desc',
    })
    const warmup = Math.min(20, queries)

    console.log(`crime ${dialect} ${size}: searching`)
    const classification = await measure(queries, warmup, async (index) => {
      const result = await crime.repository.searchCrimeIds(classificationQuery(index), PAGE, 0)
      return result.total
    })
    const group = crime.catalogue.groups.find((entry) => entry.label.endsWith('Stalking and harassment'))!
    const groupSearch = await measure(queries, warmup, async (index) => {
      const query = { ...classificationQuery(index), keys: [{ key: group.key, match: 'either' as const }] }
      return (await crime.repository.searchCrimeIds(query, PAGE, 0)).total
    })

    // Person searches, from people in the data: a 3-letter prefix of a surname; a forename and surname with the date
    // of birth; an identifier. Each against its in-memory floor, which must give the same first page and count.
    const sample = await database.handle.db
      .selectFrom('people')
      .select(['id', 'surname_norm', 'forename_norm', 'date_of_birth'])
      .where('force_id', '=', forceId)
      .where('surname_norm', '!=', '')
      .where('forename_norm', '!=', '')
      .where('date_of_birth', 'is not', null)
      .orderBy('id')
      .limit(5000)
      .execute()
    const identifierSample = (
      await database.handle.db
        .selectFrom('person_identifiers')
        .select('value_norm')
        .where('force_id', '=', forceId)
        .orderBy('id')
        .limit(5000)
        .execute()
    ).map((row) => row.value_norm)
    const chosen = (index: number) => sample[(index * 7919) % sample.length]
    const prefixOf = (index: number) => chosen(index).surname_norm.slice(0, 3)
    const identifierOf = (index: number) => identifierSample[(index * 7919) % identifierSample.length]
    const personPrefix = await measure(queries, warmup, async (index) => {
      return (await crime.repository.searchPeople(forceId, { nameTokens: [prefixOf(index)] }, PAGE)).total
    })
    const nameBirthCriteria = (index: number) => ({
      nameTokens: [chosen(index).forename_norm, chosen(index).surname_norm],
      dateOfBirth: chosen(index).date_of_birth as string,
    })
    const personNameBirth = await measure(queries, warmup, async (index) => {
      return (await crime.repository.searchPeople(forceId, nameBirthCriteria(index), PAGE)).total
    })
    const personIdentifier = await measure(queries, warmup, async (index) => {
      return (await crime.repository.searchPeople(forceId, { identifierNorm: identifierOf(index) }, PAGE)).total
    })
    const textQuery = (index: number): CrimeQuery => ({
      forceId,
      keys: [],
      text: TEXT_QUERIES[index % TEXT_QUERIES.length],
      reportedFrom: ranges[index].from,
      reportedBefore: nextDay(ranges[index].to),
      sort: 'reported',
      direction: 'desc',
    })
    const fullText = await measure(queries, warmup, async (index) => {
      return (await crime.repository.searchCrimeIds(textQuery(index), PAGE, 0)).total
    })

    console.log(`crime ${dialect} ${size}: the person and full-text floors`)
    const peopleFloor = await PeopleFloor.load(database.handle.db, forceId)
    const personPrefixFloor = await measure(queries, warmup, (index) => {
      return peopleFloor.prefix(prefixOf(index), PAGE, COUNT_LIMIT).total
    })
    const personNameBirthFloor = await measure(queries, warmup, (index) => {
      const { nameTokens, dateOfBirth } = nameBirthCriteria(index)
      return peopleFloor.nameAndBirth(nameTokens[0], nameTokens[1], dateOfBirth, PAGE).total
    })
    const personIdentifierFloor = await measure(queries, warmup, (index) => {
      return peopleFloor.identifier(identifierOf(index), PAGE).total
    })
    for (let index = 0; index < Math.min(queries, 20); index++) {
      const pairs: [string, { ids: number[]; total: number }, Promise<{ people: { id: number }[]; total: number }>][] =
        [
          [
            'name prefix',
            peopleFloor.prefix(prefixOf(index), PAGE, COUNT_LIMIT),
            crime.repository.searchPeople(forceId, { nameTokens: [prefixOf(index)] }, PAGE),
          ],
          [
            'name and date of birth',
            peopleFloor.nameAndBirth(
              nameBirthCriteria(index).nameTokens[0],
              nameBirthCriteria(index).nameTokens[1],
              nameBirthCriteria(index).dateOfBirth,
              PAGE,
            ),
            crime.repository.searchPeople(forceId, nameBirthCriteria(index), PAGE),
          ],
          [
            'identifier',
            peopleFloor.identifier(identifierOf(index), PAGE),
            crime.repository.searchPeople(forceId, { identifierNorm: identifierOf(index) }, PAGE),
          ],
        ]
      for (const [what, fromMemory, fromDatabase] of pairs) {
        const answer = await fromDatabase
        if (answer.total !== fromMemory.total || answer.people.map((p) => p.id).join() !== fromMemory.ids.join()) {
          throw new Error(`the in-memory ${what} floor disagrees with ${dialect} on query ${index}`)
        }
      }
    }
    const textFloor = await TextFloor.load(database.handle.db, forceId, TEXT_QUERIES)
    const fullTextFloor = await measure(queries, warmup, (index) => {
      const query = textQuery(index)
      return textFloor.query(query.text!, query.reportedFrom!, query.reportedBefore!, PAGE, COUNT_LIMIT).total
    })

    console.log(`crime ${dialect} ${size}: the in-memory floor`)
    const memory = await MemoryIndex.load(crime, database.handle, forceId)
    const floor = await measure(queries, warmup, (index) => {
      const query = classificationQuery(index)
      return memory.query(query.keys[0].key, query.reportedFrom!, query.reportedBefore!, PAGE).total
    })
    // The floor must agree with the database, or the comparison means nothing.
    for (let index = 0; index < Math.min(queries, 20); index++) {
      const query = classificationQuery(index)
      const fromDb = await crime.repository.searchCrimeIds(query, PAGE, 0)
      const fromMemory = memory.query(query.keys[0].key, query.reportedFrom!, query.reportedBefore!, PAGE)
      if (fromDb.total !== fromMemory.total || fromDb.ids.join() !== fromMemory.ids.join()) {
        throw new Error(`the in-memory floor disagrees with ${dialect} on query ${index}`)
      }
    }
    console.log(`crime ${dialect} ${size}: the import's floor (bare ${dialect === 'postgres' ? 'COPY' : 'loader'})`)
    const importFloor =
      dialect === 'postgres'
        ? await postgresImportFloor(
            database.url,
            process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
            tmpDir,
          )
        : await sqliteImportFloor(database.url, tmpDir)
    console.log(`  floor ${importFloor.seconds} s: import ${round(seconds / importFloor.seconds, 2)}× the floor`)
    const ratio = (latency: Omit<Latency, 'p50RatioToFloor' | 'p95RatioToFloor'>): Latency => ({
      ...latency,
      p50RatioToFloor: floor.p50Ms > 0 ? round(latency.p50Ms / floor.p50Ms, 1) : null,
      p95RatioToFloor: floor.p95Ms > 0 ? round(latency.p95Ms / floor.p95Ms, 1) : null,
    })
    notes.push(
      'Latencies are of the repository query the Find page runs: first page of 25 and the total count, newest first.',
      `Classification search: either-match on ${CLASSIFICATION_CODES.join(', ')} in turn, each with a random 30–365 day range.`,
      'Group search: the Stalking and harassment subgroup, either-match, same ranges.',
      'Person searches (first page of 25 and the count up to 10,000): a 3-letter prefix of a surname in the data; a forename and surname with the date of birth; an identifier. Each floor answers the same from sorted arrays and maps in this process and gives the same page and count (checked).',
      'Full-text floor: postings of whole lower-case words (no stemming) sorted by reported date, first page and capped count.',
      `Full-text search: ${TEXT_QUERIES.map((q) => `"${q}"`).join(', ')} in turn, each within a date range.`,
    )
    return {
      benchmark: 'crime',
      dialect,
      size,
      ranAt: new Date().toISOString(),
      machine: { ...machine, loadAverageAtEnd: machineInfo().loadAverage },
      import: {
        records: summary.records,
        seconds: round(seconds, 1),
        crimesPerSecond: Math.round(summary.records / seconds),
        cpuSeconds: round(cpuSeconds, 1),
        ...(readingAlone ? { readingAlone } : {}),
        floor: importFloor,
        ratioToFloor: round(seconds / importFloor.seconds, 2),
        what:
          'readCrimeExtracts on a worker thread over the generated single-file CSV extract (parse, validate) and the import service ' +
          '(one transaction: crimes, occurrences, classifications, search index, people, identifiers, parties, full text, ' +
          'index builds and statistics)',
      },
      classificationSearch: ratio(classification),
      groupSearch: ratio(groupSearch),
      personPrefix: { ...ratio(personPrefix), floor: ratio(personPrefixFloor) },
      personNameBirth: { ...ratio(personNameBirth), floor: ratio(personNameBirthFloor) },
      personIdentifier: { ...ratio(personIdentifier), floor: ratio(personIdentifierFloor) },
      fullTextSearch: { ...ratio(fullText), floor: ratio(fullTextFloor) },
      floor: {
        ...ratio(floor),
        what: 'sorted arrays per search key in this process, two binary searches per query',
      },
      notes,
    }
  } finally {
    await database.drop()
  }
}
