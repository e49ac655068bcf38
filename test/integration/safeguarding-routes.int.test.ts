// The Stalking Protection Order page on the real app: the form and history render, bad input is shown back with the
// GOV.UK error summary and the typed values, good input redirects and is audited, another force's officer and a role
// without case:edit are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE, SECOND_DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { auditRows, createTestApp, csrfTokenFrom, type TestApp, showsDate } from '../support/app.ts'
import { courseOfConduct, crime, items } from './crime-fixtures.ts'

describe('Stalking Protection Order routes', () => {
  let app: TestApp
  const ids = new Map<string, number>()
  const id = (reference: string) => ids.get(reference) as number
  const spo = (reference: string) => `/safeguarding/crimes/${id(reference)}/spo`

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

  it('links to the page from the crime page and the screening page', async () => {
    const agent = await app.signedInAs('officer')
    for (const path of [`/crimes/${id('DS/0001/24')}`, `/screening/crimes/${id('DS/0001/24')}`]) {
      const page = await agent.get(path).expect(200)
      expect(page.text).toContain(`href="${spo('DS/0001/24')}"`)
      expect(page.text).toContain('Stalking Protection Order')
    }
  })

  it('renders the form, with a CSRF field and a draft key, and the empty history; the read is audited', async () => {
    const agent = await app.signedInAs('officer')
    const page = await agent.get(spo('DS/0001/24')).expect(200)
    expect(page.text).toContain('<h1 class="govuk-heading-l">Stalking Protection Order</h1>')
    expect(page.text).toContain('No SPO consideration recorded on this crime.')
    expect(page.text).toContain(`data-draft="spo-${id('DS/0001/24')}"`)
    expect(page.text).toMatch(/name="_csrf" value="[^"]+"/)
    expect(page.text).toContain('The application, if applying')
    // No breach form without an order.
    expect(page.text).not.toContain('Record the breach')
    const [viewed] = await auditRows(app.services, 'safeguarding.spo.viewed')
    expect(viewed).toMatchObject({ actor_username: 'officer', subject_id: String(id('DS/0001/24')) })
  })

  it('shows bad input back with the error summary and the typed values, and writes nothing', async () => {
    const agent = await app.signedInAs('officer')
    const page = await agent.get(spo('DS/0001/24')).expect(200)
    const response = await agent
      .post(spo('DS/0001/24'))
      .type('form')
      .send({
        _csrf: csrfTokenFrom(page.text),
        decision: 'apply',
        appliedOn: '12 March 2024',
        interim: 'yes',
        courtOutcome: 'granted',
        orderMadeOn: '2024-04-02',
        orderExpiresOn: '2024-04-01',
      })
      .expect(400)
    expect(response.text).toContain('govuk-error-summary')
    expect(response.text).toContain(
      'href="#appliedOn">Enter the date the application was made as a real date, for example 27 3 2025</a>',
    )
    expect(response.text).toContain('href="#orderExpiresOn">The date the order expires must be on or after')
    expect(response.text).toMatch(/<input[^>]*id="appliedOn"[^>]*value="12 March 2024"/)
    expect(showsDate(response.text, 'orderMadeOn', '2024-04-02')).toBe(true)
    expect(response.text).toMatch(/value="apply" checked/)
    expect(response.text).toMatch(/value="granted" checked/)
    const reason = await agent
      .post(spo('DS/0001/24'))
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), decision: 'not_apply', reason: '' })
      .expect(400)
    expect(reason.text).toContain('href="#reason">Enter why an SPO is not being applied for</a>')
    expect(await app.services.db.selectFrom('spo_considerations').selectAll().execute()).toHaveLength(0)
  })

  it('records good input, redirects to the page, shows it in the history and audits it', async () => {
    const agent = await app.signedInAs('officer')
    const page = await agent.get(spo('DS/0001/24')).expect(200)
    await agent
      .post(spo('DS/0001/24'))
      .type('form')
      .send({
        _csrf: csrfTokenFrom(page.text),
        decision: 'apply',
        appliedOn: '2024-03-12',
        interim: 'no',
        courtOutcome: 'granted',
        orderMadeOn: '2024-04-02',
        orderExpiresOn: '2026-04-02',
      })
      .expect(302)
      .expect('location', spo('DS/0001/24'))
    const after = await agent.get(spo('DS/0001/24')).expect(200)
    expect(after.text).toContain('Stalking Protection Order consideration recorded.')
    expect(after.text).toContain('moj-timeline__item')
    expect(after.text).toContain('Apply for an SPO')
    expect(after.text).toContain('Court outcome: Granted')
    expect(after.text).toContain('Record the breach')
    const [considered] = await auditRows(app.services, 'safeguarding.spo.considered')
    expect(considered).toMatchObject({ actor_username: 'officer', subject_id: String(id('DS/0001/24')) })
    expect(JSON.parse(considered.details)).toMatchObject({ decision: 'apply', courtOutcome: 'granted', interim: 0 })
  })

  it('records a breach once the order is granted; shows breach errors with the typed values', async () => {
    const agent = await app.signedInAs('officer')
    const page = await agent.get(spo('DS/0001/24')).expect(200)
    const bad = await agent
      .post(`${spo('DS/0001/24')}/breaches`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(page.text),
        occurredOn: '2024-05-20',
        breachCrimeReference: 'DS/9/24',
        actionTaken: '',
      })
      .expect(400)
    expect(bad.text).toContain('href="#actionTaken">Enter the action taken on the breach</a>')
    expect(bad.text).toMatch(/<input[^>]*id="breachCrimeReference"[^>]*value="DS\/9\/24"/)
    await agent
      .post(`${spo('DS/0001/24')}/breaches`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(page.text),
        occurredOn: '2024-05-20',
        breachCrimeReference: 'DS/9/24',
        actionTaken: 'Suspect arrested',
      })
      .expect(302)
    const after = await agent.get(spo('DS/0001/24')).expect(200)
    expect(after.text).toContain('Suspect arrested')
    expect(await auditRows(app.services, 'safeguarding.spo.breach.recorded')).toHaveLength(1)
  })

  it('refuses a breach on a crime without an order, naming why', async () => {
    const agent = await app.signedInAs('officer')
    const page = await agent.get(spo('DS/0003/24')).expect(200)
    const response = await agent
      .post(`${spo('DS/0003/24')}/breaches`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), occurredOn: '2024-05-20', actionTaken: 'Arrested' })
      .expect(400)
    expect(response.text).toContain('A breach can be recorded only when an SPO on this crime has been granted')
  })

  it("refuses another force's officer with 404 (as a missing record), audited, and writes nothing", async () => {
    const agent = await app.signedInAs('northmoor.officer')
    const own = await agent.get(spo('NM/1/24')).expect(200)
    await agent.get(spo('DS/0003/24')).expect(404)
    await agent
      .post(spo('DS/0003/24'))
      .type('form')
      .send({ _csrf: csrfTokenFrom(own.text), decision: 'not_apply', reason: 'Not my force' })
      .expect(404)
    const [denied] = await auditRows(app.services, 'access.denied')
    expect(denied).toMatchObject({ actor_username: 'northmoor.officer', subject_id: spo('DS/0003/24') })
    expect(
      await app.services.db
        .selectFrom('spo_considerations')
        .where('crime_id', '=', id('DS/0003/24'))
        .selectAll()
        .execute(),
    ).toHaveLength(0)
  })

  it('lets an analyst read the page but not record (no form, and a post is refused)', async () => {
    const agent = await app.signedInAs('analyst')
    const page = await agent.get(spo('DS/0003/24')).expect(200)
    expect(page.text).not.toContain('Record the consideration')
    await agent
      .post(spo('DS/0003/24'))
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), decision: 'not_apply', reason: 'x' })
      .expect(403)
    const partner = await app.signedInAs('partner')
    await partner.get(spo('DS/0003/24')).expect(403)
    await agent.get('/safeguarding/crimes/abc/spo').expect(404)
    await agent.get('/safeguarding/crimes/999999/spo').expect(404)
  })

  describe('JSON API', () => {
    const api = (reference: string) => `/api/safeguarding/crimes/${id(reference)}/spo`

    it('reads the record as JSON, audited like the page', async () => {
      const agent = await app.signedInAs('officer')
      const before = (await auditRows(app.services, 'safeguarding.spo.viewed')).length
      const response = await agent.get(api('DS/0001/24')).expect(200).expect('content-type', /json/)
      expect(response.body.crime).toMatchObject({ id: id('DS/0001/24'), force_reference: 'DS/0001/24' })
      expect(response.body.latest).toMatchObject({ decision: 'apply', court_outcome: 'granted' })
      expect(response.body.orderInForce).toBe(true)
      expect(response.body.breaches).toEqual([expect.objectContaining({ action_taken: 'Suspect arrested' })])
      const viewed = await auditRows(app.services, 'safeguarding.spo.viewed')
      expect(viewed).toHaveLength(before + 1)
      expect(viewed[0]).toMatchObject({ actor_username: 'officer', subject_id: String(id('DS/0001/24')) })
      await agent.get('/api/safeguarding/crimes/999999/spo').expect(404)
    })

    it('gives the same errors as the page, by field name, and writes nothing', async () => {
      const agent = await app.signedInAs('officer')
      const token = csrfTokenFrom((await agent.get(spo('DS/0003/24')).expect(200)).text)
      const count = async () => (await app.services.db.selectFrom('spo_considerations').select('id').execute()).length
      const before = await count()
      const response = await agent
        .post(api('DS/0003/24'))
        .set('x-csrf-token', token)
        .send({ decision: 'apply', appliedOn: '12 March 2024', courtOutcome: 'granted' })
        .expect(400)
      expect(response.body).toEqual({
        error: 'The consideration is not valid',
        fields: {
          appliedOn: 'Enter the date the application was made as a real date, for example 27 3 2025',
          interim: 'Choose whether an interim SPO was applied for',
          orderMadeOn: 'Enter the date the order was made, as the court granted it',
        },
      })
      const noOrder = await agent
        .post(`${api('DS/0003/24')}/breaches`)
        .set('x-csrf-token', token)
        .send({ occurredOn: '2024-06-01', actionTaken: 'Arrested' })
        .expect(400)
      expect(Object.keys(noOrder.body.fields)).toEqual(['order'])
      expect(await count()).toBe(before)
      // Without the CSRF header a change is refused.
      await agent.post(api('DS/0003/24')).send({ decision: 'not_apply', reason: 'x' }).expect(403)
    })

    it('records a consideration and a breach, 201 with their ids, audited like the pages', async () => {
      const agent = await app.signedInAs('officer')
      const token = csrfTokenFrom((await agent.get(spo('DS/0003/24')).expect(200)).text)
      const created = await agent
        .post(api('DS/0003/24'))
        .set('x-csrf-token', token)
        .send({ decision: 'already_in_place', orderMadeOn: '2024-01-10', orderExpiresOn: '2026-01-10' })
        .expect(201)
      expect(created.body.considerationId).toEqual(expect.any(Number))
      const [considered] = await auditRows(app.services, 'safeguarding.spo.considered')
      expect(considered).toMatchObject({ actor_username: 'officer', subject_id: String(id('DS/0003/24')) })
      expect(JSON.parse(considered.details)).toMatchObject({
        considerationId: created.body.considerationId,
        decision: 'already_in_place',
        orderMadeOn: '2024-01-10',
      })
      const breach = await agent
        .post(`${api('DS/0003/24')}/breaches`)
        .set('x-csrf-token', token)
        .send({ occurredOn: '2024-06-01', actionTaken: 'Arrested for breach', breachCrimeReference: 'DS/77/24' })
        .expect(201)
      const [recorded] = await auditRows(app.services, 'safeguarding.spo.breach.recorded')
      expect(JSON.parse(recorded.details)).toMatchObject({ breachId: breach.body.breachId, occurredOn: '2024-06-01' })
      const view = await agent.get(api('DS/0003/24')).expect(200)
      expect(view.body.latest.decision).toBe('already_in_place')
      expect(view.body.breaches).toHaveLength(1)
    })

    it("refuses another force's crime with 404 (as a missing record) JSON, audited, and a read-only role's change", async () => {
      const agent = await app.signedInAs('northmoor.officer')
      const token = csrfTokenFrom((await agent.get(spo('NM/1/24')).expect(200)).text)
      const read = await agent.get(api('DS/0003/24')).expect(404).expect('content-type', /json/)
      expect(read.body.error).toBe('Page not found')
      await agent
        .post(api('DS/0003/24'))
        .set('x-csrf-token', token)
        .send({ decision: 'not_apply', reason: 'Not my force' })
        .expect(404)
      const denied = await auditRows(app.services, 'access.denied')
      expect(denied.slice(0, 2).map((row) => [row.actor_username, row.subject_id])).toEqual([
        ['northmoor.officer', api('DS/0003/24')],
        ['northmoor.officer', api('DS/0003/24')],
      ])
      const analyst = await app.signedInAs('analyst')
      const analystToken = csrfTokenFrom((await analyst.get(spo('DS/0003/24')).expect(200)).text)
      await analyst.get(api('DS/0003/24')).expect(200)
      await analyst
        .post(api('DS/0003/24'))
        .set('x-csrf-token', analystToken)
        .send({ decision: 'not_apply', reason: 'x' })
        .expect(403)
      const rows = await app.services.db
        .selectFrom('spo_considerations')
        .where('crime_id', '=', id('DS/0003/24'))
        .selectAll()
        .execute()
      expect(rows.map((row) => row.considered_by)).toEqual(['officer'])
    })

    it('is described in the OpenAPI document', async () => {
      const agent = await app.signedInAs('officer')
      const openapi = await agent.get('/api/openapi.json').expect(200)
      expect(openapi.body.paths['/api/safeguarding/crimes/{id}/spo']).toMatchObject({
        get: expect.any(Object),
        post: { requestBody: expect.any(Object), responses: { '201': expect.any(Object), '400': expect.any(Object) } },
      })
      expect(Object.keys(openapi.body.paths)).toEqual(
        expect.arrayContaining(['/api/safeguarding/crimes', '/api/safeguarding/crimes/{id}/spo/breaches']),
      )
    })
  })

  describe('Protection orders list', () => {
    it('is in the navigation for a role that reads crimes, and not for a partner', async () => {
      const officer = await app.signedInAs('officer')
      const home = await officer.get('/').expect(200)
      expect(home.text).toMatch(/href="\/hubs\/case-work"[^>]*>\s*Case work/)
      const hub = await officer.get('/hubs/case-work').expect(200)
      expect(hub.text).toMatch(/href="\/safeguarding"[^>]*>\s*Protection orders/)
      const partner = await app.signedInAs('partner')
      const partnerHome = await partner.get('/')
      expect(partnerHome.text).not.toContain('Protection orders')
      expect(partnerHome.text).not.toContain('href="/hubs/case-work"')
      await partner.get('/hubs/case-work').expect(404)
      await partner.get('/safeguarding').expect(403)
    })

    it("lists the force's stalking crimes with their latest decision, filtered in the URL; audited", async () => {
      const agent = await app.signedInAs('officer')
      const page = await agent.get('/safeguarding').expect(200)
      expect(page.text).toContain('<h1 class="govuk-heading-l">Protection orders</h1>')
      // DS/0001/24 (8Q included) and DS/0003/24 (8Q principal); not DS/0002/24 (8L), not another force's NM/1/24.
      expect(page.text).toContain('2 stalking crimes')
      expect(page.text).toContain(`href="${spo('DS/0001/24')}"`)
      expect(page.text).toContain(`href="${spo('DS/0003/24')}"`)
      expect(page.text).not.toContain('DS/0002/24')
      expect(page.text).not.toContain('NM/1/24')
      const [listed] = await auditRows(app.services, 'safeguarding.spo.listed')
      expect(listed).toMatchObject({ actor_username: 'officer' })
      expect(JSON.parse(listed.details).shown).toEqual([id('DS/0003/24'), id('DS/0001/24')])

      const applied = await agent.get('/safeguarding?decision=apply').expect(200)
      expect(applied.text).toContain('1 stalking crime<')
      expect(applied.text).toContain(`href="${spo('DS/0001/24')}"`)
      expect(applied.text).not.toContain(`href="${spo('DS/0003/24')}"`)
      expect(applied.text).toMatch(/<option value="apply" selected>/)
      const inPlace = await agent.get('/safeguarding?decision=already_in_place').expect(200)
      expect(inPlace.text).toContain(`href="${spo('DS/0003/24')}"`)
      expect(inPlace.text).not.toContain(`href="${spo('DS/0001/24')}"`)
      const none = await agent.get('/safeguarding?decision=none').expect(200)
      expect(none.text).toContain('0 stalking crimes')
      expect(none.text).toContain('No stalking crimes match.')
    })

    it('shows a bad filter in the error summary, with a 400', async () => {
      const agent = await app.signedInAs('officer')
      const response = await agent.get('/safeguarding?decision=maybe&page=0').expect(400)
      expect(response.text).toContain('href="#decision">Choose a latest decision from the list</a>')
      expect(response.text).toContain('href="#page">Enter the page as a whole number, 1 or more</a>')
      expect(response.text).toMatch(/<input[^>]*id="page"[^>]*value="0"/)
      const api = await agent.get('/api/safeguarding/crimes?decision=maybe').expect(400)
      expect(api.body.fields).toEqual({ decision: 'Choose a latest decision from the list' })
    })

    it('pages on the server, 25 to a page, with links that keep the filter', async () => {
      const extra = Array.from({ length: 26 }, (_, index) =>
        crime({
          forceReference: `DS/5${String(index).padStart(3, '0')}/24`,
          principal: '8Q',
          reportedAt: `2024-07-${String(index + 1).padStart(2, '0')}T09:00:00Z`,
        }),
      )
      await app.services.crime.importer.importRecords(SYSTEM_ACTOR, items(extra), { force: DEMO_FORCE })
      const agent = await app.signedInAs('officer')
      const first = await agent.get('/safeguarding?decision=none').expect(200)
      expect(first.text).toContain('26 stalking crimes')
      expect(first.text).toContain('Showing 1 to 25, page 1 of 2.')
      expect(first.text).toContain('DS/5025/24')
      expect(first.text).not.toContain('DS/5000/24')
      expect(first.text).toContain('href="/safeguarding?decision=none&amp;page=2"')
      const second = await agent.get('/safeguarding?decision=none&page=2').expect(200)
      expect(second.text).toContain('Showing 26 to 26, page 2 of 2.')
      expect(second.text).toContain('DS/5000/24')
      expect(second.text).toContain('href="/safeguarding?decision=none"')
      const api = await agent.get('/api/safeguarding/crimes?page=2').expect(200)
      expect(api.body).toMatchObject({ total: 28, page: 2, pageCount: 2, pageSize: 25 })
      expect(api.body.crimes).toHaveLength(3)
    })
  })
})
