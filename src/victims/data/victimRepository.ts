// The only code that touches the victims area's tables. For a force's measures it also reads the crime area's
// classification index (force, search key, reported range: its primary key) and, joined by id, the victim parties and
// the crime's team; never a person's details.
import type { Insertable, Kysely, Transaction, Updateable } from 'kysely'
import type { VictimDatabase as Database } from './tables.ts'
import { crimesWithKey, type MeasurePeriod } from '../../crime/index.ts'
import type {
  NeedsAssessmentRow,
  ReferralRow,
  RightsRow,
  SupportServiceRow,
  SupportServicesTable,
  VictimNeedsAssessmentsTable,
  VictimReferralsTable,
  VictimRightsTable,
  VictimAlertNotificationsTable,
  VictimReferralAlertsTable,
  VictimReferralSettingsTable,
} from './tables.ts'

type Executor = Kysely<Database> | Transaction<Database>

export type { MeasurePeriod } from '../../crime/index.ts'

export type ReferralWithService = ReferralRow & { service_name: string }

export class VictimRepository {
  constructor(private readonly db: Executor) {}

  async transaction<T>(run: (repository: VictimRepository, trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return (this.db as Kysely<Database>).transaction().execute((trx) => run(new VictimRepository(trx), trx))
  }

  /** The same queries on the caller's transaction. */
  with(trx: Transaction<Database>): VictimRepository {
    return new VictimRepository(trx)
  }

  // ---- Support-service directory --------------------------------------------------------------------------------

  /** The force's services, national first, then by name; only those listed unless `all`. */
  async servicesOf(forceId: number, options: { all?: boolean } = {}): Promise<SupportServiceRow[]> {
    let query = this.db.selectFrom('support_services').selectAll().where('force_id', '=', forceId)
    if (!options.all) query = query.where('listed', '=', 1)
    return query.orderBy('kind', 'desc').orderBy('name').orderBy('id').execute()
  }

  async serviceById(forceId: number, id: number): Promise<SupportServiceRow | undefined> {
    return this.db
      .selectFrom('support_services')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('id', '=', id)
      .executeTakeFirst()
  }

  async insertService(row: Insertable<SupportServicesTable>): Promise<number> {
    const inserted = await this.db.insertInto('support_services').values(row).returning('id').executeTakeFirstOrThrow()
    return inserted.id
  }

  async updateService(forceId: number, id: number, row: Updateable<SupportServicesTable>): Promise<void> {
    await this.db
      .updateTable('support_services')
      .set(row)
      .where('force_id', '=', forceId)
      .where('id', '=', id)
      .execute()
  }

  /** A force by its URL code (the public pages' way of naming a force). */
  async forceByCode(code: string): Promise<{ id: number; name: string; code: string } | undefined> {
    return this.db
      .selectFrom('forces')
      .select(['id', 'name', 'code'])
      .where('code', '=', code.toLowerCase())
      .executeTakeFirst()
  }

  async forceCode(forceId: number): Promise<string | undefined> {
    const row = await this.db.selectFrom('forces').select('code').where('id', '=', forceId).executeTakeFirst()
    return row?.code
  }

  // ---- A crime's victim care ------------------------------------------------------------------------------------

  async insertRights(row: Insertable<VictimRightsTable>): Promise<number> {
    const inserted = await this.db.insertInto('victim_rights').values(row).returning('id').executeTakeFirstOrThrow()
    return inserted.id
  }

  async insertAssessment(row: Insertable<VictimNeedsAssessmentsTable>): Promise<number> {
    const inserted = await this.db
      .insertInto('victim_needs_assessments')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow()
    return inserted.id
  }

  async insertReferral(row: Insertable<VictimReferralsTable>): Promise<number> {
    const inserted = await this.db.insertInto('victim_referrals').values(row).returning('id').executeTakeFirstOrThrow()
    return inserted.id
  }

  async referralById(id: number): Promise<ReferralRow | undefined> {
    return this.db.selectFrom('victim_referrals').selectAll().where('id', '=', id).executeTakeFirst()
  }

  async updateReferral(
    forceId: number,
    id: number,
    row: Pick<
      Updateable<VictimReferralsTable>,
      'outcome' | 'outcome_on' | 'updated_by' | 'updated_at' | 'service_update'
    >,
  ): Promise<void> {
    await this.db
      .updateTable('victim_referrals')
      .set(row)
      .where('force_id', '=', forceId)
      .where('id', '=', id)
      .execute()
  }

  /** A crime's rights records, newest first. */
  async rightsOf(forceId: number, crimeId: number): Promise<RightsRow[]> {
    return this.db
      .selectFrom('victim_rights')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('crime_id', '=', crimeId)
      .orderBy('id', 'desc')
      .execute()
  }

  /** A crime's needs assessments, newest first. */
  async assessmentsOf(forceId: number, crimeId: number): Promise<NeedsAssessmentRow[]> {
    return this.db
      .selectFrom('victim_needs_assessments')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('crime_id', '=', crimeId)
      .orderBy('id', 'desc')
      .execute()
  }

  /** A crime's referrals with each service's name, newest first. */
  async referralsOf(forceId: number, crimeId: number): Promise<ReferralWithService[]> {
    return this.db
      .selectFrom('victim_referrals as r')
      .innerJoin('support_services as s', 's.id', 'r.service_id')
      .selectAll('r')
      .select('s.name as service_name')
      .where('r.force_id', '=', forceId)
      .where('r.crime_id', '=', crimeId)
      .orderBy('r.referred_on', 'desc')
      .orderBy('r.id', 'desc')
      .execute()
  }

  /** Whether the force has any victim care recorded (demo data is loaded once). */
  async hasCareRecords(forceId: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('victim_rights')
      .select('id')
      .where('force_id', '=', forceId)
      .limit(1)
      .executeTakeFirst()
    return row !== undefined
  }

  // ---- Measures ---------------------------------------------------------------------------------------------------

  /**
   * The victims (victim parties) of crimes reported in the period carrying the search key, with their crime's reported
   * time and team; and, for those crimes, each rights record, needs assessment (oldest first, so the last one per
   * victim is the latest) and referral with its service.
   */
  async measureRows(forceId: number, searchKey: string, period: MeasurePeriod) {
    const inPeriod = () => crimesWithKey(this.db, forceId, searchKey, period)
    const victims = await inPeriod()
      .innerJoin('crime_parties as p', 'p.crime_id', 'i.crime_id')
      .innerJoin('crimes as c', 'c.id', 'i.crime_id')
      .where('p.role', '=', 'victim')
      .select(['i.crime_id', 'p.person_id', 'i.reported_at', 'c.team', 'c.force_reference'])
      .orderBy('i.crime_id')
      .orderBy('p.person_id')
      .execute()
    const rights = await inPeriod()
      .innerJoin('victim_rights as r', (join) =>
        join.onRef('r.crime_id', '=', 'i.crime_id').onRef('r.force_id', '=', 'i.force_id'),
      )
      .select(['r.crime_id', 'r.person_id', 'r.enhanced'])
      .orderBy('r.id')
      .execute()
    const assessments = await inPeriod()
      .innerJoin('victim_needs_assessments as a', (join) =>
        join.onRef('a.crime_id', '=', 'i.crime_id').onRef('a.force_id', '=', 'i.force_id'),
      )
      .select(['a.crime_id', 'a.person_id', 'a.support_wanted', 'a.needs'])
      .orderBy('a.id')
      .execute()
    const referrals = await inPeriod()
      .innerJoin('victim_referrals as r', (join) =>
        join.onRef('r.crime_id', '=', 'i.crime_id').onRef('r.force_id', '=', 'i.force_id'),
      )
      .innerJoin('support_services as s', 's.id', 'r.service_id')
      .select(['r.crime_id', 'r.person_id', 'r.referred_on', 'r.outcome', 'r.service_id', 's.name as service_name'])
      .orderBy('r.referred_on')
      .orderBy('r.id')
      .execute()
    return { victims, rights, assessments, referrals }
  }

  /** The teams of the force's crimes carrying the search key reported in the period ('' for no team recorded). */
  async teamsOfCrimesWithKey(forceId: number, searchKey: string, period: MeasurePeriod): Promise<string[]> {
    const rows = await crimesWithKey(this.db, forceId, searchKey, period)
      .innerJoin('crimes as c', 'c.id', 'i.crime_id')
      .select('c.team')
      .distinct()
      .execute()
    return rows.map((row) => row.team ?? '')
  }

  /**
   * Referrals made between two days (inclusive 'YYYY-MM-DD') on the force's crimes carrying the search key, whenever
   * the crime was reported, with the crime's team: for referral counts by team and month.
   */
  async referralsMadeBetween(forceId: number, searchKey: string, fromDay: string, toDay: string) {
    return this.db
      .selectFrom('victim_referrals as r')
      .innerJoin('crimes as c', 'c.id', 'r.crime_id')
      .innerJoin('crime_classification_index as i', (join) =>
        join
          .onRef('i.force_id', '=', 'r.force_id')
          .on('i.search_key', '=', searchKey)
          .onRef('i.reported_at', '=', 'c.reported_at')
          .onRef('i.crime_id', '=', 'r.crime_id'),
      )
      .select(['r.id', 'r.referred_on', 'c.team'])
      .where('r.force_id', '=', forceId)
      .where('r.referred_on', '>=', fromDay)
      .where('r.referred_on', '<=', toDay)
      .orderBy('r.referred_on')
      .execute()
  }

  // ---- Low referral numbers (14.5) --------------------------------------------------------------------------------

  async latestReferralSettings(forceId: number) {
    return this.db
      .selectFrom('victim_referral_settings')
      .selectAll()
      .where('force_id', '=', forceId)
      .orderBy('id', 'desc')
      .executeTakeFirst()
  }

  async insertReferralSettings(row: Insertable<VictimReferralSettingsTable>): Promise<void> {
    await this.db.insertInto('victim_referral_settings').values(row).execute()
  }

  /** Inserts the alert unless the force, month and team already have one; its id, or undefined when it existed. */
  async insertAlertOnce(row: Insertable<VictimReferralAlertsTable>): Promise<number | undefined> {
    const inserted = await this.db
      .insertInto('victim_referral_alerts')
      .values(row)
      .onConflict((oc) => oc.columns(['force_id', 'month', 'team']).doNothing())
      .returning('id')
      .executeTakeFirst()
    return inserted?.id
  }

  async alertsOf(forceId: number, fromMonth: string, toMonth: string) {
    return this.db
      .selectFrom('victim_referral_alerts')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('month', '>=', fromMonth)
      .where('month', '<=', toMonth)
      .orderBy('month', 'desc')
      .orderBy('team')
      .execute()
  }

  /** The force's active users with the role: who a force lead's notification goes to. */
  async activeUsersWithRole(forceId: number, role: string) {
    const rows = await this.db
      .selectFrom('users')
      .select(['id', 'roles'])
      .where('force_id', '=', forceId)
      .where('active', '=', 1)
      .execute()
    return rows.filter((row) => row.roles.split(',').includes(role)).map((row) => row.id)
  }

  async insertAlertNotification(row: Insertable<VictimAlertNotificationsTable>): Promise<void> {
    await this.db
      .insertInto('victim_alert_notifications')
      .values(row)
      .onConflict((oc) => oc.columns(['alert_id', 'user_id']).doNothing())
      .execute()
  }

  async alertNotificationsOf(userId: number, limit: number) {
    return this.db
      .selectFrom('victim_alert_notifications')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
  }

  async unreadAlertCount(userId: number): Promise<number> {
    const row = await this.db
      .selectFrom('victim_alert_notifications')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirst()
    return Number(row?.count ?? 0)
  }

  async markAlertsRead(userId: number, at: string): Promise<void> {
    await this.db
      .updateTable('victim_alert_notifications')
      .set({ read_at: at })
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .execute()
  }
}
