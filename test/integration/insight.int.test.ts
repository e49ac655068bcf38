import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPlatformServices, wireServices } from '../../src/compositionRoot.ts'
import { loadConfig } from '../../src/config.ts'
import { createCrimeServices } from '../../src/crime/index.ts'
import { CrimeProfileQueries } from '../../src/crime/data/crimeProfileQueries.ts'
import { InsightService, lastTwelveMonths, loadMeasureLinks } from '../../src/insight/services/insightService.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { parseSdashForm, SDASH_QUESTIONS } from '../../src/screening/services/sdash.ts'
import { asAreaDatabase, DIALECTS, createTestDatabase, type TestDatabase } from '../support/databases.ts'
import type { CrimeDatabase } from '../../src/crime/index.ts'
import { courseOfConduct, crime, items } from './crime-fixtures.ts'

const FORCE = 'Wessex Vale Police'
const TODAY = new Date('2024-12-31T12:00:00Z')

describe.each(DIALECTS)('live evidence figures on %s', (dialect) => {
  let database: TestDatabase
  let insight: InsightService
  let forceId: number

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    const platform = createPlatformServices(loadConfig({ NODE_ENV: 'test' }), database.handle)
    const crimes = createCrimeServices(platform)
    const records = [
      ...courseOfConduct(),
      crime({
        forceReference: 'DS/0100/24',
        principal: '8Q',
        flags: { domesticAbuse: false, online: true, repeatVictim: false },
      }),
      crime({ forceReference: 'DS/0101/24', principal: '8Q', reportedAt: '2023-01-01T10:00:00Z' }),
      crime({ forceReference: 'DS/0102/24', principal: '45', narrative: 'Theft from a vehicle.' }),
    ]
    const summary = await crimes.importer.importRecords(SYSTEM_ACTOR, items(records), { force: FORCE })
    expect(summary.problems).toEqual([])
    forceId = (await crimes.repository.forceByName(FORCE))!.id
    const stalkingCodes = crimes.catalogue.classes.filter((entry) => entry.isStalking).map((entry) => entry.code)
    insight = new InsightService(
      new CrimeProfileQueries(asAreaDatabase<CrimeDatabase>(database.handle.db)),
      () => stalkingCodes,
      {
        coverage: async () => ({ eligible: 10, screenedWithin: 7, screenedIn: 2, decided: 8 }),
      },
    )
  })
  afterAll(() => database.drop())

  it('counts stalking found only as an included classification, within the last twelve months', async () => {
    const figures = await insight.evidenceFigures(forceId, ['7.1'], TODAY)
    const included = figures.get('7.1')!.find((figure) => figure.id === 'stalking_as_included')!
    // DS/0001/24 has 8Q included under criminal damage; DS/0003/24 and DS/0100/24 have 8Q as principal;
    // DS/0101/24 is older than twelve months.
    expect(included).toMatchObject({ numerator: 1, denominator: 3, percent: 33, value: '33% (1 of 3)' })
    expect(included.sentence).toMatch(
      /^Threadline records, 1 Jan 2024 to 31 Dec 2024: stalking found only as an included classification 33% \(1 of 3\)\.$/,
    )
    expect(included.method).toMatch(/not the principal crime/)
  })

  it('counts online stalking and uses the screening figures when screening supplies them', async () => {
    const figures = await insight.evidenceFigures(forceId, ['20.1', '23.1', '10.3'], TODAY)
    expect(figures.get('20.1')![0]).toMatchObject({ id: 'stalking_online', numerator: 1, denominator: 3 })
    const screening = figures.get('23.1')!
    expect(screening.map((figure) => figure.id)).toEqual(['screening_coverage', 'screening_yield'])
    expect(screening[0]).toMatchObject({ percent: 70, value: '70% (7 of 10)' })
    expect(figures.has('10.3')).toBe(false)
  })
})

describe('evidence measure links', () => {
  it('loads the shipped links and refuses an unknown measure naming where', () => {
    expect(loadMeasureLinks().get('7.1')).toContain('stalking_as_included')
  })

  it('computes a twelve-month period ending today', () => {
    expect(lastTwelveMonths(TODAY)).toEqual({ from: '2024-01-01T00:00:00.000Z', to: '2025-01-01T00:00:00.000Z' })
  })
})

describe.each(DIALECTS)('live figures from screening on %s', (dialect) => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
  })
  afterAll(() => database.drop())

  it('counts S-DASH completion on stalking crimes and courses of conduct found by linkage', async () => {
    const services = wireServices(loadConfig({ NODE_ENV: 'test' }), database.handle)
    const recent = courseOfConduct().map((record) => ({ ...record, reportedAt: new Date().toISOString() }))
    await services.crime.importer.importRecords(SYSTEM_ACTOR, items(recent), { force: FORCE })
    const forceId = (await services.crime.repository.forceByName(FORCE))!.id
    await services.screening.service.run(SYSTEM_ACTOR, forceId, { mode: 'full' })
    const stalkingCrime = await database.handle.db
      .selectFrom('crimes')
      .select('id')
      .where('force_reference', '=', 'DS/0003/24')
      .executeTakeFirstOrThrow()
    const form = parseSdashForm({
      ...Object.fromEntries(SDASH_QUESTIONS.map((question, index) => [question.id, index < 3 ? 'yes' : 'no'])),
      judgement: 'Fixated ex-partner; medium risk on professional judgement.',
      riskLevel: 'medium',
    })
    if (!form.ok) throw new Error(JSON.stringify(form.errors))
    await services.screening.service.assess({ actor: SYSTEM_ACTOR, forceId }, stalkingCrime.id, form.value)
    const figures = await services.insight.evidence.evidenceFigures(forceId, ['12.1', '23.1'])
    expect(figures.get('12.1')!.find((figure) => figure.id === 'sdash_completed')).toMatchObject({
      numerator: 1,
      denominator: 2,
    })
    const courses = figures.get('23.1')!.find((figure) => figure.id === 'courses_of_conduct')!
    expect(courses.numerator).toBeGreaterThanOrEqual(1)
  })
})
