// The crime area's ObligationSource (src/platform/obligations.ts): a crime recorded as stalking (8Q, principal or
// included) is what most of the case work catalogue's obligations start from.
import type { Kysely } from 'kysely'
import type { CrimeDatabase as Database } from './data/tables.ts'
import { firstPerCrime } from '../platform/data/occurrenceRows.ts'
import type { ObligationSource } from '../platform/obligations.ts'
import { CrimeObligationRepository } from './data/obligationRepository.ts'

export const STALKING_RECORDED = 'crime.stalking_recorded'

export function crimeObligationSource(db: Kysely<Database>): ObligationSource {
  const repository = new CrimeObligationRepository(db)
  return {
    area: 'crime',
    events: [{ id: STALKING_RECORDED, label: 'Recorded as stalking (8Q, principal or included)' }],
    async occurrences({ forceId, events, crimeIds }) {
      if (!events.includes(STALKING_RECORDED)) return []
      return firstPerCrime(STALKING_RECORDED, await repository.classifiedAs(forceId, '8Q', crimeIds))
    },
    async changedSince(forceId, cursor) {
      const { crimeIds, lastId } = await repository.classificationsChangedSince(
        forceId,
        cursor === null ? null : Number(cursor),
      )
      return { crimeIds, cursor: String(lastId) }
    },
  }
}
