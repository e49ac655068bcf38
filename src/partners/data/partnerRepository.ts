// The only code that touches the partners area's tables. It also reads the users table (the names of an agency's
// members) and the crimes table (a panel case's reference), joined by id; never a person's details.
import type { Insertable, Kysely, Transaction, Updateable } from 'kysely'
import type {
  AgencyRow,
  DisclosureRow,
  PanelActionRow,
  PanelActionsTable,
  PanelAttendeesTable,
  PanelCasesTable,
  PanelMeetingRow,
  PanelMeetingsTable,
  PartnerAgenciesTable,
  PerpetratorProgrammesTable,
  PartnerApiKeysTable,
  PartnerDatabase as Database,
  PartnerDisclosuresTable,
  PartnerMembersTable,
  PartnerReferralEventsTable,
  PartnerReferralRow,
  PartnerReferralsTable,
  ReferralEventKind,
  ReferralEventRow,
  ReferralState,
} from './tables.ts'

type Executor = Kysely<Database> | Transaction<Database>

export type DisclosureWithAgency = DisclosureRow & { agency_name: string; crime_reference: string }
export type ActionWithContext = PanelActionRow & {
  agency_name: string
  panel: string
  held_on: string
  crime_reference: string
  subject: 'victim' | 'perpetrator'
}

export class PartnerRepository {
  constructor(private readonly db: Executor) {}

  async transaction<T>(run: (repository: PartnerRepository, trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return (this.db as Kysely<Database>).transaction().execute((trx) => run(new PartnerRepository(trx), trx))
  }

  // ---- Agencies and their users -----------------------------------------------------------------------------------

  async agenciesOf(forceId: number): Promise<AgencyRow[]> {
    return this.db.selectFrom('partner_agencies').selectAll().where('force_id', '=', forceId).orderBy('name').execute()
  }

  async agencyById(forceId: number, id: number): Promise<AgencyRow | undefined> {
    return this.db
      .selectFrom('partner_agencies')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('id', '=', id)
      .executeTakeFirst()
  }

  async agencyByName(forceId: number, name: string): Promise<AgencyRow | undefined> {
    return this.db
      .selectFrom('partner_agencies')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('name', '=', name)
      .executeTakeFirst()
  }

  async insertAgency(row: Insertable<PartnerAgenciesTable>): Promise<number> {
    return (await this.db.insertInto('partner_agencies').values(row).returning('id').executeTakeFirstOrThrow()).id
  }

  async updateAgency(forceId: number, id: number, row: Updateable<PartnerAgenciesTable>): Promise<void> {
    await this.db
      .updateTable('partner_agencies')
      .set(row)
      .where('force_id', '=', forceId)
      .where('id', '=', id)
      .execute()
  }

  /** The agency a user is a current member of, if any. */
  async agencyOfUser(userId: number): Promise<AgencyRow | undefined> {
    return this.db
      .selectFrom('partner_members as m')
      .innerJoin('partner_agencies as a', 'a.id', 'm.agency_id')
      .selectAll('a')
      .where('m.user_id', '=', userId)
      .where('m.removed_at', 'is', null)
      .orderBy('m.id', 'desc')
      .executeTakeFirst()
  }

  /** The force's current members with their names, by agency. */
  async membersOf(forceId: number) {
    return this.db
      .selectFrom('partner_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select([
        'm.id',
        'm.agency_id',
        'm.user_id',
        'm.added_by',
        'm.added_at',
        'u.username',
        'u.display_name',
        'u.email',
      ])
      .where('m.force_id', '=', forceId)
      .where('m.removed_at', 'is', null)
      .orderBy('u.display_name')
      .execute()
  }

