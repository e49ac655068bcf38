// Screening pages and API on the real app: queue reasons, decisions (8Q then found by the stalking search), the
// rationale rule, audit rows, another force's crime refused, S-DASH stored with the yes count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE, SECOND_DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { auditRows, createTestApp, csrfTokenFrom, type TestApp } from '../support/app.ts'
import { hiddenCourse, items, otherCrimes, record } from './screening-fixtures.ts'

describe('screening routes', () => {
  let app: TestApp
  const ids = new Map<string, number>()
  const id = (reference: string) => ids.get(reference) as number

  beforeAll(async () => {
    app = await createTestApp()
    await app.services.crime.importer.importRecords(SYSTEM_ACTOR, items([...hiddenCourse(), ...otherCrimes()]), {
      force: DEMO_FORCE,
    })
    await app.services.crime.importer.importRecords(
      SYSTEM_ACTOR,
      items([record({ forceReference: 'NM/1/26', principal: '8L', narrative: 'Northmoor harassment.' })]),
      { force: SECOND_DEMO_FORCE },
    )
    await app.services.screening.service.runAll(SYSTEM_ACTOR)
    const rows = await app.services.db.selectFrom('crimes').select(['id', 'force_reference']).execute()
    for (const row of rows) ids.set(row.force_reference, row.id)
  })
  afterAll(async () => {
    await app?.close()
  })

  it('shows the queue with each crime and its reasons, oldest first, and audits the read', async () => {
    const agent = await app.signedInAs('specialist')
    const page = await agent.get('/screening').expect(200)
    expect(page.text).toContain('Screening queue')
    expect(page.text).toContain('Principal classification 8L Harassment is watched')
    expect(page.text).toContain('Linked to 2 other incidents between the same suspect and victim since 2026-03-02')
    expect(page.text.indexOf('SC/0100/26')).toBeLessThan(page.text.indexOf('SC/0001/26'))
    expect(page.text).not.toContain('NM/1/26')
    expect(page.text).toContain('href="/screening"')
    const filtered = await agent.get('/screening?reason=course').expect(200)
    expect(filtered.text).not.toContain('SC/0100/26')
    expect(filtered.text).toContain('SC/0003/26')
    await agent.get('/screening?from=yesterday').expect(400)
    expect((await auditRows(app.services, 'screening.queue.viewed')).length).toBeGreaterThanOrEqual(2)
  })

  it('shows a crime with highlighted narrative and the course timeline', async () => {
    const agent = await app.signedInAs('specialist')
    const page = await agent.get(`/screening/crimes/${id('SC/0001/26')}`).expect(200)
    expect(page.text).toMatch(
      /<mark>waiting outside<span class="govuk-visually-hidden"> \(indicator: [^)]+\)<\/span><\/mark>/,
    )
    expect(page.text).toContain('moj-timeline__item')
    expect(page.text).toContain('SC/0003/26')
    const audit = await auditRows(app.services, 'screening.crime.viewed')
    expect(audit[0].subject_id).toBe(String(id('SC/0001/26')))
  })

  it('refuses harassment only without a rationale, with the GOV.UK error summary', async () => {
    const agent = await app.signedInAs('specialist')
    const page = await agent.get(`/screening/crimes/${id('SC/0100/26')}`).expect(200)
    const response = await agent
      .post(`/screening/crimes/${id('SC/0100/26')}/decision`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), outcome: 'harassment_only', rationale: '' })
      .expect(400)
    expect(response.text).toContain('govuk-error-summary')
    expect(response.text).toContain('say which of fixated, obsessive, unwanted or repeated (FOUR) is missing')
    expect(await app.services.db.selectFrom('screening_decisions').selectAll().execute()).toHaveLength(0)
  })

  it('a decision adds 8Q as included; the crime then appears in the 8Q search; audit rows written', async () => {
    const agent = await app.signedInAs('specialist')
    const before = await agent.get('/screening/stalking').expect(200)
    expect(before.text).not.toContain('SC/0001/26')
    const page = await agent.get(`/screening/crimes/${id('SC/0001/26')}`).expect(200)
    await agent
      .post(`/screening/crimes/${id('SC/0001/26')}/decision`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(page.text),
        outcome: 'stalking_identified',
        action: 'add_included_8q',
        rationale: 'Loitering at her work, repeated messages and an assault: fixated and unwanted',
      })
      .expect(302)
    const after = await agent.get(`/screening/crimes/${id('SC/0001/26')}`).expect(200)
    expect(after.text).toContain('8Q Stalking (included)')
    expect(after.text).toContain('Added by DC Jo Whitfield')
    const search = await agent.get('/screening/stalking?match=included').expect(200)
    expect(search.text).toContain('SC/0001/26')
    expect(search.text).toContain('Stalking identified')
    const principal = await agent.get('/screening/stalking?match=principal').expect(200)
    expect(principal.text).not.toContain('SC/0001/26')
    const decided = await auditRows(app.services, 'screening.decided')
    expect(decided[0]).toMatchObject({ actor_username: 'specialist', subject_id: String(id('SC/0001/26')) })
    expect(JSON.parse(decided[0].details)).toMatchObject({ outcome: 'stalking_identified', classificationAdded: true })
    expect(await auditRows(app.services, 'crime.classification.added')).toHaveLength(1)
    const next = await agent.get(`/screening/crimes/${id('SC/0002/26')}`).expect(200)
    expect(next.text).toContain('Earlier decisions on the same suspect and victim')
  })

  it("refuses another force's crime with 404 (as a missing record), audited", async () => {
    const agent = await app.signedInAs('specialist')
    await agent.get(`/screening/crimes/${id('NM/1/26')}`).expect(404)
    await agent.get(`/api/screening/crimes/${id('NM/1/26')}`).expect(404)
    const denied = await auditRows(app.services, 'access.denied')
    expect(denied[0].subject_id).toBe(`/api/screening/crimes/${id('NM/1/26')}`)
  })

  it('lets an officer read but not decide', async () => {
    const agent = await app.signedInAs('officer')
    const page = await agent.get(`/screening/crimes/${id('SC/0003/26')}`).expect(200)
    expect(page.text).not.toContain('Record the decision')
    await agent
      .post(`/screening/crimes/${id('SC/0003/26')}/decision`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), outcome: 'not_relevant', rationale: 'x' })
      .expect(403)
    const planOwner = await app.signedInAs('planowner')
    await planOwner.get('/screening').expect(403)
  })

  it('stores an S-DASH and shows the yes count and the officer judgement', async () => {
    const agent = await app.signedInAs('officer')
    const form = await agent.get(`/screening/crimes/${id('SC/0003/26')}/sdash`).expect(200)
    expect(form.text).toContain('Is the victim very frightened?')
    const body: Record<string, string> = {
      _csrf: csrfTokenFrom(form.text),
      judgement: 'Escalating after separation',
      riskLevel: 'high',
    }
    for (let i = 1; i <= 11; i++) body[`q${i}`] = i <= 3 ? 'yes' : i === 11 ? 'unknown' : 'no'
    const missing = await agent
      .post(`/screening/crimes/${id('SC/0003/26')}/sdash`)
      .type('form')
      .send({ ...body, q5: undefined, judgement: '' })
      .expect(400)
    expect(missing.text).toContain('Answer question 5')
    expect(missing.text).toContain('Enter your professional judgement')
    await agent
      .post(`/screening/crimes/${id('SC/0003/26')}/sdash`)
      .type('form')
      .send(body)
      .expect(302)
    const page = await agent.get(`/screening/crimes/${id('SC/0003/26')}`).expect(200)
    expect(page.text).toContain('3 of 11 answered yes; risk judged high by PC Alex Carter')
    const stored = await app.services.db.selectFrom('screening_assessments').selectAll().executeTakeFirstOrThrow()
    expect(stored.yes_count).toBe(3)
    expect(JSON.parse(stored.answers).q11).toEqual({ answer: 'unknown', comment: '' })
    expect(await auditRows(app.services, 'screening.sdash.recorded')).toHaveLength(1)
    // The outcome is visible on the crime record and in crime search.
    const crimePage = await agent.get(`/crimes/${id('SC/0003/26')}`).expect(200)
    expect(crimePage.text).toContain('3 of 11 questions answered yes; risk judged high by PC Alex Carter')
    const search = await agent.get('/crimes?text=').expect(200)
    expect(search.text).toContain('S-DASH: 3 of 11 yes, high risk')
  })

  it('serves the measures page and the JSON API, described in the OpenAPI document', async () => {
    const agent = await app.signedInAs('analyst')
    const page = await agent.get('/screening/measures?from=2026-01-01&to=2026-12-31&withinDays=3650').expect(200)
    expect(page.text).toContain('Screening measures')
    expect(page.text).toContain('Safeguarding Hub')
    await agent.get('/screening/measures?withinDays=soon').expect(400)
    const measures = await agent
      .get('/api/screening/measures?from=2026-01-01&to=2026-12-31&withinDays=3650')
      .expect(200)
    expect(measures.body.total).toMatchObject({ eligible: 4, screened: 1, stalkingIdentified: 1 })
    const queue = await agent.get('/api/screening/queue?status=all').expect(200)
    expect(queue.body.entries[0]).toMatchObject({ reference: 'SC/0100/26' })
    const explained = await agent
      .post('/api/screening/explain')
      .set('x-csrf-token', csrfTokenFrom((await agent.get('/screening').expect(200)).text))
      .send({ narratives: ['He has been waiting outside her work every night.'] })
      .expect(200)
    expect(explained.body[0].indicators.length).toBeGreaterThan(0)
    const openapi = await agent.get('/api/openapi.json').expect(200)
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining(['/api/screening/queue', '/api/screening/crimes/{id}/decision']),
    )
  })

  it('lets a specialist choose the watched classifications and linkage settings, audited; an officer cannot', async () => {
    const officer = await app.signedInAs('officer')
    await officer.get('/screening/settings').expect(403)
    const agent = await app.signedInAs('specialist')
    const page = await agent.get('/screening/settings').expect(200)
    expect(page.text).toMatch(/value="8L" checked/)
    expect(page.text).not.toMatch(/value="58C" checked/)
    const csrf = csrfTokenFrom(page.text)

    const bad = await agent
      .post('/screening/settings')
      .type('form')
      .send({ _csrf: csrf, watched: '8L', windowDays: 'ten', minIncidents: '1' })
      .expect(400)
    expect(bad.text).toContain('govuk-error-summary')
    expect(bad.text).toContain('The window must be a whole number of days, 1 or more')
    expect(bad.text).toContain('value="ten"')
    const none = await agent
      .post('/screening/settings')
      .type('form')
      .send({ _csrf: csrf, windowDays: '365', minIncidents: '2' })
      .expect(400)
    expect(none.text).toContain('Choose at least one classification to screen for stalking')

    await agent
      .post('/screening/settings')
      .type('form')
      .send(`_csrf=${csrf}&watched=8L&watched=58C&windowDays=180&minIncidents=3&watchFormerPartners=yes`)
      .expect(302)
      .expect('Location', '/screening/settings')
    const forceId = (await app.services.crime.repository.forceByName(DEMO_FORCE))!.id
    expect(await app.services.screening.service.settings(forceId)).toEqual({
      watched: ['8L', '58C'],
      watchFormerPartners: true,
      windowDays: 180,
      minIncidents: 3,
    })
    const saved = await agent.get('/screening/settings').expect(200)
    expect(saved.text).toMatch(/value="58C" checked/)
    expect(saved.text).toContain('Screening settings saved')
    const audit = await auditRows(app.services, 'screening.settings.changed')
    expect(audit).toHaveLength(1)

    await agent
      .post('/screening/run')
      .type('form')
      .send({ _csrf: csrfTokenFrom(saved.text), mode: 'full' })
      .expect(302)
    const queue = await agent.get('/screening').expect(200)
    expect(queue.text).toMatch(/Screened \d+ crimes/)
    expect(queue.text).toContain('href="/screening/settings"')
  })
})
