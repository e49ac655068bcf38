// The only code that touches the case work area's tables (and, for names and emails, the platform's users).
import { randomUUID } from 'node:crypto'
import { CompiledQuery, sql, type Insertable, type Kysely, type Transaction } from 'kysely'
import { dialectOf } from '../../platform/data/database.ts'
import type { CaseDatabase as Database } from './tables.ts'
import { chunked, forCrimes } from '../../platform/data/occurrenceRows.ts'
import type {
  CaseExemptionRow,
  CaseNotificationsTable,
  CaseObligationRow,
  CaseObligationsTable,
  CaseRow,
  CasesTable,
  CaseSettingsRow,
  NotificationKind,
} from './tables.ts'

type Executor = Kysely<Database> | Transaction<Database>

export interface QueueFilters {
  team?: string
  obligation?: string
  /** 'high', 'medium', 'standard' or 'unknown'. */
  risk?: string
  /** Due on or before this day. */
  dueBy?: string
  /** Only overdue: due before this day. */
  overdueBefore?: string
  /** A user id, or 'none' for unassigned. */
  assigned?: number | 'none'
}

export interface QueueRow {
  crime_id: number
  obligation_id: string
  started_on: string
  due_on: string
  risk_rank: number
  assigned_user_id: number | null
  reference: string
  team: string | null
  risk: string | null
  assigned_name: string | null
}

/** Where a page of the queue ends: the next page starts after it. */
export type QueueKey = Pick<QueueRow, 'due_on' | 'risk_rank' | 'crime_id' | 'obligation_id'>

/** The queue counts its matches up to this many (and says "more than" past it). */
export const QUEUE_COUNT_LIMIT = 10_000

/** The cursor row whose value changes with every write of a force's cases (not an area's cursor). */
const WRITE_MARK = '#written'

const RISK_OF = { high: 3, medium: 2, standard: 1, unknown: 0 } as Record<string, number>

export class CaseRepository {
  constructor(private readonly db: Executor) {}

  async transaction<T>(run: (repository: CaseRepository, trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return (this.db as Kysely<Database>).transaction().execute((trx) => run(new CaseRepository(trx), trx))
  }

  // ---- Refresh ---------------------------------------------------------------------------------------------------

  async cursors(forceId: number): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('case_refresh_cursors')
      .select(['source', 'cursor'])
      .where('force_id', '=', forceId)
      .execute()
    return new Map(rows.map((row) => [row.source, row.cursor]))
  }

  async saveCursor(forceId: number, source: string, cursor: string, at: string): Promise<void> {
    await this.db
      .insertInto('case_refresh_cursors')
      .values({ force_id: forceId, source, cursor, updated_at: at })
      .onConflict((oc) => oc.columns(['force_id', 'source']).doUpdateSet({ cursor, updated_at: at }))
      .execute()
  }

  /**
   * A mark that changes whenever the force's cases or obligations are written (a refresh that changed something, an
   * assignment): the key of the force-wide summaries the team queue keeps between views.
   */
  async writeMark(forceId: number): Promise<string> {
    const row = await this.db
      .selectFrom('case_refresh_cursors')
      .select('cursor')
      .where('force_id', '=', forceId)
      .where('source', '=', WRITE_MARK)
      .executeTakeFirst()
    return row?.cursor ?? ''
  }

  /** Notes a write (in the writer's transaction, so a reader never sees the write without the new mark). */
  async markWritten(forceId: number, at: string): Promise<void> {
    await this.saveCursor(forceId, WRITE_MARK, `${at}#${randomUUID()}`, at)
  }

  async casesOf(forceId: number, crimeIds?: readonly number[]): Promise<CaseRow[]> {
    if (!crimeIds) return this.db.selectFrom('cases').selectAll().where('force_id', '=', forceId).execute()
    const chunks = await Promise.all(
      chunked(crimeIds).map((ids) =>
        this.db.selectFrom('cases').selectAll().where('force_id', '=', forceId).where('crime_id', 'in', ids).execute(),
      ),
    )
    return chunks.flat()
  }

  async obligationsOf(forceId: number, crimeIds?: readonly number[]): Promise<CaseObligationRow[]> {
    if (!crimeIds) {
      return this.db.selectFrom('case_obligations').selectAll().where('force_id', '=', forceId).execute()
    }
    const chunks = await Promise.all(
      chunked(crimeIds).map((ids) =>
        this.db
          .selectFrom('case_obligations')
          .selectAll()
          .where('force_id', '=', forceId)
          .where('crime_id', 'in', ids)
          .execute(),
      ),
    )
    return chunks.flat()
  }

