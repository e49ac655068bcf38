// Issue 18: the plan and crime importers fuzzed with seeded mutations of valid inputs (test/fuzz/README.md). Every
// input must end as a clean import or a refusal in words that names the file, within a time bound, with nothing
// written when refused: never a crash, a hang, a library's own error text or part of an import left behind. A small
// budget runs in npm test; FUZZ_BUDGET=1000 (npm run fuzz) runs more. A failure names its case; FUZZ_CASE replays it.
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPlatformServices, type Database } from '../../src/compositionRoot.ts'
import { loadConfig } from '../../src/config.ts'
import { readCrimeExtracts } from '../../src/crime/import/index.ts'
import { createCrimeServices, type CrimeServices } from '../../src/crime/index.ts'
import { describeProblem } from '../../src/crime/model.ts'
import { ImportStoppedError } from '../../src/crime/services/importService.ts'
import type { DialectName } from '../../src/platform/data/database.ts'
import { hash32 } from '../../src/platform/random.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { createPlanServices, type PlanServices } from '../../src/plan/index.ts'
import { closePlanReaders, PLAN_READ_LIMITS, readPlanInWorker } from '../../src/plan/import/worker.ts'
import { PlanImportError } from '../../src/plan/model.ts'
import { PlanInputError, sha256 } from '../../src/plan/services/planService.ts'
import { createTestDatabase, postgresServerUrl, type TestDatabase } from '../support/databases.ts'
import { mutateInput } from './mutations.ts'
import { CRIME_FORCE, fuzzFormats, type FuzzFormat } from './seeds.ts'

/** Mutated inputs on SQLite, shared among the formats. */
const BUDGET = Number(process.env.FUZZ_BUDGET ?? 72)
/** On PostgreSQL, a third as many unless said (the same readers; what differs is the writing and the rollback). */
const PG_BUDGET = Number(process.env.FUZZ_PG_BUDGET ?? Math.ceil(BUDGET / 3))
/** The run's seed: each input's own seed is derived from it, its format and its number. */
const RUN_SEED = Number(process.env.FUZZ_SEED ?? 20261203)
/** "<format>:<seed>" replays one input (as a failure prints it). */
const ONLY = process.env.FUZZ_CASE ?? null
/** The longest one input may take, reading and importing: the plan reader's own limit (PLAN_READ_LIMITS). */
const CASE_MS = Number(process.env.FUZZ_CASE_MS ?? PLAN_READ_LIMITS.timeoutMs)
const PLAN_FORCE = 'Fuzzshire Police'

/**
 * Inputs that found bugs, replayed on every run whatever the budget (format:seed, run seed 20261203; @postgres: on that
 * database, else on SQLite). Each comment says what the input did before the fix.
 */
const FOUND: string[] = [
  // ExcelJS's "Cannot read properties of undefined (reading 'richText')" shown to the user.
  'plan-xlsx:3303233101',
  // mammoth's "Cannot read properties of null (reading 'tagName')" and "[xmldom error] ... Error: invalid tagName".
  'plan-docx:2933769494',
  'plan-docx:187631046',
  // pdf.js's "(Invalid PDF structure.)" in the refusal.
  'plan-pdf:147797471',
  // A 10 MB file of one line: a minute, past the reading time limit (each long cell spell-checked against every
  // heading synonym, and the CSV parser allocating at every character looking for a line ending).
  'plan-seed-text:939758211',
  // Zeroed bytes past the first 4 KB: NUL characters in the plan's text, refused by PostgreSQL mid-import with the
  // server's "invalid byte sequence for encoding UTF8: 0x00" (SQLite stored them).
  'plan-seed-text:3676918556@postgres',
]
const actor = { ...SYSTEM_ACTOR, actorUsername: 'fuzz' }

