// Daily management list benchmark (issue 13): at N crimes with M stalking cases and K protective orders, on SQLite or
// PostgreSQL, the daily list for a random day in the last year, for the whole force or one team in turn: p95 target
// under 200 ms at 1M crimes, 100k stalking cases and 20k orders. The list: new stalking crimes since the last meeting
// (the classification index), risk judged high or raised (risk assessments and reviews), breaches, orders ending and
// notifications due within 14 days, applications pending, overdue obligations on high-risk cases (case work), and the
// last meeting's decisions. Synthetic records written straight into the tables (seeded, invented, no narrative text or
// people); case work's obligations are worked out once before measuring (`cases refresh`). Usage:
//   npx tsx bench/dailyList.ts --dialect sqlite --crimes 1000000 --cases 100000 --orders 20000 [--queries 200]
// Results in bench/results/daily-list-<dialect>-<crimes>.json.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem, type } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { CompiledQuery, sql, type Kysely } from 'kysely'
import { loadConfig } from '../src/config.ts'
import { createServices, type Database } from '../src/compositionRoot.ts'
import { Random } from '../src/platform/random.ts'
import { addDays } from '../src/platform/days.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? args[at + 1] : fallback
}
const dialect = option('dialect', 'sqlite') as 'sqlite' | 'postgres'
const crimes = Number(option('crimes', '1000000'))
const caseCount = Number(option('cases', String(Math.round(crimes / 10))))
const orderCount = Number(option('orders', String(Math.round(caseCount / 5))))
const queries = Number(option('queries', '200'))
const TEAMS = ['Response North', 'Response South', 'CID East', 'CID West', 'Safeguarding Hub', 'Stalking Unit']
const KINDS = ['spo', 'interim_spo', 'dvpo', 'dapo', 'restraining_conviction', 'non_molestation']
const LEVELS = ['standard', 'medium', 'high']

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
  const tmp = join('bench', 'tmp', `daily-list-${dialect}-${crimes}`)
  let databaseUrl: string
  let dropPostgres: (() => Promise<void>) | null = null
  if (dialect === 'sqlite') {
    rmSync(tmp, { recursive: true, force: true })
    mkdirSync(tmp, { recursive: true })
    databaseUrl = join(tmp, 'bench.sqlite')
  } else {
    const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
    const name = `threadline_bench_daily_${process.pid}`
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
    const setupStarted = performance.now()
    const random = new Random(13)
    const forceId = await services.users.ensureForce(
      { actorId: null, actorUsername: 'bench', forceId: null, requestId: null },
      'Benchshire Police',
    )
    const now = new Date().toISOString()
    const today = now.slice(0, 10)
    await insertRows(
      db,
      'users',
      ['username', 'display_name', 'force_id', 'roles', 'active', 'created_at'],
      Array.from({ length: 50 }, (_, n) => [`sgt${n}`, `DS Bench ${n}`, forceId, 'supervisor', 1, now]),
    )
    // Crimes over three years, one in ten a stalking case (8Q principal).
    const stalkingEvery = Math.round(crimes / caseCount)
    const reported: string[] = []
    const crimeRows: unknown[][] = []
    for (let n = 0; n < crimes; n++) {
      const day = addDays(today, -Math.floor((n / crimes) * 1095))
      const at = `${day}T${String(8 + (n % 12)).padStart(2, '0')}:00:00.000Z`
      reported.push(at)
      crimeRows.push([
        forceId,
        `B/${n}`,
        'crime',
        at,
        n % stalkingEvery === 0 ? '8Q' : '58C',
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
    for (let n = 0; n < crimes; n += stalkingEvery) stalkingIds.push(firstId + n)
    await insertRows(
      db,
      'crime_classifications',
      ['crime_id', 'code', 'role'],
      stalkingIds.map((id) => [id, '8Q', 'principal']),
    )
    await insertRows(
      db,
      'crime_classification_index',
      ['force_id', 'search_key', 'reported_at', 'crime_id', 'role'],
      stalkingIds.map((id) => [forceId, '8Q', reported[id - firstId], id, 'principal']),
    )
    const after = (id: number, days: number) =>
      new Date(Date.parse(reported[id - firstId]) + days * 86_400_000).toISOString()
    // Risk assessments on 60% of cases, four in five reviewed (a fifth of reviews change the level).
    const assessments: unknown[][] = []
    const assessed: { id: number; level: string; at: string }[] = []
    for (const id of stalkingIds) {
      if (random.next() >= 0.6) continue
      const level = LEVELS[random.int(3)]
      const at = after(id, random.between(0, 2))
      assessed.push({ id, level, at })
      assessments.push([
        forceId,
        id,
        random.next() < 0.5 ? 'sdash' : 'dash',
        1,
        '{}',
        random.int(11),
        11,
        level,
        'Judged.',
        'pc.bench',
        null,
        at,
      ])
    }
    await insertRows(
      db,
      'risk_assessments',
      [
        'force_id',
        'crime_id',
        'tool_id',
        'tool_version',
        'answers',
        'yes_count',
        'question_count',
        'risk_level',
        'rationale',
        'assessed_by',
        'assessed_by_id',
        'assessed_at',
      ],
      assessments,
    )
    const assessmentIds = (
      await db.selectFrom('risk_assessments').select(['id', 'crime_id']).orderBy('id').execute()
    ).map((row) => row.id)
    const reviews: unknown[][] = []
    assessed.forEach((row, index) => {
      if (random.next() >= 0.8) return
      const change = random.next() < 0.2
      const level = change ? LEVELS[(LEVELS.indexOf(row.level) + 1 + random.int(2)) % 3] : row.level
      reviews.push([
        forceId,
        row.id,
        assessmentIds[index],
        change ? 'changed' : 'agreed',
        row.level,
        level,
        change ? 'Reconsidered.' : '',
        'ds.bench',
        null,
        new Date(Date.parse(row.at) + random.between(1, 48) * 3_600_000).toISOString(),
      ])
    })
    await insertRows(
      db,
      'risk_reviews',
      [
        'force_id',
        'crime_id',
        'assessment_id',
        'outcome',
        'previous_level',
        'risk_level',
        'reason',
        'reviewed_by',
        'reviewed_by_id',
        'reviewed_at',
      ],
      reviews,
    )
    // Protective orders on a share of the cases: most granted for two years (some until further order), some pending,
    // refused or withdrawn; SPOs and DAPOs with a notification (nearly all met); a tenth breached.
    const orders: unknown[][] = []
    const orderCrimes: number[] = []
    for (let n = 0; n < orderCount; n++) {
      const id = stalkingIds[random.int(stalkingIds.length)]
      const kind = KINDS[random.int(KINDS.length)]
      const applied = after(id, random.between(1, 20)).slice(0, 10)
      const roll = random.next()
      // Applications the court has not decided are recent ones (made in the last 60 days).
      const recent = applied >= addDays(today, -60)
      const outcome = recent && roll < 0.3 ? 'pending' : roll < 0.8 ? 'granted' : roll < 0.9 ? 'refused' : 'withdrawn'
      const starts = outcome === 'granted' ? addDays(applied, random.between(1, 20)) : null
      const untilFurther = starts !== null && random.next() < 0.2
      const ends = starts && !untilFurther ? addDays(starts, random.between(30, 730)) : null
      const notifies = starts !== null && (kind === 'spo' || kind === 'interim_spo' || kind === 'dapo')
      const due = notifies ? addDays(starts as string, 3) : null
      const notified = notifies && random.next() < 0.97 ? addDays(starts as string, random.between(0, 4)) : null
      orderCrimes.push(id)
      orders.push([
        forceId,
        id,
        kind,
        null,
        null,
        'Chief Constable',
        applied,
        'Benchshire Magistrates',
        0,
        outcome,
        starts ?? (outcome === 'pending' ? null : applied),
        starts,
        ends,
        untilFurther ? 1 : 0,
        due,
        notified,
        null,
        '',
        null,
        'pc.bench',
        null,
        `${applied}T12:00:00.000Z`,
        now,
      ])
    }
    await insertRows(
      db,
      'protective_orders',
      [
        'force_id',
        'crime_id',
        'kind',
        'protected_person_id',
        'subject_person_id',
        'applicant',
        'applied_on',
        'court',
        'interim_sought',
        'outcome',
        'outcome_on',
        'starts_on',
        'ends_on',
        'until_further_order',
        'notification_due_on',
        'notified_on',
        'discharged_on',
        'discharge_reason',
        'source_consideration_id',
        'recorded_by',
        'recorded_by_id',
        'recorded_at',
        'updated_at',
      ],
      orders,
    )
    const granted = await db
      .selectFrom('protective_orders')
      .select(['id', 'crime_id', 'starts_on'])
      .where('outcome', '=', 'granted')
      .execute()
    const breaches: unknown[][] = []
    for (const order of granted) {
      if (random.next() >= 0.1) continue
      const occurred = addDays(order.starts_on as string, random.between(1, 200))
      if (occurred > today) continue
      breaches.push([
        forceId,
        order.id,
        order.crime_id,
        occurred,
        'Contact by text',
        'Victim by phone',
        null,
        null,
        'Arrested',
        null,
        'pc.bench',
        null,
        `${occurred}T15:00:00.000Z`,
      ])
    }
    await insertRows(
      db,
      'order_breaches',
      [
        'force_id',
        'order_id',
        'crime_id',
        'occurred_on',
        'what_breached',
        'reported_how',
        'breach_crime_reference',
        'breach_crime_id',
        'outcome',
        'legacy_breach_id',
        'recorded_by',
        'recorded_by_id',
        'recorded_at',
      ],
      breaches,
    )
    await (dialect === 'postgres' ? sql`vacuum analyze` : sql`analyze`).execute(db)
    const setupSeconds = round((performance.now() - setupStarted) / 1000)
    console.log(
      `setup: ${crimes} crimes, ${stalkingIds.length} stalking cases, ${orders.length} orders, ${assessments.length} assessments, ${breaches.length} breaches in ${setupSeconds} s`,
    )

    const refreshStarted = performance.now()
    const summary = await services.cases.service.refreshAll(forceId)
    const refreshSeconds = round((performance.now() - refreshStarted) / 1000, 2)
    console.log(`case work refresh: ${summary.cases} cases, ${summary.obligations} obligations in ${refreshSeconds} s`)

    // ---- The daily list -------------------------------------------------------------------------------------------
    const meetings = services.risk.meetings
    const queryFor = (n: number) => ({
      date: addDays(today, -random.int(365)),
      team: n % 2 === 0 ? '' : TEAMS[random.int(TEAMS.length)],
      within: 14,
    })
    for (let n = 0; n < 20; n++) await meetings.buildList(forceId, queryFor(n))
    const times: number[] = []
    const sizes: number[] = []
    for (let n = 0; n < queries; n++) {
      const query = queryFor(n)
      const started = performance.now()
      const list = await meetings.buildList(forceId, query)
      times.push(performance.now() - started)
      sizes.push(list.cases.length)
    }
    const dailyList = percentiles(times)
    const sortedSizes = [...sizes].sort((a, b) => a - b)
    console.log(
      `daily list: p50 ${dailyList.p50Ms} ms, p95 ${dailyList.p95Ms} ms (cases listed: median ${sortedSizes[Math.floor(sizes.length / 2)]})`,
    )
    // The same through the page's service call (with its audit row), whole force, today.
    const viewer = {
      actor: { actorId: null, actorUsername: 'bench', forceId, requestId: null },
      forceId,
    }
    const pageTimes: number[] = []
    for (let n = 0; n < Math.min(queries, 50); n++) {
      const started = performance.now()
      await meetings.dailyList(viewer, { date: today })
      pageTimes.push(performance.now() - started)
    }
    const result = {
      benchmark: 'daily-list',
      dialect,
      crimes,
      stalkingCases: stalkingIds.length,
      orders: orders.length,
      grantedOrders: granted.length,
      assessments: assessments.length,
      reviews: reviews.length,
      breaches: breaches.length,
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
      caseWorkRefreshSeconds: refreshSeconds,
      dailyList: {
        ...dailyList,
        casesListedMedian: sortedSizes[Math.floor(sizes.length / 2)],
        casesListedMax: sortedSizes[sizes.length - 1],
        queries:
          'a random day in the last year; whole force and a random team alternately; orders and notifications within 14 days',
        target: 'p95 under 200 ms',
      },
      dailyListPageToday: {
        ...percentiles(pageTimes),
        note: 'the page service call (the list and its audit row), whole force, today',
      },
    }
    mkdirSync(join('bench', 'results'), { recursive: true })
    writeFileSync(
      join('bench', 'results', `daily-list-${dialect}-${crimes}.json`),
      `${JSON.stringify(result, null, 2)}\n`,
    )
    console.log(JSON.stringify(result, null, 2))
  } finally {
    await services.databaseHandle.close()
    if (dropPostgres) await dropPostgres()
    if (dialect === 'sqlite') rmSync(tmp, { recursive: true, force: true })
  }
}

await main()
