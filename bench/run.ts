// `npm run bench`: runs the benchmarks and writes bench/results/<name>-<dialect>-<size>.json and SUMMARY.md.
// Options: --only crime, --sizes 100000,1000000, --dialects sqlite,postgres, --queries 200, --duration 60, --connections 50. See bench/README.md.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Command, InvalidArgumentError } from 'commander'
import { benchCrime, type CrimeBenchResult } from './crime.ts'
import { casesSummaryLines } from './casesSummary.ts'
import { benchScreening, screeningSummaryLines, type ScreeningBenchResult } from './screening.ts'
import { benchWeb, webSummaryLines } from './web.ts'

const here = dirname(fileURLToPath(import.meta.url))
const resultsDir = join(here, 'results')
const tmpDir = join(here, 'tmp')
const BENCHMARKS = ['crime', 'screening', 'web'] as const

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
}

function sizes(value: string): number[] {
  return list(value).map((item) => {
    const size = Number(item.replace(/_/g, '').replace(/k$/i, '000').replace(/m$/i, '000000'))
    if (!Number.isInteger(size) || size < 1) throw new InvalidArgumentError(`"${item}" is not a number of crimes`)
    return size
  })
}

function dialects(value: string): ('sqlite' | 'postgres')[] {
  return list(value).map((item) => {
    if (item !== 'sqlite' && item !== 'postgres') throw new InvalidArgumentError(`"${item}" is not sqlite or postgres`)
    return item
  })
}

/** p50 / p95 of a search, and its in-memory floor's p95 when it was measured. */
const withFloor = (latency: { p50Ms: number; p95Ms: number; floor?: { p95Ms: number } } | undefined) =>
  latency ? `${latency.p50Ms} / ${latency.p95Ms}${latency.floor ? ` (${latency.floor.p95Ms})` : ''}` : '–'

const fmt = (value: number | null | undefined, unit = '') =>
  value === null || value === undefined ? '–' : `${value}${unit}`

/** SUMMARY.md from every crime result file, smallest first, SQLite before PostgreSQL. */
export function writeSummary(): void {
  const results = readdirSync(resultsDir)
    .filter((file) => /^crime-.*\.json$/.test(file))
    .map((file) => JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as CrimeBenchResult)
    .sort((a, b) => a.size - b.size || a.dialect.localeCompare(b.dialect) * -1)
  const lines = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (see bench/README.md). Latencies are p50 / p95 in milliseconds; ×floor is the p95 as a',
    'multiple of the same classification query answered by a plain in-memory index in the same process.',
    '',
    '## Crime records',
    '',
    '| Database | Crimes | Import (s) | Crimes/s | Import CPU (s) | Reading alone (s) | Import floor (s) | Import ×floor | Classification p50 / p95 | ×floor | Group p50 / p95 | Name prefix p50 / p95 (floor p95) | Name and birth date p50 / p95 (floor) | Identifier p50 / p95 (floor) | Full text p50 / p95 (floor) | Floor p50 / p95 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.dialect} | ${r.size.toLocaleString('en-GB')} | ${r.import.seconds} | ${r.import.crimesPerSecond.toLocaleString('en-GB')} | ` +
        `${r.import.cpuSeconds ?? '–'} | ${r.import.readingAlone?.seconds ?? '–'} | ` +
        `${r.import.floor?.seconds ?? '–'} | ${fmt(r.import.ratioToFloor, '×')} | ` +
        `${r.classificationSearch.p50Ms} / ${r.classificationSearch.p95Ms} | ${fmt(r.classificationSearch.p95RatioToFloor, '×')} | ` +
        `${r.groupSearch.p50Ms} / ${r.groupSearch.p95Ms} | ` +
        (r.personPrefix
          ? `${withFloor(r.personPrefix)} | ${withFloor(r.personNameBirth)} | ${withFloor(r.personIdentifier)} | `
          : `${r.personSearch ? `${r.personSearch.p50Ms} / ${r.personSearch.p95Ms} (prefix or surname and birth date, before issue 17)` : '–'} | – | – | `) +
        `${withFloor(r.fullTextSearch)} | ${r.floor.p50Ms} / ${r.floor.p95Ms} |`,
    ),
    '',
    'Import CPU is the CPU time of the benchmark process during the import, every thread (a PostgreSQL server’s own work',
    'is not in it): on a machine with N cores an import cannot take less than CPU / N seconds. Reading alone is the same',
    'extract read, checked and handed over by the reader’s worker thread with nothing written. Import floor is the same',
    'rows loaded into the same tables of a fresh database by the engine’s bare loader in the same run (PostgreSQL: COPY',
    'from files; SQLite: INSERT ... SELECT from the imported file attached), indexes built after and statistics refreshed',
    'as the import does (bench/importFloor.ts); Import ×floor is the import’s time over it.',
    '',
    'Targets (issue 4): 1M crimes imported in under 60 s on SQLite; classification search p95 under 10 ms at 1M on SQLite and under 25 ms at 10M on PostgreSQL.',
    'Targets (issue 17): PostgreSQL 1M imported in under 60 s and 10M in under 15 minutes, within 2× of the bare-COPY floor; SQLite 1M within 1.5× of its floor; person and full-text searches p95 under 50 ms (SQLite 1M, PostgreSQL 10M).',
    '',
    '## Machines',
    '',
    ...results.map((r) => {
      const m = r.machine as Record<string, unknown>
      return `- ${r.dialect} ${r.size.toLocaleString('en-GB')} (${r.ranAt.slice(0, 16).replace('T', ' ')} UTC): ${m.os}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}; load average ${JSON.stringify(m.loadAverage)} at start, ${JSON.stringify(m.loadAverageAtEnd)} at end`
    }),
    '',
  ]
  const screening = readdirSync(resultsDir)
    .filter((file) => /^screening-\d+\.json$/.test(file))
    .map((file) => JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as ScreeningBenchResult)
    .sort((a, b) => a.size - b.size)
  lines.push(...screeningSummaryLines(screening))
  lines.push(...casesSummaryLines(resultsDir))
  lines.push(...webSummaryLines(resultsDir))
  lines.push(...handWrittenNotes())
  writeFileSync(join(resultsDir, 'SUMMARY.md'), lines.join('\n'))
}

