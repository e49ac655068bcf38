// The victims area's ObligationSource (src/platform/obligations.ts): every victim of the crime told of their rights,
// every victim's needs assessed, every victim referred or recorded as declining support. Met when the last victim's
// first record is made (a crime with no victim recorded is never met: record one, or mark it not applicable). Read
// from its own tables and the victim parties (joined by crime id), set-based.
import type { Kysely } from 'kysely'
import type { VictimDatabase as Database } from './data/tables.ts'
import { chunked, recordsChangedSince } from '../platform/data/occurrenceRows.ts'
import type { EventOccurrence, ObligationSource } from '../platform/obligations.ts'

export const VICTIM_EVENTS = {
  rightsTold: 'victims.rights_told',
  needsAssessed: 'victims.needs_assessed',
  referralOffered: 'victims.referral_offered',
} as const

interface VictimRecord {
  crime_id: number
  person_id: number
  at: string
  by: string
  by_id: number | null
}

/** The only queries of the victims tables the case work area's questions need. */
export class VictimObligationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The force's crimes with any of the records (when no crimes are named). */
  async crimesWithRecords(forceId: number, table: 'victim_rights' | 'victim_needs_assessments' | 'victim_referrals') {
    const rows = await this.db.selectFrom(table).select('crime_id').distinct().where('force_id', '=', forceId).execute()
    return rows.map((row) => row.crime_id)
  }

  async victims(crimeIds: readonly number[]) {
    return this.db
      .selectFrom('crime_parties')
      .select(['crime_id', 'person_id'])
      .where('role', '=', 'victim')
      .where('crime_id', 'in', crimeIds)
      .execute()
  }

  async rights(forceId: number, crimeIds: readonly number[]): Promise<VictimRecord[]> {
    return this.db
      .selectFrom('victim_rights')
      .select(['crime_id', 'person_id', 'told_on as at', 'recorded_by as by', 'recorded_by_id as by_id'])
      .where('force_id', '=', forceId)
      .where('crime_id', 'in', crimeIds)
      .execute()
  }

  async assessments(forceId: number, crimeIds: readonly number[], declinedOnly = false): Promise<VictimRecord[]> {
    let query = this.db
      .selectFrom('victim_needs_assessments')
      .select(['crime_id', 'person_id', 'assessed_on as at', 'assessed_by as by', 'assessed_by_id as by_id'])
      .where('force_id', '=', forceId)
      .where('crime_id', 'in', crimeIds)
    if (declinedOnly) query = query.where('support_wanted', '=', 'declined')
    return query.execute()
  }

  async referrals(forceId: number, crimeIds: readonly number[]): Promise<VictimRecord[]> {
    return this.db
      .selectFrom('victim_referrals')
      .select(['crime_id', 'person_id', 'referred_on as at', 'referred_by as by', 'referred_by_id as by_id'])
      .where('force_id', '=', forceId)
      .where('crime_id', 'in', crimeIds)
      .execute()
  }

  async recordsOf(forceId: number, crimeId: number) {
    const [rights, assessments, referrals] = await Promise.all([
      this.db
        .selectFrom('victim_rights')
        .select(['told_on', 'method', 'recorded_by'])
        .where('force_id', '=', forceId)
        .where('crime_id', '=', crimeId)
        .execute(),
      this.db
        .selectFrom('victim_needs_assessments')
        .select(['assessed_on', 'support_wanted', 'assessed_by'])
        .where('force_id', '=', forceId)
        .where('crime_id', '=', crimeId)
        .execute(),
      this.db
        .selectFrom('victim_referrals as r')
        .innerJoin('support_services as s', 's.id', 'r.service_id')
        .select(['r.referred_on', 'r.outcome', 'r.referred_by', 's.name'])
        .where('r.force_id', '=', forceId)
        .where('r.crime_id', '=', crimeId)
        .execute(),
    ])
    return { rights, assessments, referrals }
  }
}

