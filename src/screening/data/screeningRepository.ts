// The only code that touches the screening area's tables. It also reads the crime area's tables (crimes, their
// classifications and parties) for screening and linkage; writing to them (an included 8Q added by a screening
// decision) goes through the crime area's repository.
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely'
import { dialectOf, type DialectName } from '../../platform/data/database.ts'
import { findForceByName } from '../../platform/data/forces.ts'
import type { ScreeningDatabase as Database } from './tables.ts'
import type { MeasurePeriod } from '../../crime/index.ts'
import type { LinkageRecord } from '../linkage/types.ts'
import type {
  AssessmentRow,
  CourseRow,
  DecisionRow,
  QueueRow,
  QueueStatus,
  ScreeningAssessmentsTable,
  ScreeningConfigTable,
  ScreeningDecisionsTable,
  ScreeningPendingChangesTable,
} from './tables.ts'

type Executor = Kysely<Database> | Transaction<Database>

function chunk<T>(rows: T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let start = 0; start < rows.length; start += size) chunks.push(rows.slice(start, start + size))
  return chunks
}

/** What screening reads of a crime. */
export interface ScreenableCrime {
  id: number
  force_id: number
  force_reference: string
  kind: 'crime' | 'intelligence'
  reported_at: string
  updated_at: string
  principal_code: string | null
  domestic_abuse: number
  stalking_flag: number
  narrative: string
  team: string | null
  included: string[]
}

export interface QueueEntry {
  crime_id: number
  reasons: string[]
  reason_kinds: string[]
  suggests_stalking: boolean
  reported_at: string
}

/** What a run compares a verdict with: the crime's queue entry as stored. */
export type QueueState = Pick<QueueRow, 'crime_id' | 'status' | 'reasons' | 'reported_at'>

export interface QueueFilters {
  status?: QueueStatus | 'all'
  team?: string
  classification?: string
  reason?: string
  reportedFrom?: string
  reportedBefore?: string
}

export interface QueueListRow {
  id: number
  crime_id: number
  reasons: string
  reason_kinds: string
  suggests_stalking: number
  entered_at: string
  status: QueueStatus
  reported_at: string
  force_reference: string
  principal_code: string | null
  team: string | null
  decided_at: string | null
  outcome: string | null
}

export interface StoredCourse {
  course_key: string
  pair_key: string
  suspect_key: string
  victim_key: string
  first_reported_at: string
  last_reported_at: string
  reasons: string[]
  classifications: string[]
  incidents: { crimeId: number; reportedAt: string }[]
  /** Suspect and victim party ids of the course with their person keys. */
  parties: { partyId: number; personKey: string }[]
}

/** What a full run's single pass reads of a record for screening, beside its linkage record. */
export type ScreeningRead = Omit<ScreenableCrime, 'force_id' | 'force_reference' | 'team'>

export interface LinkageBatch {
  records: LinkageRecord[]
  /** With `screening`: the same records as screening reads them, in id order. */
  screening: ScreeningRead[]
  /** Party id → the crime and person it belongs to. */
  parties: Map<number, { crimeId: number; personId: number }>
  lastId: number
}

export class ScreeningRepository {
  readonly dialect: DialectName

  constructor(private readonly db: Executor) {
    this.dialect = dialectOf(db)
  }

