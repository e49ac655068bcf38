// Helpers for areas answering the obligation contract (src/platform/obligations.ts) set-based.
import { sql, type Kysely } from 'kysely'
import type { EventOccurrence } from '../obligations.ts'

/** Crime ids in chunks small enough for one IN list on either dialect. */
export function chunked<T>(items: readonly T[], size = 500): T[][] {
  const chunks: T[][] = []
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size))
  return chunks
}

/** Runs a query for the given crimes a chunk at a time (parameter limits), or once for all when none are given. */
export async function forCrimes<T>(
  crimeIds: readonly number[] | undefined,
  run: (ids?: readonly number[]) => Promise<T[]>,
): Promise<T[]> {
  return crimeIds ? (await Promise.all(chunked(crimeIds).map(run))).flat() : run()
}

/** One record that may be a crime's occurrence of an event. */
export interface OccurrenceRow {
  crime_id: number
  at: string
  by: string | null
  by_id: number | null
  value?: string | null
}

/**
 * The first occurrence per crime (earliest `at`; on a tie, the first row given) with the value of the latest, from
 * records in any order.
 */
export function firstPerCrime(event: string, rows: readonly OccurrenceRow[]): EventOccurrence[] {
  const first = new Map<number, EventOccurrence>()
  const latestAt = new Map<number, string>()
  for (const row of rows) {
    const at = row.at.length === 10 ? `${row.at}T00:00:00.000Z` : row.at
    const current = first.get(row.crime_id)
    if (!current || at < current.at) {
      first.set(row.crime_id, {
        crimeId: row.crime_id,
        event,
        at,
        by: row.by,
        byId: row.by_id,
        value: current?.value ?? row.value ?? null,
      })
    }
    if (row.value !== undefined && (latestAt.get(row.crime_id) ?? '') <= at) {
      latestAt.set(row.crime_id, at)
      const entry = first.get(row.crime_id) as EventOccurrence
      entry.value = row.value
    }
  }
  return [...first.values()]
}

/**
 * For an area's record tables (each with `id`, `force_id` and `crime_id`): the force's crimes with rows written after
 * the cursor (a JSON object of the last id seen per table), and the new cursor. Given null (or a table not yet in the
 * cursor), only the newest id is noted: the caller has just looked at everything.
 */
export async function recordsChangedSince<DB>(
  db: Kysely<DB>,
  forceId: number,
  tables: readonly (keyof DB & string)[],
  cursor: string | null,
): Promise<{ crimeIds: number[]; cursor: string }> {
  const last = (cursor ? JSON.parse(cursor) : {}) as Record<string, number>
  const next: Record<string, number> = {}
  const crimeIds = new Set<number>()
  for (const table of tables) {
    const from = last[table]
    if (from === undefined) {
      const { rows } = await sql<{ id: number | null }>`select max(id) as id from ${sql.table(table)}`.execute(db)
      next[table] = Number(rows[0]?.id ?? 0)
      continue
    }
    const { rows } = await sql<{ id: number; crime_id: number; force_id: number }>`
      select id, crime_id, force_id from ${sql.table(table)} where id > ${from}`.execute(db)
    let newest = from
    for (const row of rows) {
      if (Number(row.id) > newest) newest = Number(row.id)
      if (Number(row.force_id) === forceId) crimeIds.add(Number(row.crime_id))
    }
    next[table] = newest
  }
  return { crimeIds: [...crimeIds], cursor: JSON.stringify(next) }
}
