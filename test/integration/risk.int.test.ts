// Risk assessments on both dialects: the tools are data (DASH and S-DASH), the yes-count is shown and never decides the
// level, every assessment is reviewed by a supervisor or specialist who is not its author (an obligation in case
// work's queue, met when every assessment is reviewed), a review that changes the level needs a reason, the crime's
// risk history says who judged what and why, the case's risk follows, and the measure equals a direct count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import { wireServices, type Services } from '../../src/compositionRoot.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { ForbiddenError, Permissions, type Role } from '../../src/platform/services/permissions.ts'
import type { Viewer } from '../../src/platform/services/viewer.ts'
import { RiskInputError, reviewedOnTime } from '../../src/risk/services/riskService.ts'
import { loadTools } from '../../src/risk/services/tools.ts'
import { DIALECTS, createTestDatabase, type TestDatabase } from '../support/databases.ts'
import { crime, items, party } from './crime-fixtures.ts'

const FORCE = 'Demoshire Police'
const OTHER_FORCE = 'Northmoor Constabulary'

/** Answers for every question of a tool: the first `yes` questions yes, the rest no. */
function answers(toolId: string, yes: number, extra: Record<string, string> = {}) {
  const tool = loadTools().get(toolId)!
  const body: Record<string, string> = {}
  tool.questions.forEach((question, index) => (body[question.id] = index < yes ? 'yes' : 'no'))
  return { ...body, ...extra }
}

describe('risk assessment tools as data', () => {
  it('loads the DASH (27 questions) and the S-DASH with the same questions as the screening form', async () => {
    const tools = loadTools()
    expect(tools.get('dash')!.questions).toHaveLength(27)
    const screening = (await import('../../src/screening/services/sdash.json', { with: { type: 'json' } })).default
    expect(tools.get('sdash')!.questions).toEqual(screening.questions)
  })
})

