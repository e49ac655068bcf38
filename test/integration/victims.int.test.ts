// Victims' Code rights and access to support (Recommendation 14) on both dialects: the support directory and its
// rules, rights, needs assessments and referrals recorded with who and when, the form's messages, another force's
// crime refused, a read-only role refused, the force's measures (and the live figures built from them), and an audit
// row for every change and read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CrimeDatabase } from '../../src/crime/index.ts'
import { createPlatformServices } from '../../src/compositionRoot.ts'
import { loadConfig } from '../../src/config.ts'
import { createCrimeServices, type CrimeServices } from '../../src/crime/index.ts'
import { CrimeProfileQueries } from '../../src/crime/data/crimeProfileQueries.ts'
import { InsightService } from '../../src/insight/services/insightService.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { ForbiddenError, Permissions, type Role } from '../../src/platform/services/permissions.ts'
import { createVictimServices, type VictimServices } from '../../src/victims/index.ts'
import { VictimInputError, type Viewer } from '../../src/victims/services/victimService.ts'
import { DIALECTS, createTestDatabase, type TestDatabase, asAreaDatabase } from '../support/databases.ts'
import { courseOfConduct, crime, items, party } from './crime-fixtures.ts'

const FORCE = 'Demoshire Police'
const OTHER_FORCE = 'Northmoor Constabulary'
const PERIOD = { from: '2024-01-01T00:00:00.000Z', to: '2025-01-01T00:00:00.000Z' }

