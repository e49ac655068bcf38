// The only code that touches the investigation area's tables. For the force's measure it also reads the crime area's
// classification index (force, search key, reported range: its primary key), never a person's details; for the skills
// register it reads the force's users' names.
import type { Insertable, Kysely, Transaction } from 'kysely'
import type { InvestigationDatabase as Database } from './tables.ts'
import { crimesWithKey, type MeasurePeriod } from '../../crime/index.ts'
import type {
  AllocationRow,
  InvestigationAllocationsTable,
  InvestigationReviewsTable,
  InvestigationSkillsTable,
  ReviewRow,
} from './tables.ts'

type Executor = Kysely<Database> | Transaction<Database>

export type { MeasurePeriod } from '../../crime/index.ts'

export class InvestigationRepository {
  constructor(private readonly db: Executor) {}

  async transaction<T>(
    run: (repository: InvestigationRepository, trx: Transaction<Database>) => Promise<T>,
  ): Promise<T> {
    return (this.db as Kysely<Database>).transaction().execute((trx) => run(new InvestigationRepository(trx), trx))
  }

  // ---- Skills register ----------------------------------------------------------------------------------------

  async insertSkill(row: Insertable<InvestigationSkillsTable>): Promise<number> {
    const inserted = await this.db
      .insertInto('investigation_skills')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow()
    return inserted.id
  }

  /** The force's register entries (removed ones only when asked), with the linked user's name, officer order. */
  async skillsOf(forceId: number, options: { includeRemoved?: boolean } = {}) {
    let query = this.db
      .selectFrom('investigation_skills as s')
      .leftJoin('users as u', (join) => join.onRef('u.id', '=', 's.user_id').onRef('u.force_id', '=', 's.force_id'))
      .selectAll('s')
      .select(['u.username', 'u.display_name'])
      .where('s.force_id', '=', forceId)
    if (!options.includeRemoved) query = query.where('s.removed_at', 'is', null)
    return query.orderBy('s.officer_key').orderBy('s.id').execute()
  }

  async skillById(forceId: number, id: number) {
    return this.db
      .selectFrom('investigation_skills')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('id', '=', id)
      .executeTakeFirst()
  }