describe.each(DIALECTS)('Risk assessments on %s', (dialect) => {
  let database: TestDatabase
  let services: Services
  let forceId: number
  let officer: Viewer
  let sergeant: Viewer
  let specialist: Viewer
  let outsider: Viewer
  const ids = new Map<string, number>()
  const id = (reference: string) => ids.get(reference) as number

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
    expect(error).toBeInstanceOf(RiskInputError)
    return (error as RiskInputError).errors
  }
  const obligation = (reference: string, obligationId: string) =>
    services.db
      .selectFrom('case_obligations')
      .selectAll()
      .where('crime_id', '=', id(reference))
      .where('obligation_id', '=', obligationId)
      .executeTakeFirst()
  const count = async (table: 'risk_assessments' | 'risk_reviews') =>
    Number(
      (
        await services.db
          .selectFrom(table)
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
    const victim = party({ personRef: 'P-RV1', forename: 'Ada', surname: 'Quill' })
    await services.crime.importer.importRecords(
      SYSTEM_ACTOR,
      items([
        crime({ forceReference: 'RK/1/25', principal: '8Q', reportedAt: '2025-02-03T10:00:00Z', parties: [victim] }),
        crime({ forceReference: 'RK/2/25', principal: '8Q', reportedAt: '2025-02-04T10:00:00Z', parties: [victim] }),
      ]),
      { force: FORCE },
    )
    await services.crime.importer.importRecords(
      SYSTEM_ACTOR,
      items([crime({ forceReference: 'NM/9/25', principal: '8Q' })]),
      {
        force: OTHER_FORCE,
      },
    )
    for (const row of await services.db.selectFrom('crimes').select(['id', 'force_reference']).execute()) {
      ids.set(row.force_reference, row.id)
    }
    forceId = (await services.crime.repository.forceByName(FORCE))!.id
    officer = await viewerFor('pc.carter', FORCE, ['officer'])
    sergeant = await viewerFor('ds.okafor', FORCE, ['supervisor'])
    specialist = await viewerFor('ds.patel', FORCE, ['specialist'])
    outsider = await viewerFor('nm.sgt', OTHER_FORCE, ['supervisor'])
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('refuses an incomplete assessment naming each field, and saves nothing', async () => {
    const errors = await inputErrors(
      services.risk.service.assess(officer, id('RK/1/25'), 'dash', {
        ...answers('dash', 3),
        q5: 'maybe',
        rationale: ' ',
      }),
    )
    expect(errors.q5).toBe('Answer question 5: yes, no or not known')
    expect(errors.rationale).toMatch(/why you judge the risk/)
    expect(errors.riskLevel).toMatch(/Choose the risk level/)
    expect(await inputErrors(services.risk.service.assess(officer, id('RK/1/25'), 'oasys', {}))).toEqual({
      tool: 'Choose a risk assessment tool from the list',
    })
    expect(await count('risk_assessments')).toBe(0)
  })

  it('records a DASH and an S-DASH with the yes-count and the officer’s own level; a review falls due', async () => {
    const dash = await services.risk.service.assess(officer, id('RK/1/25'), 'dash', {
      ...answers('dash', 4),
      riskLevel: 'medium',
      rationale: 'Separated last month; frequent unwanted contact.',
    })
    // Two yes answers of eleven, judged medium: the count never decides the level.
    const sdash = await services.risk.service.assess(officer, id('RK/1/25'), 'sdash', {
      ...answers('sdash', 2),
      riskLevel: 'medium',
      rationale: 'Fixated; escalating messages.',
    })
    const rows = await services.db.selectFrom('risk_assessments').selectAll().orderBy('id').execute()
    expect(
      rows.map((row) => [row.id, row.tool_id, row.yes_count, row.question_count, row.risk_level, row.assessed_by]),
    ).toEqual([
      [dash.assessmentId, 'dash', 4, 27, 'medium', 'pc.carter'],
      [sdash.assessmentId, 'sdash', 2, 11, 'medium', 'pc.carter'],
    ])
    const audit = await services.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'risk.assessed')
      .execute()
    expect(audit).toHaveLength(2)

    await services.cases.service.refresh(forceId)
    const review = await obligation('RK/1/25', 'risk_review')
    const assessedDay = rows[0].assessed_at.slice(0, 10)
    expect(review).toMatchObject({ state: 'open', started_at: rows[0].assessed_at })
    expect(review!.due_on >= assessedDay).toBe(true)
    // The S-DASH recorded with the tools meets case work's S-DASH obligation.
    expect(await obligation('RK/1/25', 'sdash')).toMatchObject({ state: 'met', met_event: 'risk.completed_sdash' })
    const caseRow = await services.db
      .selectFrom('cases')
      .selectAll()
      .where('crime_id', '=', id('RK/1/25'))
      .executeTakeFirst()
    expect(caseRow).toMatchObject({ risk: 'medium', risk_rank: 2 })
    // In the supervisor's part of My work and the team queue.
    const waiting = await services.cases.service.reviewsWaiting(sergeant, 10, 'risk_review')
    expect(waiting!.items.map((item) => [item.reference, item.href])).toEqual([
      ['RK/1/25', `/risk/crimes/${id('RK/1/25')}`],
    ])
  })

  it("refuses a review by the assessment's author, another force's supervisor and an officer; nothing saved", async () => {
    const [dash] = await services.db.selectFrom('risk_assessments').select('id').orderBy('id').execute()
    const selfReviewer = await viewerFor('sgt.self', FORCE, ['supervisor'])
    const own = await services.risk.service.assess(selfReviewer, id('RK/2/25'), 'sdash', {
      ...answers('sdash', 1),
      riskLevel: 'standard',
      rationale: 'Single contact.',
    })
    expect(
      await inputErrors(
        services.risk.service.review(selfReviewer, id('RK/2/25'), own.assessmentId, { outcome: 'agree' }),
      ),
    ).toEqual({
      outcome: 'You completed this assessment: it must be reviewed by another supervisor or specialist',
    })
    await expect(
      services.risk.service.review(outsider, id('RK/1/25'), dash.id, { outcome: 'agree' }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    await expect(
      services.risk.service.review(officer, id('RK/1/25'), dash.id, { outcome: 'agree' }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    const errors = await inputErrors(
      services.risk.service.review(sergeant, id('RK/1/25'), dash.id, { outcome: 'change' }),
    )
    expect(errors).toEqual({
      riskLevel: 'Choose the risk level you change it to',
      reason: 'Enter why you change the risk level',
    })
    expect(
      await inputErrors(
        services.risk.service.review(sergeant, id('RK/1/25'), dash.id, {
          outcome: 'change',
          riskLevel: 'medium',
          reason: 'x',
        }),
      ),
    ).toEqual({ riskLevel: 'The assessment already says medium: choose another level, or agree' })
    // The assessment of another crime is not found through this one.
    expect(
      await inputErrors(services.risk.service.review(sergeant, id('RK/2/25'), dash.id, { outcome: 'agree' })),
    ).toEqual({
      assessment: 'There is no such risk assessment on this crime',
    })
    expect(await count('risk_reviews')).toBe(0)
  })

  it('raises the level with a reason: history kept, audited, the case high risk; met when every assessment is reviewed', async () => {
    const [dash, sdash] = await services.db
      .selectFrom('risk_assessments')
      .select('id')
      .where('crime_id', '=', id('RK/1/25'))
      .orderBy('id')
      .execute()
    await services.risk.service.review(sergeant, id('RK/1/25'), dash.id, {
      outcome: 'change',
      riskLevel: 'high',
      reason: 'Threats to kill disclosed at the second contact.',
    })
    expect(
      await inputErrors(services.risk.service.review(specialist, id('RK/1/25'), dash.id, { outcome: 'agree' })),
    ).toEqual({ outcome: 'This assessment has already been reviewed: record a new assessment if the risk has changed' })
    const audit = await services.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'risk.reviewed')
      .execute()
    expect(JSON.parse(audit[0].details as string)).toMatchObject({ from: 'medium', to: 'high', outcome: 'changed' })

    await services.cases.service.refresh(forceId)
    // The S-DASH is still waiting: the obligation stays open, started by it.
    expect(await obligation('RK/1/25', 'risk_review')).toMatchObject({ state: 'open' })
    expect(await obligation('RK/1/25', 'high_risk_allocated')).toMatchObject({ state: 'open' })
    const caseRow = await services.db
      .selectFrom('cases')
      .selectAll()
      .where('crime_id', '=', id('RK/1/25'))
      .executeTakeFirst()
    expect(caseRow).toMatchObject({ risk: 'high', risk_rank: 3 })

    await services.risk.service.review(specialist, id('RK/1/25'), sdash.id, { outcome: 'agree' })
    await services.cases.service.refresh(forceId)
    expect(await obligation('RK/1/25', 'risk_review')).toMatchObject({
      state: 'met',
      met_by: 'ds.patel',
      met_event: 'risk.reviewed',
    })

    const view = await services.risk.service.crimeView(sergeant, id('RK/1/25'))
    // Newest first: the agreement with medium (the S-DASH's), the raise to high, the S-DASH, the DASH.
    expect(view!.history.map((entry) => [entry.kind, entry.level, entry.change, entry.by])).toEqual([
      ['review', 'medium', 'lowered', 'ds.patel'],
      ['review', 'high', 'raised', 'ds.okafor'],
      ['assessment', 'medium', 'same', 'pc.carter'],
      ['assessment', 'medium', null, 'pc.carter'],
    ])
    expect(view!.history[1].why).toBe('Threats to kill disclosed at the second contact.')
    const viewed = await services.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'risk.viewed')
      .execute()
    expect(viewed.length).toBeGreaterThan(0)
    await expect(services.risk.service.crimeView(outsider, id('RK/1/25'))).rejects.toBeInstanceOf(ForbiddenError)
  })

  it('measures reviews on time equal to a direct count of the records', async () => {
    const period = { from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' }
    const measure = await services.risk.reviewMeasure(forceId, period)
    const rows = await services.db
      .selectFrom('risk_assessments as a')
      .leftJoin('risk_reviews as r', 'r.assessment_id', 'a.id')
      .select(['a.assessed_at', 'r.reviewed_at', 'r.outcome'])
      .where('a.force_id', '=', forceId)
      .execute()
    expect(measure).toMatchObject({
      assessments: rows.length,
      reviewed: rows.filter((row) => row.reviewed_at).length,
      awaiting: rows.filter((row) => !row.reviewed_at).length,
      changed: rows.filter((row) => row.outcome === 'changed').length,
      reviewedOnTime: rows.filter((row) => reviewedOnTime(row)).length,
    })
    expect(measure).toMatchObject({ assessments: 3, reviewed: 2, reviewedOnTime: 2, awaiting: 1, changed: 1 })
  })
})
