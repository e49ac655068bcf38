// Screening benchmark: (1) screening throughput, the queue's per-crime work (behaviour indicators in the narrative,
// then the reasons) over N generated narratives; (2) full course-of-conduct linkage of N generated records, in memory
// on one core; (3) end to end on SQLite at a smaller size: `screening run` over an imported database (read every
// record and its parties, link, store courses, screen and queue). Data from the seeded generator; generation and
// import are not timed. Targets (issue 5): 1M narratives screened in under 60 s; full linkage of 1M in under 120 s.
import { cpus, freemem, loadavg, totalmem, type } from 'node:os'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig } from '../src/config.ts'
import { createServices } from '../src/compositionRoot.ts'
import { generateRecords } from '../src/crime/generator/index.ts'
import { SYSTEM_ACTOR } from '../src/platform/services/auditService.ts'
import { explainNarrative } from '../src/screening/indicators/index.ts'
import { LinkageIndex } from '../src/screening/linkage/conduct.ts'
import type { LinkageRecord } from '../src/screening/linkage/types.ts'
import { screeningVerdict } from '../src/screening/services/reasons.ts'
import { reference } from '../src/crime/reference/index.ts'

export interface ScreeningBenchResult {
  benchmark: 'screening'
  size: number
  seed: number
  ranAt: string
  machine: Record<string, unknown>
  throughput: { narratives: number; seconds: number; perSecond: number; suggestsStalking: number; queued: number }
  linkage: {
    records: number
    parties: number
    seconds: number
    courses: number
    incidentsInCourses: number
    heapMB: number
  }
  endToEnd: null | {
    dialect: 'sqlite'
    crimes: number
    seconds: number
    courses: number
    queued: number
  }
}

function machine(): Record<string, unknown> {
  const cpu = cpus()
  return {
    os: `${type()} ${process.arch}`,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    freeMemoryGiB: Math.round(freemem() / 2 ** 30),
    node: process.version,
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
  }
}

const round = (value: number, places = 1) => Math.round(value * 10 ** places) / 10 ** places