  /** What a refresh compares of the obligations of the crimes (or the whole force): fewer columns, read faster. */
  async obligationStatesOf(forceId: number, crimeIds?: readonly number[]) {
    const run = (ids?: readonly number[]) => {
      let query = this.db
        .selectFrom('case_obligations')
        .select([
          'crime_id',
          'obligation_id',
          'started_at',
          'due_on',
          'settings_version',
          'state',
          'met_at',
          'met_by',
          'team',
          'risk_rank',
          'assigned_user_id',
        ])
        .where('force_id', '=', forceId)
      if (ids) query = query.where('crime_id', 'in', ids)
      return query.execute()
    }
    return forCrimes(crimeIds, run)
  }

  /** Active (not withdrawn) exemptions of the crimes, or of the whole force. */
  async exemptionsOf(forceId: number, crimeIds?: readonly number[]): Promise<CaseExemptionRow[]> {
    const run = (ids?: readonly number[]) => {
      let query = this.db
        .selectFrom('case_exemptions')
        .selectAll()
        .where('force_id', '=', forceId)
        .where('withdrawn_at', 'is', null)
      if (ids) query = query.where('crime_id', 'in', ids)
      return query.execute()
    }
    return forCrimes(crimeIds, run)
  }

  /**
   * Many rows written in few statements: one multi-row INSERT ... ON CONFLICT DO UPDATE per chunk, its text built here
   * with placeholders (the query builder's compile costs more than the write at hundreds of thousands of rows).
   */
  private async bulkUpsert<T extends Record<string, unknown>>(
    table: string,
    columns: readonly (keyof T & string)[],
    conflict: readonly string[],
    keep: readonly string[],
    rows: readonly T[],
  ): Promise<void> {
    if (rows.length === 0) return
    const postgres = dialectOf(this.db) === 'postgres'
    const update = columns.filter((column) => !conflict.includes(column) && !keep.includes(column))
    const tail = ` on conflict (${conflict.join(', ')}) do update set ${update.map((column) => `${column} = excluded.${column}`).join(', ')}`
    const perStatement = Math.floor(30_000 / columns.length)
    for (let start = 0; start < rows.length; start += perStatement) {
      const chunk = rows.slice(start, start + perStatement)
      const parameters: unknown[] = []
      const tuples: string[] = []
      for (const row of chunk) {
        const marks: string[] = []
        for (const column of columns) {
          parameters.push(row[column] ?? null)
          marks.push(postgres ? `$${parameters.length}` : '?')
        }
        tuples.push(`(${marks.join(', ')})`)
      }
      await this.db.executeQuery(
        CompiledQuery.raw(
          `insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}${tail}`,
          parameters,
        ),
      )
    }
  }

  async upsertCases(rows: Insertable<CasesTable>[]): Promise<void> {
    await this.bulkUpsert(
      'cases',
      [
        'crime_id',
        'force_id',
        'reference',
        'reported_at',
        'team',
        'risk',
        'risk_rank',
        'assigned_user_id',
        'assigned_by',
        'assigned_at',
        'next_due_on',
        'open_count',
        'refreshed_at',
      ],
      ['crime_id'],
      // Assignment is changed only by assign(), never by a refresh that read it a moment before.
      ['assigned_user_id', 'assigned_by', 'assigned_at'],
      rows,
    )
  }

  async upsertObligations(rows: Insertable<CaseObligationsTable>[]): Promise<void> {
    await this.bulkUpsert(
      'case_obligations',
      [
        'force_id',
        'crime_id',
        'obligation_id',
        'started_at',
        'started_on',
        'due_on',
        'settings_version',
        'state',
        'met_at',
        'met_on',
        'met_by',
        'met_event',
        'team',
        'risk_rank',
        'assigned_user_id',
      ],
      ['crime_id', 'obligation_id'],
      ['assigned_user_id'],
      rows,
    )
  }

  async deleteObligations(keys: { crime_id: number; obligation_id: string }[]): Promise<void> {
    for (const key of keys) {
      await this.db
        .deleteFrom('case_obligations')
        .where('crime_id', '=', key.crime_id)
        .where('obligation_id', '=', key.obligation_id)
        .execute()
    }
  }

  async deleteCases(crimeIds: readonly number[]): Promise<void> {
    for (const ids of chunked(crimeIds)) {
      await this.db.deleteFrom('case_obligations').where('crime_id', 'in', ids).execute()
      await this.db.deleteFrom('cases').where('crime_id', 'in', ids).execute()
    }
  }

  // ---- Settings --------------------------------------------------------------------------------------------------

