// The only code that touches the risk area's tables.
import type { Insertable, Kysely, Transaction } from 'kysely'
import { forCrimes } from '../../platform/data/occurrenceRows.ts'
import type {
  RiskAssessmentRow,
  RiskAssessmentsTable,
  RiskDatabase as Database,
  RiskReviewRow,
  RiskReviewsTable,
} from './tables.ts'

type Executor = Kysely<Database> | Transaction<Database>

/** An assessment with its review's outcome and time, if reviewed (for obligations and measures). */
export interface AssessmentReviewRow {
  id: number
  crime_id: number
  tool_id: string
  risk_level: string
  assessed_at: string
  assessed_by: string
  assessed_by_id: number | null
  review_id: number | null
  review_level: string | null
  reviewed_at: string | null
  reviewed_by: string | null
  reviewed_by_id: number | null
}

export class RiskRepository {
  constructor(private readonly db: Executor) {}

  async transaction<T>(run: (repository: RiskRepository, trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return (this.db as Kysely<Database>).transaction().execute((trx) => run(new RiskRepository(trx), trx))
  }

  async insertAssessment(row: Insertable<RiskAssessmentsTable>): Promise<number> {
    const inserted = await this.db.insertInto('risk_assessments').values(row).returning('id').executeTakeFirstOrThrow()
    return inserted.id
  }

  async insertReview(row: Insertable<RiskReviewsTable>): Promise<number> {
    const inserted = await this.db.insertInto('risk_reviews').values(row).returning('id').executeTakeFirstOrThrow()
    return inserted.id
  }

  async assessmentById(id: number): Promise<RiskAssessmentRow | undefined> {
    return this.db.selectFrom('risk_assessments').selectAll().where('id', '=', id).executeTakeFirst()
  }

  async reviewOf(assessmentId: number): Promise<RiskReviewRow | undefined> {
    return this.db.selectFrom('risk_reviews').selectAll().where('assessment_id', '=', assessmentId).executeTakeFirst()
  }

  /** A crime's assessments, oldest first. */
  async assessmentsOf(forceId: number, crimeId: number): Promise<RiskAssessmentRow[]> {
    return this.db
      .selectFrom('risk_assessments')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('crime_id', '=', crimeId)
      .orderBy('id')
      .execute()
  }

  /** A crime's reviews, oldest first. */
  async reviewsOf(forceId: number, crimeId: number): Promise<RiskReviewRow[]> {
    return this.db
      .selectFrom('risk_reviews')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('crime_id', '=', crimeId)
      .orderBy('id')
      .execute()
  }

  /** The force's assessments (of some crimes, or all) each with its review if any: set-based, chunked. */
  async assessmentsWithReviews(forceId: number, crimeIds?: readonly number[]): Promise<AssessmentReviewRow[]> {
    return forCrimes(crimeIds, (ids) => {
      let query = this.withReviews(forceId)
      if (ids) query = query.where('a.crime_id', 'in', ids)
      return query.orderBy('a.id').execute()
    })
  }

  /** The force's assessments, each joined to its review if any, with the columns an AssessmentReviewRow has. */
  private withReviews(forceId: number) {
    return this.db
      .selectFrom('risk_assessments as a')
      .leftJoin('risk_reviews as r', 'r.assessment_id', 'a.id')
      .select([
        'a.id',
        'a.crime_id',
        'a.tool_id',
        'a.risk_level',
        'a.assessed_at',
        'a.assessed_by',
        'a.assessed_by_id',
        'r.id as review_id',
        'r.risk_level as review_level',
        'r.reviewed_at',
        'r.reviewed_by',
        'r.reviewed_by_id',
      ])
      .where('a.force_id', '=', forceId)
  }

  /** Assessments made in a period [from, to) of ISO times, each with its review if any (the measure). */
  async assessmentsMadeIn(forceId: number, from: string, to: string): Promise<AssessmentReviewRow[]> {
    return this.withReviews(forceId)
      .where('a.assessed_at', '>=', from)
      .where('a.assessed_at', '<', to)
      .orderBy('a.id')
      .execute()
  }
}
