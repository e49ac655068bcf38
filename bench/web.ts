// `npm run bench -- --only web`: pages under load (issue 17, item 3). A Threadline server on a fresh database (the demo
// data, then `size` generated crimes imported for the demo force), signed-in demo users (development sign-in), and
// autocannon driving Find with filters, crime pages, case pages and queues and the plan overview with 50 concurrent
// connections for 60 seconds: p50, p95, p99, throughput, errors, and the server's memory before and after.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import pg from 'pg'
import { loadConfig } from '../src/config.ts'
import { generateRecords } from '../src/crime/generator/index.ts'
import { SYSTEM_ACTOR } from '../src/platform/services/auditService.ts'
import { DEMO_FORCE } from '../src/platform/services/demoUsers.ts'
import { startServer } from '../src/server.ts'
import { machineInfo } from './crime.ts'

export interface WebBenchResult {
  benchmark: 'web'
  dialect: 'sqlite' | 'postgres'
  size: number
  connections: number
  durationSeconds: number
  machine: Record<string, unknown>
  loadAverageAfter: number[]
  requests: number
  throughputPerSecond: number
  latencyMs: { p50: number; p95: number; p99: number; max: number }
  errors: number
  timeouts: number
  non2xx: number
  /** The server process's resident memory before the run, after it, and after a second run a third as long. */
  serverRssMiB: { before: number | null; after: number | null; afterSecondRun: number | null }
  /** Each page requested alone, one request at a time, after warm-up: median and slowest of ALONE_ROUNDS. */
  alone: PageAlone[]
  pages: string[]
}

async function signIn(base: string, username: string): Promise<string> {
  let cookie = ''
  const visit = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${base}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie },
    })
    const set = response.headers.get('set-cookie')
    if (set) cookie = set.split(';')[0]
    return response
  }
  const page = await (await visit('/sign-in')).text()
  const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? ''
  const signedIn = await visit('/sign-in/dev', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, username }).toString(),
  })
  if (signedIn.status !== 302) throw new Error(`could not sign in as ${username}: ${signedIn.status}`)
  return cookie
}