  async settingsVersions(forceId: number): Promise<CaseSettingsRow[]> {
    return this.db
      .selectFrom('case_settings')
      .selectAll()
      .where('force_id', '=', forceId)
      .orderBy('version', 'desc')
      .execute()
  }

  async insertSettings(row: Omit<Insertable<Database['case_settings']>, 'id'>): Promise<void> {
    await this.db.insertInto('case_settings').values(row).execute()
  }

  // ---- Exemptions and assignment -----------------------------------------------------------------------------------

  async insertExemption(row: Omit<Insertable<Database['case_exemptions']>, 'id'>): Promise<number> {
    const inserted = await this.db.insertInto('case_exemptions').values(row).returning('id').executeTakeFirstOrThrow()
    return inserted.id
  }

  async withdrawExemptions(forceId: number, crimeId: number, obligationId: string, by: string, at: string) {
    await this.db
      .updateTable('case_exemptions')
      .set({ withdrawn_by: by, withdrawn_at: at })
      .where('force_id', '=', forceId)
      .where('crime_id', '=', crimeId)
      .where('obligation_id', '=', obligationId)
      .where('withdrawn_at', 'is', null)
      .execute()
  }

  async assign(crimeId: number, userId: number | null, by: string, at: string): Promise<void> {
    await this.db
      .updateTable('cases')
      .set({ assigned_user_id: userId, assigned_by: by, assigned_at: at })
      .where('crime_id', '=', crimeId)
      .execute()
    await this.db
      .updateTable('case_obligations')
      .set({ assigned_user_id: userId })
      .where('crime_id', '=', crimeId)
      .execute()
    const row = await this.db.selectFrom('cases').select('force_id').where('crime_id', '=', crimeId).executeTakeFirst()
    if (row) await this.markWritten(row.force_id, at)
  }

  async caseOf(forceId: number, crimeId: number): Promise<CaseRow | undefined> {
    return this.db
      .selectFrom('cases')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('crime_id', '=', crimeId)
      .executeTakeFirst()
  }

  async userName(userId: number): Promise<string | null> {
    const row = await this.db.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst()
    return row?.display_name ?? null
  }

  // ---- Queues ----------------------------------------------------------------------------------------------------

  private openObligations(forceId: number, filters: QueueFilters) {
    let query = this.db
      .selectFrom('case_obligations as o')
      .where('o.force_id', '=', forceId)
      .where('o.state', '=', 'open')
    if (filters.obligation) query = query.where('o.obligation_id', '=', filters.obligation)
    if (filters.team) query = query.where('o.team', '=', filters.team)
    if (filters.risk) query = query.where('o.risk_rank', '=', RISK_OF[filters.risk] ?? -1)
    if (filters.dueBy) query = query.where('o.due_on', '<=', filters.dueBy)
    if (filters.overdueBefore) query = query.where('o.due_on', '<', filters.overdueBefore)
    if (filters.assigned === 'none') query = query.where('o.assigned_user_id', 'is', null)
    else if (filters.assigned !== undefined) query = query.where('o.assigned_user_id', '=', filters.assigned)
    return query
  }

  /**
   * One page of open obligations, due first, then highest risk. The page is chosen from case_obligations alone, in the
   * order of its queue indexes (migration 1201), so the database reads as far as the page and no further; only the
   * page's rows are then joined to their case and officer.
   */
  async queuePage(
    forceId: number,
    filters: QueueFilters,
    limit: number,
    offset: number,
    after?: QueueKey,
  ): Promise<QueueRow[]> {
    let page = this.openObligations(forceId, filters).select([
      'o.crime_id',
      'o.obligation_id',
      'o.started_on',
      'o.due_on',
      'o.risk_rank',
      'o.assigned_user_id',
    ])
    if (after) {
      page = page.where((eb) =>
        eb.or([
          eb('o.due_on', '>', after.due_on),
          eb.and([eb('o.due_on', '=', after.due_on), eb('o.risk_rank', '<', after.risk_rank)]),
          eb.and([
            eb('o.due_on', '=', after.due_on),
            eb('o.risk_rank', '=', after.risk_rank),
            eb('o.crime_id', '>', after.crime_id),
          ]),
          eb.and([
            eb('o.due_on', '=', after.due_on),
            eb('o.risk_rank', '=', after.risk_rank),
            eb('o.crime_id', '=', after.crime_id),
            eb('o.obligation_id', '>', after.obligation_id),
          ]),
        ]),
      )
    }
    const chosen = page
      .orderBy('o.due_on')
      .orderBy('o.risk_rank', 'desc')
      .orderBy('o.crime_id')
      .orderBy('o.obligation_id')
      .limit(limit)
      .offset(offset)
    return this.db
      .selectFrom(chosen.as('p'))
      .innerJoin('cases as c', 'c.crime_id', 'p.crime_id')
      .leftJoin('users as u', 'u.id', 'p.assigned_user_id')
      .select([
        'p.crime_id',
        'p.obligation_id',
        'p.started_on',
        'p.due_on',
        'p.risk_rank',
        'p.assigned_user_id',
        'c.reference',
        'c.team',
        'c.risk',
        'u.display_name as assigned_name',
      ])
      .orderBy('p.due_on')
      .orderBy('p.risk_rank', 'desc')
      .orderBy('p.crime_id')
      .orderBy('p.obligation_id')
      .execute()
  }

