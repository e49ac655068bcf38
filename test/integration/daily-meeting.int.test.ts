// The daily management meeting on both dialects: the list for a day says why each case is on it (new since the last
// meeting, risk raised, a breach, an order ending, a notification due, an application pending, overdue work on a
// high-risk case); recording the meeting refuses bad input naming the field with nothing saved; an action appears in
// its owner's My work until done; the next list says what changed; the measure equals a direct count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import { wireServices, type Services } from '../../src/compositionRoot.ts'
import { addDays } from '../../src/platform/days.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { Permissions, type Role } from '../../src/platform/services/permissions.ts'
import type { Viewer } from '../../src/platform/services/viewer.ts'
import { MeetingInputError } from '../../src/risk/services/meetingService.ts'
import { loadTools } from '../../src/risk/services/tools.ts'
import { DIALECTS, createTestDatabase, type TestDatabase } from '../support/databases.ts'
import { crime, items, party } from './crime-fixtures.ts'

const FORCE = 'Demoshire Police'
const TODAY = new Date().toISOString().slice(0, 10)
const TOMORROW = addDays(TODAY, 1)

describe.each(DIALECTS)('Daily management meeting on %s', (dialect) => {
  let database: TestDatabase
  let services: Services
  let forceId: number
  let officer: Viewer
  let sergeant: Viewer
  const ids = new Map<string, number>()
  const id = (reference: string) => ids.get(reference) as number

  const viewerFor = async (username: string, roles: Role[]): Promise<Viewer> => {
    await services.users.addUser(SYSTEM_ACTOR, { username, displayName: username, email: null, force: FORCE, roles })
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
    expect(error).toBeInstanceOf(MeetingInputError)
    return (error as MeetingInputError).errors
  }

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    services = wireServices(
      loadConfig({ NODE_ENV: 'test' }, { databaseUrl: database.url ?? 'pglite' }),
      database.handle,
    )
    const victim = party({ personRef: 'P-DM1', forename: 'Ada', surname: 'Quill' })
    const suspect = party({ role: 'suspect', personRef: 'P-DM2', forename: 'Bram', surname: 'Hart' })
    await services.crime.importer.importRecords(
      SYSTEM_ACTOR,
      items([
        // Reported today: new on tomorrow's list.
        crime({
          forceReference: 'DM/1/25',
          principal: '8Q',
          reportedAt: `${TODAY}T09:00:00Z`,
          parties: [victim, suspect],
          team: 'North',
        }),
        // Reported long ago, with orders: ending soon, and an application pending.
        crime({
          forceReference: 'DM/2/25',
          principal: '8Q',
          reportedAt: '2024-01-05T09:00:00Z',
          parties: [victim, suspect],
          team: 'South',
        }),
        crime({
          forceReference: 'DM/3/25',
          principal: '8Q',
          reportedAt: '2024-01-06T09:00:00Z',
          parties: [victim, suspect],
          team: 'South',
        }),
        // Not stalking and nothing on it: never listed.
        crime({ forceReference: 'DM/4/25', principal: '58C', reportedAt: `${TODAY}T09:00:00Z`, team: 'North' }),
      ]),
      { force: FORCE },
    )
    for (const row of await services.db.selectFrom('crimes').select(['id', 'force_reference']).execute()) {
      ids.set(row.force_reference, row.id)
    }
    forceId = (await services.crime.repository.forceByName(FORCE))!.id
    officer = await viewerFor('pc.carter', ['officer'])
    sergeant = await viewerFor('ds.okafor', ['supervisor'])
    const people = await services.db.selectFrom('people').select(['id', 'forename']).execute()
    const person = (name: string) => String(people.find((row) => row.forename === name)!.id)
    const answers: Record<string, string> = {}
    for (const question of loadTools().get('sdash')!.questions) answers[question.id] = 'no'
    const { assessmentId } = await services.risk.service.assess(officer, id('DM/1/25'), 'sdash', {
      ...answers,
      riskLevel: 'medium',
      rationale: 'Repeated visits to the home.',
    })
    await services.risk.service.review(sergeant, id('DM/1/25'), assessmentId, {
      outcome: 'change',
      riskLevel: 'high',
      reason: 'Threats to kill disclosed.',
    })
    const orderBase = { protectedPersonId: person('Ada'), subjectPersonId: person('Bram') }
    await services.safeguarding.orders.recordOrder(officer, id('DM/2/25'), {
      ...orderBase,
      kind: 'restraining_conviction',
      outcome: 'granted',
      startsOn: '2024-03-01',
      endsOn: addDays(TOMORROW, 10),
    })
    await services.safeguarding.orders.recordOrder(officer, id('DM/3/25'), {
      ...orderBase,
      kind: 'dvpo',
      appliedOn: addDays(TODAY, -2),
    })
  })
  afterAll(async () => {
    await database?.drop()
  })

  it("lists tomorrow's cases with why each is there", async () => {
    const list = await services.risk.meetings.dailyList(sergeant, { date: TOMORROW })
    const reasons = Object.fromEntries(
      list.cases.map((entry) => [entry.reference, entry.reasons.map((reason) => reason.kind)]),
    )
    expect(reasons).toEqual({
      'DM/1/25': ['new_case', 'risk_rose'],
      'DM/2/25': ['order_ending'],
      'DM/3/25': ['application_pending'],
    })
    expect(list).toMatchObject({ date: TOMORROW, since: TODAY, lastMeeting: null, team: '' })
    expect(list.cases[0]).toMatchObject({ reference: 'DM/1/25', risk: 'high', onLastList: false })
    const south = await services.risk.meetings.dailyList(sergeant, { date: TOMORROW, team: 'South' })
    expect(south.cases.map((entry) => entry.reference).sort()).toEqual(['DM/2/25', 'DM/3/25'])
    const audit = await services.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'risk.daily_list.viewed')
      .execute()
    expect(audit).toHaveLength(2)
    expect(await inputErrors(services.risk.meetings.dailyList(sergeant, { date: '2025-02-30' }))).toEqual({
      date: 'Enter the date of the meeting as a real date',
    })
  })

  it('refuses a meeting record with bad input, naming the field, and saves nothing', async () => {
    const base = { date: TOMORROW, chairUserId: String(sergeant.actor.actorId) }
    expect(await inputErrors(services.risk.meetings.recordMeeting(sergeant, base))).toEqual({
      cases: 'Record a decision on at least one case discussed',
    })
    const errors = await inputErrors(
      services.risk.meetings.recordMeeting(sergeant, {
        ...base,
        chairUserId: '',
        [`decision-${id('DM/1/25')}`]: 'Refer to MARAC.',
        [`action-${id('DM/1/25')}`]: 'Arrange the MARAC referral',
        [`due-${id('DM/1/25')}`]: TODAY,
      }),
    )
    expect(errors).toEqual({
      chairUserId: 'Choose who chaired the meeting',
      [`owner-${id('DM/1/25')}`]: 'DM/1/25: choose who owns the action',
      [`due-${id('DM/1/25')}`]: `DM/1/25: the action cannot be due before the meeting (${TOMORROW})`,
    })
    expect(await services.db.selectFrom('risk_meetings').selectAll().execute()).toHaveLength(0)
  })

  it("records the meeting; the action is in its owner's My work until done; the next list says what changed", async () => {
    const { meetingId } = await services.risk.meetings.recordMeeting(sergeant, {
      date: TOMORROW,
      chairUserId: String(sergeant.actor.actorId),
      attendees: 'DS Okafor; IDVA; DVPO officer',
      [`decision-${id('DM/1/25')}`]: 'Refer to MARAC; consider an SPO.',
      [`action-${id('DM/1/25')}`]: 'Arrange the MARAC referral',
      [`owner-${id('DM/1/25')}`]: String(officer.actor.actorId),
      [`due-${id('DM/1/25')}`]: addDays(TOMORROW, 2),
      [`decision-${id('DM/2/25')}`]: 'Review the order before it ends.',
    })
    const view = await services.risk.meetings.meetingView(sergeant, meetingId)
    expect(view!.cases.map((row) => [row.force_reference, row.decision])).toEqual([
      ['DM/1/25', 'Refer to MARAC; consider an SPO.'],
      ['DM/2/25', 'Review the order before it ends.'],
    ])
    const work = await services.cases.service.myWork(officer, 1)
    expect(work.tasks.map((task) => [task.reference, task.text, task.dueOn, task.from])).toEqual([
      ['DM/1/25', 'Arrange the MARAC referral', addDays(TOMORROW, 2), `Daily management meeting, ${TOMORROW}`],
    ])
    // The sergeant owns nothing.
    expect((await services.cases.service.myWork(sergeant, 1)).tasks).toEqual([])

    // After the meeting the court refuses the DVPO: DM/3/25 leaves the list.
    const [dvpo] = await services.db.selectFrom('protective_orders').select('id').where('kind', '=', 'dvpo').execute()
    await services.safeguarding.orders.changeOrder(officer, dvpo.id, 'outcome', {
      outcome: 'refused',
      outcomeOn: TODAY,
    })
    const next = await services.risk.meetings.dailyList(sergeant, { date: addDays(TOMORROW, 1) })
    expect(next.since).toBe(TOMORROW)
    expect(next.lastMeeting).toEqual({ id: meetingId, date: TOMORROW })
    const dm2 = next.cases.find((entry) => entry.reference === 'DM/2/25')!
    expect(dm2).toMatchObject({
      onLastList: true,
      lastDecision: { decision: 'Review the order before it ends.', meetingDate: TOMORROW },
    })
    // DM/1/25 is high risk with work overdue by then (the high-risk allocation was due the day after the review).
    const dm1 = next.cases.find((entry) => entry.reference === 'DM/1/25')!
    expect(dm1.reasons.map((reason) => reason.kind)).toEqual(['overdue_high_risk'])
    expect(dm1.reasons[0].detail).toContain('Allocate the high-risk case to a trained stalking investigator')
    expect(next.noLongerListed.map((row) => row.reference)).toEqual(['DM/3/25'])

    const [action] = await services.db.selectFrom('risk_meeting_actions').selectAll().execute()
    await services.risk.meetings.completeAction(officer, action.id)
    expect((await services.cases.service.myWork(officer, 1)).tasks).toEqual([])
  })

  it('measures high-risk cases discussed within one day equal to a direct count', async () => {
    const period = { from: `${addDays(TODAY, -1)}T00:00:00.000Z`, to: `${addDays(TODAY, 3)}T00:00:00.000Z` }
    const measure = await services.risk.discussedMeasure(forceId, period)
    const high = new Set(
      (await services.db.selectFrom('risk_reviews').select('crime_id').where('risk_level', '=', 'high').execute()).map(
        (row) => row.crime_id,
      ),
    )
    const discussed = await services.db
      .selectFrom('risk_meeting_cases as mc')
      .innerJoin('risk_meetings as m', 'm.id', 'mc.meeting_id')
      .select(['mc.crime_id', 'm.meeting_date'])
      .execute()
    const within = [...high].filter((crimeId) =>
      discussed.some((row) => row.crime_id === crimeId && row.meeting_date <= addDays(TODAY, 1)),
    )
    expect(measure).toEqual({ highRiskCases: high.size, discussedWithinOneDay: within.length })
    expect(measure).toEqual({ highRiskCases: 1, discussedWithinOneDay: 1 })
  })

  it("the action plan's live figures (12.2, 12.3, 12.4, 13.2) equal direct counts of the records", async () => {
    const period = { from: `${addDays(TODAY, -30)}T00:00:00.000Z`, to: `${addDays(TODAY, 30)}T00:00:00.000Z` }
    const inPeriod = (value: string | null) =>
      value !== null && value >= period.from.slice(0, 10) && value < period.to.slice(0, 10)
    const figures = await services.insight.evidence.evidenceFigures(
      forceId,
      ['12.2', '12.3', '12.4', '13.2'],
      new Date(),
    )
    const byId = new Map([...figures.values()].flat().map((figure) => [figure.id, figure]))
    expect([...byId.keys()]).toEqual(
      expect.arrayContaining([
        'risk_reviewed_on_time',
        'obligation:risk_review',
        'protective_orders',
        'notifications_met',
        'obligation:order_notification',
        'high_risk_discussed',
        'obligation:order_application_outcome',
      ]),
    )
    const compute = (id: Parameters<typeof services.insight.evidence.compute>[0]) =>
      services.insight.evidence.compute(id, forceId, period)

    const assessments = await services.db
      .selectFrom('risk_assessments as a')
      .leftJoin('risk_reviews as r', 'r.assessment_id', 'a.id')
      .select(['a.assessed_at', 'r.reviewed_at'])
      .where('a.force_id', '=', forceId)
      .execute()
    const onTime = assessments.filter(
      (row) => row.reviewed_at !== null && row.reviewed_at.slice(0, 10) <= addDays(row.assessed_at.slice(0, 10), 1),
    ).length
    expect(await compute('risk_reviewed_on_time')).toMatchObject({ numerator: onTime, denominator: assessments.length })
    expect(onTime).toBe(1)

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
    const applied = orders.filter((o) => inPeriod(o.applied_on)).length
    const granted = orders.filter((o) => o.outcome === 'granted' && inPeriod(o.outcome_on ?? o.starts_on)).length
    const breached = breaches.filter((b) => inPeriod(b.occurred_on)).length
    const protective = await compute('protective_orders')
    expect(protective!.value.startsWith(`${applied} applied for, ${granted} granted, ${breached} breaches`)).toBe(true)
    const due = orders.filter((o) => inPeriod(o.notification_due_on))
    const met = due.filter((o) => o.notified_on !== null && o.notified_on <= (o.notification_due_on as string))
    expect(await compute('notifications_met')).toMatchObject({ numerator: met.length, denominator: due.length })

    const high = await services.db
      .selectFrom('risk_reviews')
      .select(['crime_id', 'reviewed_at'])
      .where('risk_level', '=', 'high')
      .execute()
    const discussed = await services.db
      .selectFrom('risk_meeting_cases as mc')
      .innerJoin('risk_meetings as m', 'm.id', 'mc.meeting_id')
      .select(['mc.crime_id', 'm.meeting_date'])
      .execute()
    const within = high.filter((row) =>
      discussed.some(
        (d) =>
          d.crime_id === row.crime_id &&
          d.meeting_date >= row.reviewed_at.slice(0, 10) &&
          d.meeting_date <= addDays(row.reviewed_at.slice(0, 10), 1),
      ),
    )
    expect(await compute('high_risk_discussed')).toMatchObject({ numerator: within.length, denominator: high.length })

    await services.cases.service.refresh(forceId)
    const reviewObligations = await services.db
      .selectFrom('case_obligations')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('obligation_id', '=', 'risk_review')
      .execute()
    const reviewDue = reviewObligations.filter((row) => row.state === 'met' || row.due_on < TODAY)
    const reviewOnTime = reviewDue.filter((row) => row.state === 'met' && (row.met_on as string) <= row.due_on)
    expect(await compute('obligation:risk_review')).toMatchObject({
      numerator: reviewOnTime.length,
      denominator: reviewDue.length,
    })
  })
})