export async function benchWeb(options: {
  dialect: 'sqlite' | 'postgres'
  size: number
  tmpDir: string
  connections?: number
  durationSeconds?: number
}): Promise<WebBenchResult> {
  const connections = options.connections ?? 50
  const duration = options.durationSeconds ?? 60
  const dir = join(options.tmpDir, `web-${options.dialect}-${options.size}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  let databaseUrl = join(dir, 'web.sqlite')
  let dropPostgres: (() => Promise<void>) | null = null
  if (options.dialect === 'postgres') {
    const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
    const name = `threadline_bench_web_${process.pid}`
    const admin = new pg.Client({ connectionString: server })
    await admin.connect()
    await admin.query(`drop database if exists ${name} with (force)`)
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
  const config = loadConfig(
    { NODE_ENV: 'development', LOG_LEVEL: 'silent', UPLOAD_DIR: join(dir, 'uploads') },
    { databaseUrl, port: 0 },
  )
  console.log(`web ${options.dialect} ${options.size}: building the database`)
  let server: ChildProcess | null = null
  try {
    const built = await startServer(config, { demo: true })
    let pageIds: { crimeIds: number[]; caseIds: number[]; forceCode: string }
    try {
      const { services } = built
      let line = 1
      const items = (function* () {
        for (const { record } of generateRecords({ crimes: options.size, seed: 7, force: DEMO_FORCE })) {
          yield { record, source: { file: 'generated', line: ++line } }
        }
      })()
      const summary = await services.crime.importer.importRecords(SYSTEM_ACTOR, items, { force: DEMO_FORCE })
      if (!summary.written) throw new Error(`the generated crimes were refused: ${summary.problems[0]?.message}`)
      const db = services.db
      const force = await db
        .selectFrom('forces')
        .select(['id', 'code'])
        .where('name', '=', DEMO_FORCE)
        .executeTakeFirstOrThrow()
      // The demo force's own crimes: the generator also writes some of neighbouring forces, which its users cannot open.
      const crimeIds = (
        await db
          .selectFrom('crimes')
          .select('id')
          .where('force_id', '=', force.id)
          .orderBy('id', 'desc')
          .limit(500)
          .execute()
      ).map((row) => row.id)
      const caseIds = (
        await db.selectFrom('cases').select('crime_id').where('force_id', '=', force.id).limit(200).execute()
      ).map((row) => row.crime_id)
      pageIds = { crimeIds, caseIds, forceCode: force.code }
    } finally {
      await built.stop()
    }

    // The server runs as `threadline serve` in a process of its own, as deployed, so the load generator does not share
    // its event loop; its memory is read from the kernel (resident set size).
    const port = await freePort()
    server = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repositoryRoot, 'src/cli/main.ts'),
        'serve',
        '--db',
        databaseUrl,
        '--port',
        String(port),
      ],
      {
        cwd: repositoryRoot,
        env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'silent', UPLOAD_DIR: join(dir, 'uploads') },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    )
    const base = `http://127.0.0.1:${port}`
    await waitForHealth(base, server)
    const serverPid = server.pid!
    const { crimeIds, caseIds, forceCode } = pageIds
    const analyst = await signIn(base, 'analyst')
    const supervisor = await signIn(base, 'supervisor')
    const pick = <T>(list: T[], index: number) => list[index % list.length]
    const pages = [
      { path: '/crimes?classification=8Q&match=either', cookie: analyst },
      { path: '/crimes?classification=8Q&match=included&from=2025-01-01', cookie: analyst },
      { path: '/crimes?team=Response+North&flags=domesticAbuse', cookie: analyst },
      { path: '/crimes?classification=8L&sort=reference&order=asc&page=3', cookie: analyst },
      ...Array.from({ length: 6 }, (_, index) => ({ path: `/crimes/${pick(crimeIds, index * 37)}`, cookie: analyst })),
      ...(caseIds.length
        ? Array.from({ length: 4 }, (_, index) => ({ path: `/cases/${pick(caseIds, index * 11)}`, cookie: supervisor }))
        : []),
      { path: '/cases/queue', cookie: supervisor },
      { path: '/', cookie: supervisor },
      { path: `/plans/${forceCode}`, cookie: analyst },
    ]
    // Warm up (templates compiled, caches filled), then each page alone: what one user waits with nobody else on.
    for (const page of pages) await fetch(`${base}${page.path}`, { headers: { cookie: page.cookie } })
    const broken: string[] = []
    const alone: PageAlone[] = []
    for (const page of pages) {
      const times: number[] = []
      for (let round = 0; round < ALONE_ROUNDS; round++) {
        const started = performance.now()
        const response = await fetch(`${base}${page.path}`, { headers: { cookie: page.cookie } })
        await response.arrayBuffer()
        times.push(performance.now() - started)
        if (response.status !== 200 && round === 0) broken.push(`${page.path} (${response.status})`)
      }
      times.sort((a, b) => a - b)
      alone.push({ path: page.path, p50: Math.round(quantile(times, 50)), max: Math.round(times[times.length - 1]) })
    }
    if (broken.length) console.log(`  pages not answering 200 before the run: ${broken.join(', ')}`)
    for (const page of alone) console.log(`  alone ${page.p50} ms (max ${page.max}) ${page.path}`)
    const machine = machineInfo()
    const before = residentMiB(serverPid)
    console.log(`web ${options.dialect} ${options.size}: ${connections} connections for ${duration} s`)
    // Every response's time, for exact percentiles (autocannon's own summary has p90 and p97.5, not p95).
    const times: number[] = []
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: base,
          connections,
          duration,
          timeout: 10,
          requests: pages.map((page) => ({ method: 'GET', path: page.path, headers: { cookie: page.cookie } })),
        },
        (error, finished) => (error ? reject(error) : resolve(finished)),
      )
      instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime))
    })
    times.sort((a, b) => a - b)
    const after = residentMiB(serverPid)
    // A second, shorter run shows whether memory keeps growing or settles.
    await new Promise<autocannon.Result>((resolve, reject) => {
      autocannon(
        {
          url: base,
          connections,
          duration: Math.max(5, Math.round(duration / 3)),
          timeout: 10,
          requests: pages.map((page) => ({ method: 'GET', path: page.path, headers: { cookie: page.cookie } })),
        },
        (error, finished) => (error ? reject(error) : resolve(finished)),
      )
    })
    const afterSecondRun = residentMiB(serverPid)
    return {
      benchmark: 'web',
      dialect: options.dialect,
      size: options.size,
      connections,
      durationSeconds: duration,
      machine,
      loadAverageAfter: loadavg().map((value) => Math.round(value * 100) / 100),
      requests: result.requests.total,
      throughputPerSecond: Math.round(result.requests.average),
      latencyMs: {
        p50: Math.round(quantile(times, 50)),
        p95: Math.round(quantile(times, 95)),
        p99: Math.round(quantile(times, 99)),
        max: result.latency.max,
      },
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      serverRssMiB: { before, after, afterSecondRun },
      alone,
      pages: pages.map((page) => page.path),
    }
  } finally {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM')
      await new Promise((resolve) => server!.once('exit', resolve))
    }
    await dropPostgres?.()
    rmSync(dir, { recursive: true, force: true })
  }
}

