// Stalking Protection Orders on both dialects: considerations recorded with who and when, the form's rules and their
// messages, a breach refused without an order, another force's crime refused, the force's measure (and the live
// figure built from it), and an audit row for every change and read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CrimeDatabase } from '../../src/crime/index.ts'
import { createPlatformServices } from '../../src/compositionRoot.ts'
import { loadConfig } from '../../src/config.ts'
import { createCrimeServices, type CrimeServices } from '../../src/crime/index.ts'
import { CrimeProfileQueries } from '../../src/crime/data/crimeProfileQueries.ts'
import { InsightService } from '../../src/insight/services/insightService.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { ForbiddenError, Permissions } from '../../src/platform/services/permissions.ts'
import { createSafeguardingServices, type SafeguardingServices } from '../../src/safeguarding/index.ts'
import { SafeguardingInputError, type Viewer } from '../../src/safeguarding/services/safeguardingService.ts'
import { DIALECTS, createTestDatabase, type TestDatabase, asAreaDatabase } from '../support/databases.ts'
import { courseOfConduct, crime, items } from './crime-fixtures.ts'

const FORCE = 'Demoshire Police'
const OTHER_FORCE = 'Northmoor Constabulary'
const PERIOD = { from: '2024-01-01T00:00:00.000Z', to: '2025-01-01T00:00:00.000Z' }

