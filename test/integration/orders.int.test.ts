// Protective orders on both dialects: every SPO recorded before migration 0410 survives it as an order with its
// breaches; an order for someone not on the crime, an order ending before it starts and a breach before the order are
// refused naming the field with nothing saved; an SPO's 3-day notification not recorded is overdue on day 4 (fixed
// clock), on the order and as case work's obligation; a breach linked to its breach-offence crime shows on the order
// and on that crime; the measure equals a direct count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { allMigrations, createPlatformServices, wireServices, type Services } from '../../src/compositionRoot.ts'
import { loadConfig } from '../../src/config.ts'
import { createCrimeServices } from '../../src/crime/index.ts'
import { statusOf } from '../../src/cases/services/caseService.ts'
import { migrateToLatest } from '../../src/platform/data/migrate.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { ForbiddenError, Permissions, type Role } from '../../src/platform/services/permissions.ts'
import type { Viewer } from '../../src/platform/services/viewer.ts'
import { createSafeguardingServices, type SafeguardingServices } from '../../src/safeguarding/index.ts'
import { OrderInputError } from '../../src/safeguarding/services/orderService.ts'
import { DIALECTS, createTestDatabase, type TestDatabase } from '../support/databases.ts'
import { crime, items, party } from './crime-fixtures.ts'

const FORCE = 'Demoshire Police'

