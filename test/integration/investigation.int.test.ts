// Allocation and investigation quality on both dialects: the skills register (who may maintain it, linked users,
// removal kept), allocations with "trained" derived from the register, supervisory reviews against the checklist (data,
// not code) with their messages and history, another force's crime refused, a read-only role refused, the force's
// measures (and the live figures for 17.1 and 18.1 to 18.4), and an audit row for every change and read.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CrimeDatabase } from '../../src/crime/index.ts'
import { createPlatformServices } from '../../src/compositionRoot.ts'
import { loadConfig } from '../../src/config.ts'
import { createCrimeServices, type CrimeServices } from '../../src/crime/index.ts'
import { CrimeProfileQueries } from '../../src/crime/data/crimeProfileQueries.ts'
import { InsightService } from '../../src/insight/services/insightService.ts'
import { createInvestigationServices, type InvestigationServices } from '../../src/investigation/index.ts'
import { loadChecklist, parseReview } from '../../src/investigation/services/checklist.ts'
import { InvestigationInputError, type Viewer } from '../../src/investigation/services/investigationService.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { ForbiddenError, Permissions, type Role } from '../../src/platform/services/permissions.ts'
import { DIALECTS, createTestDatabase, type TestDatabase, asAreaDatabase } from '../support/databases.ts'
import { courseOfConduct, crime, items } from './crime-fixtures.ts'

const FORCE = 'Demoshire Police'
const OTHER_FORCE = 'Northmoor Constabulary'
const PERIOD = { from: '2024-01-01T00:00:00.000Z', to: '2025-01-01T00:00:00.000Z' }

/** A review with every item answered: digital lines not applicable, no arrest, no search, no impact evidenced. */
const quietReview = (reviewedOn: string, overrides: Record<string, string> = {}) => ({
  reviewedOn,
  devices: 'not_applicable',
  socialMedia: 'not_applicable',
  phoneData: 'not_applicable',
  cctv: 'not_applicable',
  arrest: 'no',
  'arrest-reason': 'Suspect not identified',
  search: 'no',
  'search-reason': 'No premises known',
  victimImpact: 'no',
  ...overrides,
})

