// The screening area's answers to the obligation contract (src/platform/obligations.ts), from its own tables:
// screening decisions, S-DASH assessments and courses of conduct. Set-based: one query per chunk of crimes.
import type { Kysely } from 'kysely'
import type { ScreeningDatabase as Database } from './tables.ts'
import { type OccurrenceRow, forCrimes } from '../../platform/data/occurrenceRows.ts'

export class ScreeningObligationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private async inChunks<T>(crimeIds: readonly number[] | undefined, run: (ids?: readonly number[]) => Promise<T[]>) {
    return forCrimes(crimeIds, run)
  }

  /** Decisions that the crime is stalking. */
  async stalkingDecisions(forceId: number, crimeIds?: readonly number[]): Promise<OccurrenceRow[]> {
    return this.inChunks(crimeIds, (ids) => {
      let query = this.db
        .selectFrom('screening_decisions')
        .select(['crime_id', 'decided_at as at', 'decided_by as by', 'decided_by_id as by_id'])
        .where('force_id', '=', forceId)
        .where('outcome', '=', 'stalking_identified')
      if (ids) query = query.where('crime_id', 'in', ids)
      return query.execute()
    })
  }

  /** S-DASH assessments, each with its risk level as the value; only high-risk ones when asked. */
  async assessments(forceId: number, crimeIds?: readonly number[], highOnly = false): Promise<OccurrenceRow[]> {
    return this.inChunks(crimeIds, (ids) => {
      let query = this.db
        .selectFrom('screening_assessments')
        .select([
          'crime_id',
          'assessed_at as at',
          'assessed_by as by',
          'assessed_by_id as by_id',
          'risk_level as value',
        ])
        .where('force_id', '=', forceId)
      if (highOnly) query = query.where('risk_level', '=', 'high')
      if (ids) query = query.where('crime_id', 'in', ids)
      return query.execute()
    })
  }

  async decisionsOf(forceId: number, crimeId: number) {
    return this.db
      .selectFrom('screening_decisions')
      .select(['id', 'outcome', 'rationale', 'decided_by', 'decided_at'])
      .where('force_id', '=', forceId)
      .where('crime_id', '=', crimeId)
      .execute()
  }

  async assessmentsOf(forceId: number, crimeId: number) {
    return this.db
      .selectFrom('screening_assessments')
      .select(['id', 'risk_level', 'yes_count', 'assessed_by', 'assessed_at'])
      .where('force_id', '=', forceId)
      .where('crime_id', '=', crimeId)
      .execute()
  }

  /** The courses of conduct a crime is in, each with its crimes in time order. */
  async coursesOf(forceId: number, crimeId: number) {
    const courses = await this.db
      .selectFrom('screening_course_crimes as m')
      .innerJoin('screening_courses as c', 'c.id', 'm.course_id')
      .select(['c.id', 'c.incident_count', 'c.first_reported_at', 'c.last_reported_at'])
      .where('m.crime_id', '=', crimeId)
      .where('m.force_id', '=', forceId)
      .execute()
    if (courses.length === 0) return []
    const members = await this.db
      .selectFrom('screening_course_crimes as m')
      .innerJoin('crimes', 'crimes.id', 'm.crime_id')
      .select(['m.course_id', 'm.crime_id', 'crimes.force_reference', 'm.reported_at'])
      .where(
        'm.course_id',
        'in',
        courses.map((course) => course.id),
      )
      .orderBy('m.course_id')
      .orderBy('m.position')
      .execute()
    return courses.map((course) => ({ ...course, crimes: members.filter((member) => member.course_id === course.id) }))
  }
}
