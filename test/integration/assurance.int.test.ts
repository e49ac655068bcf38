// Case audits and victim feedback (Recommendation 11.2 and 11.3) on both dialects: the audit's sample reproducible and
// drawn only from the force's 8Q crimes in the period, another force and a read-only role refused, findings (a no
// needs a note) and compliance arithmetic, survey validation and satisfaction arithmetic, the two live figures, and an
// audit-log row for every change and every read of a person's record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CrimeDatabase } from '../../src/crime/index.ts'
import { createPlatformServices } from '../../src/compositionRoot.ts'
import { loadConfig } from '../../src/config.ts'
import { createAssuranceServices, type AssuranceServices } from '../../src/assurance/index.ts'
import { AssuranceInputError, drawSample, type Viewer } from '../../src/assurance/services/assuranceService.ts'
import { createCrimeServices, type CrimeServices } from '../../src/crime/index.ts'
import { CrimeProfileQueries } from '../../src/crime/data/crimeProfileQueries.ts'
import { InsightService } from '../../src/insight/services/insightService.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { ForbiddenError, Permissions, type Role } from '../../src/platform/services/permissions.ts'
import { DIALECTS, createTestDatabase, type TestDatabase, asAreaDatabase } from '../support/databases.ts'
import { courseOfConduct, crime, items, party } from './crime-fixtures.ts'

const FORCE = 'Demoshire Police'
const OTHER_FORCE = 'Northmoor Constabulary'
/** 30 stalking crimes reported in 2024, one a fortnight or so, each with its own victim. */
const STALKING_2024 = Array.from({ length: 30 }, (_, index) =>
  crime({
    forceReference: `DS/${1000 + index}/24`,
    principal: '8Q',
    reportedAt: `2024-${String(1 + Math.floor(index / 3)).padStart(2, '0')}-${String(3 + (index % 3) * 9).padStart(2, '0')}T10:00:00Z`,
    parties: [party({ personRef: `P-SV-${index}`, forename: 'Victim', surname: `Number${index}` })],
    narrative: 'Stalking recorded as the principal offence.',
  }),
)

const satisfiedAll = (surveyedOn: string, overrides: Record<string, string> = {}) => ({
  surveyedOn,
  method: 'telephone',
  easeOfContact: 'very_satisfied',
  updates: 'fairly_satisfied',
  actionsTaken: 'neither',
  treatment: 'very_satisfied',
  overall: 'fairly_satisfied',
  comment: 'Helpful officer.',
  ...overrides,
})