describe.each(DIALECTS)('Existing SPO records through migration 0410 on %s', (dialect) => {
  let database: TestDatabase
  afterAll(async () => {
    await database?.drop()
  })

  it('moves each crime’s latest application or order in place into an order, and every breach onto it', async () => {
    database = await createTestDatabase(dialect, { migrate: false })
    const before = Object.fromEntries(Object.entries(allMigrations()).filter(([name]) => name < '0410'))
    await migrateToLatest(database.handle.db, before)
    const platform = createPlatformServices(loadConfig({ NODE_ENV: 'test' }), database.handle)
    const crimes = createCrimeServices(platform)
    await crimes.importer.importRecords(
      SYSTEM_ACTOR,
      items([
        crime({ forceReference: 'MG/1/24', principal: '8Q' }),
        crime({ forceReference: 'MG/2/24', principal: '8Q' }),
        crime({ forceReference: 'MG/3/24', principal: '8Q' }),
        crime({ forceReference: 'MG/4/24', principal: '8L-SPO' }),
      ]),
      { force: FORCE },
    )
    const db = database.handle.db
    const ids = new Map(
      (await db.selectFrom('crimes').select(['id', 'force_reference']).execute()).map((r) => [r.force_reference, r.id]),
    )
    const forceId = (await crimes.repository.forceByName(FORCE))!.id
    const consideration = (crimeRef: string, row: Record<string, unknown>) =>
      db
        .insertInto('spo_considerations')
        .values({
          force_id: forceId,
          crime_id: ids.get(crimeRef)!,
          decision: 'apply',
          reason: '',
          considered_by: 'pc.carter',
          considered_by_id: 7,
          considered_at: '2024-05-01T09:00:00.000Z',
          applied_on: null,
          interim: null,
          court_outcome: null,
          order_made_on: null,
          order_expires_on: null,
          ...row,
        })
        .execute()
    // MG/1: applied (pending), then granted: the latest moves in.
    await consideration('MG/1/24', { applied_on: '2024-05-01', interim: 1, court_outcome: 'pending' })
    await consideration('MG/1/24', {
      applied_on: '2024-05-01',
      interim: 1,
      court_outcome: 'granted',
      order_made_on: '2024-05-20',
      order_expires_on: '2026-05-20',
      considered_at: '2024-05-21T09:00:00.000Z',
      considered_by: 'ds.okafor',
    })
    // MG/2: not applying: no order. MG/3: an order already in place, no expiry: until further order.
    await consideration('MG/2/24', { decision: 'not_apply', reason: 'Victim does not support an application.' })
    await consideration('MG/3/24', { decision: 'already_in_place', order_made_on: '2023-11-02' })
    await db
      .insertInto('spo_breaches')
      .values([
        {
          force_id: forceId,
          crime_id: ids.get('MG/1/24')!,
          breach_crime_reference: 'MG/4/24',
          occurred_on: '2024-06-02',
          action_taken: 'Arrested for breach.',
          recorded_by: 'pc.carter',
          recorded_by_id: 7,
          recorded_at: '2024-06-02T12:00:00.000Z',
        },
        // A breach on a crime whose latest consideration is not to apply: kept, on an order saying where it came from.
        {
          force_id: forceId,
          crime_id: ids.get('MG/2/24')!,
          breach_crime_reference: 'XX/9/24',
          occurred_on: '2024-07-01',
          action_taken: 'Words of advice.',
          recorded_by: 'pc.carter',
          recorded_by_id: 7,
          recorded_at: '2024-07-01T12:00:00.000Z',
        },
      ])
      .execute()
    const considerationsBefore = await db.selectFrom('spo_considerations').selectAll().orderBy('id').execute()
    const breachesBefore = await db.selectFrom('spo_breaches').selectAll().orderBy('id').execute()

    const report = await migrateToLatest(db, allMigrations())
    expect(report.applied).toContain('0410_protective_orders')

    // The old records are untouched.
    expect(await db.selectFrom('spo_considerations').selectAll().orderBy('id').execute()).toEqual(considerationsBefore)
    expect(await db.selectFrom('spo_breaches').selectAll().orderBy('id').execute()).toEqual(breachesBefore)
    const orders = await db.selectFrom('protective_orders').selectAll().orderBy('crime_id').execute()
    const byRef = (ref: string) => orders.find((order) => order.crime_id === ids.get(ref))!
    expect(orders).toHaveLength(3)
    expect(byRef('MG/1/24')).toMatchObject({
      kind: 'spo',
      applied_on: '2024-05-01',
      interim_sought: 1,
      outcome: 'granted',
      starts_on: '2024-05-20',
      ends_on: '2026-05-20',
      until_further_order: 0,
      source_consideration_id: considerationsBefore[1].id,
      recorded_by: 'ds.okafor',
      recorded_at: '2024-05-21T09:00:00.000Z',
      notification_due_on: null,
    })
    expect(byRef('MG/3/24')).toMatchObject({
      outcome: 'granted',
      starts_on: '2023-11-02',
      ends_on: null,
      until_further_order: 1,
    })
    expect(byRef('MG/2/24')).toMatchObject({ outcome: 'granted', source_consideration_id: null, starts_on: null })
    const breaches = await db.selectFrom('order_breaches').selectAll().orderBy('legacy_breach_id').execute()
    expect(
      breaches.map((b) => [
        b.legacy_breach_id,
        b.order_id,
        b.occurred_on,
        b.breach_crime_reference,
        b.breach_crime_id,
        b.outcome,
      ]),
    ).toEqual([
      [breachesBefore[0].id, byRef('MG/1/24').id, '2024-06-02', 'MG/4/24', ids.get('MG/4/24'), 'Arrested for breach.'],
      [breachesBefore[1].id, byRef('MG/2/24').id, '2024-07-01', 'XX/9/24', null, 'Words of advice.'],
    ])
    const events = await db.selectFrom('order_events').select(['order_id', 'kind', 'detail']).execute()
    expect(events).toHaveLength(3)
  })
})

