// Case work benchmark (issue 12): at N crimes with M stalking cases, on SQLite or PostgreSQL:
// (1) computing every case's obligations for the force from scratch (`cases refresh`), target under 10 s;
// (2) My work (an officer's page: refresh of what changed, first page, counts, audit row), p95 target under 100 ms;
// (3) the team queue, first page and count, under the queue's filters in turn, p95 under 100 ms;
// (4) the case page (refresh, task list, timeline from every area, course of conduct, audit row), p95 under 100 ms;
// (5) one change (an SPO consideration) seen at the next read: the incremental refresh alone.
// Synthetic records written straight into the tables (seeded, invented, no narrative text or people): the import is
// measured by the crime benchmark, not here. Usage:
//   npx tsx bench/cases.ts --dialect sqlite --crimes 1000000 --cases 100000 [--queries 200] [--keep]
// Results in bench/results/cases-<dialect>-<crimes>.json.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem, type } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { CompiledQuery, sql, type Kysely } from 'kysely'
import { writeCasesSummary } from './casesSummary.ts'
import { loadConfig } from '../src/config.ts'
import { createServices } from '../src/compositionRoot.ts'
import { Random } from '../src/platform/random.ts'
import { addDays } from '../src/platform/days.ts'
import type { Database } from '../src/compositionRoot.ts'
import { Permissions } from '../src/platform/services/permissions.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? args[at + 1] : fallback
}
const dialect = option('dialect', 'sqlite') as 'sqlite' | 'postgres'
const crimes = Number(option('crimes', '1000000'))
const caseCount = Number(option('cases', String(Math.round(crimes / 10))))
const queries = Number(option('queries', '200'))
/** Keep the database afterwards (to EXPLAIN the queries on the same data); its location is printed. */
const keep = args.includes('--keep')
const OFFICERS = 500
const TEAMS = ['Response North', 'Response South', 'CID East', 'CID West', 'Safeguarding Hub', 'Stalking Unit']

const round = (value: number, places = 1) => Math.round(value * 10 ** places) / 10 ** places
function percentiles(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b)
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
  return { p50Ms: round(at(50), 2), p95Ms: round(at(95), 2), maxMs: round(sorted[sorted.length - 1], 2) }
}

async function insertRows(db: Kysely<Database>, table: string, columns: string[], rows: unknown[][]) {
  const postgres = dialect === 'postgres'
  const per = Math.floor(30000 / columns.length)
  for (let start = 0; start < rows.length; start += per) {
    const chunk = rows.slice(start, start + per)
    const parameters: unknown[] = []
    const tuples = chunk.map(
      (row) => `(${row.map((value) => (parameters.push(value), postgres ? `$${parameters.length}` : '?')).join(', ')})`,
    )
    await db.executeQuery(
      CompiledQuery.raw(`insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`, parameters),
    )
  }
}