/** SQLite always; PostgreSQL when a server is named (PGlite is too slow to fuzz on), or as FUZZ_DIALECTS says. */
const DIALECT_LIST = (process.env.FUZZ_DIALECTS ?? (postgresServerUrl() ? 'sqlite,postgres' : 'sqlite'))
  .split(',')
  .filter(Boolean) as DialectName[]

/** Words that only a program's internals produce: a refusal showing them has let a library's error through. */
const RAW_ERROR =
  /\b(TypeError|RangeError|ReferenceError|SyntaxError|AssertionError|DOMException|Error:)|Cannot (read|set) propert|is not a function|is not iterable|is not defined|\bundefined\b|\bNaN\b|\[object |Maximum call stack|out of memory|node_modules|\.(ts|js|mjs):\d+|^\s+at |Corrupted zip|End of data reached|Unexpected (token|end of)|ENOENT|SQLITE_|violates|constraint failed|Invalid (array|string) length|Unknown (node|tag)|Non-whitespace|Unclosed|Invalid character|Invalid PDF|FormatError|XRef|InvalidPDFException/m

type Outcome = { kind: 'imported' } | { kind: 'refused'; messages: string[] } | { kind: 'failed'; why: string }

interface CaseResult {
  format: string
  seed: number
  how: string
  outcome: Outcome
  ms: number
}

/** What is wrong with a refusal's message, or null: empty, a library's words, no file named, far too long. */
function unclear(message: string, fileName: string): string | null {
  if (!message.trim()) return 'an empty message'
  // Quoted values are the input's own text, which may say anything.
  const unquoted = message.replace(/"[^"]*"|“[^”]*”|'[^']*'/g, '""')
  const raw = unquoted.match(RAW_ERROR)
  if (raw) return `a library's error text (${raw[0]})`
  if (!message.includes(fileName)) return 'the file is not named'
  if (message.length > 2500) return `a message of ${message.length} characters`
  return null
}

/** A digest of every row of every table: what "nothing was written" is checked against. */
async function fingerprint(db: Kysely<Database>, dialect: DialectName): Promise<Map<string, string>> {
  const tables =
    dialect === 'postgres'
      ? await sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`.execute(db)
      : await sql<{ name: string }>`select name from sqlite_schema where type = 'table' order by 1`.execute(db)
  const out = new Map<string, string>()
  for (const { name } of tables.rows) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db)
    const lines = rows.rows.map((row) => JSON.stringify(row, (_, v) => (typeof v === 'bigint' ? String(v) : v)))
    out.set(name, createHash('sha256').update(lines.sort().join('\n')).digest('hex').slice(0, 16))
  }
  return out
}

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((name) => before.get(name) !== after.get(name))
}

const crimeCount = async (db: Kysely<Database>) =>
  Number(
    (
      await db
        .selectFrom('crimes')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe.each(DIALECT_LIST)('fuzzing the plan and crime importers on %s', (dialect) => {
  const budget = dialect === 'postgres' ? PG_BUDGET : BUDGET
  let database: TestDatabase
  let plans: PlanServices
  let crimes: CrimeServices
  let formats: FuzzFormat[]
  let dir: string

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    const platform = createPlatformServices(loadConfig({ NODE_ENV: 'test' }), database.handle)
    plans = createPlanServices(platform)
    crimes = createCrimeServices(platform)
    formats = await fuzzFormats()
    dir = mkdtempSync(join(tmpdir(), 'threadline-fuzz-'))
  })
  afterAll(async () => {
    await closePlanReaders()
    await database?.drop()
    rmSync(dir, { recursive: true, force: true })
  })

  async function planCase(fileName: string, content: Buffer): Promise<Outcome> {
    let parsed
    try {
      parsed = await readPlanInWorker(content, fileName, {
        catalogue: plans.service.catalogue(),
        limits: { timeoutMs: CASE_MS },
      })
    } catch (error) {
      if (error instanceof PlanImportError) return { kind: 'refused', messages: [error.message] }
      return { kind: 'failed', why: `reading threw ${(error as Error)?.stack ?? String(error)}` }
    }
    try {
      const result = await plans.service.importParsed(actor, parsed, {
        fileName,
        checksum: sha256(content),
        forceName: PLAN_FORCE,
      })
      if (result.held || result.dryRun) return { kind: 'failed', why: 'the import was held or dry-run' }
      return { kind: 'imported' }
    } catch (error) {
      // The CLI and the page name the file around the service's refusal.
      if (error instanceof PlanInputError) return { kind: 'refused', messages: [`${fileName}: ${error.message}`] }
      return { kind: 'failed', why: `importing threw ${(error as Error)?.stack ?? String(error)}` }
    }
  }

  async function crimeCase(fileName: string, content: Buffer, caseDir: string): Promise<Outcome> {
    const path = join(caseDir, fileName)
    writeFileSync(path, content)
    const before = await crimeCount(database.handle.db)
    try {
      const summary = await crimes.importer.importRecords(
        actor,
        readCrimeExtracts([path], { forceName: CRIME_FORCE }),
        { force: CRIME_FORCE, files: [fileName], idleLimitMs: CASE_MS, timeLimitMs: CASE_MS },
      )
      if (summary.written) {
        if (summary.problems.length > 0) return { kind: 'failed', why: 'written with problems listed' }
        if (summary.created + summary.updated !== summary.records)
          return {
            kind: 'failed',
            why: `${summary.records} records read, ${summary.created + summary.updated} written`,
          }
        const after = await crimeCount(database.handle.db)
        if (after !== before + summary.created)
          return { kind: 'failed', why: `${summary.created} created but the crimes went from ${before} to ${after}` }
        return { kind: 'imported' }
      }
      if (summary.problems.length === 0) return { kind: 'failed', why: 'refused without a reason' }
      for (const problem of summary.problems) {
        if (problem.file !== fileName || !Number.isInteger(problem.line) || problem.line < 1)
          return { kind: 'failed', why: `a problem not naming the file and line: ${JSON.stringify(problem)}` }
      }
      return { kind: 'refused', messages: summary.problems.map(describeProblem) }
    } catch (error) {
      if (error instanceof ImportStoppedError) return { kind: 'failed', why: `stopped by its limits: ${error.message}` }
      return { kind: 'failed', why: `importing threw ${(error as Error)?.stack ?? String(error)}` }
    }
  }

  async function runCase(format: FuzzFormat, seed: number, mutated: boolean): Promise<CaseResult> {
    const source = format.seeds[hash32(seed, 1) % format.seeds.length]
    const { content, how } = mutated
      ? await mutateInput(source.content, format.shape, seed)
      : { content: source.content, how: 'unmutated' }
    const caseDir = join(dir, `${format.name}-${seed}`)
    mkdirSync(caseDir)
    const db = database.handle.db
    const before = await fingerprint(db, dialect)
    const started = performance.now()
    let outcome =
      format.importer === 'plan' ? await planCase(source.name, content) : await crimeCase(source.name, content, caseDir)
    const ms = Math.round(performance.now() - started)
    rmSync(caseDir, { recursive: true, force: true })
    if (ms > CASE_MS) outcome = { kind: 'failed', why: `took ${ms} ms, more than the ${CASE_MS} ms an input may` }
    if (outcome.kind === 'refused') {
      const changed = changedTables(before, await fingerprint(db, dialect))
      if (changed.length > 0) outcome = { kind: 'failed', why: `refused but wrote to ${changed.join(', ')}` }
      else {
        const problem = outcome.messages
          .map((message) => [message, unclear(message, source.name)] as const)
          .find(([, u]) => u)
        if (problem) outcome = { kind: 'failed', why: `refused with ${problem[1]}: ${problem[0].slice(0, 500)}` }
      }
    }
    return { format: format.name, seed, how: `${source.name}, ${how}`, outcome, ms }
  }

  const describeFailure = (result: CaseResult) =>
    `${result.format} seed ${result.seed} (${result.how}): ${result.outcome.kind === 'failed' ? result.outcome.why : ''}\n` +
    `  replay: FUZZ_CASE=${result.format}:${result.seed} FUZZ_DIALECTS=${dialect} npx vitest run --project fuzz test/fuzz/imports.fuzz.test.ts`

  it('imports every unmutated seed cleanly', async () => {
    for (const format of formats) {
      for (let index = 0; index < format.seeds.length; index++) {
        // A seed whose hash picks this source file.
        let seed = 0
        while (hash32(seed, 1) % format.seeds.length !== index) seed++
        const result = await runCase(format, seed, false)
        expect(result.outcome, `${format.name}: ${format.seeds[index].name}`).toEqual({ kind: 'imported' })
      }
    }
  })

  const named = (id: string): { format: FuzzFormat; seed: number } => {
    const [name, seed] = id.split(':')
    const format = formats.find((f) => f.name === name)
    if (!format) throw new Error(`no fuzz format "${name}": ${formats.map((f) => f.name).join(', ')}`)
    return { format, seed: Number(seed) }
  }

  // Most were bugs in the readers, the same whichever database is written to: replayed on SQLite unless marked.
  it('ends each input that once found a bug as a clean import or a clear refusal', async () => {
    const failures: string[] = []
    const mine = FOUND.filter((id) => (id.split('@')[1] ?? 'sqlite') === dialect).map((id) => id.split('@')[0])
    for (const { format, seed } of mine.map(named)) {
      const result = await runCase(format, seed, true)
      if (result.outcome.kind === 'failed') failures.push(describeFailure(result))
    }
    expect(failures).toEqual([])
  })

  it(
    `ends each of ${ONLY ? 'the replayed input' : `${budget} mutated inputs`} as a clean import or a clear refusal writing nothing`,
    async () => {
      const cases: { format: FuzzFormat; seed: number }[] = []
      if (ONLY) {
        cases.push(named(ONLY))
      } else {
        for (let index = 0; cases.length < budget; index++) {
          for (const [number, format] of formats.entries()) {
            if (cases.length < budget) cases.push({ format, seed: hash32(RUN_SEED, hash32(number + 1, index)) })
          }
        }
      }
      const started = performance.now()
      const results: CaseResult[] = []
      for (const { format, seed } of cases) {
        const result = await runCase(format, seed, true)
        results.push(result)
        if (results.length % 250 === 0) {
          const failed = results.filter((r) => r.outcome.kind === 'failed').length
          const elapsed = ((performance.now() - started) / 1000).toFixed(0)
          console.log(
            `[fuzz] ${dialect}: ${results.length} of ${cases.length} inputs in ${elapsed} s, ${failed} failed`,
          )
        }
        if (ONLY)
          console.log(`[fuzz] ${result.format} seed ${seed}: ${result.how}\n  ${JSON.stringify(result.outcome)}`)
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(0)
      const lines = formats.map((format) => {
        const mine = results.filter((result) => result.format === format.name)
        const count = (kind: Outcome['kind']) => mine.filter((result) => result.outcome.kind === kind).length
        const slowest = Math.max(0, ...mine.map((result) => result.ms))
        return `  ${format.name.padEnd(15)} ${String(mine.length).padStart(5)} inputs ${String(count('imported')).padStart(5)} imported ${String(count('refused')).padStart(5)} refused ${String(count('failed')).padStart(4)} failed, slowest ${slowest} ms`
      })
      const failures = results.filter((result) => result.outcome.kind === 'failed')
      console.log(
        `[fuzz] ${dialect}, run seed ${RUN_SEED}: ${results.length} inputs in ${seconds} s, ${failures.length} failures\n${lines.join('\n')}`,
      )
      expect(failures.map(describeFailure)).toEqual([])
    },
    Math.max(300_000, budget * 4_000),
  )
})