/** Met when every victim has a record: at the latest of each victim's first. */
function everyVictim(event: string, victims: { crime_id: number; person_id: number }[], records: VictimRecord[]) {
  const first = new Map<string, VictimRecord>()
  for (const record of records) {
    const key = `${record.crime_id}:${record.person_id}`
    const current = first.get(key)
    if (!current || record.at < current.at) first.set(key, record)
  }
  const byCrime = new Map<number, { met: boolean; last: VictimRecord | null }>()
  for (const victim of victims) {
    const state = byCrime.get(victim.crime_id) ?? { met: true, last: null }
    const record = first.get(`${victim.crime_id}:${victim.person_id}`)
    if (!record) state.met = false
    else if (!state.last || record.at > state.last.at) state.last = record
    byCrime.set(victim.crime_id, state)
  }
  const out: EventOccurrence[] = []
  for (const [crimeId, state] of byCrime) {
    if (!state.met || !state.last) continue
    out.push({
      crimeId,
      event,
      at: `${state.last.at.slice(0, 10)}T00:00:00.000Z`,
      by: state.last.by,
      byId: state.last.by_id,
    })
  }
  return out
}

export function victimObligationSource(db: Kysely<Database>): ObligationSource {
  const repository = new VictimObligationRepository(db)
  return {
    area: 'victims',
    events: [
      { id: VICTIM_EVENTS.rightsTold, label: "Every victim told of their Victims' Code rights" },
      { id: VICTIM_EVENTS.needsAssessed, label: "Every victim's needs assessed" },
      { id: VICTIM_EVENTS.referralOffered, label: 'Every victim referred to support, or declined it' },
    ],
    async occurrences({ forceId, events, crimeIds }) {
      const out: EventOccurrence[] = []
      const wanted = [
        { event: VICTIM_EVENTS.rightsTold, table: 'victim_rights' as const },
        { event: VICTIM_EVENTS.needsAssessed, table: 'victim_needs_assessments' as const },
        { event: VICTIM_EVENTS.referralOffered, table: 'victim_referrals' as const },
      ].filter((entry) => events.includes(entry.event))
      for (const { event, table } of wanted) {
        let ids = crimeIds
        if (!ids) {
          ids = await repository.crimesWithRecords(forceId, table)
          if (event === VICTIM_EVENTS.referralOffered) {
            ids = [...new Set([...ids, ...(await repository.crimesWithRecords(forceId, 'victim_needs_assessments'))])]
          }
        }
        for (const chunk of chunked(ids)) {
          const victims = await repository.victims(chunk)
          const records =
            event === VICTIM_EVENTS.rightsTold
              ? await repository.rights(forceId, chunk)
              : event === VICTIM_EVENTS.needsAssessed
                ? await repository.assessments(forceId, chunk)
                : [
                    ...(await repository.referrals(forceId, chunk)),
                    ...(await repository.assessments(forceId, chunk, true)),
                  ]
          out.push(...everyVictim(event, victims, records))
        }
      }
      return out
    },
    changedSince: (forceId, cursor) =>
      recordsChangedSince(db, forceId, ['victim_rights', 'victim_needs_assessments', 'victim_referrals'], cursor),
    async timeline(forceId, crimeId) {
      const { rights, assessments, referrals } = await repository.recordsOf(forceId, crimeId)
      const href = `/victims/crimes/${crimeId}`
      const day = (value: string) => `${value}T00:00:00.000Z`
      return [
        ...rights.map((row) => ({
          at: day(row.told_on),
          area: 'victims',
          title: "Victim told of their Victims' Code rights",
          detail: `By ${row.method.replace('_', ' ')}`,
          by: row.recorded_by,
          href,
        })),
        ...assessments.map((row) => ({
          at: day(row.assessed_on),
          area: 'victims',
          title: 'Victim needs assessed',
          detail: row.support_wanted === 'declined' ? 'Support declined' : 'Support wanted',
          by: row.assessed_by,
          href,
        })),
        ...referrals.map((row) => ({
          at: day(row.referred_on),
          area: 'victims',
          title: `Victim referred to ${row.name}`,
          detail: `Outcome: ${row.outcome.replace('_', ' ')}`,
          by: row.referred_by,
          href,
        })),
      ]
    },
  }
}