describe.each(DIALECTS)('Protective orders on %s', (dialect) => {
  let database: TestDatabase
  let services: Services
  let clocked: SafeguardingServices
  let clock = '2025-03-10T10:00:00.000Z'
  let forceId: number
  let officer: Viewer
  let outsider: Viewer
  const ids = new Map<string, number>()
  const id = (reference: string) => ids.get(reference) as number
  const people = new Map<string, number>()

  const viewerFor = async (username: string, force: string, roles: Role[]): Promise<Viewer> => {
    await services.users.addUser(SYSTEM_ACTOR, { username, displayName: username, email: null, force, roles })
    const user = (await services.users.sessionUserByUsername(username))!
    return {
      actor: { actorId: user.id, actorUsername: username, forceId: user.forceId, requestId: null },
      forceId: user.forceId,
      permissions: new Permissions({ ...user, roles }),
    }
  }
  const inputErrors = async (run: Promise<unknown>) => {
    const error = await run.then(
      () => null,
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(OrderInputError)
    return (error as OrderInputError).errors
  }
  const orderCount = async () =>
    Number(
      (
        await services.db
          .selectFrom('protective_orders')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    services = wireServices(
      loadConfig({ NODE_ENV: 'test' }, { databaseUrl: database.url ?? 'pglite' }),
      database.handle,
    )
    clocked = createSafeguardingServices(services, { crime: services.crime }, () => new Date(clock))
    const victim = party({ personRef: 'P-OV1', forename: 'Ada', surname: 'Quill' })
    const suspect = party({
      role: 'suspect',
      personRef: 'P-OS1',
      forename: 'Bram',
      surname: 'Hart',
      dateOfBirth: '1985-11-20',
    })
    const witness = party({
      role: 'witness',
      personRef: 'P-OW1',
      forename: 'Cleo',
      surname: 'Marsh',
      dateOfBirth: '1970-01-01',
    })
    await services.crime.importer.importRecords(
      SYSTEM_ACTOR,
      items([
        crime({
          forceReference: 'OR/1/25',
          principal: '8Q',
          reportedAt: '2025-02-01T10:00:00Z',
          parties: [victim, suspect],
        }),
        crime({
          forceReference: 'OR/2/25',
          principal: '8L-SPO',
          reportedAt: '2025-03-12T10:00:00Z',
          parties: [victim, suspect],
        }),
        crime({ forceReference: 'OR/3/25', principal: '58C', reportedAt: '2025-02-01T10:00:00Z', parties: [witness] }),
      ]),
      { force: FORCE },
    )
    await services.crime.importer.importRecords(
      SYSTEM_ACTOR,
      items([crime({ forceReference: 'NM/1/25', principal: '8Q' })]),
      {
        force: 'Northmoor Constabulary',
      },
    )
    for (const row of await services.db.selectFrom('crimes').select(['id', 'force_reference']).execute()) {
      ids.set(row.force_reference, row.id)
    }
    for (const row of await services.db.selectFrom('people').select(['id', 'forename']).execute())
      people.set(row.forename as string, row.id)
    forceId = (await services.crime.repository.forceByName(FORCE))!.id
    officer = await viewerFor('pc.carter', FORCE, ['officer'])
    outsider = await viewerFor('nm.pc', 'Northmoor Constabulary', ['officer'])
  })
  afterAll(async () => {
    await database?.drop()
  })

  const spo = (overrides: Record<string, unknown> = {}) => ({
    kind: 'spo',
    protectedPersonId: String(people.get('Ada')),
    subjectPersonId: String(people.get('Bram')),
    applicant: 'Chief Constable',
    appliedOn: '2025-03-03',
    court: 'Demoshire Magistrates',
    outcome: 'granted',
    outcomeOn: '2025-03-10',
    startsOn: '2025-03-10',
    endsOn: '2027-03-10',
    prohibitions: 'Not to contact Ada Quill by any means\nNot to enter Mill Lane',
    requirements: 'Attend a perpetrator programme',
    ...overrides,
  })

  it('refuses bad input naming the field, and saves nothing', async () => {
    expect(
      await inputErrors(
        clocked.orders.recordOrder(officer, id('OR/1/25'), spo({ subjectPersonId: String(people.get('Cleo')) })),
      ),
    ).toEqual({ subjectPersonId: 'The person the order is against must be one of the people on this crime' })
    expect(
      await inputErrors(clocked.orders.recordOrder(officer, id('OR/1/25'), spo({ endsOn: '2025-03-01' }))),
    ).toEqual({
      endsOn: 'The date the order ends must be on or after the date it starts',
    })
    expect(await inputErrors(clocked.orders.recordOrder(officer, id('OR/1/25'), spo({ kind: 'asbo' })))).toEqual({
      kind: 'Choose the kind of order from the list',
    })
    expect(await inputErrors(clocked.orders.recordOrder(officer, id('OR/1/25'), spo({ endsOn: '' })))).toEqual({
      endsOn: 'Enter the date the order ends, or choose until further order',
    })
    await expect(clocked.orders.recordOrder(outsider, id('OR/1/25'), spo())).rejects.toBeInstanceOf(ForbiddenError)
    expect(await orderCount()).toBe(0)
  })

  it("an SPO's 3-day notification not recorded is overdue on day 4, on the order and as an obligation", async () => {
    const { orderId } = await clocked.orders.recordOrder(officer, id('OR/1/25'), spo())
    const order = await services.db
      .selectFrom('protective_orders')
      .selectAll()
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow()
    expect(order).toMatchObject({ starts_on: '2025-03-10', notification_due_on: '2025-03-13', notified_on: null })
    const terms = await services.db
      .selectFrom('order_terms')
      .select(['kind', 'text'])
      .where('order_id', '=', orderId)
      .orderBy('id')
      .execute()
    expect(terms).toEqual([
      { kind: 'prohibition', text: 'Not to contact Ada Quill by any means' },
      { kind: 'prohibition', text: 'Not to enter Mill Lane' },
      { kind: 'requirement', text: 'Attend a perpetrator programme' },
    ])
    clock = '2025-03-13T18:00:00.000Z' // day 3: due today
    expect((await clocked.orders.orderView(officer, orderId))!.order.notification.state).toBe('due')
    clock = '2025-03-14T09:00:00.000Z' // day 4: overdue
    expect((await clocked.orders.orderView(officer, orderId))!.order.notification).toEqual({
      state: 'overdue',
      text: 'Overdue: due by 2025-03-13, not recorded',
    })
    await services.cases.service.refresh(forceId)
    const obligation = await services.db
      .selectFrom('case_obligations')
      .selectAll()
      .where('crime_id', '=', id('OR/1/25'))
      .where('obligation_id', '=', 'order_notification')
      .executeTakeFirstOrThrow()
    expect(obligation).toMatchObject({ started_on: '2025-03-10', due_on: '2025-03-13', state: 'open' })
    expect(statusOf(obligation, '2025-03-13')).toBe('due')
    expect(statusOf(obligation, '2025-03-14')).toBe('overdue')

    // A notification before the order started is refused; on the day, it meets both.
    expect(
      await inputErrors(clocked.orders.changeOrder(officer, orderId, 'notified', { notifiedOn: '2025-03-09' })),
    ).toEqual({
      notifiedOn: 'The date of the notification must be on or after the date the order starts (2025-03-10)',
    })
    await clocked.orders.changeOrder(officer, orderId, 'notified', { notifiedOn: '2025-03-14' })
    expect((await clocked.orders.orderView(officer, orderId))!.order.notification.state).toBe('met_late')
    await services.cases.service.refresh(forceId)
    const met = await services.db
      .selectFrom('case_obligations')
      .selectAll()
      .where('crime_id', '=', id('OR/1/25'))
      .where('obligation_id', '=', 'order_notification')
      .executeTakeFirstOrThrow()
    expect(met).toMatchObject({ state: 'met', met_on: '2025-03-14' })
  })

  it('a breach linked to its breach-offence crime shows on the order and on that crime; a breach before the order is refused', async () => {
    const [order] = await services.db.selectFrom('protective_orders').selectAll().execute()
    expect(
      await inputErrors(
        clocked.orders.recordBreach(officer, order.id, {
          occurredOn: '2025-03-01',
          whatBreached: 'Contact',
          reportedHow: '999',
        }),
      ),
    ).toEqual({ occurredOn: 'The date of the breach must be on or after the date the order starts (2025-03-10)' })
    await clocked.orders.recordBreach(officer, order.id, {
      occurredOn: '2025-03-12',
      whatBreached: 'Not to contact Ada Quill: 14 messages',
      reportedHow: 'By the victim, online',
      breachCrimeReference: 'OR/2/25',
      outcome: 'Arrested; charged with breach',
    })
    const view = await clocked.orders.orderView(officer, order.id)
    expect(view!.breaches.map((b) => [b.breach_crime_reference, b.breach_crime_id, b.what_breached])).toEqual([
      ['OR/2/25', id('OR/2/25'), 'Not to contact Ada Quill: 14 messages'],
    ])
    const onCrime = await clocked.orders.crimeOrders(officer, id('OR/2/25'))
    expect(onCrime!.breachedAs.map((b) => [b.order_id, b.force_reference, b.kindName])).toEqual([
      [order.id, 'OR/1/25', 'Stalking Protection Order'],
    ])
    const timeline = (await services.cases.service.caseView(officer, id('OR/2/25')))!.timeline
    expect(timeline.map((entry) => entry.title)).toContain(
      'Recorded as a breach of the Stalking Protection Order on OR/1/25',
    )
    const audit = await services.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', 'like', 'safeguarding.order%')
      .execute()
    expect(audit.map((row) => row.action)).toEqual(
      expect.arrayContaining([
        'safeguarding.order.recorded',
        'safeguarding.order.breach.recorded',
        'safeguarding.order.viewed',
        'safeguarding.orders.viewed',
      ]),
    )
  })

  it('keeps an SPO consideration and the order lifecycle one record', async () => {
    await services.safeguarding.service.recordConsideration(officer, id('OR/3/25'), {
      decision: 'apply',
      appliedOn: '2025-02-05',
      interim: 'no',
      courtOutcome: 'pending',
    })
    await services.safeguarding.service.recordConsideration(officer, id('OR/3/25'), {
      decision: 'apply',
      appliedOn: '2025-02-05',
      interim: 'no',
      courtOutcome: 'granted',
      orderMadeOn: '2025-02-20',
    })
    const orders = await services.db
      .selectFrom('protective_orders')
      .selectAll()
      .where('crime_id', '=', id('OR/3/25'))
      .execute()
    expect(orders).toHaveLength(1)
    expect(orders[0]).toMatchObject({
      kind: 'spo',
      outcome: 'granted',
      starts_on: '2025-02-20',
      until_further_order: 1,
    })
  })

  it('measures orders by kind and notifications met, equal to a direct count', async () => {
    const measure = await clocked.ordersMeasure(forceId, {
      from: '2025-01-01T00:00:00.000Z',
      to: '2026-01-01T00:00:00.000Z',
    })
    const orders = await services.db
      .selectFrom('protective_orders')
      .selectAll()
      .where('force_id', '=', forceId)
      .execute()
    const breaches = await services.db
      .selectFrom('order_breaches')
      .selectAll()
      .where('force_id', '=', forceId)
      .execute()
    const inYear = (day: string | null) => day !== null && day >= '2025-01-01' && day < '2026-01-01'
    expect(measure.appliedFor).toBe(orders.filter((o) => inYear(o.applied_on)).length)
    expect(measure.granted).toBe(
      orders.filter((o) => o.outcome === 'granted' && inYear(o.outcome_on ?? o.starts_on)).length,
    )
    expect(measure.breaches).toBe(breaches.filter((b) => inYear(b.occurred_on)).length)
    expect(measure.notificationsDue).toBe(orders.filter((o) => inYear(o.notification_due_on)).length)
    expect(measure).toMatchObject({ appliedFor: 2, granted: 2, breaches: 1, notificationsDue: 1, notificationsMet: 0 })
  })
})
