// Case work on both dialects: obligations worked out from the areas' own records (never ticked twice), a changed due
// period applies to obligations that start after the change and not to those already started, "not applicable" needs
// a reason and is audited, and the compliance figures on the action plan equal a count made from the records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import { wireServices, type Services } from '../../src/compositionRoot.ts'
import { addDays } from '../../src/platform/days.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { Permissions } from '../../src/platform/services/permissions.ts'
import type { Viewer } from '../../src/platform/services/viewer.ts'
import { queueFilterSchema } from '../../src/cases/services/caseService.ts'
import { dueOn, loadBankHolidays, londonDay, londonDayOf } from '../../src/cases/services/workingDays.ts'
import { DIALECTS, createTestDatabase, type TestDatabase } from '../support/databases.ts'
import { crime, items, party } from './crime-fixtures.ts'

const FORCE = 'Demoshire Police'
const TODAY = londonDay()
const daysAgo = (days: number) => addDays(TODAY, -days)

describe.each(DIALECTS)('Case work on %s', (dialect) => {
  let database: TestDatabase
  let services: Services
  let forceId: number
  let admin: Viewer
  let supervisor: Viewer
  const ids = new Map<string, number>()
  const id = (reference: string) => ids.get(reference) as number
  const obligation = async (reference: string, obligationId: string) =>
    services.db
      .selectFrom('case_obligations')
      .selectAll()
      .where('crime_id', '=', id(reference))
      .where('obligation_id', '=', obligationId)
      .executeTakeFirst()
  const viewerFor = async (username: string, roles: ('supervisor' | 'force_admin' | 'officer')[]): Promise<Viewer> => {
    const user = (await services.users.sessionUserByUsername(username))!
    return {
      actor: { actorId: user.id, actorUsername: username, forceId, requestId: null },
      forceId,
      permissions: new Permissions({ ...user, roles }),
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    const config = loadConfig({ NODE_ENV: 'test' }, { databaseUrl: database.url ?? 'pglite' })
    services = wireServices(config, database.handle)
    const victim = party({ personRef: 'P-V1', forename: 'Ada', surname: 'Quill' })
    await services.crime.importer.importRecords(
      SYSTEM_ACTOR,
      items([
        crime({
          forceReference: 'CW/1/24',
          principal: '8Q',
          reportedAt: `${daysAgo(40)}T10:00:00Z`,
          parties: [victim],
        }),
        crime({
          forceReference: 'CW/2/24',
          principal: '8Q',
          reportedAt: `${daysAgo(20)}T10:00:00Z`,
          parties: [victim],
        }),
        crime({
          forceReference: 'CW/3/24',
          principal: '8L',
          reportedAt: `${daysAgo(10)}T10:00:00Z`,
          parties: [victim],
        }),
        crime({ forceReference: 'CW/4/24', principal: '58C', reportedAt: `${daysAgo(9)}T10:00:00Z` }),
      ]),
      { force: FORCE },
    )
    for (const row of await services.db.selectFrom('crimes').select(['id', 'force_reference']).execute()) {
      ids.set(row.force_reference, row.id)
    }
    forceId = (await services.crime.repository.forceByName(FORCE))!.id
    for (const [username, roles] of [
      ['admin', ['force_admin']],
      ['supervisor', ['supervisor']],
    ] as const) {
      await services.users.addUser(SYSTEM_ACTOR, {
        username,
        displayName: username,
        email: null,
        force: FORCE,
        roles: [...roles],
      })
    }
    admin = await viewerFor('admin', ['force_admin'])
    supervisor = await viewerFor('supervisor', ['supervisor'])
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('makes a case of every crime recorded as stalking, each obligation due by the catalogue default', async () => {
    await services.cases.service.refresh(forceId)
    const cases = await services.db.selectFrom('cases').select('reference').orderBy('reference').execute()
    expect(cases.map((row) => row.reference)).toEqual(['CW/1/24', 'CW/2/24'])
    const spo = await obligation('CW/1/24', 'spo_considered')
    expect(spo).toMatchObject({ started_on: daysAgo(40), due_on: daysAgo(33), state: 'open', settings_version: 0 })
    const rights = await obligation('CW/1/24', 'rights_told')
    expect(rights!.due_on).toBe(dueOn(daysAgo(40), { days: 2, kind: 'working' }, loadBankHolidays()))
    // Not stalking, so nothing applies.
    expect(await obligation('CW/3/24', 'sdash')).toBeUndefined()
  })

  it("is met by the area's own record, with who and when, seen at the next read (no box ticked twice)", async () => {
    await services.safeguarding.service.recordConsideration(supervisor, id('CW/1/24'), {
      decision: 'not_apply',
      reason: 'Victim does not support an application at present.',
    })
    await services.cases.service.refresh(forceId)
    const spo = await obligation('CW/1/24', 'spo_considered')
    expect(spo).toMatchObject({ state: 'met', met_by: 'supervisor', met_event: 'safeguarding.spo_considered' })
    // Recorded today, long after its due day: met late.
    expect(spo!.met_on! > spo!.due_on).toBe(true)
    const view = await services.cases.service.caseView(supervisor, id('CW/1/24'))
    const task = view!.tasks.find((entry) => entry.id === 'spo_considered')!
    expect(task.status).toBe('met_late')
    expect(view!.timeline.some((entry) => entry.title.startsWith('SPO considered'))).toBe(true)
  })

  it('changing a due period applies to obligations that start after the change, not to those already started', async () => {
    const before = await obligation('CW/2/24', 'spo_considered')
    expect(before).toMatchObject({ due_on: daysAgo(13), settings_version: 0 })
    const form: Record<string, string> = {}
    for (const entry of services.cases.service.catalogue.obligations) {
      form[`${entry.id}-days`] = String(entry.due.days)
      form[`${entry.id}-kind`] = entry.due.kind
    }
    form['spo_considered-days'] = '3'
    form['spo_considered-kind'] = 'working'
    const saved = await services.cases.service.saveSettings(admin, form)
    expect(saved).toEqual({ version: 1, changed: 1 })
    // A crime that becomes stalking now (a screening decision adds 8Q) starts after the change.
    await services.screening.service.decide(supervisor, id('CW/3/24'), {
      outcome: 'stalking_identified',
      action: 'add_included_8q',
      rationale: 'Repeated unwanted contact and following: a course of conduct.',
    })
    await services.cases.service.refresh(forceId)
    const started = await obligation('CW/3/24', 'spo_considered')
    const today = TODAY
    expect(started).toMatchObject({ settings_version: 1, started_on: today })
    expect(started!.due_on).toBe(dueOn(today, { days: 3, kind: 'working' }, loadBankHolidays()))
    // The one already started keeps its period, even when worked out again from scratch.
    await services.cases.service.refreshAll(forceId)
    expect(await obligation('CW/2/24', 'spo_considered')).toMatchObject({ due_on: daysAgo(13), settings_version: 0 })
    const versions = await services.db.selectFrom('case_settings').selectAll().execute()
    expect(versions).toHaveLength(1)
    expect(versions[0]).toMatchObject({ version: 1, changed_by: 'admin' })
    const audit = await services.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'cases.settings.changed')
      .execute()
    expect(JSON.parse(audit[0].details)).toMatchObject({
      version: 1,
      changes: [
        { obligation: 'spo_considered', from: { days: 7, kind: 'calendar' }, to: { days: 3, kind: 'working' } },
      ],
    })
  })

  it('"not applicable" needs a reason, is audited, and can be withdrawn', async () => {
    await expect(
      services.cases.service.setNotApplicable(supervisor, id('CW/2/24'), {
        obligation: 'referral_offered',
        reason: ' ',
      }),
    ).rejects.toThrow('Enter why it does not apply to this case')
    await services.cases.service.setNotApplicable(supervisor, id('CW/2/24'), {
      obligation: 'referral_offered',
      reason: 'Victim moved to another force area; referred there.',
    })
    expect(await obligation('CW/2/24', 'referral_offered')).toMatchObject({ state: 'not_applicable' })
    const [row] = await services.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'cases.obligation.not_applicable')
      .execute()
    expect(JSON.parse(row.details)).toMatchObject({
      obligation: 'referral_offered',
      reason: expect.stringContaining('another force'),
    })
    await services.cases.service.setNotApplicable(supervisor, id('CW/2/24'), {
      obligation: 'referral_offered',
      withdraw: 'yes',
    })
    expect(await obligation('CW/2/24', 'referral_offered')).toMatchObject({ state: 'open' })
  })

  it("the compliance figures on the action plan equal a count made directly from the areas' records", async () => {
    // An S-DASH on one case within its day, one on another late; none on the third.
    await services.screening.service.assess(supervisor, id('CW/3/24'), {
      answers: { q1: { answer: 'yes', comment: '' } },
      judgement: 'Escalating.',
      riskLevel: 'high',
    })
    const period = { from: `${daysAgo(300)}T00:00:00.000Z`, to: `${addDays(TODAY, 1)}T00:00:00.000Z` }
    const figures = await services.insight.evidence.evidenceFigures(forceId, ['12.2', '13.2'], new Date())
    // Direct count: the stalking crimes (8Q principal or included) and, from the areas' own tables, when each record was
    // made against the due day the catalogue and settings give.
    const stalking = await services.db
      .selectFrom('crime_classification_index')
      .select(['crime_id', 'reported_at'])
      .where('force_id', '=', forceId)
      .where('search_key', '=', '8Q')
      .execute()
    expect(stalking).toHaveLength(3)
    const sdash = await services.db.selectFrom('screening_assessments').select(['crime_id', 'assessed_at']).execute()
    const assessed = new Set(sdash.map((row) => row.crime_id))
    const measure = await services.cases.obligationMeasure(forceId, 'sdash', period)
    expect(measure.onTime + measure.late).toBe(assessed.size)
    expect(measure.overdue).toBe(stalking.filter((row) => !assessed.has(row.crime_id)).length)
    const figure = figures.get('12.2')!.find((entry) => entry.id === 'obligation:sdash')!
    expect(figure.numerator).toBe(measure.onTime)
    expect(figure.denominator).toBe(measure.onTime + measure.late + measure.overdue)
    // The same figure counted from the records alone, not from case work's tables: each 8Q crime's S-DASH is due the
    // day after it came to carry 8Q (its report, or when screening added it), by the catalogue's default period.
    const carried = await services.db
      .selectFrom('crime_classifications as k')
      .innerJoin('crimes as c', 'c.id', 'k.crime_id')
      .select(['k.crime_id', 'k.added_at', 'c.reported_at'])
      .where('c.force_id', '=', forceId)
      .where('k.code', '=', '8Q')
      .execute()
    const assessedOn = new Map(sdash.map((row) => [row.crime_id, londonDayOf(row.assessed_at)]))
    let onTime = 0
    let due = 0
    for (const row of carried) {
      const started = row.added_at && row.added_at > row.reported_at ? row.added_at : row.reported_at
      const dueDay = addDays(londonDayOf(started), 1)
      const done = assessedOn.get(row.crime_id)
      if (done !== undefined && done <= dueDay) onTime++
      if (done !== undefined || dueDay < TODAY) due++
    }
    expect(onTime).toBe(1)
    expect(figure.numerator).toBe(onTime)
    expect(figure.denominator).toBe(due)
    expect(figure.method).toMatch(/on or before/)
    const spoFigure = figures.get('13.2')!.find((entry) => entry.id === 'obligation:spo_considered')!
    const considered = await services.db.selectFrom('spo_considerations').select('crime_id').distinct().execute()
    expect(considered).toHaveLength(1)
    // Due: the two older cases (one met late, today; one overdue); the third became stalking today, not yet due.
    expect(spoFigure.denominator).toBe(2)
    expect(spoFigure.numerator).toBe(0)
  })

  it('the queue counts up to its cap, pages after the last row seen, and its summary follows every write', async () => {
    const repository = services.cases.repository
    const key = (row: { crime_id: number; obligation_id: string }) => `${row.crime_id}:${row.obligation_id}`
    const all = await repository.queuePage(forceId, {}, 1000, 0)
    expect(all.length).toBeGreaterThan(4)
    // Due first, then highest risk.
    for (let n = 1; n < all.length; n++) {
      const [a, b] = [all[n - 1], all[n]]
      expect(a.due_on < b.due_on || (a.due_on === b.due_on && a.risk_rank >= b.risk_rank)).toBe(true)
    }
    expect(await repository.queueCount(forceId, {}, 3)).toEqual({ total: 3, capped: true })
    expect(await repository.queueCount(forceId, {}, 1000)).toEqual({ total: all.length, capped: false })
    const paged: string[] = []
    for await (const rows of repository.allOpen(forceId, {}, 2)) paged.push(...rows.map(key))
    expect(paged).toEqual(all.map(key))

    const query = queueFilterSchema.parse({})
    const before = await services.cases.service.teamQueue(supervisor, query)
    const mine = (result: typeof before) =>
      result.overdue.byOfficer.find((row) => row.userId === supervisor.actor.actorId)?.count ?? 0
    expect(mine(before)).toBe(0)
    // Kept between views, but never after a write: the assignment is in the next view's counts.
    await services.cases.service.assign(supervisor, id('CW/2/24'), { userId: supervisor.actor.actorId })
    const after = await services.cases.service.teamQueue(supervisor, query)
    const overdue = await services.db
      .selectFrom('case_obligations')
      .select('obligation_id')
      .where('crime_id', '=', id('CW/2/24'))
      .where('state', '=', 'open')
      .where('due_on', '<', TODAY)
      .execute()
    expect(overdue.length).toBeGreaterThan(0)
    expect(mine(after)).toBe(overdue.length)
  })
})
