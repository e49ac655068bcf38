// Page views while a long crime import runs from the command line (issue 18, item 3): on SQLite an import holds the one
// write lock, and every page that writes its audit row waits for it. This starts the web server on a database with a
// few thousand crimes, runs `threadline crime import` of N generated crimes in another process, and meanwhile keeps a
// few signed-in users viewing pages (the crime list, a crime's page (an audited read), /health): p50, p95, max and the
// answers that were not 200 (503 busy, errors). Seeded generator data only.
//
//   npx tsx bench/importReads.ts --crimes 20000 [--users 4] [--baseline-seconds 20]
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { machineInfo } from './crime.ts'
import { loadConfig } from '../src/config.ts'
import { createServices } from '../src/compositionRoot.ts'
import { generateRecords, writeImportFiles } from '../src/crime/generator/index.ts'
import { SYSTEM_ACTOR } from '../src/platform/services/auditService.ts'
import { startServer } from '../src/server.ts'

const args = new Map<string, string>()
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1])
const crimes = Number(args.get('crimes') ?? 20_000)
const users = Number(args.get('users') ?? 4)
const FORCE = 'Benchshire Police'
const SEED_CRIMES = 2_000

const round = (value: number, places = 0) => Math.round(value * 10 ** places) / 10 ** places

const dir = join('bench', 'tmp', `import-reads-${crimes}`)
rmSync(dir, { recursive: true, force: true })
mkdirSync(dir, { recursive: true })
const db = join(dir, 'bench.sqlite')
const env = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent' }

// The database: a user, and a few thousand crimes to look at.
const config = loadConfig(env, { databaseUrl: db, port: 0 })
{
  const services = await createServices(config)
  await services.users.addUser(SYSTEM_ACTOR, {
    username: 'bench.analyst',
    displayName: 'Bench Analyst',
    email: null,
    force: FORCE,
    roles: ['analyst'],
  })
  const seed = await writeImportFiles(
    generateRecords({ crimes: SEED_CRIMES, seed: 7, force: FORCE }),
    join(dir, 'seed'),
    {
      layout: 'single',
      force: FORCE,
    },
  )
  const { readCrimeExtracts } = await import('../src/crime/import/index.ts')
  await services.crime.importer.importRecords(SYSTEM_ACTOR, readCrimeExtracts(seed.files), { force: FORCE })
  await services.databaseHandle.close()
}
const big = await writeImportFiles(generateRecords({ crimes, seed: 11, force: FORCE }), join(dir, 'big'), {
  layout: 'single',
  force: FORCE,
})
// Fresh references: the generator numbers from 1, so the big extract would update the seed crimes; that is fine (an
// import of updates locks as an import of new crimes does).

const server = await startServer(config)
const crimeIds = (await server.services.db.selectFrom('crimes').select('id').limit(200).execute()).map((r) => r.id)

async function signIn(): Promise<string> {
  const page = await fetch(`${server.url}/sign-in`)
  let cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]
  const response = await fetch(`${server.url}/sign-in/dev`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, username: 'bench.analyst' }),
    redirect: 'manual',
  })
  cookie = (response.headers.get('set-cookie') ?? cookie).split(';')[0]
  return cookie
}

interface Sample {
  path: string
  ms: number
  status: number
}
const samples: Sample[] = []
const failureReasons = new Map<string, number>()
let importing = true

async function viewer(index: number) {
  const cookie = await signIn()
  let n = 0
  while (importing) {
    const kind = n++ % 3
    const path =
      kind === 0 ? '/health' : kind === 1 ? '/crimes' : `/crimes/${crimeIds[(index * 37 + n) % crimeIds.length]}`
    const started = performance.now()
    let status: number
    try {
      const response = await fetch(`${server.url}${path}`, { headers: { cookie }, signal: AbortSignal.timeout(60_000) })
      await response.arrayBuffer()
      status = response.status
    } catch (error) {
      status = -1
      failureReasons.set(String(error), (failureReasons.get(String(error)) ?? 0) + 1)
    }
    samples.push({ path, ms: performance.now() - started, status })
  }
}

// The same views with no import running first, for as long as BASELINE_SECONDS: what the machine gives them anyway.
const BASELINE_SECONDS = Number(args.get('baseline-seconds') ?? 20)
const baselineViewers = Array.from({ length: users }, (_, index) => viewer(index))
await new Promise((resolve) => setTimeout(resolve, BASELINE_SECONDS * 1000))
importing = false
await Promise.all(baselineViewers)
const baseline = samples.splice(0)
importing = true

const loadAtStart = loadavg().map((value) => round(value, 2))
const importStarted = performance.now()
const child = spawn(
  process.execPath,
  ['--import', 'tsx', 'src/cli/main.ts', 'crime', 'import', ...big.files, '--force', FORCE, '--db', db],
  { env, stdio: ['ignore', 'pipe', 'pipe'] },
)
let output = ''
child.stdout.on('data', (chunk) => (output += String(chunk)))
child.stderr.on('data', (chunk) => (output += String(chunk)))
const viewers = Array.from({ length: users }, (_, index) => viewer(index))
const code = await new Promise<number>((resolve) => child.on('exit', (exitCode) => resolve(exitCode ?? -1)))
const importSeconds = (performance.now() - importStarted) / 1000
importing = false
await Promise.all(viewers)
await server.stop()

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]) : null
}
const summarise = (list: Sample[]) => ({
  views: list.length,
  p50Ms: percentile(
    list.map((s) => s.ms),
    50,
  ),
  p95Ms: percentile(
    list.map((s) => s.ms),
    95,
  ),
  maxMs: percentile(
    list.map((s) => s.ms),
    100,
  ),
  busy503: list.filter((s) => s.status === 503).length,
  otherFailures: list.filter((s) => s.status !== 200 && s.status !== 503).length,
  /** Answers that were not 200, by status (-1: no answer, the connection failed). */
  byStatus: Object.fromEntries(
    [...new Set(list.filter((s) => s.status !== 200).map((s) => s.status))].map((status) => [
      status,
      list.filter((s) => s.status === status).length,
    ]),
  ),
})
const result = {
  benchmark: 'import-reads',
  dialect: 'sqlite',
  crimes,
  seedCrimes: SEED_CRIMES,
  users,
  ranAt: new Date().toISOString(),
  machine: machineInfo(),
  loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((value) => round(value, 2)) },
  import: { exitCode: code, seconds: round(importSeconds, 1), lastLines: output.trim().split('\n').slice(-3) },
  connectionFailures: Object.fromEntries(failureReasons),
  withoutImport: { seconds: BASELINE_SECONDS, ...summarise(baseline) },
  all: summarise(samples),
  health: summarise(samples.filter((s) => s.path === '/health')),
  crimeList: summarise(samples.filter((s) => s.path === '/crimes')),
  crimePage: summarise(samples.filter((s) => /^\/crimes\/\d+/.test(s.path))),
}
mkdirSync(join('bench', 'results'), { recursive: true })
const file = join('bench', 'results', `import-reads-sqlite-${crimes}.json`)
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`)
console.log(JSON.stringify(result, null, 2))
rmSync(dir, { recursive: true, force: true })