export async function benchScreening(options: {
  size: number
  seed?: number
  endToEndSize?: number
  tmpDir: string
  log?: (line: string) => void
}): Promise<ScreeningBenchResult> {
  const seed = options.seed ?? 42
  const log = options.log ?? ((line: string) => console.log(line))
  const ref = reference()
  const settings = {
    watched: new Set(ref.watchedCodes()),
    stalkingCodes: new Set(ref.stalkingCodes()),
    watchFormerPartners: true,
  }
  const name = (code: string) => ref.offenceClass(code)?.name ?? code
  const started = new Date().toISOString()
  const atStart = machine()

  // 1. Screening throughput: only the screening is timed, batch by batch, while the generator streams.
  log(`screening: ${options.size.toLocaleString('en-GB')} narratives (seed ${seed})`)
  let screeningMs = 0
  let suggests = 0
  let queued = 0
  let narratives = 0
  const records: LinkageRecord[] = []
  let partyId = 1
  let batch: {
    narrative: string
    principal: string | null
    included: string[]
    da: boolean
    kind: 'crime' | 'intelligence'
  }[] = []
  const flush = () => {
    const t = performance.now()
    for (const item of batch) {
      const facts = {
        kind: item.kind,
        principal: item.principal,
        included: item.included,
        domesticAbuse: item.da,
        narrative: item.narrative,
      }
      const explanation = explainNarrative(item.narrative)
      if (explanation.suggestsStalking) suggests++
      if (screeningVerdict(facts, settings, explanation, [], name).eligible) queued++
    }
    screeningMs += performance.now() - t
    narratives += batch.length
    batch = []
  }
  for (const { record } of generateRecords({ crimes: options.size, seed })) {
    const included = record.included.map((entry) => entry.code)
    batch.push({
      narrative: record.narrative,
      principal: record.principal,
      included,
      da: record.flags.domesticAbuse,
      kind: record.kind,
    })
    if (batch.length === 10000) flush()
    records.push({
      id: records.length + 1,
      kind: record.kind,
      reportedAt: record.reportedAt,
      principal: record.principal,
      included,
      domesticAbuse: record.flags.domesticAbuse,
      parties: record.parties
        .filter((party) => party.role !== 'witness')
        .map((party) => ({
          partyId: partyId++,
          role: party.role,
          forename: party.forename,
          surname: party.surname,
          dateOfBirth: party.dateOfBirth,
          identifiers: party.identifiers.map((identifier) => ({ kind: identifier.kind, value: identifier.value })),
        })),
    })
  }
  flush()
  const throughput = {
    narratives,
    seconds: round(screeningMs / 1000, 2),
    perSecond: Math.round(narratives / (screeningMs / 1000)),
    suggestsStalking: suggests,
    queued,
  }
  log(
    `  screened ${narratives.toLocaleString('en-GB')} in ${throughput.seconds} s (${throughput.perSecond.toLocaleString('en-GB')}/s)`,
  )

  // 2. Full linkage in memory.
  global.gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  const t = performance.now()
  const index = new LinkageIndex()
  index.add(records)
  const courses = index.courses()
  const linkageSeconds = (performance.now() - t) / 1000
  const linkage = {
    records: records.length,
    parties: partyId - 1,
    seconds: round(linkageSeconds, 2),
    courses: courses.length,
    incidentsInCourses: courses.reduce((sum, course) => sum + course.recordIds.length, 0),
    heapMB: Math.round((process.memoryUsage().heapUsed - heapBefore) / 1e6),
  }
  log(
    `  full linkage of ${linkage.records.toLocaleString('en-GB')} records in ${linkage.seconds} s, ${linkage.courses.toLocaleString('en-GB')} courses`,
  )
  records.length = 0

  // 3. End to end on SQLite: import (not timed), then `screening run` (timed).
  let endToEnd: ScreeningBenchResult['endToEnd'] = null
  if (options.endToEndSize) {
    const dir = join(options.tmpDir, `screening-${process.pid}`)
    mkdirSync(dir, { recursive: true })
    const services = await createServices(loadConfig({ NODE_ENV: 'test' }, { databaseUrl: join(dir, 'bench.sqlite') }))
    try {
      const generated = generateRecords({ crimes: options.endToEndSize, seed })
      let line = 1
      const source = (function* () {
        for (const { record } of generated) yield { record, source: { file: 'generated', line: ++line } }
      })()
      await services.crime.importer.importRecords(SYSTEM_ACTOR, source, { force: 'Demoshire Police' })
      const run = (await services.screening.service.runAll(SYSTEM_ACTOR, { mode: 'full' }))[0]
      endToEnd = {
        dialect: 'sqlite',
        crimes: options.endToEndSize,
        seconds: round(run.ms / 1000, 2),
        courses: run.courses,
        queued: run.queued,
      }
      log(
        `  end to end on SQLite: screening run over ${options.endToEndSize.toLocaleString('en-GB')} crimes in ${endToEnd.seconds} s`,
      )
    } finally {
      await services.databaseHandle.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return {
    benchmark: 'screening',
    size: options.size,
    seed,
    ranAt: started,
    machine: { ...atStart, loadAverageAtEnd: loadavg().map((value) => Math.round(value * 100) / 100) },
    throughput,
    linkage,
    endToEnd,
  }
}

/** The SUMMARY.md lines for screening results. */
export function screeningSummaryLines(results: ScreeningBenchResult[]): string[] {
  if (results.length === 0) return []
  return [
    '## Screening',
    '',
    '| Records | Screening (s) | Narratives/s | Full linkage (s) | Courses | End to end `screening run` on SQLite |',
    '| ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.map(
      (r) =>
        `| ${r.size.toLocaleString('en-GB')} | ${r.throughput.seconds} | ${r.throughput.perSecond.toLocaleString('en-GB')} | ` +
        `${r.linkage.seconds} | ${r.linkage.courses.toLocaleString('en-GB')} | ` +
        `${r.endToEnd ? `${r.endToEnd.seconds} s at ${r.endToEnd.crimes.toLocaleString('en-GB')} crimes` : '–'} |`,
    ),
    '',
    'Targets (issue 5): 1M narratives screened in under 60 s; full linkage of 1M crimes in under 120 s on one core.',
    ...results.map((r) => {
      const m = r.machine
      return `- screening ${r.size.toLocaleString('en-GB')} (${r.ranAt.slice(0, 16).replace('T', ' ')} UTC): ${String(m.os)}, ${String(m.cpus)} × ${String(m.cpuModel)}, ${String(m.memoryGiB)} GiB, Node ${String(m.node)}; load average ${JSON.stringify(m.loadAverage)} at start, ${JSON.stringify(m.loadAverageAtEnd)} at end`
    }),
    '',
  ]
}
