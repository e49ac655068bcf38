// Screening on both dialects: queue with reasons, linkage stored, decisions (8Q added as included and then found by
// the crime search), feedback to the pair's next crime, incremental runs, S-DASH, measures and audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import { wireServices, type Services } from '../../src/compositionRoot.ts'
import { crimeSearchSchema } from '../../src/crime/services/searchFilters.ts'
import { SYSTEM_ACTOR, type ActorContext } from '../../src/platform/services/auditService.ts'
import { ForbiddenError } from '../../src/platform/services/permissions.ts'
import { ScreeningInputError } from '../../src/screening/services/screeningService.ts'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.ts'
import { hiddenCourse, items, otherCrimes, record, suspect, victim } from './screening-fixtures.ts'

const FORCE = 'Screenshire Police'
const actor: ActorContext = { ...SYSTEM_ACTOR, actorUsername: 'test-screener', actorId: null }

describe.each(DIALECTS)('screening service on %s', (dialect) => {
  let database: TestDatabase
  let services: Services
  let forceId: number
  const ids = new Map<string, number>()
  const viewer = () => ({ actor: { ...actor, forceId }, forceId })

  async function refreshIds() {
    const rows = await services.db.selectFrom('crimes').select(['id', 'force_reference']).execute()
    for (const row of rows) ids.set(row.force_reference, row.id)
  }
  const id = (reference: string) => ids.get(reference) as number

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    services = wireServices(
      loadConfig({ NODE_ENV: 'test' }, { databaseUrl: database.url ?? 'pglite' }),
      database.handle,
      { screenOnImport: false },
    )
    const summary = await services.crime.importer.importRecords(actor, items([...hiddenCourse(), ...otherCrimes()]), {
      force: FORCE,
    })
    expect(summary.problems).toEqual([])
    forceId = (await services.screening.service.forceByName(FORCE))!.id
    await refreshIds()
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('queues watched crimes and every crime of a hidden course, each with reasons a screener can check', async () => {
    const run = await services.screening.service.run(actor, forceId, { mode: 'full' })
    expect(run).toMatchObject({ linkage: 'full', courses: 1, records: 6, queued: 4 })
    const queue = await services.screening.service.queue(viewer(), { status: 'open' }, 1, 50)
    const byRef = new Map(queue.entries.map((entry) => [entry.reference, entry]))
    // Oldest report first.
    expect(queue.entries.map((entry) => entry.reference)).toEqual([
      'SC/0100/26',
      'SC/0001/26',
      'SC/0002/26',
      'SC/0003/26',
    ])
    expect(byRef.get('SC/0100/26')!.reasons).toEqual(['Principal classification 8L Harassment is watched'])
    const damage = byRef.get('SC/0001/26')!.reasons
    expect(damage).toContain(
      'Linked to 2 other incidents between the same suspect and victim since 2026-03-02 (recorded as 105A Assault without injury, 58C Criminal damage to a vehicle, 8R Malicious communications)',
    )
    expect(
      damage.some((reason) =>
        reason.startsWith('Flagged as domestic abuse, and the narrative describes former partners ('),
      ),
    ).toBe(true)
    expect(damage.find((reason) => reason.startsWith('Narrative mentions:'))).toMatch(/loitering \('waiting outside'\)/)
    expect(byRef.get('SC/0002/26')!.reasons[0]).toBe('Principal classification 8R Malicious communications is watched')
    // The total is counted from the queue alone unless a filter reads the crime; either way it is the entries there are.
    expect(queue.total).toBe(4)
    const firstTwo = await services.screening.service.queue(viewer(), { status: 'open' }, 1, 2)
    expect(firstTwo).toMatchObject({ total: 4 })
    expect(firstTwo.entries).toHaveLength(2)
    const team = queue.entries[0].team
    const byTeam = await services.screening.service.queue(
      viewer(),
      { status: 'open', ...(team ? { team } : {}) },
      1,
      50,
    )
    expect(byTeam.total).toBe(queue.entries.filter((entry) => !team || entry.team === team).length)
    expect(byTeam.entries).toHaveLength(byTeam.total)
    expect(byRef.has('SC/0200/26')).toBe(false) // already stalking
    expect(byRef.has('SC/0300/26')).toBe(false) // not watched, not linked
    const stored = await services.db
      .selectFrom('screening_course_crimes')
      .select('crime_id')
      .orderBy('position')
      .execute()
    expect(stored.map((row) => row.crime_id)).toEqual([id('SC/0001/26'), id('SC/0002/26'), id('SC/0003/26')])
    const keys = await services.db.selectFrom('screening_person_keys').select('person_key').distinct().execute()
    expect(keys).toHaveLength(2)
  })

  it('a full run again changes nothing in the queue', async () => {
    const run = await services.screening.service.run(actor, forceId, { mode: 'full' })
    expect(run).toMatchObject({ queued: 0, updated: 0, removed: 0, coursesChanged: 0, open: 4 })
  })

  it('shows a crime with highlighted indicators, its course timeline, and audits the read', async () => {
    const view = (await services.screening.service.crimeView(viewer(), id('SC/0002/26')))!
    expect(view.courses).toHaveLength(1)
    expect(view.courses[0].records.map((r) => r.principal_code)).toEqual(['58C', '8R', '105A'])
    expect(view.segments.some((segment) => segment.labels !== null)).toBe(true)
    expect(view.segments.map((segment) => segment.text).join('')).toBe(view.crime.narrative)
    const audit = await services.db
      .selectFrom('audit_events')
      .select(['subject_id'])
      .where('action', '=', 'screening.crime.viewed')
      .execute()
    expect(audit.map((row) => row.subject_id)).toContain(String(id('SC/0002/26')))
  })

  it("refuses another force's crime", async () => {
    await expect(
      services.screening.service.crimeView({ actor, forceId: forceId + 1000 }, id('SC/0002/26')),
    ).rejects.toBeInstanceOf(ForbiddenError)
  })

  it('needs a rationale, and for harassment only asks why it is not stalking (FOUR)', async () => {
    const error = await services.screening.service
      .decide(viewer(), id('SC/0100/26'), { outcome: 'harassment_only', rationale: '  ' })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ScreeningInputError)
    expect((error as ScreeningInputError).errors.rationale).toMatch(/fixated, obsessive, unwanted or repeated/)
    const noAction = await services.screening.service
      .decide(viewer(), id('SC/0002/26'), { outcome: 'stalking_identified', rationale: 'Repeated' })
      .catch((caught: unknown) => caught)
    expect((noAction as ScreeningInputError).errors.action).toBeDefined()
    const decisions = await services.db.selectFrom('screening_decisions').selectAll().execute()
    expect(decisions).toHaveLength(0)
  })

  it('stalking identified adds 8Q as included (who and why), which the crime search then finds, audited together', async () => {
    const before = await services.crime.records.search(viewer(), crimeSearchSchema.parse({ classification: '8Q' }))
    expect(before.crimes.map((c) => c.reference)).toEqual(['SC/0200/26'])
    const result = await services.screening.service.decide(viewer(), id('SC/0002/26'), {
      outcome: 'stalking_identified',
      action: 'add_included_8q',
      rationale: 'Fixated and repeated contact after the relationship ended; linked to two other incidents',
    })
    expect(result.classificationAdded).toBe(true)
    const classifications = await services.crime.repository.classificationsOf(id('SC/0002/26'))
    expect(classifications.find((c) => c.code === '8Q')).toMatchObject({
      role: 'included',
      added_by: 'test-screener',
      reason: expect.stringContaining('Fixated and repeated contact'),
    })
    const either = await services.crime.records.search(viewer(), crimeSearchSchema.parse({ classification: '8Q' }))
    expect(either.crimes.map((c) => c.reference).sort()).toEqual(['SC/0002/26', 'SC/0200/26'])
    const included = await services.crime.records.search(
      viewer(),
      crimeSearchSchema.parse({ classification: '8Q', match: 'included' }),
    )
    expect(included.crimes.map((c) => c.reference)).toEqual(['SC/0002/26'])
    const principal = await services.crime.records.search(
      viewer(),
      crimeSearchSchema.parse({ classification: '8Q', match: 'principal' }),
    )
    expect(principal.crimes.map((c) => c.reference)).toEqual(['SC/0200/26'])
    const actions = await services.db
      .selectFrom('audit_events')
      .select(['action', 'subject_id', 'details'])
      .where('action', 'in', ['screening.decided', 'crime.classification.added'])
      .execute()
    expect(actions.map((row) => row.action).sort()).toEqual(['crime.classification.added', 'screening.decided'])
    expect(actions.every((row) => row.subject_id === String(id('SC/0002/26')))).toBe(true)
    const entry = await services.db
      .selectFrom('screening_queue')
      .select('status')
      .where('crime_id', '=', id('SC/0002/26'))
      .executeTakeFirstOrThrow()
    expect(entry.status).toBe('decided')
    expect((await services.screening.outcomesOf([id('SC/0002/26')])).get(id('SC/0002/26'))!.decision!.outcome).toBe(
      'stalking_identified',
    )
  })

  it("shows the earlier decision on the same pair's other crimes", async () => {
    const view = (await services.screening.service.crimeView(viewer(), id('SC/0003/26')))!
    expect(view.earlierDecisions).toHaveLength(1)
    expect(view.earlierDecisions[0]).toMatchObject({ outcome: 'stalking_identified', reference: 'SC/0002/26' })
  })

  it('incrementally screens a newly imported crime of the same pair, which shows the earlier decision', async () => {
    await services.crime.importer.importRecords(
      actor,
      items([
        record({
          forceReference: 'SC/0004/26',
          reportedAt: '2026-06-01T20:00:00Z',
          principal: '8L-BRO',
          parties: [victim, suspect],
          narrative: 'SUSP turned up at the home address in breach of a restraining order.',
        }),
      ]),
      { force: FORCE },
    )
    await refreshIds()
    const run = await services.screening.screenChangedCrimes(actor, forceId)
    expect(run.linkage).toBe('incremental')
    expect(run.mode).toBe('incremental')
    expect(run.queued).toBe(1)
    const view = (await services.screening.service.crimeView(viewer(), id('SC/0004/26')))!
    expect(view.entry!.reasons[0]).toBe('Principal classification 8L-BRO Breach of restraining order is watched')
    expect(view.entry!.reasons).toContain(
      'Linked to 3 other incidents between the same suspect and victim since 2026-03-02 (recorded as 105A Assault without injury, 58C Criminal damage to a vehicle, 8L-BRO Breach of restraining order, 8R Malicious communications)',
    )
    expect(view.earlierDecisions.map((d) => d.reference)).toEqual(['SC/0002/26'])
    expect(await services.db.selectFrom('screening_courses').select('incident_count').execute()).toEqual([
      { incident_count: 4 },
    ])
  })

  it('puts back an 8Q a re-import from the records system dropped', async () => {
    await services.crime.importer.importRecords(actor, items([hiddenCourse()[1]]), { force: FORCE })
    expect((await services.crime.repository.classificationsOf(id('SC/0002/26'))).map((c) => c.code)).toEqual(['8R'])
    const run = await services.screening.screenChangedCrimes(actor, forceId)
    expect(run.reapplied).toBe(1)
    expect(run.linkage).toBe('full') // a linked record changed: linkage ran in full
    const codes = (await services.crime.repository.classificationsOf(id('SC/0002/26'))).map((c) => c.code)
    expect(codes).toEqual(['8R', '8Q'])
  })

  it('records an S-DASH with the yes count and the officer judgement, without a threshold', async () => {
    const answers = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`q${i + 1}`, { answer: i < 4 ? 'yes' : 'no', comment: '' }]),
    ) as Record<string, { answer: 'yes' | 'no'; comment: string }>
    const result = await services.screening.service.assess(viewer(), id('SC/0003/26'), {
      answers,
      judgement: 'Escalating; victim very frightened',
      riskLevel: 'high',
    })
    expect(result.yesCount).toBe(4)
    const outcome = (await services.screening.outcomesOf([id('SC/0003/26')])).get(id('SC/0003/26'))!
    expect(outcome.assessment).toMatchObject({ yesCount: 4, riskLevel: 'high' })
  })

  it('measures coverage, yield and time to screen by month and team', async () => {
    await services.screening.service.decide(viewer(), id('SC/0100/26'), {
      outcome: 'harassment_only',
      rationale: 'One incident only: not repeated, not fixated',
    })
    const measures = await services.screening.screeningMeasures(forceId, {
      from: '2026-01-01',
      to: '2026-12-31',
      withinDays: 36500,
    })
    expect(measures.total).toMatchObject({ eligible: 5, screened: 2, screenedWithin: 2, stalkingIdentified: 1 })
    expect(measures.total.coverage).toBeCloseTo(2 / 5)
    expect(measures.total.yield).toBeCloseTo(1 / 2)
    expect(measures.byMonth.map((row) => [row.month, row.eligible])).toEqual([
      ['2026-02', 1],
      ['2026-03', 1],
      ['2026-04', 1],
      ['2026-05', 1],
      ['2026-06', 1],
    ])
    expect(measures.byTeam.find((row) => row.team === 'Safeguarding Hub')).toMatchObject({
      eligible: 1,
      stalkingIdentified: 1,
    })
    const strict = await services.screening.screeningMeasures(forceId, {
      from: '2026-01-01',
      to: '2026-12-31',
      withinDays: 7,
    })
    expect(strict.total.screenedWithin).toBe(0) // decided today, months after the reports
    expect(strict.total.medianDaysToScreen).toBeGreaterThan(100)
  })
})
