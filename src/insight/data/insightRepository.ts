import type { Kysely } from 'kysely'
import type { Database } from '../../platform/data/schema.ts'

export interface Period {
  /** Inclusive ISO date-time lower bound on reported_at. */
  from: string
  /** Exclusive ISO date-time upper bound. */
  to: string
}

/** Aggregate counts over the crime index for the live evidence figures: counts only, never a person's details. */
export class InsightRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Crimes carrying any of the codes, split by how they carry it. */
  async classificationCounts(forceId: number, codes: string[], period: Period) {
    if (codes.length === 0) return { total: 0, principal: 0, includedOnly: 0, online: 0 }
    const rows = await this.db
      .selectFrom('crime_classification_index as i')
      .innerJoin('crimes as c', 'c.id', 'i.crime_id')
      .where('i.force_id', '=', forceId)
      .where('i.search_key', 'in', codes)
      .where('i.reported_at', '>=', period.from)
      .where('i.reported_at', '<', period.to)
      .select(['i.crime_id', 'i.role', 'c.online'])
      .execute()
    const byCrime = new Map<number, { principal: boolean; online: boolean }>()
    for (const row of rows) {
      const entry = byCrime.get(row.crime_id) ?? { principal: false, online: row.online === 1 }
      entry.principal ||= row.role !== 'included'
      byCrime.set(row.crime_id, entry)
    }
    let principal = 0
    let online = 0
    for (const entry of byCrime.values()) {
      if (entry.principal) principal++
      if (entry.online) online++
    }
    return { total: byCrime.size, principal, includedOnly: byCrime.size - principal, online }
  }

  async outcomeCounts(
    forceId: number,
    codes: string[],
    period: Period,
  ): Promise<{ outcome: number | null; n: number }[]> {
    if (codes.length === 0) return []
    return this.db
      .selectFrom('crimes as c')
      .where('c.force_id', '=', forceId)
      .where('c.reported_at', '>=', period.from)
      .where('c.reported_at', '<', period.to)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('crime_classification_index as i')
            .select('i.crime_id')
            .whereRef('i.crime_id', '=', 'c.id')
            .where('i.force_id', '=', forceId)
            .where('i.search_key', 'in', codes),
        ),
      )
      .groupBy('c.outcome')
      .select((eb) => ['c.outcome', eb.fn.countAll<number>().as('n')])
      .execute()
  }

  async intelligenceCounts(forceId: number, period: Period): Promise<{ reports: number; linked: number }> {
    const reports = await this.db
      .selectFrom('crimes')
      .where('force_id', '=', forceId)
      .where('kind', '=', 'intelligence')
      .where('reported_at', '>=', period.from)
      .where('reported_at', '<', period.to)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const linked = await this.db
      .selectFrom('intelligence_links as l')
      .innerJoin('crimes as c', 'c.id', 'l.intelligence_id')
      .where('l.force_id', '=', forceId)
      .where('c.reported_at', '>=', period.from)
      .where('c.reported_at', '<', period.to)
      .select((eb) => eb.fn.count<number>('l.intelligence_id').distinct().as('n'))
      .executeTakeFirstOrThrow()
    return { reports: Number(reports.n), linked: Number(linked.n) }
  }

  /** Stalking crimes in the period, and how many of them have at least one S-DASH assessment. */
  async sdashCompletion(
    forceId: number,
    codes: string[],
    period: Period,
  ): Promise<{ stalkingCrimes: number; assessed: number }> {
    if (codes.length === 0) return { stalkingCrimes: 0, assessed: 0 }
    const row = await this.db
      .selectFrom('crime_classification_index as i')
      .leftJoin(
        (eb) =>
          eb.selectFrom('screening_assessments').where('force_id', '=', forceId).select('crime_id').distinct().as('a'),
        (join) => join.onRef('a.crime_id', '=', 'i.crime_id'),
      )
      .where('i.force_id', '=', forceId)
      .where('i.search_key', 'in', codes)
      .where('i.reported_at', '>=', period.from)
      .where('i.reported_at', '<', period.to)
      .select((eb) => [
        eb.fn.count<number>('i.crime_id').distinct().as('stalking'),
        eb.fn.count<number>('a.crime_id').distinct().as('assessed'),
      ])
      .executeTakeFirstOrThrow()
    return { stalkingCrimes: Number(row.stalking), assessed: Number(row.assessed) }
  }

  /** Courses of conduct whose latest incident was reported in the period. */
  async coursesOfConduct(forceId: number, period: Period): Promise<number> {
    const row = await this.db
      .selectFrom('screening_courses')
      .where('force_id', '=', forceId)
      .where('last_reported_at', '>=', period.from)
      .where('last_reported_at', '<', period.to)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }
}