describe.each(DIALECTS)('Investigation allocation and quality on %s', (dialect) => {
  let database: TestDatabase
  let platform: ReturnType<typeof createPlatformServices>
  let crimes: CrimeServices
  let investigation: InvestigationServices
  let forceId: number
  let specialistUserId: number
  const ids = new Map<string, number>()
  const id = (reference: string) => ids.get(reference) as number
  const as = (roles: Role[], username = 'pc.carter', userId = 7): Viewer => ({
    actor: { actorId: userId, actorUsername: username, forceId, requestId: 'req-1' },
    forceId,
    permissions: new Permissions({ id: userId, username, displayName: username, forceId, forceName: FORCE, roles }),
  })
  let officer: Viewer
  let supervisor: Viewer

  const inputErrors = async (run: Promise<unknown>): Promise<Record<string, string>> => {
    const error = await run.then(
      () => null,
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(InvestigationInputError)
    return (error as InvestigationInputError).errors
  }
  const auditOf = (action: string) =>
    platform.db.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('id', 'desc').execute()
  const rowCount = async (table: 'investigation_skills' | 'investigation_allocations' | 'investigation_reviews') =>
    (await platform.db.selectFrom(table).selectAll().execute()).length

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    platform = createPlatformServices(loadConfig({ NODE_ENV: 'test' }), database.handle)
    crimes = createCrimeServices(platform)
    investigation = createInvestigationServices(platform, { crime: crimes })
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
    forceId = (await crimes.repository.forceByName(FORCE))!.id
    specialistUserId = await platform.users.addUser(SYSTEM_ACTOR, {
      username: 'specialist',
      displayName: 'DC Jo Whitfield',
      email: null,
      force: FORCE,
      roles: ['specialist'],
    })
    await platform.users.addUser(SYSTEM_ACTOR, {
      username: 'northmoor.officer',
      displayName: 'PC Jamie Frost',
      email: null,
      force: OTHER_FORCE,
      roles: ['officer'],
    })
    officer = as(['officer'])
    supervisor = as(['supervisor'], 'ds.okafor', 8)
  })
  afterAll(() => database.drop())

  it('lets a force admin or a stalking lead add to the skills register, but not an officer; audited', async () => {
    const admin = as(['force_admin'], 'admin', 9)
    const { skillId } = await investigation.service.addSkill(supervisor, {
      officer: '  DC 4821 ',
      level: 'trained',
      courseName: 'Stalking investigation course',
      trainedOn: '2024-01-10',
    })
    await investigation.service.addSkill(admin, {
      officer: 'DS 77',
      userId: String(specialistUserId),
      level: 'specialist',
      courseName: 'Stalking unit induction',
      trainedOn: '2024-04-01',
    })
    // Trained after the allocations below: they do not count as trained.
    await investigation.service.addSkill(admin, {
      officer: 'PC 9',
      level: 'trained',
      courseName: 'Stalking investigation course',
      trainedOn: '2024-09-01',
    })
    await expect(
      investigation.service.addSkill(officer, {
        officer: 'PC 1',
        level: 'trained',
        courseName: 'x',
        trainedOn: '2024-01-01',
      }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    const stored = await platform.db
      .selectFrom('investigation_skills')
      .selectAll()
      .where('id', '=', skillId)
      .executeTakeFirstOrThrow()
    expect(stored).toMatchObject({
      force_id: forceId,
      officer: 'DC 4821',
      officer_key: 'dc 4821',
      user_id: null,
      level: 'trained',
      trained_on: '2024-01-10',
      recorded_by: 'ds.okafor',
      removed_at: null,
    })
    const added = await auditOf('investigation.skill.added')
    expect(added).toHaveLength(3)
    expect(added[2]).toMatchObject({ actor_username: 'ds.okafor', subject_id: String(skillId), request_id: 'req-1' })
    expect(JSON.parse(added[1].details)).toMatchObject({ officer: 'DS 77', userId: specialistUserId })
    const register = await investigation.service.skills(officer)
    expect(register.entries.map((entry) => [entry.officer, entry.display_name ?? null])).toEqual([
      ['DC 4821', null],
      ['DS 77', 'DC Jo Whitfield'],
      ['PC 9', null],
    ])
    expect(await auditOf('investigation.skills.viewed')).toHaveLength(1)
  })

  it('refuses a bad register entry with a message for each field, and another force’s user', async () => {
    const before = await rowCount('investigation_skills')
    expect(await inputErrors(investigation.service.addSkill(supervisor, {}))).toEqual({
      officer: 'Enter the officer as crimes name them, for example DC 4821',
      level: 'Choose trained stalking investigator or specialist',
      courseName: 'Enter the name of the course',
      trainedOn: 'Enter the date trained',
    })
    expect(
      await inputErrors(
        investigation.service.addSkill(supervisor, {
          officer: 'PC 2',
          level: 'trained',
          courseName: 'x',
          trainedOn: '2999-01-01',
        }),
      ),
    ).toEqual({ trainedOn: 'The date trained must be today or in the past' })
    const northmoorUser = await platform.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'northmoor.officer')
      .executeTakeFirstOrThrow()
    expect(
      await inputErrors(
        investigation.service.addSkill(supervisor, {
          officer: 'PC 2',
          userId: northmoorUser.id,
          level: 'trained',
          courseName: 'x',
          trainedOn: '2024-01-01',
        }),
      ),
    ).toEqual({ userId: 'Choose a user from the list' })
    expect(await rowCount('investigation_skills')).toBe(before)
  })

  it('allocates with "trained" derived from the register: by name, by linked user, and not before the training', async () => {
    const allocate = (reference: string, body: Record<string, string>) =>
      investigation.service.allocate(officer, id(reference), body)
    expect(
      await allocate('DS/0001/24', {
        team: 'Stalking unit',
        officer: ' dc   4821',
        allocatedOn: '2024-03-06',
        riskLevel: 'high',
      }),
    ).toMatchObject({ officerTrained: true })
    expect(
      await allocate('DS/0003/24', { team: 'CID', officer: 'PC 12', allocatedOn: '2024-05-02', riskLevel: 'high' }),
    ).toMatchObject({ officerTrained: false })
    // On the register, but trained after this allocation.
    expect(
      await allocate('DS/0100/24', { team: 'CID', officer: 'PC 9', allocatedOn: '2024-06-02', riskLevel: 'high' }),
    ).toMatchObject({ officerTrained: false })
    // Reallocated to a trained officer at medium risk: the latest counts.
    expect(
      await allocate('DS/0100/24', {
        team: 'Stalking unit',
        officer: 'DC 4821',
        allocatedOn: '2024-06-10',
        riskLevel: 'medium',
        complexityNotes: '  Online and in person; several accounts  ',
      }),
    ).toMatchObject({ officerTrained: true })
    // The linked user's display name matches the entry (not a stalking crime: not in the measure).
    expect(
      await allocate('DS/0102/24', {
        team: 'Stalking unit',
        officer: 'DC Jo Whitfield',
        allocatedOn: '2024-04-02',
        riskLevel: 'standard',
      }),
    ).toMatchObject({ officerTrained: true })
    // Outside the period.
    await allocate('DS/0101/24', { team: 'CID', officer: 'DC 4821', allocatedOn: '2024-02-01', riskLevel: 'high' })

    const view = (await investigation.service.crimeView(officer, id('DS/0100/24')))!
    expect(view.allocations.map((a) => [a.officer, a.risk_level, a.officer_trained])).toEqual([
      ['DC 4821', 'medium', 1],
      ['PC 9', 'high', 0],
    ])
    expect(view.latestAllocation).toMatchObject({
      team: 'Stalking unit',
      complexity_notes: 'Online and in person; several accounts',
      allocated_by: 'pc.carter',
      allocated_by_id: 7,
      riskLabel: 'Medium',
    })
    const allocated = await auditOf('investigation.allocated')
    expect(allocated).toHaveLength(6)
    expect(allocated[0]).toMatchObject({
      actor_username: 'pc.carter',
      subject_type: 'crime',
      subject_id: String(id('DS/0101/24')),
      request_id: 'req-1',
    })
    expect(JSON.parse(allocated[0].details)).toMatchObject({ officer: 'DC 4821', officerTrained: 1, riskLevel: 'high' })
    expect(JSON.parse(allocated[3].details)).toMatchObject({ officer: 'PC 9', officerTrained: 0, skillId: null })
    const [viewed] = await auditOf('investigation.crime.viewed')
    expect(viewed.subject_id).toBe(String(id('DS/0100/24')))
  })

  it('refuses a bad allocation with a message for each field, writing nothing', async () => {
    const before = await rowCount('investigation_allocations')
    expect(await inputErrors(investigation.service.allocate(officer, id('DS/0003/24'), {}))).toEqual({
      team: 'Enter the team',
      officer: 'Enter the officer allocated, for example DC 4821',
      allocatedOn: 'Enter the date allocated',
      riskLevel: 'Choose the risk level at allocation: standard, medium or high',
    })
    const body = { team: 'CID', officer: 'PC 1', riskLevel: 'high' }
    expect(
      await inputErrors(
        investigation.service.allocate(officer, id('DS/0003/24'), { ...body, allocatedOn: '2024-04-30' }),
      ),
    ).toEqual({ allocatedOn: 'The date allocated must be on or after the date the crime was reported (2024-05-01)' })
    expect(
      await inputErrors(
        investigation.service.allocate(officer, id('DS/0003/24'), { ...body, allocatedOn: '2024-13-01' }),
      ),
    ).toEqual({ allocatedOn: 'Enter the date allocated as a real date' })
    expect(
      await inputErrors(
        investigation.service.allocate(officer, id('DS/0003/24'), {
          ...body,
          allocatedOn: '2024-05-02',
          riskLevel: 'severe',
        }),
      ),
    ).toHaveProperty('riskLevel')
    expect(await inputErrors(investigation.service.allocate(officer, 999_999, {}))).toEqual({
      crime: 'There is no such crime',
    })
    expect(await rowCount('investigation_allocations')).toBe(before)
  })

  it('keeps supervisory reviews to supervisors and specialists: an officer cannot review a case', async () => {
    const before = await rowCount('investigation_reviews')
    await expect(
      investigation.service.review(officer, id('DS/0001/24'), quietReview('2024-03-10')),
    ).rejects.toBeInstanceOf(ForbiddenError)
    expect(await rowCount('investigation_reviews')).toBe(before)
  })

  it('records supervisory reviews against the checklist, keeping the history, newest review first', async () => {
    const first = await investigation.service.review(
      supervisor,
      id('DS/0001/24'),
      quietReview('2024-03-10', {
        devices: 'pursued',
        arrest: 'yes',
        'arrest-date': '2024-03-08',
        'arrest-reason': 'ignored when arrested',
        notes: 'Download both phones',
      }),
    )
    await investigation.service.review(
      supervisor,
      id('DS/0001/24'),
      quietReview('2024-04-20', {
        devices: 'pursued',
        arrest: 'yes',
        'arrest-date': '2024-03-08',
        search: 'yes',
        'search-date': '2024-04-15',
        victimImpact: 'yes',
      }),
    )
    const stored = await platform.db
      .selectFrom('investigation_reviews')
      .selectAll()
      .where('id', '=', first.reviewId)
      .executeTakeFirstOrThrow()
    expect(stored).toMatchObject({
      force_id: forceId,
      reviewed_on: '2024-03-10',
      checklist_version: 1,
      digital_pursued: 1,
      arrested: 1,
      searched: 0,
      victim_impact: 0,
      notes: 'Download both phones',
      reviewed_by: 'ds.okafor',
    })
    expect(JSON.parse(stored.answers)).toMatchObject({
      devices: { answer: 'pursued' },
      arrest: { answer: 'yes', date: '2024-03-08' },
      search: { answer: 'no', reason: 'No premises known' },
    })
    expect(JSON.parse(stored.answers).arrest).not.toHaveProperty('reason')
    // Recorded later but dated earlier: the history is by the date of the review.
    await investigation.service.review(
      supervisor,
      id('DS/0003/24'),
      quietReview('2024-05-20', {
        cctv: 'not_pursued',
        'cctv-reason': 'Footage overwritten',
        victimImpact: 'yes',
      }),
    )
    await investigation.service.review(
      supervisor,
      id('DS/0003/24'),
      quietReview('2024-05-10', {
        arrest: 'yes',
        'arrest-date': '2024-05-09',
      }),
    )
    await investigation.service.review(supervisor, id('DS/0101/24'), quietReview('2023-01-02', { victimImpact: 'yes' }))

    const view = (await investigation.service.crimeView(supervisor, id('DS/0001/24')))!
    expect(view.reviews.map((r) => [r.reviewed_on, r.daysAfterReport])).toEqual([
      ['2024-04-20', 46],
      ['2024-03-10', 5],
    ])
    expect(view.reviewedWithin).toBe(true)
    const powers = view.reviews[0].sections.find((section) => section.heading === 'Arrest and search powers')!
    expect(powers.items.map((item) => [item.id, item.answerLabel, item.date ?? null])).toEqual([
      ['arrest', 'Yes', '2024-03-08'],
      ['search', 'Yes', '2024-04-15'],
    ])
    const later = (await investigation.service.crimeView(supervisor, id('DS/0003/24')))!
    expect(later.reviews.map((r) => r.reviewed_on)).toEqual(['2024-05-20', '2024-05-10'])
    expect(later.reviewedWithin).toBe(false)
    const reviewed = await auditOf('investigation.reviewed')
    expect(reviewed).toHaveLength(5)
    expect(reviewed[4]).toMatchObject({ actor_username: 'ds.okafor', subject_id: String(id('DS/0001/24')) })
    expect(JSON.parse(reviewed[4].details)).toMatchObject({ reviewId: first.reviewId, reviewedOn: '2024-03-10' })
  })

  it('refuses a bad review with a message for each field, writing nothing', async () => {
    const before = await rowCount('investigation_reviews')
    const review = (body: Record<string, unknown>) =>
      inputErrors(investigation.service.review(supervisor, id('DS/0003/24'), body))
    expect(await review({})).toEqual({
      reviewedOn: 'Enter the date of the review',
      devices:
        "Choose whether devices (the victim's and the suspect's phones, computers, tracking devices) were pursued, not applicable or not pursued",
      socialMedia:
        'Choose whether social media accounts, messages and fake profiles were pursued, not applicable or not pursued',
      phoneData:
        'Choose whether phone data (call and message records, cell site) were pursued, not applicable or not pursued',
      cctv: 'Choose whether CCTV and doorbell footage were pursued, not applicable or not pursued',
      arrest: 'Choose yes or no for: suspect arrested',
      search: 'Choose yes or no for: search conducted (premises, vehicle or devices)',
      victimImpact:
        'Choose yes or no for: the impact on the victim is evidenced in the witness statement (or a victim personal statement)',
    })
    expect(
      await review(
        quietReview('2024-05-20', {
          cctv: 'not_pursued',
          arrest: 'yes',
          search: 'no',
          'search-reason': '',
        }),
      ),
    ).toEqual({
      'cctv-reason': 'Enter why CCTV and doorbell footage were not pursued',
      'arrest-date': 'Enter the date for: suspect arrested',
      'search-reason': 'Enter the reason for no: search conducted (premises, vehicle or devices)',
    })
    expect(await review(quietReview('2024-05-20', { arrest: 'yes', 'arrest-date': '2024-05-21' }))).toEqual({
      'arrest-date': 'The date must be on or before the date of the review',
    })
    expect(await review(quietReview('2024-04-30'))).toEqual({
      reviewedOn: 'The date of the review must be on or after the date the crime was reported (2024-05-01)',
    })
    expect(await review(quietReview('20/05/2024'))).toEqual({
      reviewedOn: 'Enter the date of the review as a real date, for example 27 3 2025',
    })
    expect(await rowCount('investigation_reviews')).toBe(before)
  })

  it("refuses another force's crime for reading and recording, and a read-only role's changes", async () => {
    const before = [await rowCount('investigation_allocations'), await rowCount('investigation_reviews')]
    await expect(investigation.service.crimeView(officer, id('NM/0001/24'))).rejects.toBeInstanceOf(ForbiddenError)
    await expect(
      investigation.service.allocate(officer, id('NM/0001/24'), {
        team: 'CID',
        officer: 'PC 1',
        allocatedOn: '2024-05-02',
        riskLevel: 'high',
      }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    // The force is checked before the input.
    await expect(investigation.service.review(supervisor, id('NM/0001/24'), {})).rejects.toBeInstanceOf(ForbiddenError)
    const analyst = as(['analyst'], 'analyst', 10)
    expect(await investigation.service.crimeView(analyst, id('DS/0003/24'))).toBeDefined()
    await expect(
      investigation.service.review(analyst, id('DS/0003/24'), quietReview('2024-05-20')),
    ).rejects.toBeInstanceOf(ForbiddenError)
    await expect(
      investigation.service.allocate(analyst, id('DS/0003/24'), {
        team: 'CID',
        officer: 'PC 1',
        allocatedOn: '2024-05-02',
        riskLevel: 'high',
      }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    expect([await rowCount('investigation_allocations'), await rowCount('investigation_reviews')]).toEqual(before)
  })

  it("measures the force's 8Q crimes in the period: allocation to trained officers and review quality", async () => {
    // In the period with 8Q: DS/0001/24 (latest allocation trained, high; reviewed day 5 and day 46, latest:
    // digital, arrest, search, impact), DS/0003/24 (untrained, high; reviews day 9 and day 19, latest by date: impact
    // only), DS/0100/24 (reallocated to trained, medium; no review). DS/0101/24 is outside it, DS/0102/24 not 8Q.
    expect(await investigation.investigationMeasure(forceId, PERIOD)).toEqual({
      stalkingCrimes: 3,
      allocated: 3,
      allocatedTrained: 2,
      highRisk: 2,
      highRiskTrained: 1,
      reviewed: 2,
      reviewedWithin: 1,
      reviews: 4,
      digitalPursued: 1,
      arrested: 1,
      searched: 1,
      victimImpact: 2,
    })
    const otherForce = (await crimes.repository.forceByName(OTHER_FORCE))!.id
    expect(await investigation.investigationMeasure(otherForce, PERIOD)).toMatchObject({
      stalkingCrimes: 1,
      allocated: 0,
      reviews: 0,
    })
  })

  it("lists the force's stalking crimes with their latest allocation and reviews, filtered by status; audited", async () => {
    const list = (query: Record<string, string>) => investigation.service.list(officer, query)
    const all = await list({})
    expect(all).toMatchObject({ total: 4, page: 1, pageCount: 1, pageSize: 25 })
    expect(all.crimes.map((c) => [c.reference, c.allocation?.officer ?? null, c.reviews, c.lastReviewedOn])).toEqual([
      ['DS/0100/24', 'DC 4821', 0, null],
      ['DS/0003/24', 'PC 12', 2, '2024-05-20'],
      ['DS/0001/24', 'dc   4821', 2, '2024-04-20'],
      ['DS/0101/24', 'DC 4821', 1, '2023-01-02'],
    ])
    expect(all.crimes[0].allocation).toMatchObject({ riskLevel: 'medium', officerTrained: true, team: 'Stalking unit' })
    const references = async (status: string) => (await list({ status })).crimes.map((c) => c.reference)
    expect(await references('untrained')).toEqual(['DS/0003/24'])
    expect(await references('high')).toEqual(['DS/0003/24', 'DS/0001/24', 'DS/0101/24'])
    expect(await references('unreviewed')).toEqual(['DS/0100/24'])
    expect(await references('unallocated')).toEqual([])
    expect(await inputErrors(list({ status: 'closed', page: '0' }))).toEqual({
      status: 'Choose a status from the list',
      page: 'Enter the page as a whole number, 1 or more',
    })
    const [listed] = await auditOf('investigation.list.viewed')
    expect(listed).toMatchObject({ actor_username: 'pc.carter', request_id: 'req-1' })
    expect(JSON.parse(listed.details)).toMatchObject({
      filters: { status: 'unallocated', page: 1 },
      total: 0,
      shown: [],
    })
    const otherForce = await investigation.service.list(
      { ...officer, forceId: (await crimes.repository.forceByName(OTHER_FORCE))!.id, permissions: undefined },
      {},
    )
    expect(otherForce.crimes.map((c) => c.reference)).toEqual(['NM/0001/24'])
  })

  it('gives the action plan live figures for 17.1 and 18.1 to 18.4 through the investigation service', async () => {
    const insight = new InsightService(new CrimeProfileQueries(asAreaDatabase<CrimeDatabase>(platform.db)), () => [
      '8Q',
    ])
    const day = new Date('2024-12-31T12:00:00Z')
    const refs = ['17.1', '18.1', '18.2', '18.3', '18.4']
    expect((await insight.evidenceFigures(forceId, refs, day)).size).toBe(0)
    insight.useInvestigationFigures({
      investigationMeasure: (force, period) => investigation.investigationMeasure(force, period),
    })
    const figures = await insight.evidenceFigures(forceId, refs, day)
    expect(figures.get('17.1')).toEqual([
      expect.objectContaining({
        id: 'allocated_trained',
        numerator: 2,
        denominator: 3,
        percent: 67,
        value: '67% (2 of 3); high risk 50% (1 of 2); 3 allocated in all',
        sentence:
          'Threadline records, 1 Jan 2024 to 31 Dec 2024: 67% of stalking crimes allocated to a trained stalking investigator (2 of 3); high risk 50% (1 of 2).',
      }),
    ])
    expect(figures.get('18.1')!.map((figure) => [figure.id, figure.value])).toEqual([
      ['digital_lines_pursued', '33% (1 of 3)'],
      ['allocated_trained', '67% (2 of 3); high risk 50% (1 of 2); 3 allocated in all'],
    ])
    expect(figures.get('18.2')).toEqual([
      expect.objectContaining({
        id: 'reviewed_within_7_days',
        value: '33% (1 of 3); 4 reviews in all, 1.3 per crime',
      }),
    ])
    expect(figures.get('18.3')).toEqual([
      expect.objectContaining({
        id: 'arrest_and_search',
        value: '33% (1 of 3); searched 33% (1 of 3)',
        sentence:
          'Threadline records, 1 Jan 2024 to 31 Dec 2024: suspect arrested in 33% of stalking crimes (1 of 3) and a search made in 33% (1 of 3).',
      }),
    ])
    expect(figures.get('18.4')).toEqual([
      expect.objectContaining({ id: 'victim_impact_evidenced', numerator: 2, denominator: 3, value: '67% (2 of 3)' }),
    ])
  })

  it('takes an officer off the register, kept with who and when; later allocations are not trained', async () => {
    const register = await investigation.service.skills(supervisor)
    const entry = register.entries.find((e) => e.officer === 'DC 4821')!
    await expect(investigation.service.removeSkill(officer, entry.id)).rejects.toBeInstanceOf(ForbiddenError)
    await investigation.service.removeSkill(supervisor, entry.id)
    expect(await inputErrors(investigation.service.removeSkill(supervisor, entry.id))).toHaveProperty('skill')
    const stored = await platform.db
      .selectFrom('investigation_skills')
      .selectAll()
      .where('id', '=', entry.id)
      .executeTakeFirstOrThrow()
    expect(stored.removed_by).toBe('ds.okafor')
    expect(stored.removed_at).not.toBeNull()
    expect((await investigation.service.skills(supervisor)).entries.map((e) => e.officer)).toEqual(['DS 77', 'PC 9'])
    const [removed] = await auditOf('investigation.skill.removed')
    expect(removed).toMatchObject({ actor_username: 'ds.okafor', subject_id: String(entry.id) })
    expect(
      await investigation.service.allocate(officer, id('DS/0003/24'), {
        team: 'CID',
        officer: 'DC 4821',
        allocatedOn: '2024-05-03',
        riskLevel: 'high',
      }),
    ).toMatchObject({ officerTrained: false })
  })
})

describe('The review checklist is data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'threadline-checklist-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const write = (name: string, content: unknown) => {
    const path = join(dir, name)
    writeFileSync(path, JSON.stringify(content))
    return pathToFileURL(path)
  }

  it('loads the shipped checklist: every item of 18.1, 18.3 and 18.4 with a measure', () => {
    const checklist = loadChecklist()
    expect(checklist.sections.map((section) => section.evidence)).toEqual(['18.1', '18.3', '18.4'])
    expect(checklist.sections.flatMap((section) => section.items.map((item) => item.measure))).toEqual([
      'digital',
      'digital',
      'digital',
      'digital',
      'arrest',
      'search',
      'victim_impact',
    ])
  })

  it('parses a review against whatever checklist the file holds, and refuses a malformed file', () => {
    const url = write('custom.json', {
      version: 2,
      sections: [
        {
          id: 'digital',
          heading: 'Digital',
          items: [
            { id: 'doorbell', label: 'Doorbell footage', kind: 'line', measure: 'digital' },
            { id: 'tracker', label: 'Tracker search', kind: 'line' },
          ],
        },
      ],
    })
    const checklist = loadChecklist(url)
    const parsed = parseReview(checklist, { reviewedOn: '2024-05-20', doorbell: 'not_applicable', tracker: 'pursued' })
    // A line pursued without a measure counts towards nothing.
    expect(parsed).toEqual({
      ok: true,
      value: {
        reviewedOn: '2024-05-20',
        notes: '',
        answers: { doorbell: { answer: 'not_applicable' }, tracker: { answer: 'pursued' } },
        flags: { digital: 0, arrest: 0, search: 0, victim_impact: 0 },
      },
    })
    expect(parseReview(checklist, { reviewedOn: '2024-05-20', tracker: 'pursued' })).toEqual({
      ok: false,
      errors: { doorbell: 'Choose whether doorbell footage were pursued, not applicable or not pursued' },
    })
    const repeated = write('repeated.json', {
      version: 1,
      sections: [
        {
          id: 'a',
          heading: 'A',
          items: [
            { id: 'x', label: 'X', kind: 'yesno' },
            { id: 'x', label: 'Y', kind: 'yesno' },
          ],
        },
      ],
    })
    expect(() => loadChecklist(repeated)).toThrow('checklist.json: item "x" appears twice')
    const badKind = write('bad.json', {
      version: 1,
      sections: [{ id: 'a', heading: 'A', items: [{ id: 'x', label: 'X', kind: 'maybe' }] }],
    })
    expect(() => loadChecklist(badKind)).toThrow(/checklist\.json, sections\.0\.items\.0\.kind/)
  })
})
