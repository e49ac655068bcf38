// The Stalking Protection Order page on the real app: the form and history render, bad input is shown back with the
// GOV.UK error summary and the typed values, good input redirects and is audited, another force's officer and a role
// without case:edit are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE, SECOND_DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { auditRows, createTestApp, csrfTokenFrom, type TestApp } from '../support/app.ts'
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
      'href="#appliedOn">Enter the date the application was made as YYYY-MM-DD, for example 2025-03-27</a>',
    )
    expect(response.text).toContain('href="#orderExpiresOn">The date the order expires must be on or after')
    expect(response.text).toMatch(/<input[^>]*id="appliedOn"[^>]*value="12 March 2024"/)
    expect(response.text).toMatch(/<input[^>]*id="orderMadeOn"[^>]*value="2024-04-02"/)
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

  it("refuses another force's officer with 403, audited, and writes nothing", async () => {
    const agent = await app.signedInAs('northmoor.officer')
    const own = await agent.get(spo('NM/1/24')).expect(200)
    await agent.get(spo('DS/0003/24')).expect(403)
    await agent
      .post(spo('DS/0003/24'))
      .type('form')
      .send({ _csrf: csrfTokenFrom(own.text), decision: 'not_apply', reason: 'Not my force' })
      .expect(403)
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
})