describe.each(DIALECTS)('Case audits and victim feedback on %s', (dialect) => {
  let database: TestDatabase
  let platform: ReturnType<typeof createPlatformServices>
  let crimes: CrimeServices
  let assurance: AssuranceServices
  let forceId: number
  let otherForceId: number
  const ids = new Map<string, number>()
  const id = (reference: string) => ids.get(reference) as number
  const as = (roles: Role[], username = 'ds.okafor', userId = 8, force = FORCE, fid?: number): Viewer => ({
    actor: { actorId: userId, actorUsername: username, forceId: fid ?? forceId, requestId: 'req-1' },
    forceId: fid ?? forceId,
    permissions: new Permissions({
      id: userId,
      username,
      displayName: username,
      forceId: fid ?? forceId,
      forceName: force,
      roles,
    }),
  })
  let supervisor: Viewer
  let analyst: Viewer
  let officer: Viewer
  let northmoor: Viewer

  const inputErrors = async (run: Promise<unknown>): Promise<Record<string, string>> => {
    const error = await run.then(
      () => null,
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(AssuranceInputError)
    return (error as AssuranceInputError).errors
  }
  const auditOf = (action: string) =>
    platform.db.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('id', 'desc').execute()
  const tables = () =>
    platform.db.withTables<{
      assurance_audit_cases: { id: number; audit_id: number; crime_id: number; position: number }
      assurance_audit_findings: { id: number; question_id: string; answer: string; note: string; case_id: number }
      assurance_surveys: { id: number }
    }>()
  const sampleOf = async (auditId: number) =>
    (
      await tables()
        .selectFrom('assurance_audit_cases')
        .select(['crime_id'])
        .where('audit_id', '=', auditId)
        .orderBy('position')
        .execute()
    ).map((row) => row.crime_id)
  const surveyCount = async () => (await tables().selectFrom('assurance_surveys').select('id').execute()).length
  const victimOf = async (reference: string) =>
    (await crimes.repository.partiesOf(id(reference))).find((p) => p.role === 'victim')!.person_id

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    platform = createPlatformServices(loadConfig({ NODE_ENV: 'test' }), database.handle)
    crimes = createCrimeServices(platform)
    assurance = createAssuranceServices(platform, { crime: crimes })
    const records = [
      ...courseOfConduct(),
      ...STALKING_2024,
      crime({ forceReference: 'DS/0101/23', principal: '8Q', reportedAt: '2023-06-01T10:00:00Z' }),
      crime({
        forceReference: 'DS/0102/24',
        principal: '45',
        reportedAt: '2024-06-01T10:00:00Z',
        parties: [party({ personRef: 'P-THEFT', forename: 'Theo', surname: 'Ward' })],
        narrative: 'Theft from a vehicle.',
      }),
    ]
    expect((await crimes.importer.importRecords(SYSTEM_ACTOR, items(records), { force: FORCE })).problems).toEqual([])
    const other = [
      crime({
        forceReference: 'NM/0001/24',
        principal: '8Q',
        reportedAt: '2024-02-01T10:00:00Z',
        parties: [party({ personRef: 'P-NM', forename: 'Nia', surname: 'Moss' })],
      }),
    ]
    expect((await crimes.importer.importRecords(SYSTEM_ACTOR, items(other), { force: OTHER_FORCE })).problems).toEqual(
      [],
    )
    for (const row of await platform.db.selectFrom('crimes').select(['id', 'force_reference']).execute()) {
      ids.set(row.force_reference, row.id)
    }
    forceId = (await crimes.repository.forceByName(FORCE))!.id
    otherForceId = (await crimes.repository.forceByName(OTHER_FORCE))!.id
    supervisor = as(['supervisor'])
    analyst = as(['analyst'], 'analyst', 9)
    officer = as(['officer'], 'pc.carter', 7)
    northmoor = as(['supervisor'], 'nm.sergeant', 20, OTHER_FORCE, otherForceId)
  })
  afterAll(() => database.drop())

  // ---- Case audits ------------------------------------------------------------------------------------------------

  let auditId: number

  it('draws a reproducible sample only from the force’s 8Q crimes (principal or included) reported in the period', async () => {
    const created = await assurance.service.createAudit(supervisor, {
      title: '  Stalking case audit 2024 ',
      periodFrom: '2024-01-01',
      periodTo: '2024-12-31',
      sampleSize: '20',
    })
    auditId = created.auditId
    expect(created.sampled).toBe(20)
    const sample = await sampleOf(auditId)
    expect(sample).toHaveLength(20)
    expect(new Set(sample).size).toBe(20)
    // The frame: the 30 stalking crimes of 2024, DS/0001/24 (8Q included) and DS/0003/24 (8Q principal).
    const frame = [...STALKING_2024.map((record) => record.forceReference), 'DS/0001/24', 'DS/0003/24'].map(id)
    for (const crimeId of sample) expect(frame).toContain(crimeId)
    for (const outside of ['DS/0101/23', 'DS/0102/24', 'DS/0002/24', 'NM/0001/24'])
      expect(sample).not.toContain(id(outside))
    // Reproducible: the same frame (oldest report first) and the audit's id as the seed give the same sample.
    const ordered = await platform.db
      .selectFrom('crime_classification_index')
      .select(['crime_id'])
      .where('force_id', '=', forceId)
      .where('search_key', '=', '8Q')
      .where('reported_at', '>=', '2024-01-01T00:00:00.000Z')
      .where('reported_at', '<', '2025-01-01T00:00:00.000Z')
      .orderBy('reported_at')
      .orderBy('crime_id')
      .execute()
    expect(ordered).toHaveLength(32)
    expect(
      drawSample(
        ordered.map((row) => row.crime_id),
        20,
        auditId,
      ),
    ).toEqual(sample)
    expect(drawSample([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4, 99)).toEqual(
      drawSample([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4, 99),
    )
    expect(drawSample([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4, 99)).not.toEqual(
      drawSample([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4, 100),
    )

    const stored = await platform.db
      .withTables<{ assurance_audits: { id: number; title: string; sample_size: number; force_id: number } }>()
      .selectFrom('assurance_audits')
      .selectAll()
      .where('id', '=', auditId)
      .executeTakeFirstOrThrow()
    expect(stored).toMatchObject({ title: 'Stalking case audit 2024', sample_size: 20, force_id: forceId })
    const [row] = await auditOf('assurance.audit.created')
    expect(row).toMatchObject({ actor_username: 'ds.okafor', subject_id: String(auditId) })
    expect(JSON.parse(row.details)).toMatchObject({ frame: 32, sampleSize: 20, sample })
  })

  it('takes the whole frame when the sample asked for is bigger; a default of 20; a later period only its crimes', async () => {
    const all = await assurance.service.createAudit(supervisor, {
      title: 'Everything in May 2024',
      periodFrom: '2024-05-01',
      periodTo: '2024-05-31',
      sampleSize: 200,
    })
    const may = [...STALKING_2024.slice(12, 15).map((record) => record.forceReference), 'DS/0003/24'].map(id)
    expect(all.sampled).toBe(4)
    expect([...(await sampleOf(all.auditId))].sort((a, b) => a - b)).toEqual([...may].sort((a, b) => a - b))
    const byDefault = await assurance.service.createAudit(supervisor, {
      title: 'Default size',
      periodFrom: '2024-01-01',
      periodTo: '2024-12-31',
    })
    expect(byDefault.sampled).toBe(20)
  })

  it('refuses a bad audit with messages naming each field, and a period with no stalking crimes', async () => {
    expect(
      await inputErrors(
        assurance.service.createAudit(supervisor, {
          title: '',
          periodFrom: '2024-13-01',
          periodTo: 'soon',
          sampleSize: '201',
        }),
      ),
    ).toEqual({
      title: 'Enter a title for the audit, for example Stalking case audit, April to June 2025',
      periodFrom: 'Enter the first day of the period as a real date',
      periodTo: 'Enter the last day of the period as a real date, for example 27 3 2025',
      sampleSize: 'The sample size must be 200 or fewer',
    })
    expect(
      await inputErrors(
        assurance.service.createAudit(supervisor, {
          title: 'x',
          periodFrom: '2024-06-01',
          periodTo: '2024-05-01',
          sampleSize: '0',
        }),
      ),
    ).toEqual({
      periodTo: 'The last day of the period must be on or after the first day',
      sampleSize: 'The sample size must be 1 or more',
    })
    expect(
      (
        await inputErrors(
          assurance.service.createAudit(supervisor, {
            title: 'x',
            periodFrom: '2024-01-01',
            periodTo: '2024-01-02',
            sampleSize: 'ten',
          }),
        )
      ).sampleSize,
    ).toBe('Enter the sample size as a whole number, for example 20')
    expect(
      (
        await inputErrors(
          assurance.service.createAudit(supervisor, { title: 'x', periodFrom: '2022-01-01', periodTo: '2022-12-31' }),
        )
      ).periodFrom,
    ).toMatch(/^There are no stalking crimes \(8Q, principal or included\) reported between 2022-01-01 and 2022-12-31/)
    expect(
      (
        await inputErrors(
          assurance.service.createAudit(supervisor, { title: 'x', periodFrom: '2024-01-01', periodTo: '2999-01-01' }),
        )
      ).periodTo,
    ).toBe('The last day of the period must be today or in the past')
  })

  it('refuses another force and roles without the capability', async () => {
    // A read-only role (an officer reads crimes but not the force's analysis) cannot even list audits.
    await expect(assurance.service.audits(officer)).rejects.toBeInstanceOf(ForbiddenError)
    // An analyst reads audits but cannot create them or record findings.
    expect((await assurance.service.audits(analyst)).length).toBe(3)
    await expect(
      assurance.service.createAudit(analyst, { title: 'x', periodFrom: '2024-01-01', periodTo: '2024-12-31' }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    const [first] = await sampleOf(auditId)
    await expect(assurance.service.recordFindings(analyst, auditId, first, { recorded: 'yes' })).rejects.toBeInstanceOf(
      ForbiddenError,
    )
    // Another force's supervisor: neither read nor record, and their own list does not show it.
    await expect(assurance.service.auditView(northmoor, auditId)).rejects.toBeInstanceOf(ForbiddenError)
    await expect(assurance.service.caseView(northmoor, auditId, first)).rejects.toBeInstanceOf(ForbiddenError)
    await expect(
      assurance.service.recordFindings(northmoor, auditId, first, { recorded: 'yes' }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    expect(await assurance.service.audits(northmoor)).toEqual([])
  })

  it('records findings (a no needs a note), keeps changes, and computes completion and compliance', async () => {
    const [first, second, third] = await sampleOf(auditId)
    const questions = assurance.service.checklist.questions.map((question) => question.id)
    expect(questions).toEqual([
      'recorded',
      'riskAssessed',
      'spoConsidered',
      'victimNeeds',
      'linesOfEnquiry',
      'supervision',
      'outcome',
      'victimInformed',
    ])
    // A no without a note is refused; nothing is written.
    expect(
      await inputErrors(
        assurance.service.recordFindings(supervisor, auditId, first, { recorded: 'yes', spoConsidered: 'no' }),
      ),
    ).toEqual({
      'spoConsidered-note': 'Enter a note saying why the answer is no for: Stalking Protection Order considered',
    })
    expect(
      await inputErrors(assurance.service.recordFindings(supervisor, auditId, first, { outcome: 'maybe' })),
    ).toEqual({
      outcome: 'Choose yes, no or not applicable for: Outcome appropriate',
    })
    expect(await inputErrors(assurance.service.recordFindings(supervisor, auditId, first, {}))).toEqual({
      recorded: 'Answer at least one question: yes, no or not applicable',
    })
    // A crime not in the sample, an audit that does not exist.
    expect(
      (await inputErrors(assurance.service.recordFindings(supervisor, auditId, id('DS/0102/24'), { recorded: 'yes' })))
        .crime,
    ).toBeDefined()
    expect(
      (await inputErrors(assurance.service.recordFindings(supervisor, 99999, first, { recorded: 'yes' }))).audit,
    ).toBe('There is no such audit')
    expect(await assurance.auditMeasure(forceId, { from: '2000-01-01T00:00:00Z', to: '2999-01-01T00:00:00Z' })).toEqual(
      {
        yes: 0,
        no: 0,
        notApplicable: 0,
        casesAudited: 0,
      },
    )

    // Case 1: every question: 5 yes, 2 no, 1 not applicable: complete.
    const full = {
      recorded: 'yes',
      riskAssessed: 'yes',
      spoConsidered: 'no',
      'spoConsidered-note': 'No SPO consideration recorded.',
      victimNeeds: 'yes',
      linesOfEnquiry: 'no',
      'linesOfEnquiry-note': 'Phone data not requested.',
      supervision: 'yes',
      outcome: 'not_applicable',
      victimInformed: 'yes',
    }
    expect(await assurance.service.recordFindings(supervisor, auditId, first, full)).toEqual({
      answered: 8,
      complete: true,
    })
    // Case 2: three answers (2 yes, 1 no): in progress.
    expect(
      await assurance.service.recordFindings(supervisor, auditId, second, {
        recorded: 'yes',
        spoConsidered: 'yes',
        outcome: 'no',
        'outcome-note': 'Closed with no rationale.',
      }),
    ).toEqual({ answered: 3, complete: false })

    let view = (await assurance.service.auditView(analyst, auditId))!
    expect(view.cases).toHaveLength(20)
    expect(view.complete).toBe(1)
    const byCrime = new Map(view.cases.map((row) => [row.crime_id, row]))
    expect(byCrime.get(first)).toMatchObject({ answered: 8, complete: true, noes: 2 })
    expect(byCrime.get(second)).toMatchObject({ answered: 3, complete: false, noes: 1 })
    expect(byCrime.get(third)).toMatchObject({ answered: 0, complete: false })
    const q = Object.fromEntries(view.questions.map((row) => [row.id, row]))
    expect(q.recorded).toMatchObject({ yes: 2, no: 0, notApplicable: 0, unanswered: 18, compliance: 1, percent: 100 })
    expect(q.spoConsidered).toMatchObject({ yes: 1, no: 1, compliance: 0.5, percent: 50 })
    expect(q.outcome).toMatchObject({ yes: 0, no: 1, notApplicable: 1, compliance: 0, percent: 0 })
    expect(q.linesOfEnquiry).toMatchObject({ yes: 0, no: 1, compliance: 0 })
    expect(q.riskAssessed).toMatchObject({ yes: 1, no: 0, compliance: 1 })
    expect(q.victimNeeds).toMatchObject({ yes: 1, no: 0 })
    // yes: 5 on case 1 and 2 on case 2; no: 2 and 1. Not applicable left out.
    expect(view.overall).toEqual({ yes: 7, no: 3, compliance: 0.7, percent: 70 })

    // A change: case 2's outcome from no to yes, and recorded cleared. Audited with what changed.
    await assurance.service.recordFindings(supervisor, auditId, second, { spoConsidered: 'yes', outcome: 'yes' })
    view = (await assurance.service.auditView(analyst, auditId))!
    expect(view.overall).toEqual({ yes: 7, no: 2, compliance: 7 / 9, percent: 78 })
    const recorded = await auditOf('assurance.findings.recorded')
    expect(recorded).toHaveLength(3)
    expect(recorded[0]).toMatchObject({
      actor_username: 'ds.okafor',
      subject_type: 'crime',
      subject_id: String(second),
    })
    expect(JSON.parse(recorded[0].details)).toMatchObject({
      auditId,
      changes: { recorded: { from: 'yes', to: null }, outcome: { from: 'no', to: 'yes' } },
      answered: 2,
      complete: false,
    })
    expect(JSON.parse(recorded[0].details).changes.spoConsidered).toBeUndefined()
    const stored = await tables()
      .selectFrom('assurance_audit_findings')
      .select(['question_id', 'answer', 'note'])
      .where('question_id', '=', 'spoConsidered')
      .orderBy('id')
      .execute()
    expect(stored).toEqual([
      { question_id: 'spoConsidered', answer: 'no', note: 'No SPO consideration recorded.' },
      { question_id: 'spoConsidered', answer: 'yes', note: '' },
    ])

    // The measure: findings recorded in the period (now), by answer, and the cases audited.
    const now = {
      from: new Date(Date.now() - 86_400_000).toISOString(),
      to: new Date(Date.now() + 86_400_000).toISOString(),
    }
    expect(await assurance.auditMeasure(forceId, now)).toEqual({ yes: 7, no: 2, notApplicable: 1, casesAudited: 2 })
    expect(await assurance.auditMeasure(forceId, { from: '2024-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' })).toEqual(
      {
        yes: 0,
        no: 0,
        notApplicable: 0,
        casesAudited: 0,
      },
    )
    expect(await assurance.auditMeasure(otherForceId, now)).toEqual({
      yes: 0,
      no: 0,
      notApplicable: 0,
      casesAudited: 0,
    })
  })

  it('audits each read of an audit, a sampled case and the findings export', async () => {
    const [first] = await sampleOf(auditId)
    const before = (await auditOf('assurance.audit.viewed')).length
    await assurance.service.auditView(analyst, auditId)
    expect(await auditOf('assurance.audit.viewed')).toHaveLength(before + 1)
    const caseView = (await assurance.service.caseView(analyst, auditId, first))!
    expect(caseView.position).toBe(1)
    expect(caseView.questions.find((question) => question.id === 'spoConsidered')!.finding).toMatchObject({
      answer: 'no',
      note: 'No SPO consideration recorded.',
    })
    const [viewed] = await auditOf('assurance.case.viewed')
    expect(viewed).toMatchObject({ actor_username: 'analyst', subject_type: 'crime', subject_id: String(first) })
    const exported = (await assurance.service.findingsExport(analyst, auditId))!
    expect(exported.rows).toHaveLength(1 + 20 * 8)
    expect(exported.rows[0]).toEqual([
      'Audit',
      'Case',
      'Crime reference',
      'Reported',
      'Stalking recorded as',
      'Team',
      'Question',
      'Answer',
      'Note',
      'Recorded by',
      'Recorded at',
    ])
    expect(exported.rows[3]).toMatchObject({
      6: expect.stringMatching(/^Stalking Protection Order/),
      7: 'No',
      8: 'No SPO consideration recorded.',
    })
    expect(exported.rows[9]).toMatchObject({ 1: 2, 7: 'Not answered' })
    const [row] = await auditOf('assurance.audit.exported')
    expect(row).toMatchObject({ actor_username: 'analyst', subject_id: String(auditId) })
    expect(await assurance.service.caseView(analyst, auditId, id('DS/0102/24'))).toBeUndefined()
  })

  // ---- Victim feedback ------------------------------------------------------------------------------------------

  it('validates a survey response: dates, method and the scale; only a victim of a stalking crime', async () => {
    const reference = STALKING_2024[0].forceReference
    const personId = await victimOf(reference)
    expect(
      await inputErrors(
        assurance.service.recordSurvey(officer, id(reference), personId, {
          surveyedOn: '3 March',
          easeOfContact: 'happy',
          updates: 'fairly_satisfied',
        }),
      ),
    ).toEqual({
      surveyedOn: 'Enter the date of the survey as a real date, for example 27 3 2025',
      method: 'Choose how the survey was done: telephone, online, paper or in person',
      easeOfContact: 'Choose how satisfied the victim was with ease of contacting the police, or not answered',
      actionsTaken: 'Choose how satisfied the victim was with the actions taken, or not answered',
      treatment: 'Choose how satisfied the victim was with how they were treated, or not answered',
      overall: 'Choose how satisfied the victim was with overall satisfaction, or not answered',
    })
    expect(
      (await inputErrors(assurance.service.recordSurvey(officer, id(reference), personId, satisfiedAll('2999-01-01'))))
        .surveyedOn,
    ).toBe('The date of the survey must be today or in the past')
    expect(
      (await inputErrors(assurance.service.recordSurvey(officer, id(reference), personId, satisfiedAll('2024-01-02'))))
        .surveyedOn,
    ).toBe('The date of the survey must be on or after the date the crime was reported (2024-01-03)')
    expect(
      (await inputErrors(assurance.service.recordSurvey(officer, id(reference), personId, satisfiedAll('2024-02-30'))))
        .surveyedOn,
    ).toBe('Enter the date of the survey as a real date')
    expect(
      (await inputErrors(assurance.service.recordSurvey(officer, id(reference), personId, satisfiedAll(''))))
        .surveyedOn,
    ).toBe('Enter the date of the survey')
    // Not this crime's victim; not a stalking crime; no such crime.
    const other = await victimOf(STALKING_2024[1].forceReference)
    expect(
      (await inputErrors(assurance.service.recordSurvey(officer, id(reference), other, satisfiedAll('2024-03-01'))))
        .person,
    ).toBe('This person is not recorded as a victim of this crime')
    expect(
      (
        await inputErrors(
          assurance.service.recordSurvey(
            officer,
            id('DS/0102/24'),
            await victimOf('DS/0102/24'),
            satisfiedAll('2024-08-01'),
          ),
        )
      ).stalking,
    ).toBe('Victim feedback is recorded on stalking crimes (8Q, principal or included) only')
    expect(
      (await inputErrors(assurance.service.recordSurvey(officer, 99999, personId, satisfiedAll('2024-03-01')))).crime,
    ).toBe('There is no such crime')
    // Another force's officer and a role that cannot change case records are refused.
    await expect(
      assurance.service.recordSurvey(northmoor, id(reference), personId, satisfiedAll('2024-03-01')),
    ).rejects.toBeInstanceOf(ForbiddenError)
    await expect(
      assurance.service.recordSurvey(analyst, id(reference), personId, satisfiedAll('2024-03-01')),
    ).rejects.toBeInstanceOf(ForbiddenError)
    await expect(assurance.service.feedbackView(northmoor, id(reference))).rejects.toBeInstanceOf(ForbiddenError)
    await expect(assurance.service.feedbackSummary(officer, '2024-01-01', '2024-12-31')).rejects.toBeInstanceOf(
      ForbiddenError,
    )
    expect(await surveyCount()).toBe(0)
  })

  it('records responses, shows them on the crime’s feedback page (audited) and computes satisfaction', async () => {
    const [a, b, c] = STALKING_2024.map((record) => record.forceReference)
    const va = await victimOf(a)
    const vb = await victimOf(b)
    const vc = await victimOf(c)
    const { surveyId } = await assurance.service.recordSurvey(officer, id(a), va, satisfiedAll('2024-03-01'))
    const [recorded] = await auditOf('assurance.survey.recorded')
    expect(recorded).toMatchObject({ actor_username: 'pc.carter', subject_type: 'crime', subject_id: String(id(a)) })
    expect(JSON.parse(recorded.details)).toMatchObject({
      surveyId,
      personId: va,
      overall: 'fairly_satisfied',
      method: 'telephone',
    })
    // The same victim again in April: their latest response decides the measure.
    await assurance.service.recordSurvey(
      officer,
      id(a),
      va,
      satisfiedAll('2024-04-02', { overall: 'very_dissatisfied', updates: 'not_answered', method: 'online' }),
    )
    await assurance.service.recordSurvey(
      officer,
      id(b),
      vb,
      satisfiedAll('2024-03-20', { overall: 'very_satisfied', easeOfContact: 'fairly_dissatisfied', method: 'paper' }),
    )
    await assurance.service.recordSurvey(
      officer,
      id(c),
      vc,
      satisfiedAll('2024-04-10', { overall: 'not_answered', treatment: 'neither', method: 'in_person', comment: '' }),
    )

    const view = (await assurance.service.feedbackView(officer, id(a)))!
    expect(view.stalking).toBe(true)
    expect(view.victims).toHaveLength(1)
    expect(view.victims[0].name).toBe('Victim Number0')
    expect(view.victims[0].surveys.map((survey) => survey.surveyed_on)).toEqual(['2024-04-02', '2024-03-01'])
    expect(view.victims[0].surveys[0].answers.find((answer) => answer.metric === 'overall')!.text).toBe(
      'Very dissatisfied',
    )
    const [viewed] = await auditOf('assurance.feedback.viewed')
    expect(viewed).toMatchObject({ actor_username: 'pc.carter', subject_type: 'crime', subject_id: String(id(a)) })
    expect(JSON.parse(viewed.details)).toMatchObject({ victims: 1, surveys: 2 })

    // Four responses from three victims. Per metric, satisfied (very or fairly) over those answering:
    // ease of contact: very, very, fairly dissatisfied, very -> 3 of 4; updates: fairly, not answered, fairly, fairly
    // -> 3 of 3; actions taken: neither x4 -> 0 of 4; treatment: very, very, very, neither -> 3 of 4; overall: fairly,
    // very dissatisfied, very, not answered -> 2 of 3.
    const summary = await assurance.service.feedbackSummary(analyst, '2024-01-01', '2024-06-30')
    expect(summary.responses).toBe(4)
    expect(summary.victims).toBe(3)
    const shares = Object.fromEntries(
      summary.metrics.map((share) => [share.metric, [share.satisfied, share.answered, share.percent]]),
    )
    expect(shares).toEqual({
      ease_of_contact: [3, 4, 75],
      updates: [3, 3, 100],
      actions_taken: [0, 4, 0],
      treatment: [3, 4, 75],
      overall: [2, 3, 67],
    })
    expect(summary.months.map((month) => [month.month, month.responses])).toEqual([
      ['2024-01', 0],
      ['2024-02', 0],
      ['2024-03', 2],
      ['2024-04', 2],
      ['2024-05', 0],
      ['2024-06', 0],
    ])
    const march = summary.months[2].metrics.find((share) => share.metric === 'overall')!
    expect([march.satisfied, march.answered, march.percent]).toEqual([2, 2, 100])
    const april = summary.months[3].metrics.find((share) => share.metric === 'overall')!
    expect([april.satisfied, april.answered, april.percent]).toEqual([0, 1, 0])
    expect(summary.methods.map((method) => method.responses)).toEqual([1, 1, 1, 1])
    // Only surveys made in the range: March alone.
    expect((await assurance.service.feedbackSummary(analyst, '2024-03-01', '2024-03-31')).responses).toBe(2)
    const csv = await assurance.service.feedbackSummaryCsv(analyst, '2024-03-01', '2024-04-30')
    expect(csv[0].slice(0, 5)).toEqual([
      'Period',
      'Responses',
      'Ease of contacting the police: satisfied',
      'Ease of contacting the police: answering',
      'Ease of contacting the police: % satisfied',
    ])
    expect(csv[1].slice(0, 2)).toEqual(['2024-03-01 to 2024-04-30', 4])
    expect(csv[1].slice(-3)).toEqual([2, 3, 67])
    expect(csv.slice(2).map((row) => row[0])).toEqual(['2024-03', '2024-04'])

    // The measure: three victims surveyed; by their latest, a is very dissatisfied, b very satisfied, c did not answer.
    const year = { from: '2024-01-01T00:00:00.000Z', to: '2025-01-01T00:00:00.000Z' }
    expect(await assurance.satisfactionMeasure(forceId, year)).toEqual({ surveyed: 3, answered: 2, satisfied: 1 })
    // March alone: a's March response (fairly satisfied) and b's.
    expect(
      await assurance.satisfactionMeasure(forceId, {
        from: '2024-03-01T00:00:00.000Z',
        to: '2024-04-01T00:00:00.000Z',
      }),
    ).toEqual({ surveyed: 2, answered: 2, satisfied: 2 })
    expect(await assurance.satisfactionMeasure(otherForceId, year)).toEqual({ surveyed: 0, answered: 0, satisfied: 0 })
  })

  it('gives the plan live figures on 11.2 and 11.3 through the insight service', async () => {
    const insight = new InsightService(new CrimeProfileQueries(asAreaDatabase<CrimeDatabase>(platform.db)), () => [
      '8Q',
    ])
    const year = { from: '2024-01-01T00:00:00.000Z', to: '2025-01-01T00:00:00.000Z' }
    expect(await insight.compute('audit_compliance', forceId, year)).toBeNull()
    expect(await insight.compute('victim_satisfaction', forceId, year)).toBeNull()
    insight.useAssuranceFigures({
      auditMeasure: (force, period) => assurance.auditMeasure(force, period),
      satisfactionMeasure: (force, period) => assurance.satisfactionMeasure(force, period),
    })
    expect(insight.measuresFor('11.2')).toContain('audit_compliance')
    expect(insight.measuresFor('11.3')).toEqual(['victim_satisfaction'])
    const satisfaction = (await insight.compute('victim_satisfaction', forceId, year))!
    expect(satisfaction).toMatchObject({
      numerator: 1,
      denominator: 2,
      percent: 50,
      value: '50% (1 of 2 answering); 3 victims surveyed',
    })
    expect(satisfaction.sentence).toBe(
      'Threadline records, 1 Jan 2024 to 31 Dec 2024: 50% of surveyed stalking victims were satisfied overall (1 of 2 answering; 3 victims surveyed).',
    )
    const now = {
      from: new Date(Date.now() - 86_400_000).toISOString(),
      to: new Date(Date.now() + 86_400_000).toISOString(),
    }
    const compliance = (await insight.compute('audit_compliance', forceId, now))!
    expect(compliance).toMatchObject({
      numerator: 7,
      denominator: 9,
      percent: 78,
      value: '78% (7 of 9 answers); 2 cases audited',
    })
    expect(compliance.sentence).toMatch(
      /stalking case audits found 78% compliance \(7 of 9 answers\) across 2 cases audited\.$/,
    )
    const none = (await insight.compute('audit_compliance', forceId, year))!
    expect(none).toMatchObject({ percent: null, value: 'no audit findings yet; 0 cases audited' })
    const figures = await insight.evidenceFigures(forceId, ['11.2', '11.3'])
    expect(figures.get('11.2')!.map((figure) => figure.id)).toEqual(['audit_compliance', 'stalking_outcomes'])
    expect(figures.get('11.3')!.map((figure) => figure.id)).toEqual(['victim_satisfaction'])
    expect(figures.get('11.2')![0].numerator).toBe(7)
  })
})
