// The only code that touches the assurance area's tables. For an audit's sample it reads the crime area's
// classification index (force, search key, reported range: its primary key) and, joined by id, the sampled crimes'
// reference, dates, team and outcome; for victim feedback, the crime's victim parties by id; never a person's details
// beyond what the service shows on a crime's feedback page.
import type { Insertable, Kysely, Transaction, Updateable } from 'kysely'
import { crimesWithKey, type MeasurePeriod } from '../../crime/index.ts'
import type { AssuranceDatabase as Database } from './tables.ts'
import type {
  AssuranceAuditCasesTable,
  AssuranceAuditFindingsTable,
  AssuranceAuditsTable,
  AssuranceSurveysTable,
  AuditRow,
  FindingRow,
  SurveyRow,
} from './tables.ts'

type Executor = Kysely<Database> | Transaction<Database>

export type { MeasurePeriod } from '../../crime/index.ts'

export class AssuranceRepository {
  constructor(private readonly db: Executor) {}

  async transaction<T>(run: (repository: AssuranceRepository, trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return (this.db as Kysely<Database>).transaction().execute((trx) => run(new AssuranceRepository(trx), trx))
  }

  // ---- Audits -------------------------------------------------------------------------------------------------

  async insertAudit(row: Insertable<AssuranceAuditsTable>): Promise<number> {
    const inserted = await this.db.insertInto('assurance_audits').values(row).returning('id').executeTakeFirstOrThrow()
    return inserted.id
  }

  /** An audit by id, whatever its force (the service checks the force). */
  async auditById(id: number): Promise<AuditRow | undefined> {
    return this.db.selectFrom('assurance_audits').selectAll().where('id', '=', id).executeTakeFirst()
  }

  /** The force's audits, newest first. */
  async auditsOf(forceId: number): Promise<AuditRow[]> {
    return this.db
      .selectFrom('assurance_audits')
      .selectAll()
      .where('force_id', '=', forceId)
      .orderBy('id', 'desc')
      .execute()
  }

  /** Per sampled case of the force's audits: its audit and the number of questions answered on it. */
  async caseAnswerCounts(forceId: number, auditId?: number) {
    let query = this.db
      .selectFrom('assurance_audit_cases as k')
      .leftJoin('assurance_audit_findings as f', 'f.case_id', 'k.id')
      .select((eb) => ['k.id', 'k.audit_id', eb.fn.count<number>('f.id').as('answered')])
      .where('k.force_id', '=', forceId)
      .groupBy(['k.id', 'k.audit_id'])
    if (auditId !== undefined) query = query.where('k.audit_id', '=', auditId)
    return (await query.execute()).map((row) => ({ ...row, answered: Number(row.answered) }))
  }

  /** The number of findings on each of the force's audits by answer. */
  async answerCountsByAudit(forceId: number) {
    const rows = await this.db
      .selectFrom('assurance_audit_findings')
      .select((eb) => ['audit_id', 'answer', eb.fn.countAll<number>().as('n')])
      .where('force_id', '=', forceId)
      .groupBy(['audit_id', 'answer'])
      .execute()
    return rows.map((row) => ({ ...row, n: Number(row.n) }))
  }

  /** The force's crimes with the search key reported in the period, oldest report first (the sampling frame). */
  async crimesInPeriod(forceId: number, searchKey: string, period: MeasurePeriod) {
    return crimesWithKey(this.db, forceId, searchKey, period)
      .select(['i.crime_id', 'i.reported_at'])
      .orderBy('i.reported_at')
      .orderBy('i.crime_id')
      .execute()
  }

  async insertCases(rows: Insertable<AssuranceAuditCasesTable>[]): Promise<void> {
    for (let start = 0; start < rows.length; start += 100) {
      await this.db
        .insertInto('assurance_audit_cases')
        .values(rows.slice(start, start + 100))
        .execute()
    }
  }

  /** An audit's sampled cases in the order drawn, with the crime's reference, report, team, status and outcome. */
  async casesOf(auditId: number, searchKey: string) {
    return this.db
      .selectFrom('assurance_audit_cases as k')
      .innerJoin('crimes as c', 'c.id', 'k.crime_id')
      .leftJoin('crime_classification_index as i', (join) =>
        join
          .onRef('i.crime_id', '=', 'k.crime_id')
          .onRef('i.force_id', '=', 'k.force_id')
          .on('i.search_key', '=', searchKey),
      )
      .select([
        'k.id',
        'k.audit_id',
        'k.crime_id',
        'k.position',
        'c.force_reference',
        'c.reported_at',
        'c.principal_code',
        'c.team',
        'c.officer_in_case',
        'c.status',
        'c.outcome',
        'i.role as stalking_role',
      ])
      .where('k.audit_id', '=', auditId)
      .orderBy('k.position')
      .execute()
  }

  // ---- Findings -----------------------------------------------------------------------------------------------

  async findingsOf(auditId: number, caseId?: number): Promise<FindingRow[]> {
    let query = this.db.selectFrom('assurance_audit_findings').selectAll().where('audit_id', '=', auditId)
    if (caseId !== undefined) query = query.where('case_id', '=', caseId)
    return query.orderBy('case_id').orderBy('id').execute()
  }

  async insertFinding(row: Insertable<AssuranceAuditFindingsTable>): Promise<void> {
    await this.db.insertInto('assurance_audit_findings').values(row).execute()
  }

  async updateFinding(
    id: number,
    row: Pick<
      Updateable<AssuranceAuditFindingsTable>,
      'answer' | 'note' | 'recorded_by' | 'recorded_by_id' | 'recorded_at'
    >,
  ): Promise<void> {
    await this.db.updateTable('assurance_audit_findings').set(row).where('id', '=', id).execute()
  }

  async deleteFinding(id: number): Promise<void> {
    await this.db.deleteFrom('assurance_audit_findings').where('id', '=', id).execute()
  }

  /** The answers of the force's findings recorded (last changed) in the period, with their case. */
  async findingsRecordedIn(forceId: number, period: MeasurePeriod) {
    return this.db
      .selectFrom('assurance_audit_findings')
      .select(['case_id', 'answer'])
      .where('force_id', '=', forceId)
      .where('recorded_at', '>=', period.from)
      .where('recorded_at', '<', period.to)
      .execute()
  }

  async hasAudits(forceId: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('assurance_audits')
      .select('id')
      .where('force_id', '=', forceId)
      .limit(1)
      .executeTakeFirst()
    return row !== undefined
  }

  // ---- Victim feedback ----------------------------------------------------------------------------------------

  /** Whether the crime carries the search key (principal or included) in its force's classification index. */
  async carriesKey(forceId: number, crimeId: number, searchKey: string): Promise<boolean> {
    const row = await crimesWithKey(this.db, forceId, searchKey)
      .select('i.crime_id')
      .where('i.crime_id', '=', crimeId)
      .executeTakeFirst()
    return row !== undefined
  }

  /** Of the crimes given, those carrying the search key in the force's index. */
  async crimesCarryingKey(forceId: number, searchKey: string, crimeIds: number[]): Promise<Set<number>> {
    const found = new Set<number>()
    const unique = [...new Set(crimeIds)]
    for (let start = 0; start < unique.length; start += 500) {
      const rows = await crimesWithKey(this.db, forceId, searchKey)
        .select('i.crime_id')
        .where('i.crime_id', 'in', unique.slice(start, start + 500))
        .execute()
      for (const row of rows) found.add(row.crime_id)
    }
    return found
  }

  async insertSurvey(row: Insertable<AssuranceSurveysTable>): Promise<number> {
    const inserted = await this.db.insertInto('assurance_surveys').values(row).returning('id').executeTakeFirstOrThrow()
    return inserted.id
  }

  /** A crime's survey responses, newest first (by date surveyed, then as recorded). */
  async surveysOf(forceId: number, crimeId: number): Promise<SurveyRow[]> {
    return this.db
      .selectFrom('assurance_surveys')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('crime_id', '=', crimeId)
      .orderBy('surveyed_on', 'desc')
      .orderBy('id', 'desc')
      .execute()
  }

  /** The force's survey responses made from one day up to (not including) another, oldest first. No comments. */
  async surveysBetween(forceId: number, fromDay: string, beforeDay: string) {
    return this.db
      .selectFrom('assurance_surveys')
      .select([
        'id',
        'crime_id',
        'person_id',
        'surveyed_on',
        'method',
        'ease_of_contact',
        'updates',
        'actions_taken',
        'treatment',
        'overall',
      ])
      .where('force_id', '=', forceId)
      .where('surveyed_on', '>=', fromDay)
      .where('surveyed_on', '<', beforeDay)
      .orderBy('surveyed_on')
      .orderBy('id')
      .execute()
  }

  async hasSurveys(forceId: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('assurance_surveys')
      .select('id')
      .where('force_id', '=', forceId)
      .limit(1)
      .executeTakeFirst()
    return row !== undefined
  }
}
