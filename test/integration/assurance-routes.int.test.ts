// The assurance pages and JSON API on the real app: creating a case audit and recording a sampled case's findings, a
// crime's victim feedback and the force's feedback summary; the error summary with the typed values kept, redirects
// after success, every read and change audited, the CSV exports, a role without the capability and another force
// refused with 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE, SECOND_DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { auditRows, createTestApp, csrfTokenFrom, type TestApp, showsDate } from '../support/app.ts'
import { courseOfConduct, crime, items, party } from './crime-fixtures.ts'

const STALKING = Array.from({ length: 8 }, (_, index) =>
  crime({
    forceReference: `DS/20${index}/24`,
    principal: '8Q',
    reportedAt: `2024-0${1 + index}-10T09:00:00Z`,
    parties: [party({ personRef: `P-R-${index}`, forename: 'Rowan', surname: `Test${index}` })],
  }),
)

const goodSurvey = {
  surveyedOn: '2024-03-20',
  method: 'telephone',
  easeOfContact: 'very_satisfied',
  updates: 'fairly_dissatisfied',
  actionsTaken: 'fairly_satisfied',
  treatment: 'very_satisfied',
  overall: 'fairly_satisfied',
  comment: 'Kept me informed.',
}

describe('Assurance routes', () => {
  let app: TestApp
  const ids = new Map<string, number>()
  const id = (reference: string) => ids.get(reference) as number
  let auditId: number

  beforeAll(async () => {
    app = await createTestApp()
    await app.services.crime.importer.importRecords(SYSTEM_ACTOR, items([...courseOfConduct(), ...STALKING]), {
      force: DEMO_FORCE,
    })
    await app.services.crime.importer.importRecords(
      SYSTEM_ACTOR,
      items([crime({ forceReference: 'NM/1/24', principal: '8Q', parties: [party({ personRef: 'P-NM' })] })]),
      { force: SECOND_DEMO_FORCE },
    )
    for (const row of await app.services.db.selectFrom('crimes').select(['id', 'force_reference']).execute()) {
      ids.set(row.force_reference, row.id)
    }
  })
  afterAll(async () => {
    await app?.close()
  })

  const victimOf = async (reference: string) =>
    (await app.services.crime.repository.partiesOf(id(reference))).find((p) => p.role === 'victim')!.person_id

  it('puts the audits and the feedback summary in the navigation of those who read the force’s analysis', async () => {
    const analyst = await app.signedInAs('analyst')
    const home = await analyst.get('/').expect(200)
    expect(home.text).toMatch(/href="\/hubs\/assurance"[^>]*>\s*Assurance/)
    const hub = await analyst.get('/hubs/assurance').expect(200)
    expect(hub.text).toMatch(/href="\/assurance\/audits"[^>]*>\s*Case audits/)
    expect(hub.text).toMatch(/href="\/assurance\/feedback"[^>]*>\s*Victim feedback/)
    const officer = await app.signedInAs('officer')
    const officerHome = (await officer.get('/').expect(200)).text
    expect(officerHome).not.toContain('href="/hubs/assurance"')
    expect(officerHome).not.toContain('href="/assurance/audits"')
    await officer.get('/hubs/assurance').expect(404)
  })

  it('links to victim feedback from the page of a crime carrying 8Q, and not from other crimes', async () => {
    const officer = await app.signedInAs('officer')
    const stalking = await officer.get(`/crimes/${id('DS/0003/24')}`).expect(200)
    expect(stalking.text).toContain(`href="/assurance/crimes/${id('DS/0003/24')}/feedback">Victim feedback`)
    const harassment = await officer.get(`/crimes/${id('DS/0002/24')}`).expect(200)
    expect(harassment.text).not.toContain('/feedback">Victim feedback')
  })

  it('refuses roles without the capability with 403', async () => {
    const officer = await app.signedInAs('officer')
    await officer.get('/assurance/audits').expect(403)
    await officer.get('/assurance/feedback').expect(403)
    await officer.get('/assurance/feedback.csv').expect(403)
    const analyst = await app.signedInAs('analyst')
    const list = await analyst.get('/assurance/audits').expect(200)
    expect(list.text).not.toContain('Create an audit')
    await analyst.get('/assurance/audits/new').expect(403)
    await analyst
      .post('/assurance/audits')
      .type('form')
      .send({ _csrf: csrfTokenFrom(list.text), title: 'x', periodFrom: '2024-01-01', periodTo: '2024-12-31' })
      .expect(403)
    const [denied] = await auditRows(app.services, 'access.denied')
    expect(denied).toMatchObject({ actor_username: 'analyst', subject_id: '/assurance/audits' })
    const partner = await app.signedInAs('partner')
    await partner.get(`/assurance/crimes/${id('DS/0003/24')}/feedback`).expect(403)
    expect(await auditRows(app.services, 'assurance.audit.created')).toHaveLength(0)
  })

  it('shows a bad audit back with the error summary and the typed values, writing nothing', async () => {
    const agent = await app.signedInAs('supervisor')
    const form = await agent.get('/assurance/audits/new').expect(200)
    expect(form.text).toMatch(/<input[^>]*id="sampleSize"[^>]*value="20"/)
    const response = await agent
      .post('/assurance/audits')
      .type('form')
      .send({
        _csrf: csrfTokenFrom(form.text),
        title: 'Spring audit',
        periodFrom: 'last April',
        periodTo: '',
        sampleSize: '500',
      })
      .expect(400)
    expect(response.text).toContain('govuk-error-summary')
    expect(response.text).toContain(
      'href="#periodFrom">Enter the first day of the period as a real date, for example 27 3 2025</a>',
    )
    expect(response.text).toContain('href="#periodTo">Enter the last day of the period</a>')
    expect(response.text).toContain('href="#sampleSize">The sample size must be 200 or fewer</a>')
    expect(response.text).toMatch(/<input[^>]*id="title"[^>]*value="Spring audit"/)
    expect(response.text).toMatch(/<input[^>]*id="periodFrom"[^>]*value="last April"/)
    expect(response.text).toMatch(/<input[^>]*id="sampleSize"[^>]*value="500"/)
    expect(response.text).toContain('<title>Error: Create a stalking case audit')
    expect(await auditRows(app.services, 'assurance.audit.created')).toHaveLength(0)
  })

  it('creates an audit, redirects to it and shows the sample; audited', async () => {
    const agent = await app.signedInAs('supervisor')
    const form = await agent.get('/assurance/audits/new').expect(200)
    const response = await agent
      .post('/assurance/audits')
      .type('form')
      .send({
        _csrf: csrfTokenFrom(form.text),
        title: 'First half 2024',
        periodFrom: '2024-01-01',
        periodTo: '2024-06-30',
        sampleSize: '5',
      })
      .expect(302)
    const location = response.headers.location as string
    expect(location).toMatch(/^\/assurance\/audits\/\d+$/)
    auditId = Number(location.split('/').pop())
    const [created] = await auditRows(app.services, 'assurance.audit.created')
    expect(created).toMatchObject({ actor_username: 'supervisor', subject_id: String(auditId) })
    const page = await agent.get(location).expect(200)
    expect(page.text).toContain('Audit created: 5 cases drawn at random.')
    expect(page.text).toContain('<h1 class="govuk-heading-l">First half 2024</h1>')
    expect(page.text.match(/<tr class="govuk-table__row" id="case-\d+">/g)).toHaveLength(5)
    expect(page.text).toContain('Not started')
    expect(page.text).toContain('No yes or no answers yet')
    const [viewed] = await auditRows(app.services, 'assurance.audit.viewed')
    expect(viewed).toMatchObject({ actor_username: 'supervisor', subject_id: String(auditId) })
    const list = await agent.get('/assurance/audits').expect(200)
    expect(list.text).toContain(`href="/assurance/audits/${auditId}">First half 2024</a>`)
    expect(list.text).toContain('0 of 5')
  })

  it('shows bad findings back with the error summary and the typed answers, then records them and redirects', async () => {
    const agent = await app.signedInAs('specialist')
    const crimeId = JSON.parse((await auditRows(app.services, 'assurance.audit.created'))[0].details).sample[0]
    const casePage = `/assurance/audits/${auditId}/cases/${crimeId}`
    const form = await agent.get(casePage).expect(200)
    expect(form.text).toContain('Case 1 of 5')
    expect(form.text).toContain(`href="/assurance/crimes/${crimeId}/feedback">Victim feedback`)
    const [caseViewed] = await auditRows(app.services, 'assurance.case.viewed')
    expect(caseViewed).toMatchObject({
      actor_username: 'specialist',
      subject_type: 'crime',
      subject_id: String(crimeId),
    })
    const token = csrfTokenFrom(form.text)
    const bad = await agent
      .post(casePage)
      .type('form')
      .send({ _csrf: token, recorded: 'yes', spoConsidered: 'no', 'outcome-note': 'Typed note kept' })
      .expect(400)
    expect(bad.text).toContain(
      'href="#spoConsidered-note">Enter a note saying why the answer is no for: Stalking Protection Order considered</a>',
    )
    expect(bad.text).toMatch(/<input[^>]*name="recorded"[^>]*value="yes" checked/)
    expect(bad.text).toMatch(/<input[^>]*name="spoConsidered"[^>]*value="no" checked/)
    expect(bad.text).toContain('>Typed note kept</textarea>')
    expect(bad.text).toContain('<title>Error: Case 1 of 5')
    expect(await auditRows(app.services, 'assurance.findings.recorded')).toHaveLength(0)

    const answers: Record<string, string> = { _csrf: token }
    for (const question of app.services.assurance.service.checklist.questions) answers[question.id] = 'yes'
    answers.spoConsidered = 'no'
    answers['spoConsidered-note'] = 'No SPO consideration recorded.'
    answers.outcome = 'not_applicable'
    await agent
      .post(casePage)
      .type('form')
      .send(answers)
      .expect(302)
      .expect('location', `/assurance/audits/${auditId}#case-${crimeId}`)
    const [recorded] = await auditRows(app.services, 'assurance.findings.recorded')
    expect(recorded).toMatchObject({ actor_username: 'specialist', subject_id: String(crimeId) })
    const page = await agent.get(`/assurance/audits/${auditId}`).expect(200)
    expect(page.text).toContain('Findings recorded: the case is complete.')
    expect(page.text).toContain('1 of 5')
    // 6 yes, 1 no, 1 not applicable: 86%.
    expect(page.text).toContain('86% (6 of 7 answers yes)')
    const again = await agent.get(casePage).expect(200)
    expect(again.text).toMatch(/<input[^>]*name="spoConsidered"[^>]*value="no" checked/)
    expect(again.text).toContain('>No SPO consideration recorded.</textarea>')
  })

  it('exports the findings as CSV, audited', async () => {
    const agent = await app.signedInAs('analyst')
    const response = await agent.get(`/assurance/audits/${auditId}/findings.csv`).expect(200)
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(response.headers['content-disposition']).toBe(`attachment; filename="audit-${auditId}-findings.csv"`)
    const lines = response.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n')
    expect(lines[0]).toBe(
      'Audit,Case,Crime reference,Reported,Stalking recorded as,Team,Question,Answer,Note,Recorded by,Recorded at',
    )
    expect(lines).toHaveLength(1 + 5 * 8)
    expect(lines[3]).toMatch(
      /^First half 2024,1,DS\/\d+\/24,2024-\d\d-\d\d,(Principal|Included),[^,]*,Stalking Protection Order considered,No,No SPO consideration recorded\.,specialist,/,
    )
    expect(lines[9]).toMatch(/^First half 2024,2,.*,Not answered,,,$/)
    const [exported] = await auditRows(app.services, 'assurance.audit.exported')
    expect(exported).toMatchObject({ actor_username: 'analyst', subject_id: String(auditId) })
  })

  it("refuses another force's user on the audit and the feedback pages", async () => {
    const agent = await app.signedInAs('northmoor.officer')
    await agent.get(`/assurance/crimes/${id('DS/0003/24')}/feedback`).expect(404)
    const own = await agent.get(`/assurance/crimes/${id('NM/1/24')}/feedback`).expect(200)
    await agent
      .post(`/assurance/crimes/${id('DS/0003/24')}/victims/${await victimOf('DS/0003/24')}/feedback`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(own.text), ...goodSurvey })
      .expect(404)
  })

  it('shows a bad survey response back with the error summary and the typed values, then records it', async () => {
    const agent = await app.signedInAs('officer')
    const reference = 'DS/202/24'
    const personId = await victimOf(reference)
    const page = `/assurance/crimes/${id(reference)}/feedback`
    const form = await agent.get(page).expect(200)
    expect(form.text).toContain('<h1 class="govuk-heading-l">Victim feedback</h1>')
    expect(form.text).toContain('Rowan Test2')
    expect(form.text).toContain('No survey response recorded yet.')
    const [viewed] = await auditRows(app.services, 'assurance.feedback.viewed')
    expect(viewed).toMatchObject({ actor_username: 'officer', subject_id: String(id(reference)) })
    const token = csrfTokenFrom(form.text)
    const action = `/assurance/crimes/${id(reference)}/victims/${personId}/feedback`
    const bad = await agent
      .post(action)
      .type('form')
      .send({ ...goodSurvey, _csrf: token, surveyedOn: '2024-03-01', comment: 'Typed comment' })
      .expect(400)
    expect(bad.text).toContain(
      `href="#v${personId}-surveyedOn">The date of the survey must be on or after the date the crime was reported (2024-03-10)</a>`,
    )
    // The date input shows the date typed as its day, month and year.
    expect(bad.text).toMatch(new RegExp(`<input[^>]*id="v${personId}-surveyedOn"[^>]*value="1"`))
    expect(bad.text).toMatch(new RegExp(`<input[^>]*id="v${personId}-surveyedOn-year"[^>]*value="2024"`))
    expect(bad.text).toMatch(/<input[^>]*name="updates"[^>]*value="fairly_dissatisfied" checked/)
    expect(bad.text).toContain('>Typed comment</textarea>')
    const missing = await agent
      .post(action)
      .type('form')
      .send({ ...goodSurvey, _csrf: token, overall: '' })
      .expect(400)
    expect(missing.text).toContain(
      `href="#v${personId}-overall">Choose how satisfied the victim was with overall satisfaction, or not answered</a>`,
    )
    expect(await auditRows(app.services, 'assurance.survey.recorded')).toHaveLength(0)
    await agent
      .post(action)
      .type('form')
      .send({ ...goodSurvey, _csrf: token })
      .expect(302)
      .expect('location', `${page}#victim-${personId}`)
    const [recorded] = await auditRows(app.services, 'assurance.survey.recorded')
    expect(recorded).toMatchObject({ actor_username: 'officer', subject_id: String(id(reference)) })
    const after = await agent.get(page).expect(200)
    expect(after.text).toContain('Survey response recorded.')
    expect(after.text).toContain('Fairly dissatisfied')
    expect(after.text).toContain('“Kept me informed.”')
  })

  it('refuses a response on a crime that is not stalking, with the error summary linking to why', async () => {
    const agent = await app.signedInAs('officer')
    const page = `/assurance/crimes/${id('DS/0002/24')}/feedback`
    const form = await agent.get(page).expect(200)
    expect(form.text).toContain('This crime is not recorded as stalking (8Q, principal or included)')
    expect(form.text).not.toContain('Record the response')
    const response = await agent
      .post(`/assurance/crimes/${id('DS/0002/24')}/victims/${await victimOf('DS/0002/24')}/feedback`)
      .type('form')
      .send({ ...goodSurvey, _csrf: csrfTokenFrom(form.text), surveyedOn: '2024-05-01' })
      .expect(400)
    expect(response.text).toContain(
      'href="#not-stalking">Victim feedback is recorded on stalking crimes (8Q, principal or included) only</a>',
    )
    expect(response.text).toContain('id="not-stalking"')
  })

  it('summarises the feedback by metric and month, with a CSV export; bad dates re-render with the summary', async () => {
    const officer = await app.signedInAs('officer')
    const reference = 'DS/203/24'
    const form = await officer.get(`/assurance/crimes/${id(reference)}/feedback`).expect(200)
    await officer
      .post(`/assurance/crimes/${id(reference)}/victims/${await victimOf(reference)}/feedback`)
      .type('form')
      .send({ ...goodSurvey, _csrf: csrfTokenFrom(form.text), surveyedOn: '2024-05-02', overall: 'very_dissatisfied' })
      .expect(302)
    const agent = await app.signedInAs('analyst')
    const summary = await agent.get('/assurance/feedback?from=2024-03-01&to=2024-05-31').expect(200)
    expect(summary.text).toContain('2 from 2 victims')
    expect(summary.text).toMatch(
      /Overall satisfaction: satisfied\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*50% \(1 of 2\)/,
    )
    expect(summary.text).toMatch(
      /Being kept updated: satisfied\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*0% \(0 of 2\)/,
    )
    expect(summary.text).toContain('href="/assurance/feedback.csv?from=2024-03-01&amp;to=2024-05-31"')
    const bad = await agent.get('/assurance/feedback?from=2024-13-01&to=2024-05-31').expect(400)
    expect(bad.text).toContain('href="#from">Enter the start date as a real date, for example 1 4 2025</a>')
    expect(showsDate(bad.text, 'from', '2024-13-01')).toBe(true)
    const csv = await agent.get('/assurance/feedback.csv?from=2024-03-01&to=2024-05-31').expect(200)
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8')
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n')
    expect(lines).toHaveLength(1 + 1 + 3)
    expect(lines[1]).toMatch(/^2024-03-01 to 2024-05-31,2,2,2,100,0,2,0,2,2,100,2,2,100,1,2,50$/)
    expect(lines.slice(2).map((line) => line.split(',').slice(0, 2).join(','))).toEqual([
      '2024-03,1',
      '2024-04,0',
      '2024-05,1',
    ])
    await agent.get('/assurance/feedback.csv?from=nope').expect(400)
  })

  it('serves the JSON API with the same validation and force checks, and is in the OpenAPI document', async () => {
    const agent = await app.signedInAs('supervisor')
    const token = csrfTokenFrom((await agent.get('/assurance/audits/new').expect(200)).text)
    const bad = await agent
      .post('/api/assurance/audits')
      .set('x-csrf-token', token)
      .send({ title: '', periodFrom: '2024-01-01', periodTo: '2024-12-31' })
      .expect(400)
    expect(bad.body.fields.title).toMatch(/^Enter a title for the audit/)
    const created = await agent
      .post('/api/assurance/audits')
      .set('x-csrf-token', token)
      .send({ title: 'API audit', periodFrom: '2024-01-01', periodTo: '2024-12-31', sampleSize: 3 })
      .expect(201)
    expect(created.body).toEqual({ auditId: expect.any(Number), sampled: 3 })
    const audit = await agent.get(`/api/assurance/audits/${created.body.auditId}`).expect(200)
    expect(audit.body.cases).toHaveLength(3)
    const crimeId = audit.body.cases[0].crime_id
    const findings = await agent
      .post(`/api/assurance/audits/${created.body.auditId}/cases/${crimeId}`)
      .set('x-csrf-token', token)
      .send({ recorded: 'no', 'recorded-note': 'Recorded as harassment first.' })
      .expect(200)
    expect(findings.body).toEqual({ answered: 1, complete: false })
    await agent
      .post(`/api/assurance/audits/${created.body.auditId}/cases/${id('DS/0002/24')}`)
      .set('x-csrf-token', token)
      .send({ recorded: 'yes' })
      .expect(404)
    await agent.get('/api/assurance/audits/99999').expect(404)
    const northmoor = await app.signedInAs('northmoor.officer')
    await northmoor.get(`/api/assurance/crimes/${id('DS/0003/24')}/feedback`).expect(404)
    const summary = await agent.get('/api/assurance/feedback?from=2024-01-01&to=2024-12-31').expect(200)
    expect(summary.body.responses).toBe(2)
    const openapi = await agent.get('/api/openapi.json').expect(200)
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/assurance/audits',
        '/api/assurance/audits/{id}',
        '/api/assurance/audits/{id}/cases/{crimeId}',
        '/api/assurance/crimes/{id}/feedback',
        '/api/assurance/crimes/{id}/victims/{personId}/feedback',
        '/api/assurance/feedback',
      ]),
    )
  })
})
