// The crime area's answers to the obligation contract: when a crime came to carry 8Q Stalking, and the crime details a
// case page and a work queue show. Set-based: one query per chunk of crimes, never one per crime.
import type { Kysely } from 'kysely'
import type { CrimeDatabase as Database } from './tables.ts'
import { chunked, type OccurrenceRow, forCrimes } from '../../platform/data/occurrenceRows.ts'

export interface CrimeSummary {
  id: number
  force_id: number
  force_reference: string
  reported_at: string
  team: string | null
  officer_in_case: string | null
  principal_code: string | null
  status: string | null
}

export class CrimeObligationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * When each crime came to carry a classification code: its report for a code recorded with the crime, or when it
   * was added later (screening adds 8Q as included), never before the report.
   */
  async classifiedAs(forceId: number, code: string, crimeIds?: readonly number[]): Promise<OccurrenceRow[]> {
    const run = (ids?: readonly number[]) => {
      // A few crimes (the refresh after a change): from their classifications by crime. The whole force: one range of
      // the classification search table, which is ordered by force and code, not by crime.
      if (ids) {
        return this.db
          .selectFrom('crime_classifications as c')
          .innerJoin('crimes as k', 'k.id', 'c.crime_id')
          .select(['c.crime_id', 'k.reported_at', 'c.added_at', 'c.added_by'])
          .where('c.crime_id', 'in', ids)
          .where('c.code', '=', code)
          .where('k.force_id', '=', forceId)
          .execute()
      }
      return this.db
        .selectFrom('crime_classification_index as i')
        .innerJoin('crime_classifications as c', (join) =>
          join.onRef('c.crime_id', '=', 'i.crime_id').on('c.code', '=', code),
        )
        .select(['i.crime_id', 'i.reported_at', 'c.added_at', 'c.added_by'])
        .where('i.force_id', '=', forceId)
        .where('i.search_key', '=', code)
        .execute()
    }
    const rows = await forCrimes(crimeIds, run)
    return rows.map((row) => {
      const later = row.added_at && row.added_at > row.reported_at
      return {
        crime_id: row.crime_id,
        at: later ? (row.added_at as string) : row.reported_at,
        by: later ? row.added_by : null,
        by_id: null,
      }
    })
  }

  /** Crimes whose classifications were written after a classification row id, and the newest id. */
  async classificationsChangedSince(
    forceId: number,
    lastId: number | null,
  ): Promise<{ crimeIds: number[]; lastId: number }> {
    if (lastId === null) {
      const newest = await this.db
        .selectFrom('crime_classifications')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirst()
      return { crimeIds: [], lastId: Number(newest?.id ?? 0) }
    }
    const rows = await this.db
      .selectFrom('crime_classifications as c')
      .innerJoin('crimes', 'crimes.id', 'c.crime_id')
      .select(['c.id', 'c.crime_id', 'crimes.force_id'])
      .where('c.id', '>', lastId)
      .execute()
    let newest = lastId
    const crimeIds = new Set<number>()
    for (const row of rows) {
      if (row.id > newest) newest = row.id
      if (row.force_id === forceId) crimeIds.add(row.crime_id)
    }
    return { crimeIds: [...crimeIds], lastId: newest }
  }

  /** The details a queue row and a case page show, for a set of the force's crimes. */
  async summaries(forceId: number, crimeIds: readonly number[]): Promise<CrimeSummary[]> {
    const chunks = await Promise.all(
      chunked(crimeIds).map((ids) =>
        this.db
          .selectFrom('crimes')
          .select([
            'id',
            'force_id',
            'force_reference',
            'reported_at',
            'team',
            'officer_in_case',
            'principal_code',
            'status',
          ])
          .where('force_id', '=', forceId)
          .where('id', 'in', ids)
          .execute(),
      ),
    )
    return chunks.flat()
  }
}
