// Aggregate reads over the crime area's tables for the stalking problem profile (Recommendation 11) and the action
// plan's live evidence figures: counts only,
// never a person's details. Per-key totals and monthly series come from crime_classification_day_counts (a sum over
// at most a few hundred rows per key); everything about the stalking crimes themselves starts from one range of
// crime_classification_index's primary key (crimesWithKey), so no query scans the force's crimes. One query text
// serves SQLite and PostgreSQL; every value is a parameter.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { CrimeDatabase as Database } from './tables.ts'
import { crimesWithKey, type MeasurePeriod } from './crimeRepository.ts'

type Executor = Kysely<Database> | Transaction<Database>

/** Whole reported days: from (inclusive) to before (exclusive), both 'YYYY-MM-DD'. */
export interface DayRange {
  from: string
  before: string
}

/** Crimes under one search key by how they carry it: principal only, included only, or both ways. */
export interface RoleCounts {
  principal: number
  included: number
  both: number
}

/** PostgreSQL returns counts and sums as text (bigint and numeric); SQLite as numbers; null when nothing matched. */
const count = (value: unknown) => Number(value ?? 0)

export class CrimeProfileQueries {
  constructor(private readonly db: Executor) {}

  /** Crimes under each key reported on the days in range, by role (keys with none are absent). */
  async keyCounts(forceId: number, keys: string[], days: DayRange): Promise<Map<string, RoleCounts>> {
    const counts = new Map<string, RoleCounts>()
    if (keys.length === 0) return counts
    const rows = await this.db
      .selectFrom('crime_classification_day_counts')
      .where('force_id', '=', forceId)
      .where('search_key', 'in', keys)
      .where('day', '>=', days.from)
      .where('day', '<', days.before)
      .groupBy('search_key')
      .select((eb) => [
        'search_key',
        eb.fn.sum<number>('principal').as('principal'),
        eb.fn.sum<number>('included').as('included'),
        eb.fn.sum<number>('both_roles').as('both'),
      ])
      .execute()
    for (const row of rows) {
      counts.set(row.search_key, {
        principal: count(row.principal),
        included: count(row.included),
        both: count(row.both),
      })
    }
    return counts
  }

  /** Crimes under one key by reported month ('YYYY-MM') and role, over the days in range; months with none absent. */
  async monthlyCounts(forceId: number, key: string, days: DayRange): Promise<({ month: string } & RoleCounts)[]> {
    const month = sql<string>`substr(day, 1, 7)`
    const rows = await this.db
      .selectFrom('crime_classification_day_counts')
      .where('force_id', '=', forceId)
      .where('search_key', '=', key)
      .where('day', '>=', days.from)
      .where('day', '<', days.before)
      .groupBy(month)
      .orderBy(month)
      .select((eb) => [
        month.as('month'),
        eb.fn.sum<number>('principal').as('principal'),
        eb.fn.sum<number>('included').as('included'),
        eb.fn.sum<number>('both_roles').as('both'),
      ])
      .execute()
    return rows.map((row) => ({
      month: row.month,
      principal: count(row.principal),
      included: count(row.included),
      both: count(row.both),
    }))
  }

  /** Crimes reported in the period carrying any of the keys (each crime once, however many it carries). */
  async crimesWithAnyKey(forceId: number, keys: string[], period: MeasurePeriod): Promise<number> {
    if (keys.length === 0) return 0
    const row = await this.db
      .selectFrom('crime_classification_index as i')
      .where('i.force_id', '=', forceId)
      .where('i.search_key', 'in', keys)
      .where('i.reported_at', '>=', period.from)
      .where('i.reported_at', '<', period.to)
      .select((eb) => eb.fn.count<number>('i.crime_id').distinct().as('n'))
      .executeTakeFirstOrThrow()
    return count(row.n)
  }

  /**
   * Intelligence reports recorded in the period (from the partial index of intelligence reports by reported date), and the intelligence reports, whenever recorded, linked by force reference to the key's crimes
   * reported in the period (from the search table's range, then the links' index).
   */
  async intelligence(
    forceId: number,
    key: string,
    period: MeasurePeriod,
  ): Promise<{ reports: number; linked: number }> {
    const reports = await this.db
      .selectFrom('crimes as r')
      .where('r.force_id', '=', forceId)
      .where('r.reported_at', '>=', period.from)
      .where('r.reported_at', '<', period.to)
      .where('r.kind', '=', 'intelligence')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const linked = await crimesWithKey(this.db, forceId, key, period)
      .innerJoin('crimes as c', 'c.id', 'i.crime_id')
      .innerJoin('intelligence_links as l', (join) =>
        join.onRef('l.force_id', '=', 'c.force_id').onRef('l.linked_reference', '=', 'c.force_reference'),
      )
      .select((eb) => eb.fn.count<number>('l.intelligence_id').distinct().as('n'))
      .executeTakeFirstOrThrow()
    return { reports: count(reports.n), linked: count(linked.n) }
  }

