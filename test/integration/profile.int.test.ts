// The stalking problem profile (Recommendation 11) on both dialects, over a small hand-made set of crimes: each
// section's numbers (8Q hidden behind criminal damage, assault and, after a screening decision, harassment; a repeat
// victim; a suspect with two victims; breach offences counted once a crime), the previous period, the monthly trend
// and the straight-line projection, another force's crimes and crimes outside the period left out, a viewer without
// `analysis:read` or from another force refused, and one audit row per view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPlatformServices } from '../../src/compositionRoot.ts'
import { loadConfig } from '../../src/config.ts'
import type { CrimeRecordInput } from '../../src/crime/model.ts'
import { createCrimeServices, type CrimeServices } from '../../src/crime/index.ts'
import { createInsightServices, type InsightServices } from '../../src/insight/index.ts'
import { NOT_FINALISED, type ProblemProfile } from '../../src/insight/services/problemProfile.ts'
import { createSafeguardingServices, type SafeguardingServices } from '../../src/safeguarding/index.ts'
import { createScreeningServices, type ScreeningServices } from '../../src/screening/index.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { ForbiddenError, Permissions, type Role } from '../../src/platform/services/permissions.ts'
import type { Viewer } from '../../src/platform/services/viewer.ts'
import { DIALECTS, createTestDatabase, type TestDatabase } from '../support/databases.ts'
import { crime, items, party } from './crime-fixtures.ts'

const FORCE = 'Demoshire Police'
const OTHER_FORCE = 'Northmoor Constabulary'
const YEAR_2024 = { from: '2024-01-01', to: '2024-12-31' }

const FORENAMES = ['Ada', 'Cleo', 'Dora', 'Edie', 'Bram', 'Cyril', 'Dov']
const victim = (n: number) =>
  party({
    role: 'victim',
    personRef: `P-V${n}`,
    forename: FORENAMES[n - 1],
    surname: 'Quillfeather',
    dateOfBirth: `198${n}-04-0${n}`,
  })
const suspect = (n: number) =>
  party({
    role: 'suspect',
    personRef: `P-S${n}`,
    forename: FORENAMES[n + 3],
    surname: 'Marchbanks',
    dateOfBirth: `197${n}-11-2${n}`,
    identifiers: [{ kind: 'phone', value: `+44 7700 90012${n}` }],
  })
const at = (day: string) => `${day}T10:00:00Z`