  async removeSkill(id: number, removedBy: string, removedAt: string): Promise<boolean> {
    const result = await this.db
      .updateTable('investigation_skills')
      .set({ removed_by: removedBy, removed_at: removedAt })
      .where('id', '=', id)
      .where('removed_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  /** The force's users, for linking a register entry to a user. */
  async usersOf(forceId: number) {
    return this.db
      .selectFrom('users')
      .select(['id', 'username', 'display_name'])
      .where('force_id', '=', forceId)
      .where('active', '=', 1)
      .orderBy('display_name')
      .execute()
  }

  // ---- Allocations and reviews --------------------------------------------------------------------------------

  async insertAllocation(row: Insertable<InvestigationAllocationsTable>): Promise<number> {
    const inserted = await this.db
      .insertInto('investigation_allocations')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow()
    return inserted.id
  }

  async insertReview(row: Insertable<InvestigationReviewsTable>): Promise<number> {
    const inserted = await this.db
      .insertInto('investigation_reviews')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow()
    return inserted.id
  }

  /** A crime's allocations, newest first. */
  async allocationsOf(forceId: number, crimeId: number): Promise<AllocationRow[]> {
    return this.db
      .selectFrom('investigation_allocations')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('crime_id', '=', crimeId)
      .orderBy('id', 'desc')
      .execute()
  }

  /** A crime's reviews, newest first (by review date, then as recorded). */
  async reviewsOf(forceId: number, crimeId: number): Promise<ReviewRow[]> {
    return this.db
      .selectFrom('investigation_reviews')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('crime_id', '=', crimeId)
      .orderBy('reviewed_on', 'desc')
      .orderBy('id', 'desc')
      .execute()
  }

  /**
   * One page of the force's crimes carrying the search key (principal or included), newest report first, each with its
   * latest allocation (the highest id), its number of reviews and its latest review date. `status` keeps the crimes
   * not allocated, allocated to an officer not trained, allocated at high risk, or with no review.
   */
  async listWithLatest(
    forceId: number,
    searchKey: string,
    filters: { status?: 'unallocated' | 'untrained' | 'high' | 'unreviewed'; limit: number; offset: number },
  ) {
    const base = () => {
      let query = this.db
        .selectFrom('crime_classification_index as i')
        .innerJoin('crimes as c', 'c.id', 'i.crime_id')
        .leftJoin('investigation_allocations as a', (join) =>
          join
            .onRef('a.crime_id', '=', 'i.crime_id')
            .onRef('a.force_id', '=', 'i.force_id')
            .on((eb) =>
              eb(
                'a.id',
                '=',
                eb
                  .selectFrom('investigation_allocations as a2')
                  .select((inner) => inner.fn.max('a2.id').as('id'))
                  .whereRef('a2.force_id', '=', 'i.force_id')
                  .whereRef('a2.crime_id', '=', 'i.crime_id'),
              ),
            ),
        )
        .where('i.force_id', '=', forceId)
        .where('i.search_key', '=', searchKey)
      if (filters.status === 'unallocated') query = query.where('a.id', 'is', null)
      else if (filters.status === 'untrained') query = query.where('a.officer_trained', '=', 0)
      else if (filters.status === 'high') query = query.where('a.risk_level', '=', 'high')
      else if (filters.status === 'unreviewed')
        query = query.where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('investigation_reviews as r')
                .select('r.id')
                .whereRef('r.force_id', '=', 'i.force_id')
                .whereRef('r.crime_id', '=', 'i.crime_id'),
            ),
          ),
        )
      return query
    }
    const total = await base()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const rows = await base()
      .select((eb) => [
        'i.crime_id',
        'i.reported_at',
        'c.force_reference',
        'a.officer',
        'a.team',
        'a.risk_level',
        'a.officer_trained',
        'a.allocated_on',
        eb
          .selectFrom('investigation_reviews as r')
          .select((inner) => inner.fn.countAll<number>().as('n'))
          .whereRef('r.force_id', '=', 'i.force_id')
          .whereRef('r.crime_id', '=', 'i.crime_id')
          .as('reviews'),
        eb
          .selectFrom('investigation_reviews as r')
          .select((inner) => inner.fn.max('r.reviewed_on').as('d'))
          .whereRef('r.force_id', '=', 'i.force_id')
          .whereRef('r.crime_id', '=', 'i.crime_id')
          .as('last_reviewed_on'),
      ])
      .orderBy('i.reported_at', 'desc')
      .orderBy('i.crime_id', 'desc')
      .limit(filters.limit)
      .offset(filters.offset)
      .execute()
    return { total: Number(total.n), rows }
  }

  /** Whether the force has any allocation recorded (demo data is loaded once). */
  async hasAllocations(forceId: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('investigation_allocations')
      .select('id')
      .where('force_id', '=', forceId)
      .limit(1)
      .executeTakeFirst()
    return row !== undefined
  }

  /** The force's crimes carrying the search key, oldest first, with team and officer in case: for demo data. */
  async crimesWithKey(forceId: number, searchKey: string) {
    return crimesWithKey(this.db, forceId, searchKey)
      .innerJoin('crimes as c', 'c.id', 'i.crime_id')
      .select(['i.crime_id', 'i.reported_at', 'c.team', 'c.officer_in_case'])
      .orderBy('i.reported_at')
      .orderBy('i.crime_id')
      .execute()
  }

  /**
   * Crimes reported in the period carrying the search key (one index row per crime and key, so no DISTINCT); the
   * allocations on them, oldest first; and their reviews, oldest first, each with the crime's reported_at.
   */
  async measureRows(forceId: number, searchKey: string, period: MeasurePeriod) {
    const inPeriod = () => crimesWithKey(this.db, forceId, searchKey, period)
    const crimes = await inPeriod()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const allocations = await inPeriod()
      .innerJoin('investigation_allocations as a', (join) =>
        join.onRef('a.crime_id', '=', 'i.crime_id').onRef('a.force_id', '=', 'i.force_id'),
      )
      .select(['a.id', 'a.crime_id', 'a.risk_level', 'a.officer_trained', 'a.officer_key', 'a.allocated_on'])
      .orderBy('a.id')
      .execute()
    const reviews = await inPeriod()
      .innerJoin('investigation_reviews as r', (join) =>
        join.onRef('r.crime_id', '=', 'i.crime_id').onRef('r.force_id', '=', 'i.force_id'),
      )
      .select([
        'r.id',
        'r.crime_id',
        'i.reported_at',
        'r.reviewed_on',
        'r.digital_pursued',
        'r.arrested',
        'r.searched',
        'r.victim_impact',
      ])
      .orderBy('r.reviewed_on')
      .orderBy('r.id')
      .execute()
    return { stalkingCrimes: Number(crimes.n), allocations, reviews }
  }
}