  /**
   * How many open obligations match, counted up to `countLimit` (then `capped`: there are more). Nobody pages past
   * hundreds of obligations, and an exact count of a force's whole backlog would read every one of them on each view.
   */
  async queueCount(
    forceId: number,
    filters: QueueFilters,
    countLimit = QUEUE_COUNT_LIMIT,
  ): Promise<{ total: number; capped: boolean }> {
    const matches = this.openObligations(forceId, filters)
      .select('o.crime_id')
      .limit(countLimit + 1)
    const row = await this.db
      .selectFrom(matches.as('m'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const total = Number(row.n)
    return total > countLimit ? { total: countLimit, capped: true } : { total, capped: false }
  }

  /** One page and the (capped) count. */
  async queue(
    forceId: number,
    filters: QueueFilters,
    limit: number,
    offset: number,
  ): Promise<{ rows: QueueRow[]; total: number; capped: boolean }> {
    const rows = await this.queuePage(forceId, filters, limit, offset)
    return { rows, ...(await this.queueCount(forceId, filters)) }
  }

  /** Every open obligation matching, for the CSV and the CLI: pages after the last row seen, so memory stays flat. */
  async *allOpen(forceId: number, filters: QueueFilters, pageSize = 2000): AsyncGenerator<QueueRow[]> {
    let after: QueueKey | undefined
    for (;;) {
      const rows = await this.queuePage(forceId, filters, pageSize, 0, after)
      if (rows.length > 0) yield rows
      if (rows.length < pageSize) return
      after = rows[rows.length - 1]
    }
  }

  /**
   * Overdue open obligations by the officer assigned (null: unassigned), and by team: each count read from one index
   * alone (migration 1201), the officers' names afterwards.
   */
  async overdueBy(forceId: number, today: string) {
    const base = () =>
      this.db
        .selectFrom('case_obligations as o')
        .where('o.force_id', '=', forceId)
        .where('o.state', '=', 'open')
        .where('o.due_on', '<', today)
    const [byOfficer, byTeam] = await Promise.all([
      base()
        .select(['o.assigned_user_id', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('o.assigned_user_id')
        .execute(),
      base()
        .select(['o.team', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('o.team')
        .execute(),
    ])
    const ids = byOfficer.map((row) => row.assigned_user_id).filter((id): id is number => id !== null)
    const names = new Map<number, string>()
    for (const chunk of chunked(ids)) {
      const users = await this.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', chunk).execute()
      for (const user of users) names.set(user.id, user.display_name)
    }
    const most = (a: { count: number }, b: { count: number }) => b.count - a.count
    return {
      byOfficer: byOfficer
        .map((row) => ({
          userId: row.assigned_user_id,
          name: row.assigned_user_id === null ? null : (names.get(row.assigned_user_id) ?? null),
          count: Number(row.n),
        }))
        .sort(most),
      byTeam: byTeam.map((row) => ({ team: row.team, count: Number(row.n) })).sort(most),
    }
  }

  /** Counts for the navigation and My work: a user's open obligations overdue and due within days. */
  async countsFor(forceId: number, userId: number, today: string, dueBy: string) {
    const row = await this.db
      .selectFrom('case_obligations')
      .select([
        (eb) => eb.fn.countAll<number>().as('open'),
        (eb) => eb.fn.sum<number>(eb.case().when('due_on', '<', today).then(1).else(0).end()).as('overdue'),
        (eb) => eb.fn.sum<number>(eb.case().when('due_on', '<=', dueBy).then(1).else(0).end()).as('due'),
      ])
      .where('force_id', '=', forceId)
      .where('state', '=', 'open')
      .where('assigned_user_id', '=', userId)
      .executeTakeFirstOrThrow()
    return { open: Number(row.open), overdue: Number(row.overdue ?? 0), dueSoon: Number(row.due ?? 0) }
  }

  async teams(forceId: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('cases')
      .select('team')
      .distinct()
      .where('force_id', '=', forceId)
      .where('team', 'is not', null)
      .orderBy('team')
      .execute()
    return rows.map((row) => row.team as string)
  }

  async activeUsers(forceId: number) {
    return this.db
      .selectFrom('users')
      .select(['id', 'username', 'display_name', 'email', 'roles', 'force_id'])
      .where('force_id', '=', forceId)
      .where('active', '=', 1)
      .orderBy('display_name')
      .execute()
  }

  // ---- Notifications -------------------------------------------------------------------------------------------

  async insertNotifications(rows: Omit<Insertable<CaseNotificationsTable>, 'id'>[]): Promise<number> {
    let added = 0
    for (const chunk of chunked(rows, 200)) {
      const result = await this.db
        .insertInto('case_notifications')
        .values(chunk)
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .executeTakeFirst()
      added += Number(result.numInsertedOrUpdatedRows ?? 0)
    }
    return added
  }

  /** Open obligations on assigned cases due on a day (or, with `before`, before it), with the case's reference. */
  async assignedDue(forceId: number | null, day: string, before: boolean) {
    let query = this.db
      .selectFrom('case_obligations as o')
      .innerJoin('cases as c', 'c.crime_id', 'o.crime_id')
      .select(['o.force_id', 'o.crime_id', 'o.obligation_id', 'o.due_on', 'o.assigned_user_id', 'c.reference'])
      .where('o.state', '=', 'open')
      .where('o.assigned_user_id', 'is not', null)
      .where('o.due_on', before ? '<' : '=', day)
    if (forceId !== null) query = query.where('o.force_id', '=', forceId)
    return query.execute()
  }

  async notificationsOf(userId: number, limit: number) {
    return this.db
      .selectFrom('case_notifications')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
  }

  async unreadCount(userId: number): Promise<number> {
    const row = await this.db
      .selectFrom('case_notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  async markRead(userId: number, at: string): Promise<void> {
    await this.db
      .updateTable('case_notifications')
      .set({ read_at: at })
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .execute()
  }

  /** Notifications not yet emailed, with their user's email, for the digest. */
  async unsent() {
    return this.db
      .selectFrom('case_notifications as n')
      .innerJoin('users as u', 'u.id', 'n.user_id')
      .select(['n.id', 'n.user_id', 'n.kind', 'n.reference', 'n.crime_id', 'n.text', 'u.email', 'u.display_name'])
      .where('n.emailed_at', 'is', null)
      .where('u.active', '=', 1)
      .orderBy('n.user_id')
      .orderBy('n.id')
      .execute()
  }

  async markEmailed(ids: number[], at: string): Promise<void> {
    for (const chunk of chunked(ids)) {
      await this.db.updateTable('case_notifications').set({ emailed_at: at }).where('id', 'in', chunk).execute()
    }
  }

  // ---- Measures --------------------------------------------------------------------------------------------------

  /** Obligations started in [from, to) (days), by obligation, team and month started, counted by outcome. */
  async compliance(forceId: number, from: string, to: string, today: string) {
    const rows = await this.db
      .selectFrom('case_obligations as o')
      .select((eb) => [
        'o.obligation_id',
        'o.team',
        eb.fn<string>('substr', ['o.started_on', eb.val(1), eb.val(7)]).as('month'),
        sql<number>`sum(case when o.state = 'met' and o.met_on <= o.due_on then 1 else 0 end)`.as('on_time'),
        sql<number>`sum(case when o.state = 'met' and o.met_on > o.due_on then 1 else 0 end)`.as('late'),
        sql<number>`sum(case when o.state = 'open' and o.due_on < ${today} then 1 else 0 end)`.as('overdue'),
        sql<number>`sum(case when o.state = 'open' and o.due_on >= ${today} then 1 else 0 end)`.as('not_yet_due'),
        sql<number>`sum(case when o.state = 'not_applicable' then 1 else 0 end)`.as('not_applicable'),
      ])
      .where('o.force_id', '=', forceId)
      .where('o.started_on', '>=', from)
      .where('o.started_on', '<', to)
      .groupBy(['o.obligation_id', 'o.team', 'month'])
      .execute()
    return rows.map((row) => ({
      obligation: row.obligation_id,
      team: row.team,
      month: row.month,
      onTime: Number(row.on_time ?? 0),
      late: Number(row.late ?? 0),
      overdue: Number(row.overdue ?? 0),
      notYetDue: Number(row.not_yet_due ?? 0),
      notApplicable: Number(row.not_applicable ?? 0),
    }))
  }
}

export type { NotificationKind }