const ALONE_ROUNDS = 15

interface PageAlone {
  path: string
  p50: number
  max: number
}

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url))

function quantile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
}

/** The server process's resident set size in MiB, from /proc (Linux), or null elsewhere. */
function residentMiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kib = /VmRSS:\s+(\d+)/.exec(status)?.[1]
    return kib ? Math.round(Number(kib) / 1024) : null
  } catch {
    return null
  }
}

async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const port = (probe.address() as AddressInfo).port
  await new Promise((resolve) => probe.close(resolve))
  return port
}

async function waitForHealth(base: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server stopped (exit code ${server.exitCode}) before answering`)
    try {
      if ((await fetch(`${base}/health`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error('the server did not answer /health within 2 minutes')
}

/** Result files written before the server ran in its own process carry the bench process's memory instead. */
type StoredWebResult = WebBenchResult & {
  memoryMiB?: { before: { rss: number; heapUsed: number }; after: { rss: number; heapUsed: number } }
}

function memoryCell(r: StoredWebResult): string {
  if (r.serverRssMiB) {
    const { before, after, afterSecondRun } = r.serverRssMiB
    return `${before ?? '–'} → ${after ?? '–'} → ${afterSecondRun ?? '–'}`
  }
  return r.memoryMiB ? `${r.memoryMiB.before.rss} → ${r.memoryMiB.after.rss} (in-process)` : '–'
}

/** The pages-under-load table for SUMMARY.md, from every web result file. */
export function webSummaryLines(resultsDir: string): string[] {
  const results = readdirSync(resultsDir)
    .filter((file) => /^web-.*\.json$/.test(file))
    .map((file) => JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as StoredWebResult)
    .sort((a, b) => a.size - b.size || b.dialect.localeCompare(a.dialect))
  if (results.length === 0) return []
  const withAlone = results.filter((r) => r.alone?.length)
  return [
    '',
    '## Pages under load',
    '',
    '`npm run bench -- --only web`: a server on the database (demo data plus the generated crimes) started as',
    '`threadline serve` in its own process, signed-in demo users (development sign-in), autocannon in the bench process',
    'cycling through Find with filters, crime pages, case pages, the team queue, My work and the plan overview. Latency of',
    'every response in ms. Memory is the server process’s resident set before the run, after it, and after a second run a',
    'third as long (flat when the last two agree). Target: p95 under 200 ms, no errors, memory flat.',
    '',
    '| Database | Crimes | Connections × s | Requests | Req/s | p50 | p95 | p99 | Errors (timeouts) | Non-2xx | Server RSS MiB | Load average (1, 5, 15 min) before → after |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.map(
      (r) =>
        `| ${r.dialect} | ${r.size.toLocaleString('en-GB')} | ${r.connections} × ${r.durationSeconds} | ${r.requests.toLocaleString('en-GB')} | ${r.throughputPerSecond} | ` +
        `${r.latencyMs.p50} | ${r.latencyMs.p95} | ${r.latencyMs.p99} | ${r.errors} (${r.timeouts}) | ${r.non2xx} | ` +
        `${memoryCell(r)} | ${(r.machine.loadAverage as number[]).join(', ')} → ${r.loadAverageAfter.join(', ')} |`,
    ),
    ...(withAlone.length
      ? [
          '',
          'Each page alone (one request at a time, after warm-up; median and slowest of 15, ms): the work one request costs,',
          'which under 50 connections on 2 cores sets the throughput.',
          '',
          `| Page | ${withAlone.map((r) => `${r.dialect} ${r.size.toLocaleString('en-GB')}`).join(' | ')} |`,
          `| --- | ${withAlone.map(() => '---:').join(' | ')} |`,
          ...withAlone[0].alone.map(
            (page, index) =>
              `| \`${page.path.replace(/\/\d+$/, '/<id>')}\` | ${withAlone
                .map((r) => (r.alone[index] ? `${r.alone[index].p50} (${r.alone[index].max})` : '–'))
                .join(' | ')} |`,
          ),
        ]
      : []),
  ]
}
