// The case work benchmark's part of bench/results/SUMMARY.md, from bench/results/cases-<dialect>-<crimes>.json.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

interface Latency {
  p50Ms: number
  p95Ms: number
}
interface CasesResult {
  dialect: string
  crimes: number
  cases: number
  obligations: number
  ranAt: string
  machine: { os: string; cpus: number; cpuModel?: string; memoryGiB: number; node: string }
  loadAverage: { atStart: number[]; atEnd: number[] }
  refreshAll: { seconds: number; secondsWithNothingChanged: number; floorSeconds?: number; timesFloor?: number }
  myWork: Latency
  teamQueue: Latency & { summaryUncached?: Latency }
  casePage: Latency
  incrementalRefreshAfterOneChangeMs: number
}

export const CASES_HEADING = '## Case work'

export function casesSummaryLines(resultsDir: string): string[] {
  const results = readdirSync(resultsDir)
    .filter((file) => /^cases-.*\.json$/.test(file))
    .map((file) => JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as CasesResult)
    .sort((a, b) => a.crimes - b.crimes || a.dialect.localeCompare(b.dialect))
  if (results.length === 0) return []
  const latency = (value: Latency | undefined) => (value ? `${value.p50Ms} / ${value.p95Ms}` : '–')
  return [
    CASES_HEADING,
    '',
    '| Database | Crimes | Cases | Obligations | Full refresh (s) | Floor (s) | ×floor | Nothing changed (s) | My work p50 / p95 | Team queue p50 / p95 | Queue summary uncached p50 / p95 | Case page p50 / p95 | One change seen (ms) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.dialect} | ${r.crimes.toLocaleString('en-GB')} | ${r.cases.toLocaleString('en-GB')} | ${r.obligations.toLocaleString('en-GB')} | ` +
        `${r.refreshAll.seconds} | ${r.refreshAll.floorSeconds ?? '–'} | ${r.refreshAll.timesFloor ? `${r.refreshAll.timesFloor}×` : '–'} | ` +
        `${r.refreshAll.secondsWithNothingChanged} | ${latency(r.myWork)} | ${latency(r.teamQueue)} | ` +
        `${latency(r.teamQueue.summaryUncached)} | ${latency(r.casePage)} | ${r.incrementalRefreshAfterOneChangeMs} |`,
    ),
    '',
    'Written by `bench/cases.ts` (bench/README.md). Latencies in milliseconds, each read with its refresh and audit row.',
    'Floor: the same cases and obligations written by the database alone (INSERT ... SELECT into empty copies with the',
    'same indexes). The queue summary (overdue by officer and team, the teams) is kept between views and worked out again',
    'on the first view of a day or after any write to the force’s cases: that view pays it on top of the page.',
    '',
    'Targets (issue 12): My work, the team queue (first page and count) and the case page p95 under 100 ms; every',
    'obligation of a force worked out in under 10 s. Before the queue indexes (1201): team queue p95 3.6 s and full',
    'refresh 292 s (an earlier run, load not recorded); SQLite on 3 December 2026 at load 1.7 rising to 6.6: team queue',
    'p50 1.7 s, p95 6.6 s; full refresh 51 s (33 s with nothing changed); My work p95 68 ms; case page p95 28 ms.',
    'The machine (2 cores) was shared by four engineers: compare runs at similar load.',
    '',
    ...results.map(
      (r) =>
        `- cases ${r.dialect} ${r.crimes.toLocaleString('en-GB')} (${r.ranAt.slice(0, 16).replace('T', ' ')} UTC): ${r.machine.os}, ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}; load average ${JSON.stringify(r.loadAverage.atStart)} at start, ${JSON.stringify(r.loadAverage.atEnd)} at end`,
    ),
    '',
  ]
}

/** Puts the case work section into SUMMARY.md in place of the one there (or at the end). */
export function writeCasesSummary(resultsDir: string): void {
  const path = join(resultsDir, 'SUMMARY.md')
  const text = readFileSync(path, 'utf8')
  const start = text.indexOf(`${CASES_HEADING}\n`)
  const end = start < 0 ? -1 : text.indexOf('\n## ', start + CASES_HEADING.length)
  const before = start < 0 ? text.replace(/\n*$/, '\n\n') : text.slice(0, start)
  const after = start < 0 || end < 0 ? '' : text.slice(end + 1)
  writeFileSync(path, `${before}${casesSummaryLines(resultsDir).join('\n')}${after ? `\n${after}` : ''}`)
}