  async memberById(forceId: number, id: number) {
    return this.db
      .selectFrom('partner_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.id', 'm.agency_id', 'm.user_id', 'm.removed_at', 'u.username', 'u.display_name'])
      .where('m.force_id', '=', forceId)
      .where('m.id', '=', id)
      .executeTakeFirst()
  }

  async insertMember(row: Insertable<PartnerMembersTable>): Promise<number> {
    return (await this.db.insertInto('partner_members').values(row).returning('id').executeTakeFirstOrThrow()).id
  }

  async removeMember(forceId: number, id: number, by: string, at: string): Promise<void> {
    await this.db
      .updateTable('partner_members')
      .set({ removed_by: by, removed_at: at })
      .where('force_id', '=', forceId)
      .where('id', '=', id)
      .execute()
  }

  // ---- Referrals --------------------------------------------------------------------------------------------------

  async insertReferral(row: Insertable<PartnerReferralsTable>): Promise<number> {
    return (await this.db.insertInto('partner_referrals').values(row).returning('id').executeTakeFirstOrThrow()).id
  }

  async referralById(id: number): Promise<PartnerReferralRow | undefined> {
    return this.db.selectFrom('partner_referrals').selectAll().where('id', '=', id).executeTakeFirst()
  }

  async updateReferral(id: number, row: Updateable<PartnerReferralsTable>): Promise<void> {
    await this.db.updateTable('partner_referrals').set(row).where('id', '=', id).execute()
  }

  /** An agency's referrals, open ones (sent, accepted) first then the rest, newest first within each. */
  async referralsOfAgency(agencyId: number, states: readonly ReferralState[]): Promise<PartnerReferralRow[]> {
    return this.db
      .selectFrom('partner_referrals')
      .selectAll()
      .where('agency_id', '=', agencyId)
      .where('state', 'in', states)
      .orderBy('sent_at', 'desc')
      .orderBy('id', 'desc')
      .execute()
  }

  async referralsOfCrime(forceId: number, crimeId: number) {
    return this.db
      .selectFrom('partner_referrals as r')
      .innerJoin('partner_agencies as a', 'a.id', 'r.agency_id')
      .selectAll('r')
      .select('a.name as agency_name')
      .where('r.force_id', '=', forceId)
      .where('r.crime_id', '=', crimeId)
      .orderBy('r.id', 'desc')
      .execute()
  }

  async insertEvent(row: Insertable<PartnerReferralEventsTable>): Promise<number> {
    return (await this.db.insertInto('partner_referral_events').values(row).returning('id').executeTakeFirstOrThrow())
      .id
  }

  async eventsOfReferral(referralId: number): Promise<ReferralEventRow[]> {
    return this.db
      .selectFrom('partner_referral_events')
      .selectAll()
      .where('referral_id', '=', referralId)
      .orderBy('id')
      .execute()
  }

  async eventsOfCrime(forceId: number, crimeId: number) {
    return this.db
      .selectFrom('partner_referral_events as e')
      .innerJoin('partner_referrals as r', 'r.id', 'e.referral_id')
      .innerJoin('partner_agencies as a', 'a.id', 'r.agency_id')
      .selectAll('e')
      .select(['a.name as agency_name', 'r.outcome', 'r.outcome_note', 'r.decline_reason'])
      .where('e.force_id', '=', forceId)
      .where('e.crime_id', '=', crimeId)
      .orderBy('e.id')
      .execute()
  }

  /** Events of the asked kinds on the force's crimes (all, or those named), for the obligation source. */
  async eventsOfKinds(forceId: number, kinds: readonly ReferralEventKind[], crimeIds?: readonly number[]) {
    let query = this.db
      .selectFrom('partner_referral_events')
      .select(['crime_id', 'kind', 'on_day', 'recorded_at', 'by_name', 'by_id', 'result'])
      .where('force_id', '=', forceId)
      .where('kind', 'in', kinds as ReferralEventKind[])
    if (crimeIds) query = query.where('crime_id', 'in', crimeIds as number[])
    return query.orderBy('id').execute()
  }

  // ---- Disclosures ------------------------------------------------------------------------------------------------

  async insertDisclosure(row: Insertable<PartnerDisclosuresTable>): Promise<number> {
    return (await this.db.insertInto('partner_disclosures').values(row).returning('id').executeTakeFirstOrThrow()).id
  }

  /** The force's disclosures, newest first; to one agency, or about one person, when asked. */
  async disclosures(
    forceId: number,
    filter: { agencyId?: number; personId?: number; crimeId?: number } = {},
  ): Promise<DisclosureWithAgency[]> {
    let query = this.db
      .selectFrom('partner_disclosures as d')
      .innerJoin('partner_agencies as a', 'a.id', 'd.agency_id')
      .innerJoin('crimes as c', 'c.id', 'd.crime_id')
      .selectAll('d')
      .select(['a.name as agency_name', 'c.force_reference as crime_reference'])
      .where('d.force_id', '=', forceId)
    if (filter.agencyId !== undefined) query = query.where('d.agency_id', '=', filter.agencyId)
    if (filter.personId !== undefined) query = query.where('d.person_id', '=', filter.personId)
    if (filter.crimeId !== undefined) query = query.where('d.crime_id', '=', filter.crimeId)
    return query.orderBy('d.disclosed_at', 'desc').orderBy('d.id', 'desc').execute()
  }

  // ---- Panels -----------------------------------------------------------------------------------------------------

  async insertMeeting(row: Insertable<PanelMeetingsTable>): Promise<number> {
    return (await this.db.insertInto('panel_meetings').values(row).returning('id').executeTakeFirstOrThrow()).id
  }

  async meetingsOf(forceId: number): Promise<PanelMeetingRow[]> {
    return this.db
      .selectFrom('panel_meetings')
      .selectAll()
      .where('force_id', '=', forceId)
      .orderBy('held_on', 'desc')
      .orderBy('id', 'desc')
      .limit(200)
      .execute()
  }

  async meetingById(forceId: number, id: number): Promise<PanelMeetingRow | undefined> {
    return this.db
      .selectFrom('panel_meetings')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('id', '=', id)
      .executeTakeFirst()
  }

  async insertAttendee(row: Insertable<PanelAttendeesTable>): Promise<void> {
    await this.db.insertInto('panel_attendees').values(row).execute()
  }

  async attendeesOf(meetingId: number) {
    return this.db
      .selectFrom('panel_attendees as t')
      .innerJoin('partner_agencies as a', 'a.id', 't.agency_id')
      .select(['t.agency_id', 't.attendee', 'a.name as agency_name'])
      .where('t.meeting_id', '=', meetingId)
      .orderBy('a.name')
      .execute()
  }

  async insertPanelCase(row: Insertable<PanelCasesTable>): Promise<number> {
    return (await this.db.insertInto('panel_cases').values(row).returning('id').executeTakeFirstOrThrow()).id
  }

  async casesOfMeeting(meetingId: number) {
    return this.db
      .selectFrom('panel_cases as p')
      .innerJoin('crimes as c', 'c.id', 'p.crime_id')
      .selectAll('p')
      .select('c.force_reference as crime_reference')
      .where('p.meeting_id', '=', meetingId)
      .orderBy('p.id')
      .execute()
  }

  async panelCasesOfCrime(forceId: number, crimeId: number) {
    return this.db
      .selectFrom('panel_cases as p')
      .innerJoin('panel_meetings as m', 'm.id', 'p.meeting_id')
      .selectAll('p')
      .select(['m.panel', 'm.held_on'])
      .where('p.force_id', '=', forceId)
      .where('p.crime_id', '=', crimeId)
      .orderBy('m.held_on', 'desc')
      .orderBy('p.id', 'desc')
      .execute()
  }

  async insertAction(row: Insertable<PanelActionsTable>): Promise<number> {
    return (await this.db.insertInto('panel_actions').values(row).returning('id').executeTakeFirstOrThrow()).id
  }

  private actionsWithContext() {
    return this.db
      .selectFrom('panel_actions as x')
      .innerJoin('partner_agencies as a', 'a.id', 'x.agency_id')
      .innerJoin('panel_meetings as m', 'm.id', 'x.meeting_id')
      .innerJoin('panel_cases as p', 'p.id', 'x.panel_case_id')
      .innerJoin('crimes as c', 'c.id', 'x.crime_id')
      .selectAll('x')
      .select(['a.name as agency_name', 'm.panel', 'm.held_on', 'c.force_reference as crime_reference', 'p.subject'])
  }

  /** An agency's actions: open first (soonest due first), then done. */
  async actionsOfAgency(agencyId: number): Promise<ActionWithContext[]> {
    return this.actionsWithContext()
      .where('x.agency_id', '=', agencyId)
      .orderBy('x.state', 'desc')
      .orderBy('x.due_on')
      .orderBy('x.id')
      .execute()
  }

  async actionsOfMeeting(meetingId: number): Promise<ActionWithContext[]> {
    return this.actionsWithContext().where('x.meeting_id', '=', meetingId).orderBy('x.id').execute()
  }

  async actionsOfCrime(forceId: number, crimeId: number): Promise<ActionWithContext[]> {
    return this.actionsWithContext()
      .where('x.force_id', '=', forceId)
      .where('x.crime_id', '=', crimeId)
      .orderBy('x.id')
      .execute()
  }

  async actionById(id: number): Promise<ActionWithContext | undefined> {
    return this.actionsWithContext().where('x.id', '=', id).executeTakeFirst()
  }

  async updateAction(id: number, row: Updateable<PanelActionsTable>): Promise<void> {
    await this.db.updateTable('panel_actions').set(row).where('id', '=', id).execute()
  }

  /** Panel actions on the force's crimes (all, or those named), for the obligation source. */
  async actionsForObligations(forceId: number, crimeIds?: readonly number[]) {
    let query = this.db
      .selectFrom('panel_actions')
      .select(['crime_id', 'recorded_at', 'state', 'done_on', 'done_by', 'updated_at'])
      .where('force_id', '=', forceId)
    if (crimeIds) query = query.where('crime_id', 'in', crimeIds as number[])
    return query.orderBy('id').execute()
  }

  // ---- API keys ---------------------------------------------------------------------------------------------------

  async insertApiKey(row: Insertable<PartnerApiKeysTable>): Promise<number> {
    return (await this.db.insertInto('partner_api_keys').values(row).returning('id').executeTakeFirstOrThrow()).id
  }

  async apiKeysOf(forceId: number, agencyId: number) {
    return this.db
      .selectFrom('partner_api_keys')
      .select(['id', 'name', 'prefix', 'created_by', 'created_at', 'revoked_at', 'last_used_at'])
      .where('force_id', '=', forceId)
      .where('agency_id', '=', agencyId)
      .orderBy('id', 'desc')
      .execute()
  }

  async apiKeyById(forceId: number, id: number) {
    return this.db
      .selectFrom('partner_api_keys')
      .select(['id', 'agency_id', 'prefix', 'revoked_at'])
      .where('force_id', '=', forceId)
      .where('id', '=', id)
      .executeTakeFirst()
  }

  async apiKeyByHash(hash: string) {
    return this.db
      .selectFrom('partner_api_keys as k')
      .innerJoin('partner_agencies as a', 'a.id', 'k.agency_id')
      .select(['k.id', 'k.force_id', 'k.agency_id', 'k.prefix', 'k.revoked_at', 'a.name as agency_name'])
      .where('k.key_hash', '=', hash)
      .executeTakeFirst()
  }

  async revokeApiKey(id: number, by: string, at: string): Promise<void> {
    await this.db.updateTable('partner_api_keys').set({ revoked_by: by, revoked_at: at }).where('id', '=', id).execute()
  }

  async touchApiKey(id: number, at: string): Promise<void> {
    await this.db.updateTable('partner_api_keys').set({ last_used_at: at }).where('id', '=', id).execute()
  }

  // ---- Perpetrator programmes -------------------------------------------------------------------------------------

  async insertProgramme(row: Insertable<PerpetratorProgrammesTable>): Promise<number> {
    return (await this.db.insertInto('perpetrator_programmes').values(row).returning('id').executeTakeFirstOrThrow()).id
  }

  async programmeById(forceId: number, id: number) {
    return this.db
      .selectFrom('perpetrator_programmes')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('id', '=', id)
      .executeTakeFirst()
  }

  async updateProgramme(id: number, row: Updateable<PerpetratorProgrammesTable>): Promise<void> {
    await this.db.updateTable('perpetrator_programmes').set(row).where('id', '=', id).execute()
  }

  async programmesOfCrime(forceId: number, crimeId: number) {
    return this.db
      .selectFrom('perpetrator_programmes as g')
      .leftJoin('partner_agencies as a', 'a.id', 'g.agency_id')
      .selectAll('g')
      .select('a.name as agency_name')
      .where('g.force_id', '=', forceId)
      .where('g.crime_id', '=', crimeId)
      .orderBy('g.id')
      .execute()
  }

  // ---- Measures (counts only) -------------------------------------------------------------------------------------

  /** Referrals sent in the period (ISO instants, to exclusive) by the kind of organisation, with their state. */
  async referralsSentBetween(forceId: number, from: string, to: string) {
    return this.db
      .selectFrom('partner_referrals')
      .select(['kind', 'state'])
      .where('force_id', '=', forceId)
      .where('sent_at', '>=', from)
      .where('sent_at', '<', to)
      .execute()
  }

  /** Programmes referred to in the period ('YYYY-MM-DD' days, to exclusive), with how they ended. */
  async programmesReferredBetween(forceId: number, fromDay: string, toDay: string) {
    return this.db
      .selectFrom('perpetrator_programmes')
      .select(['person_id', 'started_on', 'ending'])
      .where('force_id', '=', forceId)
      .where('referred_on', '>=', fromDay)
      .where('referred_on', '<', toDay)
      .execute()
  }
}
