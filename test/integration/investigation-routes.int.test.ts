// The investigation pages and JSON API on the real app: the crime's Investigation page (allocation and supervisory
// review forms and history), the skills register, the error summary with the typed values kept, every read and change
// audited, another force's officer and a read-only role refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE, SECOND_DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { auditRows, createTestApp, csrfTokenFrom, type TestApp, showsDate } from '../support/app.ts'
import { courseOfConduct, crime, items } from './crime-fixtures.ts'

const goodReview = {
  reviewedOn: '2024-03-10',
  devices: 'pursued',
  socialMedia: 'pursued',
  phoneData: 'not_applicable',
  cctv: 'not_pursued',
  'cctv-reason': 'Footage overwritten',
  arrest: 'yes',
  'arrest-date': '2024-03-08',
  search: 'no',
  'search-reason': 'No premises known',
  victimImpact: 'yes',
  notes: 'Download the phones',
}

describe('Investigation routes', () => {
  let app: TestApp
  const ids = new Map<string, number>()
  const id = (reference: string) => ids.get(reference) as number
  const page = (reference: string) => `/investigation/crimes/${id(reference)}`
  const api = (reference: string) => `/api/investigation/crimes/${id(reference)}`
  const count = async (table: 'investigation_allocations' | 'investigation_reviews' | 'investigation_skills') =>
    (await app.services.db.selectFrom(table).select('id').execute()).length

  beforeAll(async () => {
    app = await createTestApp()
    await app.services.crime.importer.importRecords(SYSTEM_ACTOR, items(courseOfConduct()), { force: DEMO_FORCE })
    await app.services.crime.importer.importRecords(
      SYSTEM_ACTOR,
      items([crime({ forceReference: 'NM/1/24', principal: '8Q' })]),
      { force: SECOND_DEMO_FORCE },
    )
    for (const row of await app.services.db.selectFrom('crimes').select(['id', 'force_reference']).execute()) {
      ids.set(row.force_reference, row.id)
    }
  })
  afterAll(async () => {
    await app?.close()
  })

  it('links to the page from the crime page', async () => {
    const agent = await app.signedInAs('officer')
    const crimePage = await agent.get(`/crimes/${id('DS/0001/24')}`).expect(200)
    expect(crimePage.text).toContain(
      `href="${page('DS/0001/24')}">Investigation<span class="govuk-visually-hidden"> of DS/0001/24`,
    )
  })

  it('renders the forms with the crime’s team and officer, a CSRF field and the empty history; audited', async () => {
    const agent = await app.signedInAs('supervisor')
    const response = await agent.get(page('DS/0001/24')).expect(200)
    expect(response.text).toContain('<h1 class="govuk-heading-l">Investigation</h1>')
    expect(response.text).toContain('Not allocated yet.')
    expect(response.text).toContain('No supervisory review recorded on this crime.')
    expect(response.text).toMatch(/<input[^>]*id="team"[^>]*value="Response North"/)
    expect(response.text).toMatch(/<input[^>]*id="officer"[^>]*value="PC 101"/)
    // The filled-in answers are said to be filled in (issue 11: allocation never fills blanks silently).
    expect(response.text).toContain('The team and officer are those the crime record names (the officer in case)')
    expect(response.text).toMatch(/name="_csrf" value="[^"]+"/)
    // The checklist, from data: each section and item.
    for (const text of [
      'Digital lines of enquiry',
      'CCTV and doorbell footage',
      'Suspect arrested',
      'Arrest and search powers',
    ]) {
      expect(response.text).toContain(text)
    }
    const [viewed] = await auditRows(app.services, 'investigation.crime.viewed')
    expect(viewed).toMatchObject({ actor_username: 'supervisor', subject_id: String(id('DS/0001/24')) })
  })

  it('shows a bad allocation back with the error summary and the typed values, writing nothing', async () => {
    const agent = await app.signedInAs('supervisor')
    const token = csrfTokenFrom((await agent.get(page('DS/0001/24')).expect(200)).text)
    const response = await agent
      .post(`${page('DS/0001/24')}/allocations`)
      .type('form')
      .send({
        _csrf: token,
        team: 'Stalking unit',
        officer: '',
        allocatedOn: '6 March 2024',
        complexityNotes: 'Online',
      })
      .expect(400)
    expect(response.text).toContain('govuk-error-summary')
    expect(response.text).toContain('href="#officer">Enter the officer allocated, for example DC 4821</a>')
    expect(response.text).toContain(
      'href="#allocatedOn">Enter the date allocated as a real date, for example 27 3 2025</a>',
    )
    expect(response.text).toContain(
      'href="#riskLevel">Choose the risk level at allocation: standard, medium or high</a>',
    )
    expect(response.text).toMatch(/<input[^>]*id="allocatedOn"[^>]*value="6 March 2024"/)
    expect(response.text).toMatch(/<input[^>]*id="team"[^>]*value="Stalking unit"/)
    expect(response.text).toContain('>Online</textarea>')
    expect(response.text).toContain('<title>Error: Investigation')
    expect(await count('investigation_allocations')).toBe(0)
  })

  it('records an allocation, redirects to it, shows it and audits it; trained from the register', async () => {
    const agent = await app.signedInAs('supervisor')
    const register = await agent.get('/investigation/officers').expect(200)
    await agent
      .post('/investigation/officers')
      .type('form')
      .send({
        _csrf: csrfTokenFrom(register.text),
        officer: 'DC 4821',
        level: 'trained',
        courseName: 'Stalking investigation course',
        trainedOn: '2024-01-10',
      })
      .expect(302)
      .expect('location', '/investigation/officers')
    const token = csrfTokenFrom((await agent.get(page('DS/0001/24')).expect(200)).text)
    await agent
      .post(`${page('DS/0001/24')}/allocations`)
      .type('form')
      .send({ _csrf: token, team: 'Stalking unit', officer: 'dc 4821', allocatedOn: '2024-03-06', riskLevel: 'high' })
      .expect(302)
      .expect('location', `${page('DS/0001/24')}#allocation`)
    const after = await agent.get(page('DS/0001/24')).expect(200)
    expect(after.text).toContain('Allocation recorded.')
    expect(after.text).toContain('dc 4821, Stalking unit')
    expect(after.text).toContain('Yes, on the <a class="govuk-link" href="/investigation/officers">register')
    const [allocated] = await auditRows(app.services, 'investigation.allocated')
    expect(allocated).toMatchObject({ actor_username: 'supervisor', subject_id: String(id('DS/0001/24')) })
    expect(JSON.parse(allocated.details)).toMatchObject({ riskLevel: 'high', officerTrained: 1 })
  })

  it('shows a bad review back with the error summary and the typed answers, writing nothing', async () => {
    const agent = await app.signedInAs('supervisor')
    const token = csrfTokenFrom((await agent.get(page('DS/0001/24')).expect(200)).text)
    const response = await agent
      .post(`${page('DS/0001/24')}/reviews`)
      .type('form')
      .send({ ...goodReview, _csrf: token, devices: '', 'cctv-reason': '', 'arrest-date': '2024-03-11' })
      .expect(400)
    expect(response.text).toContain('href="#devices">Choose whether devices')
    expect(response.text).toContain('href="#cctv-reason">Enter why CCTV and doorbell footage were not pursued</a>')
    expect(response.text).toContain('href="#arrest-date">The date must be on or before the date of the review</a>')
    expect(showsDate(response.text, 'arrest-date', '2024-03-11')).toBe(true)
    expect(response.text).toMatch(/<input[^>]*name="socialMedia"[^>]*value="pursued" checked/)
    expect(response.text).toMatch(/<input[^>]*name="cctv"[^>]*value="not_pursued" checked/)
    expect(response.text).toContain('>No premises known</textarea>')
    expect(await count('investigation_reviews')).toBe(0)
  })

  it('records a review, redirects, shows it in the history and audits it; each review is kept', async () => {
    const agent = await app.signedInAs('supervisor')
    const token = csrfTokenFrom((await agent.get(page('DS/0001/24')).expect(200)).text)
    await agent
      .post(`${page('DS/0001/24')}/reviews`)
      .type('form')
      .send({ ...goodReview, _csrf: token })
      .expect(302)
      .expect('location', `${page('DS/0001/24')}#reviews`)
    await agent
      .post(`${page('DS/0001/24')}/reviews`)
      .type('form')
      .send({ ...goodReview, _csrf: token, reviewedOn: '2024-04-01', search: 'yes', 'search-date': '2024-03-30' })
      .expect(302)
    const after = await agent.get(page('DS/0001/24')).expect(200)
    expect(after.text).toContain('Supervisory review recorded.')
    expect(after.text.match(/class="moj-timeline__item"/g)).toHaveLength(2)
    expect(after.text).toContain('Review, 5 days after report')
    expect(after.text).toContain('Review, 27 days after report')
    expect(after.text).toContain('CCTV and doorbell footage: Not pursued (Footage overwritten)')
    expect(after.text).toContain('Search conducted (premises, vehicle or devices): Yes, 30 March 2024')
    expect(after.text).toContain('2 (reviewed within 7 days of report)')
    const reviewed = await auditRows(app.services, 'investigation.reviewed')
    expect(reviewed).toHaveLength(2)
    expect(reviewed[0]).toMatchObject({ actor_username: 'supervisor', subject_id: String(id('DS/0001/24')) })
  })

  it("refuses another force's officer with 404 (as a missing record), audited, and writes nothing", async () => {
    const agent = await app.signedInAs('northmoor.officer')
    const own = await agent.get(`/investigation/crimes/${id('NM/1/24')}`).expect(200)
    await agent.get(page('DS/0003/24')).expect(404)
    await agent
      .post(`${page('DS/0003/24')}/allocations`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(own.text),
        team: 'CID',
        officer: 'PC 1',
        allocatedOn: '2024-05-02',
        riskLevel: 'high',
      })
      .expect(404)
    const [denied] = await auditRows(app.services, 'access.denied')
    expect(denied).toMatchObject({
      actor_username: 'northmoor.officer',
      subject_id: `${page('DS/0003/24')}/allocations`,
    })
    expect(await count('investigation_allocations')).toBe(1)
  })

  it('lets an officer allocate but not review their case: the review form is not shown and a review is refused', async () => {
    const agent = await app.signedInAs('officer')
    const response = await agent.get(page('DS/0003/24')).expect(200)
    expect(response.text).toContain('Record the allocation')
    expect(response.text).not.toContain('Record a supervisory review')
    const before = await count('investigation_reviews')
    await agent
      .post(`${page('DS/0003/24')}/reviews`)
      .type('form')
      .send({
        ...goodReview,
        reviewedOn: '2024-05-02',
        'arrest-date': '2024-05-02',
        _csrf: csrfTokenFrom(response.text),
      })
      .expect(403)
    const token = csrfTokenFrom(response.text)
    await agent
      .post(`${api('DS/0003/24')}/reviews`)
      .set('x-csrf-token', token)
      .send({ ...goodReview, reviewedOn: '2024-05-02', 'arrest-date': '2024-05-02' })
      .expect(403)
    expect(await count('investigation_reviews')).toBe(before)
  })

  it('lets an analyst read the page but not record; a partner cannot read it', async () => {
    const agent = await app.signedInAs('analyst')
    const response = await agent.get(page('DS/0003/24')).expect(200)
    expect(response.text).not.toContain('Record the allocation')
    expect(response.text).not.toContain('Record the review')
    await agent
      .post(`${page('DS/0003/24')}/reviews`)
      .type('form')
      .send({
        ...goodReview,
        reviewedOn: '2024-05-02',
        'arrest-date': '2024-05-02',
        _csrf: csrfTokenFrom(response.text),
      })
      .expect(403)
    expect(await count('investigation_reviews')).toBe(2)
    const partner = await app.signedInAs('partner')
    await partner.get(page('DS/0003/24')).expect(403)
    await agent.get('/investigation/crimes/abc').expect(404)
    await agent.get('/investigation/crimes/999999').expect(404)
  })

  describe('skills register', () => {
    it('lets a force admin maintain it (in the navigation); an officer reads it without the forms', async () => {
      const admin = await app.signedInAs('admin')
      const home = await admin.get('/').expect(200)
      expect(home.text).toMatch(/href="\/hubs\/settings"[^>]*>\s*Settings/)
      const hub = await admin.get('/hubs/settings').expect(200)
      expect(hub.text).toMatch(/href="\/investigation\/officers"[^>]*>\s*Officer skills/)
      const register = await admin.get('/investigation/officers').expect(200)
      expect(register.text).toContain('DC 4821')
      const bad = await admin
        .post('/investigation/officers')
        .type('form')
        .send({
          _csrf: csrfTokenFrom(register.text),
          officer: 'DS 77',
          level: 'expert',
          courseName: '',
          trainedOn: '2024-02-30',
        })
        .expect(400)
      expect(bad.text).toContain('href="#level">Choose trained stalking investigator or specialist</a>')
      expect(bad.text).toContain('href="#courseName">Enter the name of the course</a>')
      expect(bad.text).toContain('href="#trainedOn">Enter the date trained as a real date</a>')
      expect(bad.text).toMatch(/<input[^>]*id="officer"[^>]*value="DS 77"/)
      expect(await count('investigation_skills')).toBe(1)

      const officer = await app.signedInAs('officer')
      const read = await officer.get('/investigation/officers').expect(200)
      expect(read.text).toContain('DC 4821')
      expect(read.text).not.toContain('Add to the register')
      expect(read.text).not.toContain('/remove')
      await officer
        .post('/investigation/officers')
        .type('form')
        .send({
          _csrf: csrfTokenFrom(read.text),
          officer: 'PC 1',
          level: 'trained',
          courseName: 'x',
          trainedOn: '2024-01-01',
        })
        .expect(403)
      const entry = await app.services.db.selectFrom('investigation_skills').select('id').executeTakeFirstOrThrow()
      await officer
        .post(`/investigation/officers/${entry.id}/remove`)
        .type('form')
        .send({ _csrf: csrfTokenFrom(read.text) })
        .expect(403)
      const partner = await app.signedInAs('partner')
      await partner.get('/investigation/officers').expect(403)
      expect(await count('investigation_skills')).toBe(1)
      expect((await auditRows(app.services, 'investigation.skills.viewed')).length).toBeGreaterThanOrEqual(3)
    })

    it('takes an entry off the register; it is kept, audited and no longer listed', async () => {
      const admin = await app.signedInAs('admin')
      const register = await admin.get('/investigation/officers').expect(200)
      const entry = await app.services.db.selectFrom('investigation_skills').select('id').executeTakeFirstOrThrow()
      // The first post asks; nothing changes until the answer is yes.
      const ask = await admin
        .post(`/investigation/officers/${entry.id}/remove`)
        .type('form')
        .send({ _csrf: csrfTokenFrom(register.text) })
        .expect(200)
      expect(ask.text).toMatch(/<h1[^>]*>Take .+ off the register\?<\/h1>/)
      expect(ask.text).toContain('name="confirmed" value="yes"')
      expect(await auditRows(app.services, 'investigation.skill.removed')).toHaveLength(0)
      await admin
        .post(`/investigation/officers/${entry.id}/remove`)
        .type('form')
        .send({ _csrf: csrfTokenFrom(register.text), confirmed: 'yes' })
        .expect(302)
      const after = await admin.get('/investigation/officers').expect(200)
      expect(after.text).toContain('Officer taken off the register.')
      expect(after.text).toContain('No officer on the register yet.')
      const [removed] = await auditRows(app.services, 'investigation.skill.removed')
      expect(removed).toMatchObject({ actor_username: 'admin', subject_id: String(entry.id) })
      expect(await count('investigation_skills')).toBe(1)
      await admin
        .post(`/investigation/officers/${entry.id}/remove`)
        .type('form')
        .send({ _csrf: csrfTokenFrom(register.text), confirmed: 'yes' })
        .expect(404)
    })
  })

  describe('JSON API', () => {
    it('reads a crime’s investigation as JSON, audited like the page', async () => {
      const agent = await app.signedInAs('officer')
      const before = (await auditRows(app.services, 'investigation.crime.viewed')).length
      const response = await agent.get(api('DS/0001/24')).expect(200).expect('content-type', /json/)
      expect(response.body.latestAllocation).toMatchObject({
        officer: 'dc 4821',
        risk_level: 'high',
        officer_trained: 1,
      })
      expect(response.body.reviews.map((r: { reviewed_on: string }) => r.reviewed_on)).toEqual([
        '2024-04-01',
        '2024-03-10',
      ])
      expect(await auditRows(app.services, 'investigation.crime.viewed')).toHaveLength(before + 1)
      await agent.get('/api/investigation/crimes/999999').expect(404)
    })

    it('gives the same errors as the page, by field name; records with 201 and audits', async () => {
      const agent = await app.signedInAs('supervisor')
      const token = csrfTokenFrom((await agent.get(page('DS/0003/24')).expect(200)).text)
      const bad = await agent
        .post(`${api('DS/0003/24')}/allocations`)
        .set('x-csrf-token', token)
        .send({ team: 'CID', officer: 'PC 1', allocatedOn: '2024-04-30', riskLevel: 'high' })
        .expect(400)
      expect(bad.body).toEqual({
        error: 'The allocation is not valid',
        fields: { allocatedOn: 'The date allocated must be on or after the date the crime was reported (2024-05-01)' },
      })
      const badReview = await agent
        .post(`${api('DS/0003/24')}/reviews`)
        .set('x-csrf-token', token)
        .send({ ...goodReview, reviewedOn: '2024-05-02', arrest: 'yes', 'arrest-date': '' })
        .expect(400)
      expect(badReview.body.fields).toEqual({ 'arrest-date': 'Enter the date for: suspect arrested' })
      const allocated = await agent
        .post(`${api('DS/0003/24')}/allocations`)
        .set('x-csrf-token', token)
        .send({ team: 'CID', officer: 'PC 1', allocatedOn: '2024-05-02', riskLevel: 'medium' })
        .expect(201)
      expect(allocated.body).toEqual({ allocationId: expect.any(Number), officerTrained: false })
      const reviewed = await agent
        .post(`${api('DS/0003/24')}/reviews`)
        .set('x-csrf-token', token)
        .send({ ...goodReview, reviewedOn: '2024-05-03', 'arrest-date': '2024-05-02' })
        .expect(201)
      const [audit] = await auditRows(app.services, 'investigation.reviewed')
      expect(audit).toMatchObject({ actor_username: 'supervisor', subject_id: String(id('DS/0003/24')) })
      expect(JSON.parse(audit.details)).toMatchObject({ reviewId: reviewed.body.reviewId, reviewedOn: '2024-05-03' })
      const [allocatedAudit] = await auditRows(app.services, 'investigation.allocated')
      expect(JSON.parse(allocatedAudit.details)).toMatchObject({ allocationId: allocated.body.allocationId })
    })

    it("refuses another force's crime with 404 (as a missing record) JSON, audited, and a read-only role's change", async () => {
      const agent = await app.signedInAs('northmoor.officer')
      const token = csrfTokenFrom((await agent.get(`/investigation/crimes/${id('NM/1/24')}`).expect(200)).text)
      const read = await agent.get(api('DS/0003/24')).expect(404).expect('content-type', /json/)
      expect(read.body.error).toBe('Page not found')
      await agent
        .post(`${api('DS/0003/24')}/reviews`)
        .set('x-csrf-token', token)
        .send({ ...goodReview, reviewedOn: '2024-05-03', 'arrest-date': '2024-05-02' })
        .expect(403)
      const [denied] = await auditRows(app.services, 'access.denied')
      expect(denied).toMatchObject({ actor_username: 'northmoor.officer', subject_id: `${api('DS/0003/24')}/reviews` })
      const analyst = await app.signedInAs('analyst')
      const analystToken = csrfTokenFrom((await analyst.get(page('DS/0003/24')).expect(200)).text)
      await analyst
        .post(`${api('DS/0003/24')}/allocations`)
        .set('x-csrf-token', analystToken)
        .send({ team: 'CID', officer: 'PC 1', allocatedOn: '2024-05-02', riskLevel: 'medium' })
        .expect(403)
      expect(await count('investigation_allocations')).toBe(2)
      expect(await count('investigation_reviews')).toBe(3)
    })

    it('maintains the register through the API for a stalking lead, and is in the OpenAPI document', async () => {
      const agent = await app.signedInAs('specialist')
      const token = csrfTokenFrom((await agent.get('/investigation/officers').expect(200)).text)
      const created = await agent
        .post('/api/investigation/officers')
        .set('x-csrf-token', token)
        .send({ officer: 'DC 12', level: 'specialist', courseName: 'Unit induction', trainedOn: '2024-02-01' })
        .expect(201)
      const list = await agent.get('/api/investigation/officers').expect(200)
      expect(list.body.entries.map((e: { id: number; officer: string }) => [e.id, e.officer])).toEqual([
        [created.body.skillId, 'DC 12'],
      ])
      await agent
        .post(`/api/investigation/officers/${created.body.skillId}/remove`)
        .set('x-csrf-token', token)
        .expect(204)
      const openapi = await agent.get('/api/openapi.json').expect(200)
      expect(Object.keys(openapi.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/investigation/crimes/{id}',
          '/api/investigation/crimes/{id}/allocations',
          '/api/investigation/crimes/{id}/reviews',
          '/api/investigation/officers',
        ]),
      )
      const review = openapi.body.paths['/api/investigation/crimes/{id}/reviews'].post
      expect(review.requestBody.content['application/json'].schema.properties).toMatchObject({
        cctv: { enum: ['pursued', 'not_applicable', 'not_pursued'] },
        'arrest-date': { format: 'date' },
        victimImpact: { enum: ['yes', 'no'] },
      })
    })
  })

  describe('Investigations list', () => {
    it("lists the force's stalking crimes with allocation and reviews, filtered in the URL; in the navigation", async () => {
      const agent = await app.signedInAs('officer')
      const home = await agent.get('/').expect(200)
      expect(home.text).toMatch(/href="\/hubs\/case-work"[^>]*>\s*Case work/)
      const hub = await agent.get('/hubs/case-work').expect(200)
      expect(hub.text).toMatch(/href="\/investigation"[^>]*>\s*Investigations/)
      const list = await agent.get('/investigation').expect(200)
      expect(list.text).toContain('<h1 class="govuk-heading-l">Investigations</h1>')
      // DS/0001/24 (8Q included) and DS/0003/24 (8Q principal); not DS/0002/24 (8L), not another force's NM/1/24.
      expect(list.text).toContain('2 stalking crimes')
      expect(list.text).toContain(`href="${page('DS/0001/24')}"`)
      expect(list.text).toContain(`href="${page('DS/0003/24')}"`)
      expect(list.text).not.toContain('NM/1/24')
      expect(list.text).toContain('2, latest 1 April 2024')
      const untrained = await agent.get('/investigation?status=untrained').expect(200)
      expect(untrained.text).toContain('1 stalking crime<')
      expect(untrained.text).toContain(`href="${page('DS/0003/24')}"`)
      expect(untrained.text).not.toContain(`href="${page('DS/0001/24')}"`)
      expect(untrained.text).toMatch(/<option value="untrained" selected>/)
      const [listed] = await auditRows(app.services, 'investigation.list.viewed')
      expect(listed).toMatchObject({ actor_username: 'officer' })
      expect(JSON.parse(listed.details).shown).toEqual([id('DS/0003/24')])
      const bad = await agent.get('/investigation?status=closed').expect(400)
      expect(bad.text).toContain('href="#status">Choose a status from the list</a>')
      const json = await agent.get('/api/investigation/crimes?status=high').expect(200)
      expect(json.body.crimes.map((c: { reference: string }) => c.reference)).toEqual(['DS/0001/24'])
      const partner = await app.signedInAs('partner')
      await partner.get('/investigation').expect(403)
    })
  })
})