  async transaction<T>(run: (repository: ScreeningRepository, trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return (this.db as Kysely<Database>).transaction().execute((trx) => run(new ScreeningRepository(trx), trx))
  }

  // ---- Configuration and runs ---------------------------------------------------------------------------------

  async config(forceId: number) {
    return this.db.selectFrom('screening_config').selectAll().where('force_id', '=', forceId).executeTakeFirst()
  }

  async saveConfig(row: Insertable<ScreeningConfigTable>): Promise<void> {
    await this.db.deleteFrom('screening_config').where('force_id', '=', row.force_id).execute()
    await this.db.insertInto('screening_config').values(row).execute()
  }

  async lastRun(forceId: number) {
    return this.db.selectFrom('screening_runs').selectAll().where('force_id', '=', forceId).executeTakeFirst()
  }

  async saveRun(forceId: number, crimesUpdatedUntil: string, summary: unknown): Promise<void> {
    const now = new Date().toISOString()
    await this.db.deleteFrom('screening_runs').where('force_id', '=', forceId).execute()
    await this.db
      .insertInto('screening_runs')
      .values({
        force_id: forceId,
        crimes_updated_until: crimesUpdatedUntil,
        last_run_at: now,
        last_run: JSON.stringify(summary),
      })
      .execute()
  }

  async forcesWithCrimes(): Promise<{ id: number; name: string }[]> {
    return this.db
      .selectFrom('forces')
      .select(['forces.id', 'forces.name'])
      .where((eb) =>
        eb.exists(eb.selectFrom('crimes').select('crimes.id').whereRef('crimes.force_id', '=', 'forces.id')),
      )
      .orderBy('forces.name')
      .execute()
  }

  async forceByName(name: string): Promise<{ id: number; name: string } | undefined> {
    return findForceByName(this.db, name)
  }

  // ---- Reading crimes for screening ---------------------------------------------------------------------------

  /** The latest updated_at among the force's crimes (the next incremental run starts after it). */
  async latestCrimeUpdate(forceId: number): Promise<string | null> {
    const row = await this.db
      .selectFrom('crimes')
      .select((eb) => eb.fn.max('updated_at').as('latest'))
      .where('force_id', '=', forceId)
      .executeTakeFirst()
    return (row?.latest as string | null | undefined) ?? null
  }

  /** Ids of the force's crimes updated after the instant (all when null), in id order. */
  async crimeIdsUpdatedAfter(forceId: number, after: string | null): Promise<number[]> {
    let query = this.db.selectFrom('crimes').select('id').where('force_id', '=', forceId)
    if (after) query = query.where('updated_at', '>', after)
    const rows = await query.orderBy('id').execute()
    return rows.map((row) => row.id)
  }

  async screenableCrimes(ids: number[]): Promise<ScreenableCrime[]> {
    const out: ScreenableCrime[] = []
    for (const part of chunk(ids, 2000)) {
      if (part.length === 0) continue
      const rows = await this.db
        .selectFrom('crimes')
        .select([
          'id',
          'force_id',
          'force_reference',
          'kind',
          'reported_at',
          'updated_at',
          'principal_code',
          'domestic_abuse',
          'stalking_flag',
          'narrative',
          'team',
        ])
        .where('id', 'in', part)
        .orderBy('id')
        .execute()
      const included = await this.includedCodes(part)
      for (const row of rows) out.push({ ...row, included: included.get(row.id) ?? [] })
    }
    return out
  }

  private async includedCodes(ids: number[]): Promise<Map<number, string[]>> {
    const map = new Map<number, string[]>()
    if (ids.length === 0) return map
    const rows = await this.db
      .selectFrom('crime_classifications')
      .select(['crime_id', 'code'])
      .where('crime_id', 'in', ids)
      .where('role', '=', 'included')
      .orderBy('id')
      .execute()
    for (const row of rows) {
      const list = map.get(row.crime_id)
      if (list) list.push(row.code)
      else map.set(row.crime_id, [row.code])
    }
    return map
  }

  /**
   * One batch of the force's records (crimes and intelligence reports) with id above afterId, as linkage records:
   * each party is a crime_parties row (its id is the party id), with the person's name, date of birth and identifiers.
   */
  async linkageBatch(
    forceId: number,
    afterId: number,
    limit: number,
    options: { screening?: boolean } = {},
  ): Promise<LinkageBatch> {
    // The batch is a range of ids: the force is checked on each row (`+force_id` keeps the planner off the force's
    // indexes, which at a million crimes it took, reading every crime of the force and sorting them for each batch).
    const base = this.db
      .selectFrom('crimes')
      .where(sql<number>`+${sql.ref('force_id')}`, '=', forceId)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
    const crimes: Omit<ScreeningRead, 'included'>[] = options.screening
      ? await base
          .select([
            'id',
            'kind',
            'reported_at',
            'updated_at',
            'principal_code',
            'domestic_abuse',
            'stalking_flag',
            'narrative',
          ])
          .execute()
      : (await base.select(['id', 'kind', 'reported_at', 'principal_code', 'domestic_abuse']).execute()).map((row) => ({
          ...row,
          updated_at: '',
          stalking_flag: 0,
          narrative: '',
        }))
    const parties = new Map<number, { crimeId: number; personId: number }>()
    if (crimes.length === 0) return { records: [], screening: [], parties, lastId: afterId }
    const first = crimes[0].id
    const last = crimes[crimes.length - 1].id
    const included = await this.db
      .selectFrom('crime_classifications')
      .innerJoin('crimes', 'crimes.id', 'crime_classifications.crime_id')
      .select(['crime_classifications.crime_id', 'crime_classifications.code'])
      .where(sql<number>`+${sql.ref('crimes.force_id')}`, '=', forceId)
      .where('crime_classifications.crime_id', '>=', first)
      .where('crime_classifications.crime_id', '<=', last)
      .where('crime_classifications.role', '=', 'included')
      .orderBy('crime_classifications.crime_id')
      .orderBy('crime_classifications.id')
      .execute()
    const partyRows = await this.db
      .selectFrom('crime_parties')
      .innerJoin('people', 'people.id', 'crime_parties.person_id')
      .select([
        'crime_parties.id',
        'crime_parties.crime_id',
        'crime_parties.person_id',
        'crime_parties.role',
        'people.forename',
        'people.surname',
        'people.date_of_birth',
      ])
      .where(sql<number>`+${sql.ref('people.force_id')}`, '=', forceId)
      .where('crime_parties.crime_id', '>=', first)
      .where('crime_parties.crime_id', '<=', last)
      .where('crime_parties.role', 'in', ['suspect', 'victim'])
      .orderBy('crime_parties.id')
      .execute()
    const personIds = [...new Set(partyRows.map((row) => row.person_id))]
    const identifiers = new Map<number, { kind: string; value: string }[]>()
    for (const part of chunk(personIds, 5000)) {
      const rows = await this.db
        .selectFrom('person_identifiers')
        .select(['person_id', 'kind', 'value'])
        .where('person_id', 'in', part)
        .execute()
      for (const row of rows) {
        const list = identifiers.get(row.person_id)
        if (list) list.push({ kind: row.kind, value: row.value })
        else identifiers.set(row.person_id, [{ kind: row.kind, value: row.value }])
      }
    }
    const includedOf = new Map<number, string[]>()
    for (const row of included) {
      const list = includedOf.get(row.crime_id)
      if (list) list.push(row.code)
      else includedOf.set(row.crime_id, [row.code])
    }
    const partiesOf = new Map<number, LinkageRecord['parties']>()
    for (const row of partyRows) {
      parties.set(row.id, { crimeId: row.crime_id, personId: row.person_id })
      const party = {
        partyId: row.id,
        role: row.role,
        forename: row.forename,
        surname: row.surname,
        dateOfBirth: row.date_of_birth,
        identifiers: identifiers.get(row.person_id) ?? [],
      }
      const list = partiesOf.get(row.crime_id)
      if (list) list.push(party)
      else partiesOf.set(row.crime_id, [party])
    }
    const records: LinkageRecord[] = crimes.map((crime) => ({
      id: crime.id,
      kind: crime.kind,
      reportedAt: crime.reported_at,
      principal: crime.principal_code,
      included: includedOf.get(crime.id) ?? [],
      domesticAbuse: crime.domestic_abuse === 1,
      parties: partiesOf.get(crime.id) ?? [],
    }))
    const screening = options.screening
      ? crimes.map((crime) => ({ ...crime, included: includedOf.get(crime.id) ?? [] }))
      : []
    return { records, screening, parties, lastId: last }
  }

  // ---- Courses of conduct -------------------------------------------------------------------------------------

  async deleteCourses(forceId: number, courseKeys?: string[]): Promise<void> {
    if (courseKeys === undefined) {
      await this.db.deleteFrom('screening_person_keys').where('force_id', '=', forceId).execute()
      await this.db.deleteFrom('screening_course_crimes').where('force_id', '=', forceId).execute()
      await this.db.deleteFrom('screening_courses').where('force_id', '=', forceId).execute()
      return
    }
    for (const part of chunk(courseKeys, 2000)) {
      if (part.length === 0) continue
      const ids = this.db
        .selectFrom('screening_courses')
        .select('id')
        .where('force_id', '=', forceId)
        .where('course_key', 'in', part)
      await this.db.deleteFrom('screening_course_crimes').where('course_id', 'in', ids).execute()
      await this.db
        .deleteFrom('screening_courses')
        .where('force_id', '=', forceId)
        .where('course_key', 'in', part)
        .execute()
    }
  }

  /**
   * Writes courses (replacing any with the same key) and the person keys of their parties. `replacing: false` when
   * the force's courses and person keys have just been deleted (a full run), so there is nothing to replace.
   */
  async saveCourses(
    forceId: number,
    courses: StoredCourse[],
    partyInfo: Map<number, { crimeId: number; personId: number }>,
    options: { replacing?: boolean } = {},
  ): Promise<void> {
    const now = new Date().toISOString()
    const replacing = options.replacing ?? true
    // A party in two courses (a record with two victims) has one person key: written once.
    const written = new Set<number>()
    if (replacing) {
      await this.deleteCourses(
        forceId,
        courses.map((course) => course.course_key),
      )
    }
    for (const part of chunk(courses, 500)) {
      if (part.length === 0) continue
      const inserted = await this.db
        .insertInto('screening_courses')
        .values(
          part.map((course) => ({
            force_id: forceId,
            course_key: course.course_key,
            pair_key: course.pair_key,
            suspect_key: course.suspect_key,
            victim_key: course.victim_key,
            first_reported_at: course.first_reported_at,
            last_reported_at: course.last_reported_at,
            incident_count: course.incidents.length,
            reasons: JSON.stringify(course.reasons),
            classifications: JSON.stringify(course.classifications),
            detected_at: now,
          })),
        )
        .returning(['id', 'course_key'])
        .execute()
      const idOf = new Map(inserted.map((row) => [row.course_key, row.id]))
      const links = part.flatMap((course) =>
        course.incidents.map((incident, position) => ({
          course_id: idOf.get(course.course_key) as number,
          crime_id: incident.crimeId,
          force_id: forceId,
          position,
          reported_at: incident.reportedAt,
        })),
      )
      for (const rows of chunk(links, 1000)) await this.db.insertInto('screening_course_crimes').values(rows).execute()
      const keys = new Map<number, string>()
      for (const course of part) for (const party of course.parties) keys.set(party.partyId, party.personKey)
      const partyIds = replacing ? [...keys.keys()] : [...keys.keys()].filter((id) => !written.has(id))
      for (const id of partyIds) written.add(id)
      for (const ids of chunk(partyIds, 1000)) {
        if (replacing) await this.db.deleteFrom('screening_person_keys').where('party_id', 'in', ids).execute()
        const rows = ids.flatMap((partyId) => {
          const info = partyInfo.get(partyId)
          return info
            ? [
                {
                  force_id: forceId,
                  party_id: partyId,
                  crime_id: info.crimeId,
                  person_id: info.personId,
                  person_key: keys.get(partyId) as string,
                },
              ]
            : []
        })
        if (rows.length) await this.db.insertInto('screening_person_keys').values(rows).execute()
      }
    }
  }

  /** Every stored course of the force: key → its crime ids in time order. */
  async courseMembership(forceId: number): Promise<Map<string, number[]>> {
    const rows = await this.db
      .selectFrom('screening_course_crimes as m')
      .innerJoin('screening_courses as c', 'c.id', 'm.course_id')
      .select(['c.course_key', 'm.crime_id'])
      .where('c.force_id', '=', forceId)
      .orderBy('m.course_id')
      .orderBy('m.position')
      .execute()
    const map = new Map<string, number[]>()
    for (const row of rows) {
      const list = map.get(row.course_key)
      if (list) list.push(row.crime_id)
      else map.set(row.course_key, [row.crime_id])
    }
    return map
  }

  async crimeIdsOfCourses(forceId: number, courseKeys: string[]): Promise<number[]> {
    const ids = new Set<number>()
    for (const part of chunk(courseKeys, 2000)) {
      if (part.length === 0) continue
      const rows = await this.db
        .selectFrom('screening_course_crimes as m')
        .innerJoin('screening_courses as c', 'c.id', 'm.course_id')
        .select('m.crime_id')
        .where('c.force_id', '=', forceId)
        .where('c.course_key', 'in', part)
        .execute()
      for (const row of rows) ids.add(row.crime_id)
    }
    return [...ids]
  }

  /** Courses each crime is in, with their incidents in time order. */
  async coursesOfCrimes(crimeIds: number[]): Promise<Map<number, (CourseRow & { crimeIds: number[] })[]>> {
    const out = new Map<number, (CourseRow & { crimeIds: number[] })[]>()
    for (const part of chunk(crimeIds, 2000)) {
      if (part.length === 0) continue
      const memberships = await this.db
        .selectFrom('screening_course_crimes')
        .select(['course_id', 'crime_id'])
        .where('crime_id', 'in', part)
        .execute()
      const courseIds = [...new Set(memberships.map((row) => row.course_id))]
      const courses = new Map<number, CourseRow & { crimeIds: number[] }>()
      for (const ids of chunk(courseIds, 2000)) {
        const rows = await this.db.selectFrom('screening_courses').selectAll().where('id', 'in', ids).execute()
        for (const row of rows) courses.set(row.id, { ...row, crimeIds: [] })
        const members = await this.db
          .selectFrom('screening_course_crimes')
          .select(['course_id', 'crime_id'])
          .where('course_id', 'in', ids)
          .orderBy('course_id')
          .orderBy('position')
          .execute()
        for (const member of members) courses.get(member.course_id)?.crimeIds.push(member.crime_id)
      }
      for (const { course_id, crime_id } of memberships) {
        const course = courses.get(course_id)
        if (!course) continue
        const list = out.get(crime_id)
        if (list) list.push(course)
        else out.set(crime_id, [course])
      }
    }
    return out
  }

  async courseCount(forceId: number): Promise<number> {
    const row = await this.db
      .selectFrom('screening_courses')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('force_id', '=', forceId)
      .executeTakeFirst()
    return Number(row?.n ?? 0)
  }

  /** Crimes (and intelligence reports) by id, for timelines. */
  async timelineRecords(ids: number[]) {
    const out: {
      id: number
      force_reference: string
      kind: 'crime' | 'intelligence'
      reported_at: string
      principal_code: string | null
      narrative: string
      included: string[]
    }[] = []
    for (const part of chunk(ids, 2000)) {
      if (part.length === 0) continue
      const rows = await this.db
        .selectFrom('crimes')
        .select(['id', 'force_reference', 'kind', 'reported_at', 'principal_code', 'narrative'])
        .where('id', 'in', part)
        .execute()
      const included = await this.includedCodes(part)
      for (const row of rows) out.push({ ...row, included: included.get(row.id) ?? [] })
    }
    return out.sort((a, b) => (a.reported_at < b.reported_at ? -1 : a.reported_at > b.reported_at ? 1 : a.id - b.id))
  }

  async personKeysOfCrime(crimeId: number) {
    return this.db
      .selectFrom('screening_person_keys')
      .innerJoin('crime_parties', 'crime_parties.id', 'screening_person_keys.party_id')
      .select([
        'screening_person_keys.party_id',
        'screening_person_keys.person_id',
        'screening_person_keys.person_key',
        'crime_parties.role',
      ])
      .where('screening_person_keys.crime_id', '=', crimeId)
      .execute()
  }

  // ---- Queue --------------------------------------------------------------------------------------------------

  async queueEntries(crimeIds: number[]): Promise<Map<number, QueueRow>> {
    const map = new Map<number, QueueRow>()
    for (const part of chunk(crimeIds, 2000)) {
      if (part.length === 0) continue
      const rows = await this.db.selectFrom('screening_queue').selectAll().where('crime_id', 'in', part).execute()
      for (const row of rows) map.set(row.crime_id, row)
    }
    return map
  }

  /** Every queue entry of the force, as a run compares verdicts with them. */
  async queueStates(forceId: number): Promise<Map<number, QueueState>> {
    const rows = await this.db
      .selectFrom('screening_queue')
      .select(['crime_id', 'status', 'reasons', 'reported_at'])
      .where('force_id', '=', forceId)
      .execute()
    return new Map(rows.map((row) => [row.crime_id, row]))
  }

  async insertQueueEntries(forceId: number, entries: QueueEntry[]): Promise<void> {
    const now = new Date().toISOString()
    for (const part of chunk(entries, 500)) {
      if (part.length === 0) continue
      await this.db
        .insertInto('screening_queue')
        .values(
          part.map((entry) => ({
            force_id: forceId,
            crime_id: entry.crime_id,
            reasons: JSON.stringify(entry.reasons),
            reason_kinds: JSON.stringify(entry.reason_kinds),
            suggests_stalking: entry.suggests_stalking ? 1 : 0,
            entered_at: now,
            updated_at: now,
            status: 'open' as const,
            reported_at: entry.reported_at,
          })),
        )
        .execute()
    }
  }

  async updateQueueReasons(entry: QueueEntry): Promise<void> {
    await this.db
      .updateTable('screening_queue')
      .set({
        reasons: JSON.stringify(entry.reasons),
        reason_kinds: JSON.stringify(entry.reason_kinds),
        suggests_stalking: entry.suggests_stalking ? 1 : 0,
        reported_at: entry.reported_at,
        updated_at: new Date().toISOString(),
      })
      .where('crime_id', '=', entry.crime_id)
      .execute()
  }

  /** Removes open entries (never decided ones) whose crime no longer needs screening. */
  async removeOpenEntries(crimeIds: number[]): Promise<void> {
    for (const part of chunk(crimeIds, 2000)) {
      if (part.length === 0) continue
      await this.db.deleteFrom('screening_queue').where('crime_id', 'in', part).where('status', '=', 'open').execute()
    }
  }

  async setQueueStatus(crimeId: number, status: QueueStatus): Promise<void> {
    await this.db
      .updateTable('screening_queue')
      .set({ status, updated_at: new Date().toISOString() })
      .where('crime_id', '=', crimeId)
      .execute()
  }

  async queueCounts(forceId: number): Promise<{ open: number; decided: number }> {
    const rows = await this.db
      .selectFrom('screening_queue')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('force_id', '=', forceId)
      .groupBy('status')
      .execute()
    const counts = { open: 0, decided: 0 }
    for (const row of rows) counts[row.status] = Number(row.n)
    return counts
  }

  /**
   * The queue's own filters without the join to crimes: every entry has its crime (a foreign key, deleted with it), so
   * the count is the same, read from the queue's index alone (the My work page counts a force's whole open queue).
   */
  private queueEntriesQuery(forceId: number, filters: QueueFilters) {
    let query = this.db.selectFrom('screening_queue as q').where('q.force_id', '=', forceId)
    if (filters.status && filters.status !== 'all') query = query.where('q.status', '=', filters.status)
    if (filters.reason) query = query.where('q.reason_kinds', 'like', `%"${filters.reason}"%`)
    if (filters.reportedFrom) query = query.where('q.reported_at', '>=', filters.reportedFrom)
    if (filters.reportedBefore) query = query.where('q.reported_at', '<', filters.reportedBefore)
    return query
  }

  private queueQuery(forceId: number, filters: QueueFilters) {
    let query = this.queueEntriesQuery(forceId, filters).innerJoin('crimes as c', 'c.id', 'q.crime_id')
    if (filters.team) query = query.where('c.team', '=', filters.team)
    if (filters.classification) {
      const code = filters.classification
      query = query.where((eb) =>
        eb.or([
          eb('c.principal_code', '=', code),
          eb.exists(
            eb
              .selectFrom('crime_classifications as cc')
              .select('cc.id')
              .whereRef('cc.crime_id', '=', 'q.crime_id')
              .where('cc.code', '=', code),
          ),
        ]),
      )
    }
    return query
  }

  /** One page of the queue, oldest report first, and the total. */
  async listQueue(
    forceId: number,
    filters: QueueFilters,
    limit: number,
    offset: number,
  ): Promise<{ rows: QueueListRow[]; total: number }> {
    const counted =
      filters.team || filters.classification
        ? this.queueQuery(forceId, filters)
        : this.queueEntriesQuery(forceId, filters)
    const totalRow = await counted.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()
    const rows = await this.queueQuery(forceId, filters)
      .select([
        'q.id',
        'q.crime_id',
        'q.reasons',
        'q.reason_kinds',
        'q.suggests_stalking',
        'q.entered_at',
        'q.status',
        'q.reported_at',
        'c.force_reference',
        'c.principal_code',
        'c.team',
        (eb) =>
          eb
            .selectFrom('screening_decisions as d')
            .select('d.decided_at')
            .whereRef('d.crime_id', '=', 'q.crime_id')
            .orderBy('d.id', 'desc')
            .limit(1)
            .as('decided_at'),
        (eb) =>
          eb
            .selectFrom('screening_decisions as d')
            .select('d.outcome')
            .whereRef('d.crime_id', '=', 'q.crime_id')
            .orderBy('d.id', 'desc')
            .limit(1)
            .as('outcome'),
      ])
      .orderBy('q.reported_at', 'asc')
      .orderBy('q.id', 'asc')
      .limit(limit)
      .offset(offset)
      .execute()
    return { rows: rows as QueueListRow[], total: Number(totalRow?.n ?? 0) }
  }

  /** Every queue entry of the force with the given status (all when undefined), oldest report first. */
  async queueForExport(forceId: number, status: QueueStatus | undefined) {
    let query = this.db
      .selectFrom('screening_queue as q')
      .innerJoin('crimes as c', 'c.id', 'q.crime_id')
      .select(['q.crime_id', 'q.reasons', 'q.status', 'q.entered_at', 'c.force_reference', 'c.principal_code'])
      .where('q.force_id', '=', forceId)
    if (status) query = query.where('q.status', '=', status)
    const rows = await query.orderBy('q.reported_at').orderBy('q.id').execute()
    const included = new Map<number, string[]>()
    for (const part of chunk(
      rows.map((row) => row.crime_id),
      2000,
    ))
      for (const [id, codes] of await this.includedCodes(part)) included.set(id, codes)
    return rows.map((row) => ({ ...row, included: included.get(row.crime_id) ?? [] }))
  }

  async teams(forceId: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('screening_queue as q')
      .innerJoin('crimes as c', 'c.id', 'q.crime_id')
      .select('c.team')
      .distinct()
      .where('q.force_id', '=', forceId)
      .where('c.team', 'is not', null)
      .orderBy('c.team')
      .execute()
    return rows.map((row) => row.team as string)
  }

  // ---- Decisions ----------------------------------------------------------------------------------------------

  async insertDecision(row: Insertable<ScreeningDecisionsTable>): Promise<number> {
    const inserted = await this.db
      .insertInto('screening_decisions')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow()
    return inserted.id
  }

  async decisionsOfCrimes(crimeIds: number[]): Promise<DecisionRow[]> {
    const out: DecisionRow[] = []
    for (const part of chunk(crimeIds, 2000)) {
      if (part.length === 0) continue
      out.push(...(await this.db.selectFrom('screening_decisions').selectAll().where('crime_id', 'in', part).execute()))
    }
    return out.sort((a, b) => a.id - b.id)
  }

  /** Decisions whose pair keys include one of these suspect>victim keys (a JSON text match, parameterised). */
  async decisionsOnPairs(forceId: number, pairKeys: string[]): Promise<DecisionRow[]> {
    if (pairKeys.length === 0) return []
    return this.db
      .selectFrom('screening_decisions')
      .selectAll()
      .where('force_id', '=', forceId)
      .where((eb) => eb.or(pairKeys.map((key) => eb('pair_keys', 'like', `%${JSON.stringify(key)}%`))))
      .orderBy('id')
      .execute()
  }

  /** Decisions that added 8Q as included, for re-applying when a re-import dropped it. */
  async addIncludedDecisions(forceId: number): Promise<DecisionRow[]> {
    return this.db
      .selectFrom('screening_decisions')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('outcome', '=', 'stalking_identified')
      .where('action', '=', 'add_included_8q')
      .orderBy('id')
      .execute()
  }

  /** The crimes among these that carry any of the codes, principal or included. */
  async crimesCarrying(crimeIds: number[], codes: string[]): Promise<Set<number>> {
    const out = new Set<number>()
    if (codes.length === 0) return out
    for (const part of chunk(crimeIds, 2000)) {
      if (part.length === 0) continue
      const rows = await this.db
        .selectFrom('crime_classifications')
        .select('crime_id')
        .distinct()
        .where('crime_id', 'in', part)
        .where('code', 'in', codes)
        .execute()
      for (const row of rows) out.add(row.crime_id)
    }
    return out
  }

  /** Stalking decisions on intelligence reports (they flag the report), for re-applying after a re-import. */
  async intelligenceFlagDecisions(forceId: number): Promise<(DecisionRow & { stalking_flag: number })[]> {
    const rows = await this.db
      .selectFrom('screening_decisions as d')
      .innerJoin('crimes as c', 'c.id', 'd.crime_id')
      .selectAll('d')
      .select('c.stalking_flag')
      .where('d.force_id', '=', forceId)
      .where('d.outcome', '=', 'stalking_identified')
      .where('c.kind', '=', 'intelligence')
      .orderBy('d.id')
      .execute()
    return rows as (DecisionRow & { stalking_flag: number })[]
  }

  // ---- Pending changes for the records system ------------------------------------------------------------------

  async insertPendingChange(row: Insertable<ScreeningPendingChangesTable>): Promise<number> {
    const inserted = await this.db
      .insertInto('screening_pending_changes')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow()
    return inserted.id
  }

  /** The force's changes decided on or after `since` (all when null), oldest first, with the crime's reference. */
  async pendingChanges(forceId: number, filters: { since: string | null; status: 'pending' | 'confirmed' | 'all' }) {
    let query = this.db
      .selectFrom('screening_pending_changes as p')
      .innerJoin('crimes as c', 'c.id', 'p.crime_id')
      .selectAll('p')
      .select(['c.force_reference', 'c.kind'])
      .where('p.force_id', '=', forceId)
    if (filters.since) query = query.where('p.decided_at', '>=', filters.since)
    if (filters.status !== 'all') query = query.where('p.status', '=', filters.status)
    return query.orderBy('p.decided_at').orderBy('p.id').execute()
  }

  /**
   * Unconfirmed changes on these crimes, oldest first. The force's pending changes are few beside its crimes (one per
   * decision that changed a record), so they are read whole and kept when their crime is one of these.
   */
  async unconfirmedChanges(forceId: number, crimeIds: number[]) {
    if (crimeIds.length === 0) return []
    const wanted = new Set(crimeIds)
    const rows = await this.db
      .selectFrom('screening_pending_changes')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('status', '=', 'pending')
      .orderBy('id')
      .execute()
    return rows.filter((row) => wanted.has(row.crime_id))
  }

  /** What the records system's last extract says of these crimes: every classification code, and the flag. */
  async recordsSystemState(crimeIds: number[]): Promise<Map<number, { codes: Set<string>; stalkingFlag: boolean }>> {
    const map = new Map<number, { codes: Set<string>; stalkingFlag: boolean }>()
    for (const part of chunk(crimeIds, 2000)) {
      if (part.length === 0) continue
      const crimes = await this.db
        .selectFrom('crimes')
        .select(['id', 'principal_code', 'stalking_flag'])
        .where('id', 'in', part)
        .execute()
      for (const crime of crimes)
        map.set(crime.id, {
          codes: new Set(crime.principal_code ? [crime.principal_code] : []),
          stalkingFlag: crime.stalking_flag === 1,
        })
      const rows = await this.db
        .selectFrom('crime_classifications')
        .select(['crime_id', 'code'])
        .where('crime_id', 'in', part)
        .execute()
      for (const row of rows) map.get(row.crime_id)?.codes.add(row.code)
    }
    return map
  }

  async confirmChange(id: number, at: string, by: string): Promise<void> {
    await this.db
      .updateTable('screening_pending_changes')
      .set({ status: 'confirmed', confirmed_at: at, confirmed_by: by })
      .where('id', '=', id)
      .execute()
  }

  // ---- S-DASH -------------------------------------------------------------------------------------------------

  async insertAssessment(row: Insertable<ScreeningAssessmentsTable>): Promise<number> {
    const inserted = await this.db
      .insertInto('screening_assessments')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow()
    return inserted.id
  }

  async assessmentsOf(crimeId: number): Promise<AssessmentRow[]> {
    return this.db
      .selectFrom('screening_assessments')
      .selectAll()
      .where('crime_id', '=', crimeId)
      .orderBy('id', 'desc')
      .execute()
  }

  async latestAssessments(crimeIds: number[]): Promise<Map<number, AssessmentRow>> {
    const map = new Map<number, AssessmentRow>()
    for (const part of chunk(crimeIds, 2000)) {
      if (part.length === 0) continue
      const rows = await this.db
        .selectFrom('screening_assessments')
        .selectAll()
        .where('crime_id', 'in', part)
        .orderBy('id')
        .execute()
      for (const row of rows) map.set(row.crime_id, row)
    }
    return map
  }

  // ---- Measures -----------------------------------------------------------------------------------------------

  /** Every queue entry of the force reported in [from, before), with its team and first decision. */
  async measureRows(forceId: number, from: string, before: string) {
    return this.db
      .selectFrom('screening_queue as q')
      .innerJoin('crimes as c', 'c.id', 'q.crime_id')
      .select([
        'q.crime_id',
        'q.reported_at',
        'c.team',
        (eb) =>
          eb
            .selectFrom('screening_decisions as d')
            .select('d.decided_at')
            .whereRef('d.crime_id', '=', 'q.crime_id')
            .orderBy('d.id')
            .limit(1)
            .as('decided_at'),
        (eb) =>
          eb
            .selectFrom('screening_decisions as d')
            .select('d.outcome')
            .whereRef('d.crime_id', '=', 'q.crime_id')
            .orderBy('d.id')
            .limit(1)
            .as('outcome'),
      ])
      .where('q.force_id', '=', forceId)
      .where('q.reported_at', '>=', from)
      .where('q.reported_at', '<', before)
      .orderBy('q.reported_at')
      .execute()
  }

  // ---- For the action plan's live evidence figures (insight) -----------------------------------------------

  /** Stalking crimes in the period, and how many of them have at least one S-DASH assessment. */
  async sdashCompletion(
    forceId: number,
    codes: string[],
    period: MeasurePeriod,
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
  async coursesOfConduct(forceId: number, period: MeasurePeriod): Promise<number> {
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