async function main() {
  const tmp = join('bench', 'tmp', `cases-${dialect}-${crimes}`)
  let databaseUrl: string
  let dropPostgres: (() => Promise<void>) | null = null
  if (dialect === 'sqlite') {
    rmSync(tmp, { recursive: true, force: true })
    mkdirSync(tmp, { recursive: true })
    databaseUrl = join(tmp, 'bench.sqlite')
  } else {
    const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
    const name = `threadline_bench_cases_${process.pid}`
    const admin = new pg.Client({ connectionString: server })
    await admin.connect()
    await admin.query(`create database ${name}`)
    await admin.end()
    const url = new URL(server)
    url.pathname = `/${name}`
    databaseUrl = url.href
    dropPostgres = async () => {
      const cleanup = new pg.Client({ connectionString: server })
      await cleanup.connect()
      await cleanup.query(`drop database if exists ${name} with (force)`)
      await cleanup.end()
    }
  }
  const loadAtStart = loadavg().map((value) => round(value, 2))
  const services = await createServices(loadConfig({ NODE_ENV: 'test' }, { databaseUrl }), undefined)
  const db = services.db
  try {
    // ---- Synthetic records ----------------------------------------------------------------------------------------
    const setupStarted = performance.now()
    const random = new Random(12)
    const forceId = await services.users.ensureForce(
      { actorId: null, actorUsername: 'bench', forceId: null, requestId: null },
      'Benchshire Police',
    )
    const now = new Date().toISOString()
    const today = now.slice(0, 10)
    const officers: number[] = []
    const userRows: unknown[][] = []
    for (let n = 0; n < OFFICERS; n++)
      userRows.push([`officer${n}`, `PC Bench ${n}`, forceId, n % 25 === 0 ? 'supervisor' : 'officer', 1, now])
    await insertRows(db, 'users', ['username', 'display_name', 'force_id', 'roles', 'active', 'created_at'], userRows)
    for (const row of await db.selectFrom('users').select('id').where('force_id', '=', forceId).orderBy('id').execute())
      officers.push(row.id)
    // Crimes over three years, every tenth-ish a stalking case (8Q principal or included).
    const stalkingEvery = crimes / caseCount
    const crimeRows: unknown[][] = []
    const reported: string[] = []
    for (let n = 0; n < crimes; n++) {
      const day = addDays(today, -Math.floor((n / crimes) * 1095) + (n === crimes - 1 ? 0 : 0))
      const at = `${addDays(day, 0)}T${String(8 + (n % 12)).padStart(2, '0')}:00:00.000Z`
      reported.push(at)
      crimeRows.push([
        forceId,
        `B/${n}`,
        'crime',
        at,
        n % Math.round(stalkingEvery) === 0 ? '8Q' : '58C',
        0,
        0,
        0,
        '',
        TEAMS[n % TEAMS.length],
        now,
        now,
      ])
      if (crimeRows.length === 20000 || n === crimes - 1) {
        await insertRows(
          db,
          'crimes',
          [
            'force_id',
            'force_reference',
            'kind',
            'reported_at',
            'principal_code',
            'domestic_abuse',
            'online',
            'repeat_victim',
            'narrative',
            'team',
            'created_at',
            'updated_at',
          ],
          crimeRows.splice(0),
        )
      }
    }
    const firstId = Number(
      (
        await db
          .selectFrom('crimes')
          .select((eb) => eb.fn.min('id').as('id'))
          .executeTakeFirstOrThrow()
      ).id,
    )
    const stalkingIds: number[] = []
    for (let n = 0; n < crimes; n += Math.round(stalkingEvery)) stalkingIds.push(firstId + n)
    const classRows: unknown[][] = []
    const indexRows: unknown[][] = []
    for (const id of stalkingIds) {
      classRows.push([id, '8Q', 'principal'])
      indexRows.push([forceId, '8Q', reported[id - firstId], id, 'principal'])
    }
    await insertRows(db, 'crime_classifications', ['crime_id', 'code', 'role'], classRows)
    await insertRows(
      db,
      'crime_classification_index',
      ['force_id', 'search_key', 'reported_at', 'crime_id', 'role'],
      indexRows,
    )
    // The areas' records on a share of the cases, made a few days after report (some on time, some late).
    const after = (id: number, days: number) =>
      new Date(Date.parse(reported[id - firstId]) + days * 86_400_000).toISOString()
    const sdash: unknown[][] = []
    const spo: unknown[][] = []
    const allocations: unknown[][] = []
    const reviews: unknown[][] = []
    for (const id of stalkingIds) {
      if (random.next() < 0.7)
        sdash.push([
          forceId,
          id,
          '{}',
          3,
          'Judged.',
          ['standard', 'medium', 'high'][random.int(3)],
          'PC Bench',
          after(id, random.between(0, 3)),
        ])
      if (random.next() < 0.6)
        spo.push([
          forceId,
          id,
          'not_apply',
          'No support for an application.',
          'PC Bench',
          after(id, random.between(1, 14)),
        ])
      if (random.next() < 0.6)
        allocations.push([
          forceId,
          id,
          TEAMS[id % TEAMS.length],
          'PC Bench',
          'pc bench',
          after(id, random.between(0, 5)).slice(0, 10),
          'medium',
          '',
          random.next() < 0.7 ? 1 : 0,
          'DS Bench',
          now,
        ])
      if (random.next() < 0.4)
        reviews.push([
          forceId,
          id,
          after(id, random.between(2, 20)).slice(0, 10),
          1,
          '{}',
          0,
          0,
          0,
          0,
          '',
          'DS Bench',
          now,
        ])
    }
    await insertRows(
      db,
      'screening_assessments',
      ['force_id', 'crime_id', 'answers', 'yes_count', 'judgement', 'risk_level', 'assessed_by', 'assessed_at'],
      sdash,
    )
    await insertRows(
      db,
      'spo_considerations',
      ['force_id', 'crime_id', 'decision', 'reason', 'considered_by', 'considered_at'],
      spo,
    )
    await insertRows(
      db,
      'investigation_allocations',
      [
        'force_id',
        'crime_id',
        'team',
        'officer',
        'officer_key',
        'allocated_on',
        'risk_level',
        'complexity_notes',
        'officer_trained',
        'allocated_by',
        'allocated_at',
      ],
      allocations,
    )
    await insertRows(
      db,
      'investigation_reviews',
      [
        'force_id',
        'crime_id',
        'reviewed_on',
        'checklist_version',
        'answers',
        'digital_pursued',
        'arrested',
        'searched',
        'victim_impact',
        'notes',
        'reviewed_by',
        'recorded_at',
      ],
      reviews,
    )
    // Statistics, and on PostgreSQL the visibility map too (as autovacuum keeps it), so index-only scans read no heap.
    const analyse = () => (dialect === 'postgres' ? sql`vacuum analyze` : sql`analyze`).execute(db)
    await analyse()
    const setupSeconds = round((performance.now() - setupStarted) / 1000)
    console.log(`setup: ${crimes} crimes, ${stalkingIds.length} stalking cases in ${setupSeconds} s`)

    // ---- (1) Every case's obligations from scratch -----------------------------------------------------------------
    const refreshStarted = performance.now()
    const summary = await services.cases.service.refreshAll(forceId)
    const refreshSeconds = round((performance.now() - refreshStarted) / 1000, 2)
    console.log(`refresh all: ${summary.cases} cases, ${summary.obligations} obligations in ${refreshSeconds} s`)
    // A second full refresh with nothing changed (reads everything, writes nothing).
    const againStarted = performance.now()
    await services.cases.service.refreshAll(forceId)
    const refreshAgainSeconds = round((performance.now() - againStarted) / 1000, 2)
    // The floor: the database alone writing the same rows (every case and obligation the refresh wrote) into empty
    // copies of the two tables with the same indexes, by INSERT ... SELECT: no events read, nothing worked out.
    const floorColumns: Record<string, string[][]> = {
      cases: [
        ['crime_id'],
        ['force_id', 'assigned_user_id', 'next_due_on'],
        ['force_id', 'next_due_on'],
        ['force_id', 'team'],
      ],
      case_obligations: [
        ['crime_id', 'obligation_id'],
        ['force_id', 'obligation_id', 'started_on'],
        ['force_id', 'state', 'due_on', 'risk_rank desc', 'crime_id', 'obligation_id'],
        ['force_id', 'state', 'obligation_id', 'due_on', 'risk_rank desc', 'crime_id', 'team', 'assigned_user_id'],
        ['force_id', 'state', 'team', 'due_on', 'risk_rank desc', 'crime_id', 'obligation_id'],
        ['force_id', 'state', 'risk_rank', 'due_on', 'crime_id', 'obligation_id'],
        ['force_id', 'state', 'assigned_user_id', 'due_on', 'risk_rank desc', 'crime_id', 'obligation_id'],
      ],
    }
    for (const table of Object.keys(floorColumns)) {
      await sql`create table ${sql.table(`${table}_floor`)} as select * from ${sql.table(table)} where 1 = 0`.execute(
        db,
      )
      for (const [n, columns] of floorColumns[table].entries()) {
        await sql
          .raw(`create ${n === 0 ? 'unique ' : ''}index ${table}_floor_${n} on ${table}_floor (${columns.join(', ')})`)
          .execute(db)
      }
    }
    const floorStarted = performance.now()
    await db.transaction().execute(async (trx) => {
      for (const table of Object.keys(floorColumns)) {
        await sql`insert into ${sql.table(`${table}_floor`)} select * from ${sql.table(table)}`.execute(trx)
      }
    })
    const floorSeconds = round((performance.now() - floorStarted) / 1000, 2)
    for (const table of Object.keys(floorColumns)) await sql`drop table ${sql.table(`${table}_floor`)}`.execute(db)
    console.log(`refresh floor (the same rows written by INSERT ... SELECT): ${floorSeconds} s`)
    // Assign 80% of the cases across the officers (setup, not measured); crime ids of cases are ten apart.
    for (const [index, userId] of officers.entries()) {
      await sql`update cases set assigned_user_id = ${userId} where force_id = ${forceId} and (crime_id / 10) % ${OFFICERS} = ${index} and (crime_id / 10) % 5 <> 0`.execute(
        db,
      )
    }
    await sql`update case_obligations set assigned_user_id = (select c.assigned_user_id from cases c where c.crime_id = case_obligations.crime_id) where force_id = ${forceId}`.execute(
      db,
    )
    await analyse()

    const users = await services.users.list(forceId)
    const viewer = (index: number) => {
      const user = users[index % users.length]
      return {
        actor: { actorId: user.id, actorUsername: user.username, forceId, requestId: null },
        forceId,
        permissions: new Permissions({ ...user, roles: ['supervisor'] }),
      }
    }
    const time = async (run: (n: number) => Promise<unknown>) => {
      for (let n = 0; n < 20; n++) await run(n)
      const times: number[] = []
      for (let n = 0; n < queries; n++) {
        const started = performance.now()
        await run(n)
        times.push(performance.now() - started)
      }
      return percentiles(times)
    }
    // ---- (2) My work ------------------------------------------------------------------------------------------------
    const myWork = await time((n) => services.cases.service.myWork(viewer(random.int(users.length) + n), 1))
    console.log(`my work: ${JSON.stringify(myWork)}`)
    // ---- (3) Team queue ---------------------------------------------------------------------------------------------
    const filters = [
      {},
      { status: 'overdue' },
      { team: TEAMS[2] },
      { obligation: 'spo_considered' },
      { risk: 'high' },
      { within: 7 },
      { assigned: 'none' },
      { obligation: 'supervisory_review', team: TEAMS[4] },
    ]
    const queue = await time((n) =>
      services.cases.service.teamQueue(viewer(n), {
        status: 'open',
        assigned: 'any',
        page: 1,
        ...(filters[n % filters.length] as Record<string, unknown>),
      } as never),
    )
    console.log(`team queue: ${JSON.stringify(queue)}`)
    // ---- (4) Case page ----------------------------------------------------------------------------------------------
    const casePage = await time(() =>
      services.cases.service.caseView(viewer(1), stalkingIds[random.int(stalkingIds.length)]),
    )
    console.log(`case page: ${JSON.stringify(casePage)}`)
    // ---- (3b) The team queue's force-wide summary (overdue by officer and team, the teams), worked out afresh: what
    // the first view of the day, or the first after any change to the force's cases, pays on top of the page.
    const queueSummary = await time(async () => {
      await services.cases.repository.overdueBy(forceId, today)
      await services.cases.repository.teams(forceId)
    })
    console.log(`team queue summary, uncached: ${JSON.stringify(queueSummary)}`)
    // ---- (5) One change, seen at the next read ------------------------------------------------------------------
    const changed = stalkingIds[random.int(stalkingIds.length)]
    await services.safeguarding.service.recordConsideration(viewer(2), changed, {
      decision: 'apply',
      appliedOn: today,
      interim: 'no',
      courtOutcome: 'pending',
    })
    const incrementalStarted = performance.now()
    await services.cases.service.refresh(forceId)
    const incrementalMs = round(performance.now() - incrementalStarted, 2)
    const seen = await db
      .selectFrom('case_obligations')
      .select('state')
      .where('crime_id', '=', changed)
      .where('obligation_id', '=', 'spo_considered')
      .executeTakeFirstOrThrow()
    if (seen.state !== 'met') throw new Error('The change was not seen at the next read')
    console.log(`incremental refresh after one change: ${incrementalMs} ms`)

    const result = {
      benchmark: 'cases',
      dialect,
      crimes,
      cases: stalkingIds.length,
      obligations: summary.obligations,
      officers: OFFICERS,
      queries,
      ranAt: new Date().toISOString(),
      machine: {
        os: `${type()} ${process.arch}`,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
      },
      loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((value) => round(value, 2)) },
      setupSeconds,
      refreshAll: {
        seconds: refreshSeconds,
        secondsWithNothingChanged: refreshAgainSeconds,
        floorSeconds,
        timesFloor: round(refreshSeconds / floorSeconds, 1),
        floor:
          'the same cases and obligations written by the database alone (INSERT ... SELECT into empty copies with the same indexes)',
        target: 'under 10 s',
      },
      myWork: { ...myWork, target: 'p95 under 100 ms' },
      teamQueue: {
        ...queue,
        filters,
        target: 'p95 under 100 ms (first page and count)',
        summaryUncached: {
          ...queueSummary,
          note: 'overdue by officer and by team, and the teams: kept between views, worked out again on the first view of a day or after any write to the force cases; this is that work alone',
        },
      },
      casePage: { ...casePage, target: 'p95 under 100 ms' },
      incrementalRefreshAfterOneChangeMs: incrementalMs,
    }
    mkdirSync(join('bench', 'results'), { recursive: true })
    writeFileSync(join('bench', 'results', `cases-${dialect}-${crimes}.json`), `${JSON.stringify(result, null, 2)}\n`)
    writeCasesSummary(join('bench', 'results'))
    console.log(JSON.stringify(result, null, 2))
  } finally {
    await services.databaseHandle.close()
    if (keep) console.log(`kept the database: ${databaseUrl}`)
    else {
      if (dropPostgres) await dropPostgres()
      if (dialect === 'sqlite') rmSync(tmp, { recursive: true, force: true })
    }
  }
}

await main()
