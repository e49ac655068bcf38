// The safeguarding area's ObligationSource (src/platform/obligations.ts): an SPO considered, an order granted (or
// already in place), read from its own tables set-based; its considerations and breaches on a case's timeline.
import type { Kysely } from 'kysely'
import type { SafeguardingDatabase as Database } from './data/tables.ts'
import { chunked, firstPerCrime, recordsChangedSince } from '../platform/data/occurrenceRows.ts'
import type { EventOccurrence, ObligationSource } from '../platform/obligations.ts'

export const SAFEGUARDING_EVENTS = {
  spoConsidered: 'safeguarding.spo_considered',
  orderGranted: 'safeguarding.order_granted',
} as const

const DECISION_WORDS = {
  apply: 'apply for an SPO',
  not_apply: 'not apply',
  already_in_place: 'an order is already in place',
}

/** The only queries of the safeguarding tables the case work area's questions need. */
export class SafeguardingObligationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async considerations(forceId: number, crimeIds: readonly number[] | undefined, grantedOnly: boolean) {
    const run = (ids?: readonly number[]) => {
      let query = this.db
        .selectFrom('spo_considerations')
        .select(['crime_id', 'considered_at as at', 'considered_by as by', 'considered_by_id as by_id'])
        .where('force_id', '=', forceId)
      if (grantedOnly) {
        query = query.where((eb) =>
          eb.or([eb('court_outcome', '=', 'granted'), eb('decision', '=', 'already_in_place')]),
        )
      }
      if (ids) query = query.where('crime_id', 'in', ids)
      return query.execute()
    }
    return crimeIds ? (await Promise.all(chunked(crimeIds).map(run))).flat() : run()
  }

  async recordsOf(forceId: number, crimeId: number) {
    const [considerations, breaches] = await Promise.all([
      this.db
        .selectFrom('spo_considerations')
        .select(['decision', 'reason', 'court_outcome', 'considered_by', 'considered_at'])
        .where('force_id', '=', forceId)
        .where('crime_id', '=', crimeId)
        .execute(),
      this.db
        .selectFrom('spo_breaches')
        .select(['occurred_on', 'action_taken', 'recorded_by'])
        .where('force_id', '=', forceId)
        .where('crime_id', '=', crimeId)
        .execute(),
    ])
    return { considerations, breaches }
  }
}

export function safeguardingObligationSource(db: Kysely<Database>): ObligationSource {
  const repository = new SafeguardingObligationRepository(db)
  return {
    area: 'safeguarding',
    events: [
      { id: SAFEGUARDING_EVENTS.spoConsidered, label: 'Stalking Protection Order considered' },
      { id: SAFEGUARDING_EVENTS.orderGranted, label: 'Stalking Protection Order granted or in place' },
    ],
    async occurrences({ forceId, events, crimeIds }) {
      const out: EventOccurrence[] = []
      if (events.includes(SAFEGUARDING_EVENTS.spoConsidered)) {
        const rows = await repository.considerations(forceId, crimeIds, false)
        out.push(...firstPerCrime(SAFEGUARDING_EVENTS.spoConsidered, rows))
      }
      if (events.includes(SAFEGUARDING_EVENTS.orderGranted)) {
        const rows = await repository.considerations(forceId, crimeIds, true)
        out.push(...firstPerCrime(SAFEGUARDING_EVENTS.orderGranted, rows))
      }
      return out
    },
    changedSince: (forceId, cursor) => recordsChangedSince(db, forceId, ['spo_considerations', 'spo_breaches'], cursor),
    async timeline(forceId, crimeId) {
      const { considerations, breaches } = await repository.recordsOf(forceId, crimeId)
      const href = `/safeguarding/crimes/${crimeId}/spo`
      return [
        ...considerations.map((row) => ({
          at: row.considered_at,
          area: 'safeguarding',
          title: `SPO considered: ${DECISION_WORDS[row.decision]}${row.court_outcome ? ` (court: ${row.court_outcome})` : ''}`,
          detail: row.reason || undefined,
          by: row.considered_by,
          href,
        })),
        ...breaches.map((row) => ({
          at: `${row.occurred_on}T00:00:00.000Z`,
          area: 'safeguarding',
          title: 'SPO breached',
          detail: row.action_taken,
          by: row.recorded_by,
          href,
        })),
      ]
    },
  }
}