/** Demoshire: 2024 is the period; 2023 the previous period; a crime either side of the 24 months of demand. */
function demoshire(): CrimeRecordInput[] {
  return [
    crime({
      forceReference: 'DS/1',
      reportedAt: at('2024-02-10'),
      principal: '8Q',
      parties: [victim(1), suspect(1)],
      flags: { domesticAbuse: true, online: false, repeatVictim: false },
      team: 'Stalking Unit',
      outcome: 1,
    }),
    crime({
      forceReference: 'DS/2',
      reportedAt: at('2024-03-05'),
      principal: '58C',
      included: [{ code: '8Q', addedBy: 'DS Okafor', addedAt: '2024-03-06', reason: 'Fixated and repeated' }],
      parties: [victim(1), suspect(1)],
      flags: { domesticAbuse: false, online: true, repeatVictim: true },
    }),
    crime({
      forceReference: 'DS/3',
      reportedAt: at('2024-03-20'),
      principal: '8Q',
      parties: [victim(2), suspect(1)],
      team: 'Stalking Unit',
      outcome: 16,
    }),
    crime({
      forceReference: 'DS/4',
      reportedAt: at('2024-07-01'),
      principal: '58C',
      included: [{ code: '8Q', addedBy: null, addedAt: null, reason: null }],
      parties: [victim(3), suspect(2)],
      flags: { domesticAbuse: true, online: true, repeatVictim: false },
      team: null,
      outcome: 18,
    }),
    crime({
      forceReference: 'DS/5',
      reportedAt: at('2024-11-30'),
      principal: '105A',
      included: [{ code: '8Q', addedBy: null, addedAt: null, reason: null }],
      parties: [victim(3), suspect(2)],
    }),
    // Harassment, screened in as stalking below (8Q then included under 8L).
    crime({ forceReference: 'DS/6', reportedAt: at('2024-04-01'), principal: '8L', parties: [victim(4), suspect(3)] }),
    crime({ forceReference: 'DS/7', reportedAt: at('2024-05-01'), principal: '8L-BRO' }),
    crime({ forceReference: 'DS/8', reportedAt: at('2024-06-01'), principal: '8R' }),
    // Two breach codes on one crime: one breach offence.
    crime({
      forceReference: 'DS/9',
      reportedAt: at('2024-08-01'),
      principal: '8L-SPO',
      included: [{ code: '8L-NMO', addedBy: null, addedAt: null, reason: null }],
    }),
    crime({
      forceReference: 'IR/1',
      kind: 'intelligence',
      principal: null,
      reportedAt: at('2024-03-25'),
      occurrences: [],
      narrative: 'Intelligence that the suspect waits outside the victim workplace.',
      linkedCrimeRefs: ['DS/1'],
      team: null,
    }),
    crime({
      forceReference: 'IR/2',
      kind: 'intelligence',
      principal: null,
      reportedAt: at('2024-08-01'),
      occurrences: [],
      narrative: 'Intelligence about messages sent from a new account.',
      linkedCrimeRefs: ['DS/8'],
      team: null,
    }),
    // Recorded before either period, about a crime of this one.
    crime({
      forceReference: 'IR/3',
      kind: 'intelligence',
      principal: null,
      reportedAt: at('2022-06-01'),
      occurrences: [],
      narrative: 'Intelligence that the suspect has been seen near the victim home.',
      linkedCrimeRefs: ['DS/3'],
      team: null,
    }),
    // The previous period.
    crime({ forceReference: 'DS/20', reportedAt: at('2023-06-15'), principal: '8Q', parties: [victim(1), suspect(1)] }),
    crime({ forceReference: 'DS/21', reportedAt: at('2023-09-01'), principal: '8R' }),
    // Just outside the 24 months of demand, and after the period.
    crime({ forceReference: 'DS/30', reportedAt: '2022-12-31T23:00:00Z', principal: '8Q' }),
    crime({ forceReference: 'DS/31', reportedAt: '2025-01-01T00:00:00Z', principal: '8Q', parties: [victim(1)] }),
  ]
}

/** Northmoor's crimes, in the same months and with the same people's references: never in Demoshire's profile. */
function northmoor(): CrimeRecordInput[] {
  return [
    crime({ forceReference: 'NM/1', reportedAt: at('2024-03-01'), principal: '8Q', parties: [victim(2), suspect(1)] }),
    crime({
      forceReference: 'NM/2',
      reportedAt: at('2024-03-02'),
      principal: '58C',
      included: [{ code: '8Q', addedBy: null, addedAt: null, reason: null }],
      parties: [victim(2), suspect(1)],
      outcome: 1,
    }),
    crime({ forceReference: 'NM/3', reportedAt: at('2024-04-02'), principal: '8L-BRO' }),
  ]
}

