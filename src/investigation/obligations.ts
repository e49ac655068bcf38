// The investigation area's ObligationSource (src/platform/obligations.ts): allocated (the risk at allocation the
// value), allocated to a trained officer, supervisory review, read from its own tables set-based; allocations and
// reviews on a case's timeline.
import type { Kysely } from 'kysely'
import type { InvestigationDatabase as Database } from './data/tables.ts'
import { firstPerCrime, recordsChangedSince, forCrimes } from '../platform/data/occurrenceRows.ts'
import type { EventOccurrence, ObligationSource } from '../platform/obligations.ts'

export const INVESTIGATION_EVENTS = {
  allocated: 'investigation.allocated',
  allocatedTrained: 'investigation.allocated_trained',
  reviewed: 'investigation.reviewed',
} as const

/** The only queries of the investigation tables the case work area's questions need. */
export class InvestigationObligationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private async inChunks<T>(crimeIds: readonly number[] | undefined, run: (ids?: readonly number[]) => Promise<T[]>) {
    return forCrimes(crimeIds, run)
  }

  async allocations(forceId: number, crimeIds: readonly number[] | undefined, trainedOnly: boolean) {
    return this.inChunks(crimeIds, (ids) => {
      let query = this.db
        .selectFrom('investigation_allocations')
        .select([
          'crime_id',
          'allocated_on as at',
          'allocated_by as by',
          'allocated_by_id as by_id',
          'risk_level as value',
        ])
        .where('force_id', '=', forceId)
      if (trainedOnly) query = query.where('officer_trained', '=', 1)
      if (ids) query = query.where('crime_id', 'in', ids)
      return query.execute()
    })
  }

  async reviews(forceId: number, crimeIds: readonly number[] | undefined) {
    return this.inChunks(crimeIds, (ids) => {
      let query = this.db
        .selectFrom('investigation_reviews')
        .select(['crime_id', 'reviewed_on as at', 'reviewed_by as by', 'reviewed_by_id as by_id'])
        .where('force_id', '=', forceId)
      if (ids) query = query.where('crime_id', 'in', ids)
      return query.execute()
    })
  }

  async recordsOf(forceId: number, crimeId: number) {
    const [allocations, reviews] = await Promise.all([
      this.db
        .selectFrom('investigation_allocations')
        .select(['allocated_on', 'team', 'officer', 'officer_trained', 'risk_level', 'allocated_by'])
        .where('force_id', '=', forceId)
        .where('crime_id', '=', crimeId)
        .execute(),
      this.db
        .selectFrom('investigation_reviews')
        .select(['reviewed_on', 'notes', 'reviewed_by'])
        .where('force_id', '=', forceId)
        .where('crime_id', '=', crimeId)
        .execute(),
    ])
    return { allocations, reviews }
  }
}

export function investigationObligationSource(db: Kysely<Database>): ObligationSource {
  const repository = new InvestigationObligationRepository(db)
  return {
    area: 'investigation',
    events: [
      { id: INVESTIGATION_EVENTS.allocated, label: 'Allocated to an investigator' },
      { id: INVESTIGATION_EVENTS.allocatedTrained, label: 'Allocated to a trained stalking investigator' },
      { id: INVESTIGATION_EVENTS.reviewed, label: 'Supervisory review recorded' },
    ],
    async occurrences({ forceId, events, crimeIds }) {
      const out: EventOccurrence[] = []
      if (events.includes(INVESTIGATION_EVENTS.allocated)) {
        const rows = await repository.allocations(forceId, crimeIds, false)
        out.push(...firstPerCrime(INVESTIGATION_EVENTS.allocated, rows))
      }
      if (events.includes(INVESTIGATION_EVENTS.allocatedTrained)) {
        const rows = await repository.allocations(forceId, crimeIds, true)
        out.push(...firstPerCrime(INVESTIGATION_EVENTS.allocatedTrained, rows))
      }
      if (events.includes(INVESTIGATION_EVENTS.reviewed)) {
        out.push(...firstPerCrime(INVESTIGATION_EVENTS.reviewed, await repository.reviews(forceId, crimeIds)))
      }
      return out
    },
    changedSince: (forceId, cursor) =>
      recordsChangedSince(db, forceId, ['investigation_allocations', 'investigation_reviews'], cursor),
    async timeline(forceId, crimeId) {
      const { allocations, reviews } = await repository.recordsOf(forceId, crimeId)
      const href = `/investigation/crimes/${crimeId}`
      return [
        ...allocations.map((row) => ({
          at: `${row.allocated_on}T00:00:00.000Z`,
          area: 'investigation',
          title: `Allocated to ${row.officer} (${row.team})${row.officer_trained ? ', a trained stalking investigator' : ''}`,
          detail: `Risk at allocation: ${row.risk_level}`,
          by: row.allocated_by,
          href,
        })),
        ...reviews.map((row) => ({
          at: `${row.reviewed_on}T00:00:00.000Z`,
          area: 'investigation',
          title: 'Supervisory review',
          detail: row.notes || undefined,
          by: row.reviewed_by,
          href,
        })),
      ]
    },
  }
}
