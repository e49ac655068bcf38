// Quick speed measurement of full linkage (not a test; the benchmark in bench/ is the measure of record).
//   npx tsx src/screening/linkage/measure.ts [records=1000000] [synthetic|generator] [seed=42]
// Generates the data first (not timed), then times new LinkageIndex().add(all) and courses().

import { LinkageIndex } from './conduct.ts'
import { loadGeneratedRecords } from './evaluate.ts'
import { syntheticDataset } from './synthetic.ts'
import type { LinkageRecord } from './types.ts'

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1_000_000)
  const source = process.argv[3] ?? 'synthetic'
  const seed = Number(process.argv[4] ?? 42)
  let started = performance.now()
  let records: LinkageRecord[]
  if (source === 'generator') records = (await loadGeneratedRecords({ crimes: count, seed })).records
  else records = syntheticDataset({ records: count, seed }).records
  const parties = records.reduce((sum, r) => sum + r.parties.length, 0)
  console.log(`generated ${records.length} records, ${parties} parties (${source}) in ${secs(started)} s`)

  global.gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  started = performance.now()
  const index = new LinkageIndex()
  index.add(records)
  const courses = index.courses()
  const elapsed = secs(started)
  const heapAfter = process.memoryUsage().heapUsed
  console.log(
    `full linkage: ${elapsed} s, ${courses.length} courses, ` +
      `${courses.reduce((sum, c) => sum + c.recordIds.length, 0)} incidents in courses, ` +
      `heap +${Math.round((heapAfter - heapBefore) / 1e6)} MB`,
  )
}

function secs(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1)
}

await main()