/** Benchmarks run outside `npm run bench` keep their written-up results in bench/results/notes/, kept in name order. */
function handWrittenNotes(): string[] {
  const notesDir = join(resultsDir, 'notes')
  if (!existsSync(notesDir)) return []
  return readdirSync(notesDir)
    .filter((file) => file.endsWith('.md'))
    .sort()
    .flatMap((file) => ['', readFileSync(join(notesDir, file), 'utf8').trimEnd()])
}

async function main(): Promise<void> {
  const program = new Command()
    .name('npm run bench --')
    .option('--only <names>', `benchmarks to run: ${BENCHMARKS.join(', ')}`, list, [...BENCHMARKS])
    .option('--sizes <sizes>', 'numbers of crimes, comma-separated (100k and 1m work)', sizes, [100000, 1000000])
    .option('--dialects <dialects>', 'sqlite, postgres or both', dialects, ['sqlite', 'postgres'] as (
      'sqlite' | 'postgres'
    )[])
    .option('--queries <n>', 'queries per latency measurement', (value) => Number.parseInt(value, 10), 200)
    .option('--duration <s>', 'seconds of load in the web benchmark', (value) => Number.parseInt(value, 10), 60)
    .option(
      '--connections <n>',
      'concurrent connections in the web benchmark',
      (value) => Number.parseInt(value, 10),
      50,
    )
    .parse(process.argv)
  const options = program.opts<{
    only: string[]
    sizes: number[]
    dialects: ('sqlite' | 'postgres')[]
    queries: number
    duration: number
    connections: number
  }>()
  const unknown = options.only.filter((name) => !(BENCHMARKS as readonly string[]).includes(name))
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}: choose from ${BENCHMARKS.join(', ')}`)
  mkdirSync(resultsDir, { recursive: true })
  if (options.only.includes('crime')) {
    for (const size of options.sizes) {
      for (const dialect of options.dialects) {
        const result = await benchCrime({ dialect, size, queries: options.queries, tmpDir })
        const file = join(resultsDir, `crime-${dialect}-${size}.json`)
        writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`)
        console.log(
          `  import ${result.import.crimesPerSecond}/s; classification p50 ${result.classificationSearch.p50Ms} ms, p95 ${result.classificationSearch.p95Ms} ms (${result.classificationSearch.p95RatioToFloor}× floor)`,
        )
        writeSummary()
      }
    }
  }
  if (options.only.includes('screening')) {
    for (const size of options.sizes) {
      const result = await benchScreening({ size, endToEndSize: Math.min(size, 100000), tmpDir })
      writeFileSync(join(resultsDir, `screening-${size}.json`), `${JSON.stringify(result, null, 2)}\n`)
      writeSummary()
    }
  }
  if (options.only.includes('web')) {
    for (const size of options.sizes) {
      for (const dialect of options.dialects) {
        const result = await benchWeb({
          dialect,
          size,
          tmpDir,
          durationSeconds: options.duration,
          connections: options.connections,
        })
        writeFileSync(join(resultsDir, `web-${dialect}-${size}.json`), `${JSON.stringify(result, null, 2)}\n`)
        console.log(
          `  ${result.requests} requests, p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, p99 ${result.latencyMs.p99} ms, ${result.errors} errors`,
        )
        writeSummary()
      }
    }
  }
  console.log(`Results in ${resultsDir}`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`)
    if (process.env.THREADLINE_DEBUG) console.error(error)
    process.exit(1)
  })
}