  /** Crimes with the key as an included classification only, by their principal classification code. */
  async includedOnlyByPrincipal(
    forceId: number,
    key: string,
    period: MeasurePeriod,
  ): Promise<{ code: string | null; crimes: number }[]> {
    const rows = await crimesWithKey(this.db, forceId, key, period)
      .where('i.role', '=', 'included')
      .innerJoin('crimes as c', 'c.id', 'i.crime_id')
      .groupBy('c.principal_code')
      .select((eb) => ['c.principal_code as code', eb.fn.countAll<number>().as('crimes')])
      .execute()
    return rows.map((row) => ({ code: row.code, crimes: count(row.crimes) }))
  }

  /** The key's crimes in the period: how many, and how many flagged domestic abuse and online (cyber-enabled). */
  async flags(forceId: number, key: string, period: MeasurePeriod) {
    const row = await crimesWithKey(this.db, forceId, key, period)
      .innerJoin('crimes as c', 'c.id', 'i.crime_id')
      .select((eb) => [
        eb.fn.countAll<number>().as('crimes'),
        eb.fn.sum<number>('c.domestic_abuse').as('domestic_abuse'),
        eb.fn.sum<number>('c.online').as('online'),
      ])
      .executeTakeFirstOrThrow()
    return { crimes: count(row.crimes), domesticAbuse: count(row.domestic_abuse), online: count(row.online) }
  }

  /** The key's crimes in the period by Home Office outcome type (null: not finalised). */
  async outcomes(
    forceId: number,
    key: string,
    period: MeasurePeriod,
  ): Promise<{ outcome: number | null; crimes: number }[]> {
    const rows = await crimesWithKey(this.db, forceId, key, period)
      .innerJoin('crimes as c', 'c.id', 'i.crime_id')
      .groupBy('c.outcome')
      .select((eb) => ['c.outcome', eb.fn.countAll<number>().as('crimes')])
      .execute()
    return rows.map((row) => ({
      outcome: row.outcome === null ? null : Number(row.outcome),
      crimes: count(row.crimes),
    }))
  }

  /** The key's crimes in the period by the team recorded on the crime, with how many are finalised and charged. */
  async teams(
    forceId: number,
    key: string,
    period: MeasurePeriod,
  ): Promise<{ team: string | null; crimes: number; finalised: number; charged: number }[]> {
    const rows = await crimesWithKey(this.db, forceId, key, period)
      .innerJoin('crimes as c', 'c.id', 'i.crime_id')
      .groupBy('c.team')
      .select((eb) => [
        'c.team',
        eb.fn.countAll<number>().as('crimes'),
        eb.fn.sum<number>(eb.case().when('c.outcome', 'is not', null).then(1).else(0).end()).as('finalised'),
        eb.fn.sum<number>(eb.case().when('c.outcome', '=', 1).then(1).else(0).end()).as('charged'),
      ])
      .execute()
    return rows.map((row) => ({
      team: row.team,
      crimes: count(row.crimes),
      finalised: count(row.finalised),
      charged: count(row.charged),
    }))
  }

  /**
   * People recorded in a role ('victim' or 'suspect') on the key's crimes in the period: how many different people,
   * and how many of them on two or more of those crimes.
   */
  async partyCounts(
    forceId: number,
    key: string,
    period: MeasurePeriod,
    role: 'victim' | 'suspect',
  ): Promise<{ people: number; onTwoOrMore: number }> {
    const perPerson = crimesWithKey(this.db, forceId, key, period)
      .innerJoin('crime_parties as p', 'p.crime_id', 'i.crime_id')
      .where('p.role', '=', role)
      .groupBy('p.person_id')
      .select((eb) => ['p.person_id', eb.fn.count<number>('i.crime_id').distinct().as('crimes')])
    const row = await this.db
      .selectFrom(perPerson.as('t'))
      .select((eb) => [
        eb.fn.countAll<number>().as('people'),
        eb.fn.sum<number>(eb.case().when('t.crimes', '>=', 2).then(1).else(0).end()).as('repeated'),
      ])
      .executeTakeFirstOrThrow()
    return { people: count(row.people), onTwoOrMore: count(row.repeated) }
  }

  /** Suspects on the key's crimes in the period with two or more different victims across those crimes. */
  async suspectsWithSeveralVictims(forceId: number, key: string, period: MeasurePeriod): Promise<number> {
    const suspects = crimesWithKey(this.db, forceId, key, period)
      .innerJoin('crime_parties as s', (join) =>
        join.onRef('s.crime_id', '=', 'i.crime_id').on('s.role', '=', 'suspect'),
      )
      .innerJoin('crime_parties as v', (join) =>
        join.onRef('v.crime_id', '=', 'i.crime_id').on('v.role', '=', 'victim'),
      )
      .whereRef('v.person_id', '<>', 's.person_id')
      .groupBy('s.person_id')
      .having((eb) => eb.fn.count('v.person_id').distinct(), '>=', 2)
      .select('s.person_id')
    const row = await this.db
      .selectFrom(suspects.as('t'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return count(row.n)
  }

  // ---- For the action plan's live evidence figures (insight) -----------------------------------------------

  /** Crimes carrying any of the codes, split by how they carry it. */
  async classificationCounts(forceId: number, codes: string[], period: MeasurePeriod) {
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
    period: MeasurePeriod,
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

  async intelligenceCounts(forceId: number, period: MeasurePeriod): Promise<{ reports: number; linked: number }> {
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
}