describe.each(DIALECTS)('Stalking Protection Orders on %s', (dialect) => {
  let database: TestDatabase
  let platform: ReturnType<typeof createPlatformServices>
  let crimes: CrimeServices
  let safeguarding: SafeguardingServices
  let officer: Viewer
  const ids = new Map<string, number>()
  const id = (reference: string) => ids.get(reference) as number

  const inputErrors = async (run: Promise<unknown>): Promise<Record<string, string>> => {
    const error = await run.then(
      () => null,
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(SafeguardingInputError)
    return (error as SafeguardingInputError).errors
  }
  const auditOf = (action: string) =>
    platform.db.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('id', 'desc').execute()
  const rowCount = async (table: 'spo_considerations' | 'spo_breaches') =>
    (await platform.db.selectFrom(table).selectAll().execute()).length

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    platform = createPlatformServices(loadConfig({ NODE_ENV: 'test' }), database.handle)
    crimes = createCrimeServices(platform)
    safeguarding = createSafeguardingServices(platform, { crime: crimes })
    const records = [
      ...courseOfConduct(),
      crime({ forceReference: 'DS/0100/24', principal: '8Q', reportedAt: '2024-06-01T09:00:00Z' }),
      crime({ forceReference: 'DS/0101/24', principal: '8Q', reportedAt: '2023-01-01T10:00:00Z' }),
      crime({ forceReference: 'DS/0102/24', principal: '45', narrative: 'Theft from a vehicle.' }),
    ]
    expect((await crimes.importer.importRecords(SYSTEM_ACTOR, items(records), { force: FORCE })).problems).toEqual([])
    const other = [crime({ forceReference: 'NM/0001/24', principal: '8Q' })]
    expect((await crimes.importer.importRecords(SYSTEM_ACTOR, items(other), { force: OTHER_FORCE })).problems).toEqual(
      [],
    )
    for (const row of await platform.db.selectFrom('crimes').select(['id', 'force_reference']).execute()) {
      ids.set(row.force_reference, row.id)
    }
    const forceId = (await crimes.repository.forceByName(FORCE))!.id
    const permissions = new Permissions({
      id: 7,
      username: 'pc.carter',
      displayName: 'PC Alex Carter',
      forceId,
      forceName: FORCE,
      roles: ['officer'],
    })
    officer = {
      actor: { actorId: 7, actorUsername: 'pc.carter', forceId, requestId: 'req-1' },
      forceId,
      permissions,
    }
  })
  afterAll(() => database.drop())

  it('records a consideration not to apply with its reason, who and when, audited in the same transaction', async () => {
    const { considerationId } = await safeguarding.service.recordConsideration(officer, id('DS/0001/24'), {
      decision: 'not_apply',
      reason: '  Victim does not support an application at present  ',
      appliedOn: '2024-03-10',
      courtOutcome: 'granted',
    })
    const stored = await platform.db
      .selectFrom('spo_considerations')
      .selectAll()
      .where('id', '=', considerationId)
      .executeTakeFirstOrThrow()
    expect(stored).toMatchObject({
      force_id: officer.forceId,
      crime_id: id('DS/0001/24'),
      decision: 'not_apply',
      reason: 'Victim does not support an application at present',
      considered_by: 'pc.carter',
      considered_by_id: 7,
      // Application fields belong to an application: ignored when not applying.
      applied_on: null,
      interim: null,
      court_outcome: null,
      order_made_on: null,
    })
    expect(Date.now() - Date.parse(stored.considered_at)).toBeLessThan(60_000)
    const [audit] = await auditOf('safeguarding.spo.considered')
    expect(audit).toMatchObject({ actor_username: 'pc.carter', subject_type: 'crime', request_id: 'req-1' })
    expect(audit.subject_id).toBe(String(id('DS/0001/24')))
    expect(JSON.parse(audit.details)).toMatchObject({ considerationId, decision: 'not_apply' })
  })

  it('refuses bad input with a message for each field, writing nothing', async () => {
    const before = await rowCount('spo_considerations')
    const record = (body: Record<string, unknown>) =>
      inputErrors(safeguarding.service.recordConsideration(officer, id('DS/0003/24'), body))
    expect(await record({})).toEqual({
      decision: 'Choose whether to apply for an SPO, not to apply, or that an SPO is already in place',
    })
    expect(await record({ decision: 'not_apply', reason: '   ' })).toEqual({
      reason: 'Enter why an SPO is not being applied for',
    })
    expect(await record({ decision: 'apply' })).toEqual({
      interim: 'Choose whether an interim SPO was applied for',
      courtOutcome: 'Choose the court outcome, or pending if the court has not decided',
    })
    expect(await record({ decision: 'apply', interim: 'no', courtOutcome: 'granted' })).toEqual({
      orderMadeOn: 'Enter the date the order was made, as the court granted it',
    })
    expect(
      await record({ decision: 'apply', interim: 'no', courtOutcome: 'pending', appliedOn: '10/03/2024' }),
    ).toEqual({ appliedOn: 'Enter the date the application was made as a real date, for example 27 3 2025' })
    expect(
      await record({ decision: 'apply', interim: 'no', courtOutcome: 'pending', appliedOn: '2024-02-30' }),
    ).toEqual({ appliedOn: 'Enter the date the application was made as a real date' })
    expect(
      await record({ decision: 'apply', interim: 'no', courtOutcome: 'pending', appliedOn: '2999-01-01' }),
    ).toEqual({ appliedOn: 'The date the application was made must be today or in the past' })
    expect(
      await record({ decision: 'already_in_place', orderMadeOn: '2024-05-01', orderExpiresOn: '2024-04-30' }),
    ).toEqual({ orderExpiresOn: 'The date the order expires must be on or after the date it was made' })
    expect(await record({ decision: 'refuse' })).toHaveProperty('decision')
    expect(await rowCount('spo_considerations')).toBe(before)
  })

  it('refuses a breach until the latest consideration records an order granted or in place', async () => {
    const breach = { occurredOn: '2024-05-20', actionTaken: 'Suspect arrested for breach', breachCrimeReference: '' }
    // Latest is "do not apply".
    expect(await inputErrors(safeguarding.service.recordBreach(officer, id('DS/0001/24'), breach))).toHaveProperty(
      'order',
    )
    // An application still pending is not an order either.
    await safeguarding.service.recordConsideration(officer, id('DS/0003/24'), {
      decision: 'apply',
      appliedOn: '2024-03-20',
      interim: 'yes',
      courtOutcome: 'pending',
    })
    expect(await inputErrors(safeguarding.service.recordBreach(officer, id('DS/0003/24'), breach))).toHaveProperty(
      'order',
    )
    expect(await rowCount('spo_breaches')).toBe(0)
  })

  it('records the order granted, then a breach of it; the history lists the latest first', async () => {
    await safeguarding.service.recordConsideration(officer, id('DS/0001/24'), {
      decision: 'apply',
      appliedOn: '2024-03-12',
      interim: 'yes',
      courtOutcome: 'granted',
      orderMadeOn: '2024-04-02',
      orderExpiresOn: '2026-04-02',
    })
    expect(
      await inputErrors(
        safeguarding.service.recordBreach(officer, id('DS/0001/24'), { occurredOn: '2024-05-20', actionTaken: '' }),
      ),
    ).toEqual({ actionTaken: 'Enter the action taken on the breach' })
    expect(
      await inputErrors(
        safeguarding.service.recordBreach(officer, id('DS/0001/24'), { occurredOn: '2024-03-01', actionTaken: 'x' }),
      ),
    ).toEqual({ occurredOn: 'The date of the breach must be on or after the date the order was made (2024-04-02)' })
    const { breachId } = await safeguarding.service.recordBreach(officer, id('DS/0001/24'), {
      occurredOn: '2024-05-20',
      breachCrimeReference: 'DS/0456/24',
      actionTaken: 'Suspect arrested for breach; victim updated',
    })
    const view = (await safeguarding.service.crimeView(officer, id('DS/0001/24')))!
    expect(view.considerations.map((c) => [c.decision, c.court_outcome])).toEqual([
      ['apply', 'granted'],
      ['not_apply', null],
    ])
    expect(view.latest).toMatchObject({ interim: 1, order_made_on: '2024-04-02', order_expires_on: '2026-04-02' })
    expect(view.orderInForce).toBe(true)
    expect(view.breaches).toEqual([
      expect.objectContaining({
        id: breachId,
        breach_crime_reference: 'DS/0456/24',
        occurred_on: '2024-05-20',
        recorded_by: 'pc.carter',
      }),
    ])
    const [breachAudit] = await auditOf('safeguarding.spo.breach.recorded')
    expect(JSON.parse(breachAudit.details)).toMatchObject({ breachId, breachCrimeReference: 'DS/0456/24' })
    const [viewed] = await auditOf('safeguarding.spo.viewed')
    expect(viewed.subject_id).toBe(String(id('DS/0001/24')))
    expect(await safeguarding.service.crimeView(officer, 999_999)).toBeUndefined()
  })

  it("refuses another force's crime for reading and recording, writing nothing", async () => {
    const before = await rowCount('spo_considerations')
    await expect(safeguarding.service.crimeView(officer, id('NM/0001/24'))).rejects.toBeInstanceOf(ForbiddenError)
    await expect(
      safeguarding.service.recordConsideration(officer, id('NM/0001/24'), { decision: 'not_apply', reason: 'x' }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    // The force is checked before the input: bad input on another force's crime is still refused as forbidden.
    await expect(safeguarding.service.recordConsideration(officer, id('NM/0001/24'), {})).rejects.toBeInstanceOf(
      ForbiddenError,
    )
    await expect(
      safeguarding.service.recordBreach(officer, id('NM/0001/24'), { occurredOn: '2024-05-20', actionTaken: 'x' }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    expect(await rowCount('spo_considerations')).toBe(before)
  })

  it('an analyst (read only) may view but not record', async () => {
    const analyst = {
      ...officer,
      permissions: new Permissions({ ...officer.permissions!.user!, roles: ['analyst'] }),
    }
    expect(await safeguarding.service.crimeView(analyst, id('DS/0003/24'))).toBeDefined()
    await expect(
      safeguarding.service.recordConsideration(analyst, id('DS/0003/24'), { decision: 'not_apply', reason: 'x' }),
    ).rejects.toBeInstanceOf(ForbiddenError)
  })

  it("measures the force's 8Q crimes in the period: considered, applied for, granted, breaches", async () => {
    // Outside the period, and another force's: neither counts.
    await safeguarding.service.recordConsideration(officer, id('DS/0101/24'), {
      decision: 'already_in_place',
      orderMadeOn: '2023-02-01',
    })
    await safeguarding.service.recordBreach(officer, id('DS/0101/24'), {
      occurredOn: '2023-06-01',
      actionTaken: 'Arrested',
    })
    // A non-stalking crime's consideration does not count either.
    await safeguarding.service.recordConsideration(officer, id('DS/0102/24'), { decision: 'not_apply', reason: 'x' })
    const measure = await safeguarding.spoMeasure(officer.forceId, PERIOD)
    // In the period with 8Q: DS/0001/24 (included; latest granted, one breach), DS/0003/24 (principal; pending),
    // DS/0100/24 (principal; not considered).
    expect(measure).toEqual({ stalkingCrimes: 3, considered: 2, appliedFor: 2, granted: 1, breaches: 1 })
    const otherForce = (await crimes.repository.forceByName(OTHER_FORCE))!.id
    expect(await safeguarding.spoMeasure(otherForce, PERIOD)).toEqual({
      stalkingCrimes: 1,
      considered: 0,
      appliedFor: 0,
      granted: 0,
      breaches: 0,
    })
  })

  it('gives the action plan its live figure for 13.1 and 13.2 through the safeguarding service', async () => {
    const insight = new InsightService(new CrimeProfileQueries(asAreaDatabase<CrimeDatabase>(platform.db)), () => [
      '8Q',
    ])
    expect((await insight.evidenceFigures(officer.forceId, ['13.1'], new Date('2024-12-31T12:00:00Z'))).size).toBe(0)
    insight.useSafeguardingFigures({ spoMeasure: (forceId, period) => safeguarding.spoMeasure(forceId, period) })
    const figures = await insight.evidenceFigures(officer.forceId, ['13.1', '13.2'], new Date('2024-12-31T12:00:00Z'))
    const [figure] = figures.get('13.2')!
    expect(figure).toMatchObject({
      id: 'spo_considered',
      numerator: 2,
      denominator: 3,
      percent: 67,
      value: '67% (2 of 3); 2 applied for, 1 granted, 1 breach',
      sentence:
        'Threadline records, 1 Jan 2024 to 31 Dec 2024: SPO considered in 67% of stalking crimes (2 of 3), 2 applied for, 1 granted, 1 breach.',
    })
    expect(figures.get('13.1')![0].id).toBe('spo_considered')
  })
})