describe.each(DIALECTS)('Stalking problem profile on %s', (dialect) => {
  let database: TestDatabase
  let platform: ReturnType<typeof createPlatformServices>
  let crimes: CrimeServices
  let screening: ScreeningServices
  let safeguarding: SafeguardingServices
  let insight: InsightServices
  let forceId: number
  let otherForceId: number
  let profile: ProblemProfile
  const ids = new Map<string, number>()
  const id = (reference: string) => ids.get(reference) as number
  const as = (roles: Role[], force = FORCE, username = 'analyst'): Viewer => {
    const userForce = force === FORCE ? forceId : otherForceId
    return {
      actor: { actorId: 11, actorUsername: username, forceId: userForce, requestId: 'req-1' },
      forceId: userForce,
      permissions: new Permissions({
        id: 11,
        username,
        displayName: username,
        forceId: userForce,
        forceName: force,
        roles,
      }),
    }
  }
  const profileViews = () =>
    platform.db.selectFrom('audit_events').selectAll().where('action', '=', 'insight.profile_viewed').execute()
  const scale = (figures: ProblemProfile, id: string) => figures.scale.find((row) => row.id === id)

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    platform = createPlatformServices(loadConfig({ NODE_ENV: 'test' }), database.handle)
    crimes = createCrimeServices(platform)
    screening = createScreeningServices(platform, { crime: crimes })
    safeguarding = createSafeguardingServices(platform, { crime: crimes })
    insight = createInsightServices(platform, { crime: crimes, screening, safeguarding })
    for (const [force, records] of [
      [FORCE, demoshire()],
      [OTHER_FORCE, northmoor()],
    ] as const) {
      expect((await crimes.importer.importRecords(SYSTEM_ACTOR, items(records), { force })).problems).toEqual([])
    }
    for (const row of await platform.db.selectFrom('crimes').select(['id', 'force_reference']).execute()) {
      ids.set(row.force_reference, row.id)
    }
    forceId = (await crimes.repository.forceByName(FORCE))!.id
    otherForceId = (await crimes.repository.forceByName(OTHER_FORCE))!.id
    const supervisor = as(['supervisor'], FORCE, 'ds.okafor')
    // A screener finds stalking behind the harassment crime and adds 8Q as included.
    const decision = await screening.service.decide(supervisor, id('DS/6'), {
      outcome: 'stalking_identified',
      action: 'add_included_8q',
      rationale: 'Repeated following and unwanted contact',
    })
    expect(decision.classificationAdded).toBe(true)
    await safeguarding.service.recordConsideration(supervisor, id('DS/1'), {
      decision: 'apply',
      interim: 'no',
      appliedOn: '2024-02-20',
      courtOutcome: 'granted',
      orderMadeOn: '2024-03-01',
    })
    await safeguarding.service.recordBreach(supervisor, id('DS/1'), {
      occurredOn: '2024-05-20',
      actionTaken: 'Suspect arrested for the breach',
      breachCrimeReference: '',
    })
    await safeguarding.service.recordConsideration(supervisor, id('DS/3'), {
      decision: 'not_apply',
      reason: 'Suspect remanded; bail conditions cover the risk',
    })
    profile = await insight.profile.profile(as(['analyst']), forceId, YEAR_2024, 'page')
  })
  afterAll(() => database.drop())

  it('counts the scale of stalking and related crimes in the period and the previous period of the same length', () => {
    expect(profile.period).toEqual(YEAR_2024)
    expect(profile.previous).toEqual({ from: '2023-01-01', to: '2023-12-31' })
    expect(profile.forceName).toBe(FORCE)
    const figures = Object.fromEntries(profile.scale.map((row) => [row.id, [row.current, row.previous]]))
    expect(figures).toEqual({
      stalking_principal: [2, 1], // DS/1, DS/3; DS/20
      stalking_included_only: [4, 0], // DS/2, DS/4, DS/5, and DS/6 screened in
      harassment: [1, 0], // DS/6: 8L, not a breach
      malicious_communications: [1, 1], // DS/8; DS/21
      breach_offences: [2, 0], // DS/7, DS/9 (two breach codes, one crime)
      intelligence_reports: [2, 0], // IR/1, IR/2; IR/3 was recorded in 2022
      intelligence_linked: [2, 0], // IR/1 (DS/1) and IR/3 (DS/3, recorded in 2022); IR/2 is about malicious communications
      courses_of_conduct: [2, 0],
      crimes_screened: [1, 0],
      screened_in: [1, 0],
    })
    expect(scale(profile, 'stalking_principal')).toMatchObject({ change: 1, changePercent: 100 })
    expect(scale(profile, 'stalking_included_only')).toMatchObject({ change: 4, changePercent: null })
    expect(scale(profile, 'malicious_communications')).toMatchObject({ change: 0, changePercent: 0 })
    expect(scale(profile, 'stalking_principal')!.label).toBe('Stalking (8Q) as the principal classification')
    expect(scale(profile, 'breach_offences')!.label).toMatch(/^Breach offences: breach of restraining order;/)
  })

  it('counts the courses of conduct screening linked, by the period of their latest incident', () => {
    // Suspect 1 and victim 1: DS/20 (June 2023), DS/1 and DS/2 (March 2024); suspect 2 and victim 3: DS/4 and DS/5.
    // Suspect 1 and victim 2 have one crime: no course.
    expect(scale(profile, 'courses_of_conduct')).toMatchObject({ current: 2, previous: 0 })
  })

  it('gives the monthly trend of stalking crimes in the period, both roles, only days in the period', async () => {
    expect(profile.trend.map((row) => row.month)).toEqual([
      '2024-01',
      '2024-02',
      '2024-03',
      '2024-04',
      '2024-05',
      '2024-06',
      '2024-07',
      '2024-08',
      '2024-09',
      '2024-10',
      '2024-11',
      '2024-12',
    ])
    expect(profile.trend.map((row) => [row.principal, row.includedOnly])).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
      [0, 0],
      [0, 1],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 1],
      [0, 0],
    ])
    const part = await insight.profile.profile(
      as(['analyst']),
      forceId,
      { from: '2024-03-10', to: '2024-04-15' },
      'json',
    )
    expect(part.trend).toEqual([
      { month: '2024-03', principal: 1, includedOnly: 0, total: 1 }, // DS/3; DS/2 was reported on the 5th
      { month: '2024-04', principal: 0, includedOnly: 1, total: 1 },
    ])
    // 37 days: the previous period is the 37 days before.
    expect(part.previous).toEqual({ from: '2024-02-02', to: '2024-03-09' })
    expect(scale(part, 'stalking_principal')).toMatchObject({ current: 1, previous: 1 })
  })

  it('shows what stalking is recorded behind, by principal classification with its name', () => {
    expect(profile.hidden).toEqual({
      total: 4,
      byPrincipal: [
        { code: '58C', name: 'Criminal damage to a vehicle', crimes: 2, percent: 50 },
        { code: '105A', name: 'Assault without injury', crimes: 1, percent: 25 },
        { code: '8L', name: 'Harassment', crimes: 1, percent: 25 },
      ],
    })
  })

  it('counts repeat victims, repeat suspects, suspects with several victims and the flags', () => {
    expect(profile.people).toEqual({
      stalkingCrimes: 6,
      victims: 4,
      repeatVictims: 2, // victim 1 (DS/1, DS/2) and victim 3 (DS/4, DS/5); DS/20 and DS/31 are outside the period
      suspects: 3,
      repeatSuspects: 2, // suspect 1 (three crimes) and suspect 2 (two)
      suspectsWithSeveralVictims: 1, // suspect 1: victims 1 and 2
      domesticAbuse: 2,
      domesticAbusePercent: 33.3,
      online: 2,
      onlinePercent: 33.3,
    })
  })

  it('gives the outcomes grouped with their Home Office names, SPO figures and crimes by team', () => {
    const { response } = profile
    expect(response.stalkingCrimes).toBe(6)
    expect(response.outcomes).toEqual([
      { group: 'Charged or summonsed', outcome: 1, name: 'Charged/Summonsed', crimes: 1, percent: 16.7 },
      {
        group: 'Evidential difficulties: victim does not support action',
        outcome: 16,
        name: 'Evidential difficulties: suspect identified; victim does not support action',
        crimes: 1,
        percent: 16.7,
      },
      {
        group: 'Investigation complete: no suspect identified',
        outcome: 18,
        name: 'Investigation complete: no suspect identified',
        crimes: 1,
        percent: 16.7,
      },
      { group: NOT_FINALISED, outcome: null, name: NOT_FINALISED, crimes: 3, percent: 50 },
    ])
    expect(response.outcomeGroups.map((row) => [row.group, row.crimes])).toEqual([
      ['Charged or summonsed', 1],
      ['Evidential difficulties: victim does not support action', 1],
      ['Investigation complete: no suspect identified', 1],
      [NOT_FINALISED, 3],
    ])
    expect(response.spo).toEqual({
      stalkingCrimes: 6,
      considered: 2,
      consideredPercent: 33.3,
      appliedFor: 1,
      granted: 1,
      breaches: 1,
    })
    expect(response.teams).toEqual([
      { team: 'Response North', crimes: 3, finalised: 0, charged: 0 },
      { team: 'Stalking Unit', crimes: 2, finalised: 2, charged: 1 },
      { team: 'No team recorded', crimes: 1, finalised: 1, charged: 0 },
    ])
  })

  it('projects demand from the 24 whole months to the period end with a least-squares straight line', () => {
    const { demand } = profile
    expect(demand.history).toHaveLength(24)
    expect(demand.history[0].month).toBe('2023-01')
    expect(demand.history[23].month).toBe('2024-12')
    const counts = demand.history.map((row) => row.crimes)
    // DS/20 in June 2023; 2024 as the trend; DS/30 (31 December 2022) and DS/31 (1 January 2025) outside.
    expect(counts).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 2, 1, 0, 0, 1, 0, 0, 0, 1, 0])
    // Worked by hand: mean x 11.5, mean y 7/24, Sxx 1150, Sxy 20.5: slope 41/2300, intercept 7/24 - 11.5 × 41/2300.
    const slope = 41 / 2300
    const intercept = 7 / 24 - 11.5 * slope
    expect(demand.slopePerMonth).toBe(0.02)
    expect(demand.history[0].trend).toBe(Math.round(intercept * 10) / 10)
    expect(demand.history[23].trend).toBe(Math.round((intercept + 23 * slope) * 10) / 10)
    expect(demand.projection.map((row) => row.month)).toEqual([
      '2025-01',
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
    ])
    expect(demand.projection[0].crimes).toBe(0.5)
    expect(demand.projection[11].crimes).toBe(0.7)
    expect(demand.historyLastTwelve).toBe(6)
    expect(demand.projectedNextTwelve).toBe(7) // 12 × intercept + 354 × slope = 7.35
    expect(demand.basis).toMatch(/straight-line projection, not a forecast/)
  })

  it('ends the demand history at the last whole month when the period ends part way through one', async () => {
    const part = await insight.profile.profile(
      as(['analyst']),
      forceId,
      { from: '2024-01-01', to: '2024-03-19' },
      'json',
    )
    expect(part.demand.history[0].month).toBe('2022-03')
    expect(part.demand.history[23].month).toBe('2024-02')
    // DS/30 (31 December 2022) is in range now; DS/3 (20 March 2024) is after the last whole month.
    expect(part.demand.history.reduce((sum, row) => sum + row.crimes, 0)).toBe(3)
  })

  it("leaves out another force's crimes", async () => {
    const other = await insight.profile.profile(as(['analyst'], OTHER_FORCE), otherForceId, YEAR_2024, 'page')
    expect(scale(other, 'stalking_principal')!.current).toBe(1)
    expect(scale(other, 'stalking_included_only')!.current).toBe(1)
    expect(scale(other, 'breach_offences')!.current).toBe(1)
    expect(other.hidden.byPrincipal).toEqual([
      { code: '58C', name: 'Criminal damage to a vehicle', crimes: 1, percent: 100 },
    ])
    expect(other.people).toMatchObject({
      stalkingCrimes: 2,
      victims: 1,
      repeatVictims: 1,
      suspectsWithSeveralVictims: 0,
    })
  })

  it('refuses a role without analysis:read and a viewer from another force, auditing only the views given', async () => {
    const before = (await profileViews()).length
    for (const viewer of [as(['officer'], FORCE, 'pc.carter'), as(['national_lead'], FORCE, 'national')]) {
      await expect(insight.profile.profile(viewer, forceId, YEAR_2024, 'page')).rejects.toBeInstanceOf(ForbiddenError)
    }
    await expect(
      insight.profile.profile(as(['analyst'], OTHER_FORCE, 'nm.analyst'), forceId, YEAR_2024, 'page'),
    ).rejects.toBeInstanceOf(ForbiddenError)
    expect(await profileViews()).toHaveLength(before)

    await insight.profile.profile(as(['plan_owner'], FORCE, 'planowner'), forceId, YEAR_2024, 'csv')
    const views = await profileViews()
    expect(views).toHaveLength(before + 1)
    expect(views.at(-1)).toMatchObject({
      actor_username: 'planowner',
      subject_type: 'force',
      subject_id: String(forceId),
    })
    expect(JSON.parse(views.at(-1)!.details as string)).toEqual({ from: '2024-01-01', to: '2024-12-31', format: 'csv' })
  })
})
