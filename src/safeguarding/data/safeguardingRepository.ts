// The only code that touches the safeguarding area's tables. For the force's measure it also reads the crime area's
// classification index (force, search key, reported range: its primary key), never a person's details.
import type { Insertable, Kysely, Transaction } from 'kysely'
import type { SafeguardingDatabase as Database } from './tables.ts'
import { crimesWithKey, type MeasurePeriod } from '../../crime/index.ts'
import type { BreachRow, ConsiderationRow, SpoBreachesTable, SpoConsiderationsTable, SpoDecision } from './tables.ts'

type Executor = Kysely<Database> | Transaction<Database>

export type { MeasurePeriod } from '../../crime/index.ts'

export class SafeguardingRepository {
  constructor(private readonly db: Executor) {}

  async transaction<T>(
    run: (repository: SafeguardingRepository, trx: Transaction<Database>) => Promise<T>,
  ): Promise<T> {
    return (this.db as Kysely<Database>).transaction().execute((trx) => run(new SafeguardingRepository(trx), trx))
  }

  async insertConsideration(row: Insertable<SpoConsiderationsTable>): Promise<number> {
    const inserted = await this.db
      .insertInto('spo_considerations')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow()
    return inserted.id
  }

  async insertBreach(row: Insertable<SpoBreachesTable>): Promise<number> {
    const inserted = await this.db.insertInto('spo_breaches').values(row).returning('id').executeTakeFirstOrThrow()
    return inserted.id
  }

  private considerationsNewestFirst(forceId: number, crimeId: number) {
    return this.db
      .selectFrom('spo_considerations')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('crime_id', '=', crimeId)
      .orderBy('id', 'desc')
  }

  /** A crime's considerations, newest first. */
  async considerationsOf(forceId: number, crimeId: number): Promise<ConsiderationRow[]> {
    return this.considerationsNewestFirst(forceId, crimeId).execute()
  }

  async latestConsideration(forceId: number, crimeId: number): Promise<ConsiderationRow | undefined> {
    return this.considerationsNewestFirst(forceId, crimeId).limit(1).executeTakeFirst()
  }

  /** A crime's breaches, newest first. */
  async breachesOf(forceId: number, crimeId: number): Promise<BreachRow[]> {
    return this.db
      .selectFrom('spo_breaches')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('crime_id', '=', crimeId)
      .orderBy('occurred_on', 'desc')
      .orderBy('id', 'desc')
      .execute()
  }

  /** Whether the force has any consideration recorded (demo data is loaded once). */
  async hasConsiderations(forceId: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('spo_considerations')
      .select('id')
      .where('force_id', '=', forceId)
      .limit(1)
      .executeTakeFirst()
    return row !== undefined
  }

  /**
   * One page of the force's crimes carrying the search key (principal or included), newest report first, each with its
   * latest consideration (if any); `decision` keeps those whose latest consideration has that decision, `none` those
   * with none. The crimes come from the classification search table's primary key range, so no DISTINCT.
   */
  async listWithLatest(
    forceId: number,
    searchKey: string,
    filters: { decision?: SpoDecision | 'none'; limit: number; offset: number },
  ) {
    const base = () => {
      let query = this.db
        .selectFrom('crime_classification_index as i')
        .innerJoin('crimes as c', 'c.id', 'i.crime_id')
        .leftJoin('spo_considerations as s', (join) =>
          join
            .onRef('s.crime_id', '=', 'i.crime_id')
            .onRef('s.force_id', '=', 'i.force_id')
            .on((eb) =>
              eb(
                's.id',
                '=',
                eb
                  .selectFrom('spo_considerations as s2')
                  .select((inner) => inner.fn.max('s2.id').as('id'))
                  .whereRef('s2.force_id', '=', 'i.force_id')
                  .whereRef('s2.crime_id', '=', 'i.crime_id'),
              ),
            ),
        )
        .where('i.force_id', '=', forceId)
        .where('i.search_key', '=', searchKey)
      if (filters.decision === 'none') query = query.where('s.id', 'is', null)
      else if (filters.decision) query = query.where('s.decision', '=', filters.decision)
      return query
    }
    const total = await base()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const rows = await base()
      .select([
        'i.crime_id',
        'i.reported_at',
        'c.force_reference',
        'c.team',
        's.decision',
        's.court_outcome',
        's.considered_at',
        's.considered_by',
        's.order_made_on',
      ])
      .orderBy('i.reported_at', 'desc')
      .orderBy('i.crime_id', 'desc')
      .limit(filters.limit)
      .offset(filters.offset)
      .execute()
    return { total: Number(total.n), rows }
  }

  /** Ids of the force's crimes carrying the search key (principal or included), oldest first: for demo data. */
  async crimeIdsWithKey(forceId: number, searchKey: string): Promise<{ crime_id: number; reported_at: string }[]> {
    return crimesWithKey(this.db, forceId, searchKey)
      .select(['i.crime_id', 'i.reported_at'])
      .orderBy('i.reported_at')
      .orderBy('i.crime_id')
      .execute()
  }

  /**
   * Crimes reported in the period carrying the search key (one index row per crime and key, so no DISTINCT), and
   * for those with any consideration, each consideration's crime, decision and outcome, oldest first; and the number
   * of breaches recorded on them.
   */
  async measureRows(forceId: number, searchKey: string, period: MeasurePeriod) {
    const inPeriod = () => crimesWithKey(this.db, forceId, searchKey, period)
    const crimes = await inPeriod()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const considerations = await inPeriod()
      .innerJoin('spo_considerations as s', (join) =>
        join.onRef('s.crime_id', '=', 'i.crime_id').onRef('s.force_id', '=', 'i.force_id'),
      )
      .select(['s.id', 's.crime_id', 's.decision', 's.court_outcome'])
      .orderBy('s.id')
      .execute()
    const breaches = await inPeriod()
      .innerJoin('spo_breaches as b', (join) =>
        join.onRef('b.crime_id', '=', 'i.crime_id').onRef('b.force_id', '=', 'i.force_id'),
      )
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return { stalkingCrimes: Number(crimes.n), considerations, breaches: Number(breaches.n) }
  }
}
