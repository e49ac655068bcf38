// The daily management meeting's tables, and the reads its list makes of the risk tables and the crime index (new
// stalking crimes in a window: the classification index's primary key range). Nothing here reads a person's details.
import type { Insertable, Kysely, Transaction } from 'kysely'
import { chunked } from '../../platform/data/occurrenceRows.ts'
import type {
  RiskDatabase as Database,
  RiskMeetingActionsTable,
  RiskMeetingCasesTable,
  RiskMeetingsTable,
} from './tables.ts'

type Executor = Kysely<Database> | Transaction<Database>

/** The classification the daily list's new cases carry: stalking, principal or included. */
export const STALKING_KEY = '8Q'

export class MeetingRepository {
  constructor(private readonly db: Executor) {}

  async transaction<T>(run: (repository: MeetingRepository, trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return (this.db as Kysely<Database>).transaction().execute((trx) => run(new MeetingRepository(trx), trx))
  }

  async insertMeeting(row: Insertable<RiskMeetingsTable>): Promise<number> {
    return (await this.db.insertInto('risk_meetings').values(row).returning('id').executeTakeFirstOrThrow()).id
  }

  async insertCases(rows: Insertable<RiskMeetingCasesTable>[]): Promise<void> {
    if (rows.length) await this.db.insertInto('risk_meeting_cases').values(rows).execute()
  }

  async insertActions(rows: Insertable<RiskMeetingActionsTable>[]): Promise<void> {
    if (rows.length) await this.db.insertInto('risk_meeting_actions').values(rows).execute()
  }

  /** The latest meeting of the force for the team ('' whole force) before a day. */
  async lastMeetingBefore(forceId: number, team: string, day: string) {
    return this.db
      .selectFrom('risk_meetings')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('team', '=', team)
      .where('meeting_date', '<', day)
      .orderBy('meeting_date', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()
  }

  async meetingById(id: number) {
    return this.db
      .selectFrom('risk_meetings as m')
      .innerJoin('users as u', 'u.id', 'm.chair_user_id')
      .selectAll('m')
      .select('u.display_name as chair_name')
      .where('m.id', '=', id)
      .executeTakeFirst()
  }

  async recentMeetings(forceId: number, limit = 20) {
    return this.db
      .selectFrom('risk_meetings as m')
      .innerJoin('users as u', 'u.id', 'm.chair_user_id')
      .select(['m.id', 'm.meeting_date', 'm.team', 'u.display_name as chair_name'])
      .where('m.force_id', '=', forceId)
      .orderBy('m.meeting_date', 'desc')
      .orderBy('m.id', 'desc')
      .limit(limit)
      .execute()
  }

  async casesOfMeeting(meetingId: number) {
    return this.db
      .selectFrom('risk_meeting_cases as mc')
      .innerJoin('crimes as c', 'c.id', 'mc.crime_id')
      .select(['mc.crime_id', 'mc.decision', 'c.force_reference'])
      .where('mc.meeting_id', '=', meetingId)
      .orderBy('mc.id')
      .execute()
  }

  async actionsOfMeeting(meetingId: number) {
    return this.db
      .selectFrom('risk_meeting_actions as a')
      .innerJoin('users as u', 'u.id', 'a.owner_user_id')
      .innerJoin('crimes as c', 'c.id', 'a.crime_id')
      .select([
        'a.id',
        'a.crime_id',
        'a.text',
        'a.owner_user_id',
        'a.due_on',
        'a.done_at',
        'a.done_by',
        'u.display_name as owner_name',
        'c.force_reference',
      ])
      .where('a.meeting_id', '=', meetingId)
      .orderBy('a.id')
      .execute()
  }

  /** A user's actions not yet done, with the case's reference and the meeting's day. */
  async openActionsOf(forceId: number, userId: number) {
    return this.db
      .selectFrom('risk_meeting_actions as a')
      .innerJoin('risk_meetings as m', 'm.id', 'a.meeting_id')
      .innerJoin('crimes as c', 'c.id', 'a.crime_id')
      .select(['a.id', 'a.crime_id', 'a.text', 'a.due_on', 'a.meeting_id', 'm.meeting_date', 'c.force_reference'])
      .where('a.force_id', '=', forceId)
      .where('a.owner_user_id', '=', userId)
      .where('a.done_at', 'is', null)
      .execute()
  }

  async actionById(id: number) {
    return this.db.selectFrom('risk_meeting_actions').selectAll().where('id', '=', id).executeTakeFirst()
  }

  async markDone(id: number, by: string, at: string): Promise<void> {
    await this.db.updateTable('risk_meeting_actions').set({ done_at: at, done_by: by }).where('id', '=', id).execute()
  }

  /** The latest decision on each of some crimes at any meeting before a day. */
  async lastDecisions(forceId: number, crimeIds: readonly number[], before: string) {
    const rows = (
      await Promise.all(
        chunked(crimeIds).map((ids) =>
          this.db
            .selectFrom('risk_meeting_cases as mc')
            .innerJoin('risk_meetings as m', 'm.id', 'mc.meeting_id')
            .select(['mc.crime_id', 'mc.decision', 'm.meeting_date', 'm.id as meeting_id'])
            .where('mc.force_id', '=', forceId)
            .where('mc.crime_id', 'in', ids)
            .where('m.meeting_date', '<', before)
            .execute(),
        ),
      )
    ).flat()
    const latest = new Map<number, (typeof rows)[number]>()
    for (const row of rows) {
      const current = latest.get(row.crime_id)
      if (
        !current ||
        row.meeting_date > current.meeting_date ||
        (row.meeting_date === current.meeting_date && row.meeting_id > current.meeting_id)
      ) {
        latest.set(row.crime_id, row)
      }
    }
    return latest
  }

  /** Stalking crimes (8Q, principal or included) reported in [from, to) of ISO times, with reference and team. */
  async newStalkingCrimes(forceId: number, from: string, to: string, team?: string) {
    let query = this.db
      .selectFrom('crime_classification_index as i')
      .innerJoin('crimes as c', 'c.id', 'i.crime_id')
      .select(['i.crime_id', 'i.reported_at', 'c.force_reference', 'c.team'])
      .where('i.force_id', '=', forceId)
      .where('i.search_key', '=', STALKING_KEY)
      .where('i.reported_at', '>=', from)
      .where('i.reported_at', '<', to)
    if (team) query = query.where('c.team', '=', team)
    return query.orderBy('i.reported_at').orderBy('i.crime_id').execute()
  }

  /** The crimes with an assessment or a review made in [from, to) of ISO times (the team's only, when given). */
  async crimesJudgedBetween(forceId: number, from: string, to: string, team?: string): Promise<number[]> {
    const assessed = this.db
      .selectFrom('risk_assessments as a')
      .innerJoin('crimes as c', 'c.id', 'a.crime_id')
      .select('a.crime_id')
      .where('a.force_id', '=', forceId)
      .where('a.assessed_at', '>=', from)
      .where('a.assessed_at', '<', to)
    const reviewed = this.db
      .selectFrom('risk_reviews as r')
      .innerJoin('crimes as c', 'c.id', 'r.crime_id')
      .select('r.crime_id')
      .where('r.force_id', '=', forceId)
      .where('r.reviewed_at', '>=', from)
      .where('r.reviewed_at', '<', to)
    const [a, r] = await Promise.all([
      (team ? assessed.where('c.team', '=', team) : assessed).execute(),
      (team ? reviewed.where('c.team', '=', team) : reviewed).execute(),
    ])
    return [...new Set([...a, ...r].map((row) => row.crime_id))]
  }

  /** Every judgement (assessment or review) of some crimes, for their risk history. */
  async judgementsOf(forceId: number, crimeIds: readonly number[]) {
    const parts = await Promise.all(
      chunked(crimeIds).map(async (ids) => {
        const [assessments, reviews] = await Promise.all([
          this.db
            .selectFrom('risk_assessments')
            .select([
              'id',
              'crime_id',
              'tool_id',
              'yes_count',
              'question_count',
              'risk_level',
              'rationale',
              'assessed_by',
              'assessed_at',
            ])
            .where('force_id', '=', forceId)
            .where('crime_id', 'in', ids)
            .execute(),
          this.db
            .selectFrom('risk_reviews')
            .select(['crime_id', 'assessment_id', 'outcome', 'risk_level', 'reason', 'reviewed_by', 'reviewed_at'])
            .where('force_id', '=', forceId)
            .where('crime_id', 'in', ids)
            .execute(),
        ])
        return { assessments, reviews }
      }),
    )
    return { assessments: parts.flatMap((part) => part.assessments), reviews: parts.flatMap((part) => part.reviews) }
  }

  /** Reference and team of some crimes. */
  async crimeDetails(crimeIds: readonly number[]) {
    return (
      await Promise.all(
        chunked(crimeIds).map((ids) =>
          this.db.selectFrom('crimes').select(['id', 'force_reference', 'team']).where('id', 'in', ids).execute(),
        ),
      )
    ).flat()
  }

  /** The force's meeting days on which each of some crimes was discussed. */
  async discussedOn(forceId: number, crimeIds: readonly number[]) {
    return (
      await Promise.all(
        chunked(crimeIds).map((ids) =>
          this.db
            .selectFrom('risk_meeting_cases as mc')
            .innerJoin('risk_meetings as m', 'm.id', 'mc.meeting_id')
            .select(['mc.crime_id', 'm.meeting_date'])
            .where('mc.force_id', '=', forceId)
            .where('mc.crime_id', 'in', ids)
            .execute(),
        ),
      )
    ).flat()
  }

  /** Judgements of high risk made in [from, to) of ISO times: assessments and reviews. */
  async highJudgementsBetween(forceId: number, from: string, to: string) {
    const [assessments, reviews] = await Promise.all([
      this.db
        .selectFrom('risk_assessments')
        .select(['crime_id', 'assessed_at as at'])
        .where('force_id', '=', forceId)
        .where('risk_level', '=', 'high')
        .where('assessed_at', '>=', from)
        .where('assessed_at', '<', to)
        .execute(),
      this.db
        .selectFrom('risk_reviews')
        .select(['crime_id', 'reviewed_at as at'])
        .where('force_id', '=', forceId)
        .where('risk_level', '=', 'high')
        .where('reviewed_at', '>=', from)
        .where('reviewed_at', '<', to)
        .execute(),
    ])
    return [...assessments, ...reviews]
  }
}