describe.each(DIALECTS)('Victim care on %s', (dialect) => {
  let database: TestDatabase
  let platform: ReturnType<typeof createPlatformServices>
  let crimes: CrimeServices
  let victims: VictimServices
  let officer: Viewer
  let admin: Viewer
  const ids = new Map<string, number>()
  const people = new Map<string, number>()
  const services = new Map<string, number>()
  const id = (reference: string) => ids.get(reference) as number
  const person = (surname: string) => people.get(surname) as number
  const service = (name: string) => services.get(name) as number

  const viewerAs = (roles: Role[], forceId: number, username = 'pc.carter'): Viewer => ({
    actor: { actorId: 7, actorUsername: username, forceId, requestId: 'req-1' },
    forceId,
    permissions: new Permissions({ id: 7, username, displayName: username, forceId, forceName: FORCE, roles }),
  })
  const inputErrors = async (run: Promise<unknown>): Promise<Record<string, string>> => {
    const error = await run.then(
      () => null,
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(VictimInputError)
    return (error as VictimInputError).errors
  }
  const auditOf = (action: string) =>
    platform.db.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('id', 'desc').execute()
  const rowCount = async (table: 'victim_rights' | 'victim_needs_assessments' | 'victim_referrals') =>
    (await platform.db.selectFrom(table).selectAll().execute()).length

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    platform = createPlatformServices(loadConfig({ NODE_ENV: 'test' }), database.handle)
    crimes = createCrimeServices(platform)
    victims = createVictimServices(platform, { crime: crimes })
    const records = [
      ...courseOfConduct(),
      crime({
        forceReference: 'DS/0100/24',
        principal: '8Q',
        reportedAt: '2024-06-01T09:00:00Z',
        parties: [
          party({ personRef: 'P-V-3', forename: 'Dana', surname: 'Pike' }),
          party({ personRef: 'P-V-4', forename: 'Eli', surname: 'Rook' }),
        ],
      }),
      crime({
        forceReference: 'DS/0101/24',
        principal: '8Q',
        reportedAt: '2023-01-01T10:00:00Z',
        parties: [party({ personRef: 'P-V-5', forename: 'Fay', surname: 'Holt' })],
      }),
      crime({
        forceReference: 'DS/0102/24',
        principal: '45',
        narrative: 'Theft from a vehicle.',
        parties: [party({ personRef: 'P-V-6', forename: 'Gus', surname: 'Lane' })],
      }),
    ]
    expect((await crimes.importer.importRecords(SYSTEM_ACTOR, items(records), { force: FORCE })).problems).toEqual([])
    const other = [crime({ forceReference: 'NM/0001/24', principal: '8Q', parties: [party({ personRef: 'N-1' })] })]
    expect((await crimes.importer.importRecords(SYSTEM_ACTOR, items(other), { force: OTHER_FORCE })).problems).toEqual(
      [],
    )
    for (const row of await platform.db.selectFrom('crimes').select(['id', 'force_reference']).execute()) {
      ids.set(row.force_reference, row.id)
    }
    const forceId = (await crimes.repository.forceByName(FORCE))!.id
    const own = await platform.db
      .selectFrom('people')
      .select(['id', 'surname'])
      .where('force_id', '=', forceId)
      .execute()
    for (const row of own) people.set(row.surname ?? '', row.id)
    officer = viewerAs(['officer'], forceId)
    admin = viewerAs(['force_admin'], forceId, 'chris.admin')
  })
  afterAll(() => database.drop())

  it('keeps a directory that force admins edit and officers read; contact details are checked, never invented', async () => {
    expect(await inputErrors(victims.service.addService(admin, {}))).toEqual({
      name: 'Enter the name of the service',
      kind: 'Choose whether the service is national or local',
    })
    expect(
      await inputErrors(
        victims.service.addService(admin, {
          name: 'Helpline',
          kind: 'national',
          website: 'http://www.example.org',
          phone: 'call us',
        }),
      ),
    ).toEqual({
      phone: 'Enter the phone number in digits, for example 0808 157 0000, or leave it blank',
      website:
        'Enter the website address starting with https://, for example https://www.example.org.uk, or leave it blank',
    })
    await expect(victims.service.addService(officer, { name: 'X', kind: 'local' })).rejects.toBeInstanceOf(
      ForbiddenError,
    )
    for (const entry of [
      { name: 'Demoshire Stalking Advocacy Service', kind: 'local', areaCovered: 'Demoshire' },
      { name: 'National Stalking Helpline', kind: 'national', phone: ' 0808 802 0300 ', website: 'https://x.org.uk' },
      { name: 'Victim Support', kind: 'national' },
      { name: 'Closed Service', kind: 'local', listed: 'no' },
    ]) {
      const { serviceId } = await victims.service.addService(admin, entry)
      services.set(entry.name, serviceId)
    }
    const stored = await platform.db
      .selectFrom('support_services')
      .selectAll()
      .where('id', '=', service('National Stalking Helpline'))
      .executeTakeFirstOrThrow()
    expect(stored).toMatchObject({ phone: '0808 802 0300', website: 'https://x.org.uk', listed: 1, area_covered: '' })
    // Officers see listed services, national first; editors see every one.
    expect((await victims.service.directory(officer)).map((s) => s.name)).toEqual([
      'National Stalking Helpline',
      'Victim Support',
      'Demoshire Stalking Advocacy Service',
    ])
    expect(await victims.service.directory(admin, { all: true })).toHaveLength(4)
    expect(await victims.service.directory(officer, { all: true })).toHaveLength(3)
    await expect(victims.service.directory(viewerAs(['partner'], officer.forceId))).rejects.toBeInstanceOf(
      ForbiddenError,
    )
    // The public list is found by the force's code, and only lists listed services.
    const published = await victims.service.publicDirectory('demoshire')
    expect(published?.force.name).toBe(FORCE)
    expect(published?.services.map((s) => s.name)).not.toContain('Closed Service')
    expect(await victims.service.publicDirectory('nowhere')).toBeUndefined()
    expect(await victims.service.publicDirectory('../x')).toBeUndefined()
    const [added] = await auditOf('victims.service.added')
    expect(added).toMatchObject({ actor_username: 'chris.admin', subject_type: 'support_service' })
    expect(await victims.directoryMeasure(officer.forceId)).toEqual({ listed: 3, national: 2, local: 1 })
  })

  it('changes a service, auditing what changed; another force cannot change it', async () => {
    const closed = service('Closed Service')
    expect(
      await victims.service.updateService(admin, closed, { name: 'Reopened Service', kind: 'local', listed: 'yes' }),
    ).toBe(true)
    const [updated] = await auditOf('victims.service.updated')
    expect(JSON.parse(updated.details)).toEqual({
      name: 'Reopened Service',
      changed: { name: 'Reopened Service', listed: 1 },
    })
    await victims.service.updateService(admin, closed, { name: 'Closed Service', kind: 'local', listed: 'no' })
    const otherAdmin = viewerAs(['force_admin'], (await crimes.repository.forceByName(OTHER_FORCE))!.id)
    expect(await victims.service.updateService(otherAdmin, closed, { name: 'Taken', kind: 'local' })).toBe(false)
    expect((await victims.service.service(admin, closed))?.name).toBe('Closed Service')
  })

  it('records that a victim was told of their rights, with who and when, audited in the same transaction', async () => {
    const { rightsId } = await victims.service.recordRights(officer, id('DS/0001/24'), person('Quill'), {
      toldOn: ' 2024-03-06 ',
      method: 'phone',
      enhanced: 'yes',
    })
    const stored = await platform.db
      .selectFrom('victim_rights')
      .selectAll()
      .where('id', '=', rightsId)
      .executeTakeFirstOrThrow()
    expect(stored).toMatchObject({
      force_id: officer.forceId,
      crime_id: id('DS/0001/24'),
      person_id: person('Quill'),
      told_on: '2024-03-06',
      method: 'phone',
      enhanced: 1,
      recorded_by: 'pc.carter',
      recorded_by_id: 7,
    })
    expect(Date.now() - Date.parse(stored.recorded_at)).toBeLessThan(60_000)
    const [audit] = await auditOf('victims.rights.recorded')
    expect(audit).toMatchObject({ actor_username: 'pc.carter', subject_type: 'crime', request_id: 'req-1' })
    expect(audit.subject_id).toBe(String(id('DS/0001/24')))
    expect(JSON.parse(audit.details)).toMatchObject({ rightsId, personId: person('Quill'), method: 'phone' })
  })

  it('refuses bad input with a message naming each field, writing nothing', async () => {
    const before = await Promise.all([rowCount('victim_rights'), rowCount('victim_needs_assessments')])
    const rights = (body: Record<string, unknown>) =>
      inputErrors(victims.service.recordRights(officer, id('DS/0003/24'), person('Marsh'), body))
    expect(await rights({})).toEqual({
      toldOn: 'Enter the date the victim was told of their rights as a real date',
      method: 'Choose how the victim was told of their rights',
      enhanced: 'Choose whether the victim is entitled to enhanced rights',
    })
    expect(await rights({ toldOn: '1/5/2024', method: 'pigeon', enhanced: 'yes' })).toEqual({
      toldOn: 'Enter the date the victim was told of their rights as a real date, for example 27 3 2025',
      method: 'Choose how the victim was told of their rights',
    })
    expect(await rights({ toldOn: '2024-02-30', method: 'letter', enhanced: 'no' })).toEqual({
      toldOn: 'Enter the date the victim was told of their rights as a real date',
    })
    expect(await rights({ toldOn: '2999-01-01', method: 'letter', enhanced: 'no' })).toEqual({
      toldOn: 'The date the victim was told of their rights must be today or in the past',
    })
    // DS/0003/24 was reported on 2024-05-01.
    expect(await rights({ toldOn: '2024-04-30', method: 'letter', enhanced: 'no' })).toEqual({
      toldOn:
        'The date the victim was told of their rights must be on or after the date the crime was reported (2024-05-01)',
    })
    const needs = (body: Record<string, unknown>) =>
      inputErrors(victims.service.recordAssessment(officer, id('DS/0003/24'), person('Marsh'), body))
    expect(await needs({})).toEqual({
      assessedOn: 'Enter the date the needs assessment was completed as a real date',
      needs: 'Choose the needs identified, or none identified',
      supportWanted: 'Choose whether the victim would like to be referred for support',
    })
    expect(await needs({ assessedOn: '2024-05-02', needs: ['none', 'housing'], supportWanted: 'yes' })).toEqual({
      needs: 'Choose none identified on its own, or untick it to choose needs',
    })
    expect(await needs({ assessedOn: '2024-05-02', needs: 'flying', supportWanted: 'maybe' })).toEqual({
      needs: 'Choose the needs identified from the list',
      supportWanted: 'Choose whether the victim would like to be referred for support',
    })
    // The suspect is not a victim of the crime, and a victim of one crime is not the victim of another.
    expect(
      await inputErrors(
        victims.service.recordRights(officer, id('DS/0001/24'), person("O'Neill-Hart"), {
          toldOn: '2024-03-06',
          method: 'phone',
          enhanced: 'yes',
        }),
      ),
    ).toEqual({ person: 'This person is not recorded as a victim of this crime' })
    expect(
      await inputErrors(victims.service.recordAssessment(officer, id('DS/0003/24'), person('Quill'), {})),
    ).toHaveProperty('person')
    expect(await inputErrors(victims.service.recordRights(officer, 999_999, person('Quill'), {}))).toHaveProperty(
      'crime',
    )
    expect(await Promise.all([rowCount('victim_rights'), rowCount('victim_needs_assessments')])).toEqual(before)
  })

  it('records needs assessments (the latest counts) and referrals to listed services, then updates an outcome', async () => {
    const { assessmentId } = await victims.service.recordAssessment(officer, id('DS/0001/24'), person('Quill'), {
      assessedOn: '2024-03-07',
      needs: ['housing', 'advocacy', 'safety'],
      supportWanted: 'yes',
      notes: ' Prefers contact after 5pm ',
    })
    const stored = await platform.db
      .selectFrom('victim_needs_assessments')
      .selectAll()
      .where('id', '=', assessmentId)
      .executeTakeFirstOrThrow()
    // Needs are kept in the form's order, whatever order they came in.
    expect(JSON.parse(stored.needs)).toEqual(['safety', 'advocacy', 'housing'])
    expect(stored).toMatchObject({
      assessed_by: 'pc.carter',
      support_wanted: 'yes',
      notes: 'Prefers contact after 5pm',
    })

    const refer = (body: Record<string, unknown>) =>
      victims.service.recordReferral(officer, id('DS/0001/24'), person('Quill'), body)
    expect(await inputErrors(refer({}))).toEqual({
      serviceId: 'Choose the service the victim was referred to',
      referredOn: 'Enter the date of the referral as a real date',
      consented: 'Choose whether the victim consented to the referral',
    })
    expect(
      await inputErrors(
        refer({
          serviceId: String(service('Victim Support')),
          referredOn: '2024-03-15',
          consented: 'yes',
          outcome: 'accepted',
          outcomeOn: '2024-03-14',
        }),
      ),
    ).toEqual({ outcomeOn: 'The date of the outcome must be on or after the date of the referral' })
    // An unlisted service, or another force's, cannot be chosen.
    expect(
      await inputErrors(
        refer({ serviceId: String(service('Closed Service')), referredOn: '2024-03-15', consented: 'yes' }),
      ),
    ).toEqual({ serviceId: "Choose a service from your force's support directory" })

    const first = await refer({
      serviceId: String(service('Demoshire Stalking Advocacy Service')),
      referredOn: '2024-03-15',
      consented: 'yes',
    })
    await refer({ serviceId: String(service('Victim Support')), referredOn: '2024-03-20', consented: 'yes' })
    const [made] = await auditOf('victims.referral.made')
    expect(JSON.parse(made.details)).toMatchObject({ service: 'Victim Support', consented: 1, outcome: 'pending' })

    const update = (body: Record<string, unknown>) =>
      victims.service.updateReferralOutcome(officer, id('DS/0001/24'), first.referralId, body)
    expect(await inputErrors(update({}))).toEqual({ outcome: 'Choose the outcome of the referral' })
    expect(await inputErrors(update({ outcome: 'accepted', outcomeOn: '2024-03-01' }))).toEqual({
      outcomeOn: 'The date of the outcome must be on or after the date of the referral (2024-03-15)',
    })
    // A referral is changed only through its own crime.
    expect(
      await inputErrors(
        victims.service.updateReferralOutcome(officer, id('DS/0003/24'), first.referralId, { outcome: 'closed' }),
      ),
    ).toHaveProperty('referral')
    await update({ outcome: 'accepted', outcomeOn: '2024-03-18' })
    const [updated] = await auditOf('victims.referral.updated')
    expect(JSON.parse(updated.details)).toMatchObject({
      referralId: first.referralId,
      from: { outcome: 'pending', outcomeOn: null },
      to: { outcome: 'accepted', outcomeOn: '2024-03-18' },
    })

    const view = (await victims.service.crimeView(officer, id('DS/0001/24')))!
    expect(view.victims.map((v) => v.name)).toEqual(['Ada Quill'])
    const [ada] = view.victims
    expect(ada.latestRights).toMatchObject({ told_on: '2024-03-06', methodLabel: 'By phone', enhanced: 1 })
    expect(ada.latestAssessment).toMatchObject({
      needs: ['safety', 'advocacy', 'housing'],
      supportLabel: 'Would like to be referred for support',
    })
    expect(ada.referrals.map((r) => [r.service_name, r.outcome, r.outcome_on])).toEqual([
      ['Victim Support', 'pending', null],
      ['Demoshire Stalking Advocacy Service', 'accepted', '2024-03-18'],
    ])
    expect(ada.referralDue).toBe(false)
    const [viewed] = await auditOf('victims.care.viewed')
    expect(viewed.subject_id).toBe(String(id('DS/0001/24')))
    expect(JSON.parse(viewed.details)).toMatchObject({ victims: 1, rights: 1, assessments: 1, referrals: 2 })
    expect(await victims.service.crimeView(officer, 999_999)).toBeUndefined()

    // A victim who would like support and has no referral is flagged as due.
    await victims.service.recordAssessment(officer, id('DS/0003/24'), person('Marsh'), {
      assessedOn: '2024-05-02',
      needs: 'none',
      supportWanted: 'declined',
    })
    await victims.service.recordAssessment(officer, id('DS/0003/24'), person('Marsh'), {
      assessedOn: '2024-05-09',
      needs: ['emotional'],
      supportWanted: 'yes',
    })
    const cleo = (await victims.service.crimeView(officer, id('DS/0003/24')))!.victims[0]
    expect(cleo.assessments.map((a) => a.support_wanted)).toEqual(['yes', 'declined'])
    expect(cleo.referralDue).toBe(true)
  })

  it("refuses another force's crime for reading and recording, writing nothing", async () => {
    const before = await rowCount('victim_rights')
    const nm = id('NM/0001/24')
    const nmVictim = (await crimes.repository.partiesOf(nm))[0].person_id
    await expect(victims.service.crimeView(officer, nm)).rejects.toBeInstanceOf(ForbiddenError)
    await expect(
      victims.service.recordRights(officer, nm, nmVictim, { toldOn: '2024-03-06', method: 'phone', enhanced: 'yes' }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    // The force is checked before the input.
    await expect(victims.service.recordAssessment(officer, nm, nmVictim, {})).rejects.toBeInstanceOf(ForbiddenError)
    await expect(victims.service.recordReferral(officer, nm, nmVictim, {})).rejects.toBeInstanceOf(ForbiddenError)
    expect(await rowCount('victim_rights')).toBe(before)
  })

  it('an analyst (read only) may view but not record', async () => {
    const analyst = viewerAs(['analyst'], officer.forceId)
    expect(await victims.service.crimeView(analyst, id('DS/0003/24'))).toBeDefined()
    await expect(
      victims.service.recordRights(analyst, id('DS/0003/24'), person('Marsh'), {
        toldOn: '2024-05-02',
        method: 'phone',
        enhanced: 'yes',
      }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    await expect(victims.service.addService(analyst, { name: 'X', kind: 'local' })).rejects.toBeInstanceOf(
      ForbiddenError,
    )
  })

  it("measures the force's stalking victims in the period: rights, needs, support wanted, referred", async () => {
    await victims.service.recordRights(officer, id('DS/0003/24'), person('Marsh'), {
      toldOn: '2024-05-01',
      method: 'in_person',
      enhanced: 'yes',
    })
    await victims.service.recordAssessment(officer, id('DS/0100/24'), person('Pike'), {
      assessedOn: '2024-06-02',
      needs: ['practical'],
      supportWanted: 'declined',
    })
    // Outside the period, and not stalking: neither counts in the measure.
    for (const [reference, surname] of [
      ['DS/0101/24', 'Holt'],
      ['DS/0102/24', 'Lane'],
    ]) {
      await victims.service.recordRights(officer, id(reference), person(surname), {
        toldOn: '2024-03-06',
        method: 'letter',
        enhanced: 'no',
      })
      await victims.service.recordAssessment(officer, id(reference), person(surname), {
        assessedOn: '2024-03-06',
        needs: 'none',
        supportWanted: 'yes',
      })
    }
    // Referrals on DS/0101/24 (an 8Q crime reported in 2023) count by the month they were made.
    for (const referredOn of ['2024-02-10', '2024-04-05']) {
      await victims.service.recordReferral(officer, id('DS/0101/24'), person('Holt'), {
        serviceId: String(service('Victim Support')),
        referredOn,
        consented: 'yes',
      })
    }
    await victims.service.recordReferral(officer, id('DS/0102/24'), person('Lane'), {
      serviceId: String(service('Victim Support')),
      referredOn: '2024-03-10',
      consented: 'yes',
    })

    // In the period with 8Q: Ada (DS/0001/24: told, assessed wanting support, referred 10 days after report), Cleo
    // (DS/0003/24: told, latest assessment wants support, not referred), Dana (DS/0100/24: declined) and Eli (nothing).
    expect(await victims.victimMeasure(officer.forceId, PERIOD)).toEqual({
      victims: 4,
      rightsTold: 2,
      needsAssessed: 3,
      wantedSupport: 2,
      declinedSupport: 1,
      referredOfWanting: 1,
      referred: 1,
      medianDaysToReferral: 10,
    })
    const detail = await victims.service.measureDetail(officer.forceId, PERIOD)
    expect(detail.referralsByService).toEqual([
      {
        service: 'Demoshire Stalking Advocacy Service',
        total: 1,
        outcomes: { pending: 0, accepted: 1, declined: 0, no_contact: 0, closed: 0 },
      },
      {
        service: 'Victim Support',
        total: 1,
        outcomes: { pending: 1, accepted: 0, declined: 0, no_contact: 0, closed: 0 },
      },
    ])
    // Cleo would like support and has no referral: her crime is listed to act on.
    expect(detail.awaitingReferral).toEqual([
      { crimeId: id('DS/0003/24'), reference: 'DS/0003/24', reportedOn: '2024-05-01' },
    ])
    const otherForce = (await crimes.repository.forceByName(OTHER_FORCE))!.id
    expect(await victims.victimMeasure(otherForce, PERIOD)).toMatchObject({ victims: 1, rightsTold: 0, referred: 0 })

    // By month made, February to May: Response North 1, 2, 1, 0 (median 1: May is low); the Stalking Unit has a
    // stalking crime reported in the range and no referral at all. The theft's referral does not count.
    const monthly = await victims.service.referralsByTeamAndMonth(officer.forceId, '2024-02-01', '2024-05-31')
    expect(monthly.months).toEqual(['2024-02', '2024-03', '2024-04', '2024-05'])
    const shape = (row: (typeof monthly)['force']) => [row.team, row.counts.map((c) => [c.count, c.low]), row.median]
    expect(shape(monthly.force)).toEqual([
      'Whole force',
      [
        [1, false],
        [2, false],
        [1, false],
        [0, true],
      ],
      1,
    ])
    expect(monthly.teams.map(shape)).toEqual([
      [
        'Response North',
        [
          [1, false],
          [2, false],
          [1, false],
          [0, true],
        ],
        1,
      ],
      [
        'Stalking Unit',
        [
          [0, false],
          [0, false],
          [0, false],
          [0, false],
        ],
        0,
      ],
    ])
  })

  it("gives the action plan live figures for 14.1 to 14.5 through the victims area's service", async () => {
    const insight = new InsightService(new CrimeProfileQueries(asAreaDatabase<CrimeDatabase>(platform.db)), () => [
      '8Q',
    ])
    const today = new Date('2024-12-31T12:00:00Z')
    expect((await insight.evidenceFigures(officer.forceId, ['14.1'], today)).size).toBe(0)
    insight.useVictimFigures({
      victimMeasure: (forceId, period) => victims.victimMeasure(forceId, period),
      directoryMeasure: (forceId) => victims.directoryMeasure(forceId),
    })
    const figures = await insight.evidenceFigures(officer.forceId, ['14.1', '14.2', '14.3', '14.4', '14.5'], today)
    expect(figures.get('14.1')![0]).toMatchObject({
      id: 'needs_assessed',
      numerator: 3,
      denominator: 4,
      percent: 75,
      value: '75% (3 of 4)',
    })
    expect(figures.get('14.2')![0]).toMatchObject({ id: 'rights_told', numerator: 2, denominator: 4, percent: 50 })
    expect(figures.get('14.3')![0]).toMatchObject({
      id: 'support_directory',
      numerator: 3,
      value: '3 (2 national, 1 local)',
    })
    const [referred] = figures.get('14.4')!
    expect(referred).toMatchObject({
      id: 'victims_referred',
      numerator: 1,
      denominator: 2,
      percent: 50,
      value: '50% (1 of 2); 1 declined support; median 10 days from report to referral',
      sentence:
        'Threadline records, 1 Jan 2024 to 31 Dec 2024: 50% of stalking victims who wanted support were referred (1 of 2); 1 declined support; median 10 days from report to referral.',
    })
    expect(figures.get('14.5')![0].id).toBe('victims_referred')
  })
})
