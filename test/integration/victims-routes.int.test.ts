// The victim care pages on the real app: the page renders each victim with the forms, bad input is shown back with
// the GOV.UK error summary (each message linking to its field) and the typed values, good input redirects and is
// audited, another force's officer and read-only roles are refused; the support directory (and its public page without
// sign-in), the monitoring page and the JSON API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import request from 'supertest'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE, SECOND_DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { auditRows, createTestApp, csrfTokenFrom, type TestApp, showsDate } from '../support/app.ts'
import { courseOfConduct, crime, items, party } from './crime-fixtures.ts'

describe('Victim care routes', () => {
  let app: TestApp
  let forceId: number
  const ids = new Map<string, number>()
  const id = (reference: string) => ids.get(reference) as number
  const care = (reference: string) => `/victims/crimes/${id(reference)}`
  let ada: number
  let suspect: number
  let helpline: number

  beforeAll(async () => {
    app = await createTestApp()
    await app.services.crime.importer.importRecords(SYSTEM_ACTOR, items(courseOfConduct()), { force: DEMO_FORCE })
    await app.services.crime.importer.importRecords(
      SYSTEM_ACTOR,
      items([crime({ forceReference: 'NM/1/24', principal: '8Q', parties: [party({ personRef: 'N-1' })] })]),
      { force: SECOND_DEMO_FORCE },
    )
    for (const row of await app.services.db.selectFrom('crimes').select(['id', 'force_reference']).execute()) {
      ids.set(row.force_reference, row.id)
    }
    forceId = (await app.services.crime.repository.forceByName(DEMO_FORCE))!.id
    const parties = await app.services.crime.repository.partiesOf(id('DS/0001/24'))
    ada = parties.find((p) => p.role === 'victim')!.person_id
    suspect = parties.find((p) => p.role === 'suspect')!.person_id
    const loader = { actor: { ...SYSTEM_ACTOR, forceId }, forceId }
    helpline = (
      await app.services.victims.service.addService(loader, {
        name: 'National Stalking Helpline (Suzy Lamplugh Trust)',
        kind: 'national',
        phone: '0808 802 0300',
        website: 'https://www.suzylamplugh.org',
      })
    ).serviceId
  })
  afterAll(async () => {
    await app?.close()
  })

  const victimRows = (table: 'victim_rights' | 'victim_needs_assessments' | 'victim_referrals') =>
    app.services.db.selectFrom(table).selectAll().execute()

  it('links to the page from the crime page', async () => {
    const agent = await app.signedInAs('officer')
    const page = await agent.get(`/crimes/${id('DS/0001/24')}`).expect(200)
    expect(page.text).toContain(`href="${care('DS/0001/24')}"`)
    expect(page.text).toContain('Victim care<span class="govuk-visually-hidden"> for DS/0001/24</span>')
  })

  it('renders each victim (never the suspect) with the forms and the directory; the read is audited', async () => {
    const agent = await app.signedInAs('officer')
    const page = await agent.get(care('DS/0001/24')).expect(200)
    expect(page.text).toContain('<h1 class="govuk-heading-l">Victim care</h1>')
    expect(page.text).toContain(`<h2 class="govuk-heading-m" id="victim-${ada}-name">Ada Quill</h2>`)
    expect(page.text).not.toContain("O'Neill-Hart")
    expect(page.text).toContain('Not recorded yet')
    expect(page.text).toContain(`action="/victims/crimes/${id('DS/0001/24')}/victims/${ada}/rights"`)
    expect(page.text).toContain('Record the needs assessment')
    expect(page.text).toContain('National Stalking Helpline (Suzy Lamplugh Trust) (national)')
    expect(page.text).toMatch(/name="_csrf" value="[^"]+"/)
    const [viewed] = await auditRows(app.services, 'victims.care.viewed')
    expect(viewed).toMatchObject({ actor_username: 'officer', subject_id: String(id('DS/0001/24')) })
  })

  it('shows bad input back with the error summary linking to each field and the typed values, writing nothing', async () => {
    const agent = await app.signedInAs('officer')
    const page = await agent.get(care('DS/0001/24')).expect(200)
    const rights = await agent
      .post(`${care('DS/0001/24')}/victims/${ada}/rights`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), toldOn: '6 March 2024', method: 'phone' })
      .expect(400)
    expect(rights.text).toContain('govuk-error-summary')
    expect(rights.text).toContain(
      `href="#v${ada}-rights-toldOn">Enter the date the victim was told of their rights as a real date, for example 27 3 2025</a>`,
    )
    expect(rights.text).toContain(
      `href="#v${ada}-rights-enhanced">Choose whether the victim is entitled to enhanced rights</a>`,
    )
    expect(rights.text).toMatch(new RegExp(`<input[^>]*id="v${ada}-rights-toldOn"[^>]*value="6 March 2024"`))
    expect(rights.text).toMatch(/value="phone" checked/)
    // The form with the errors is open; the others stay closed.
    expect(rights.text).toMatch(/<details class="govuk-details" open>\s*<summary[^>]*>\s*<span[^>]*>\s*Record that/)

    const needs = await agent
      .post(`${care('DS/0001/24')}/victims/${ada}/needs`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), assessedOn: '2024-03-07', needs: ['none', 'housing'], notes: 'Typed' })
      .expect(400)
    expect(needs.text).toContain(
      `href="#v${ada}-needs-needs">Choose none identified on its own, or untick it to choose needs</a>`,
    )
    expect(needs.text).toContain(
      `href="#v${ada}-needs-supportWanted">Choose whether the victim would like to be referred for support</a>`,
    )
    expect(needs.text).toMatch(/value="housing" checked/)
    expect(needs.text).toMatch(/value="none" checked/)
    expect(needs.text).toContain('>Typed</textarea>')

    const referral = await agent
      .post(`${care('DS/0001/24')}/victims/${ada}/referrals`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), serviceId: '', referredOn: '2024-03-15' })
      .expect(400)
    expect(referral.text).toContain(
      `href="#v${ada}-referral-serviceId">Choose the service the victim was referred to</a>`,
    )
    expect(showsDate(referral.text, `v${ada}-referral-referredOn`, '2024-03-15')).toBe(true)
    expect(await victimRows('victim_rights')).toHaveLength(0)
    expect(await victimRows('victim_needs_assessments')).toHaveLength(0)
    expect(await victimRows('victim_referrals')).toHaveLength(0)
  })

  it('records rights, a needs assessment, a referral and its outcome; each redirects, shows and is audited', async () => {
    const agent = await app.signedInAs('officer')
    const page = await agent.get(care('DS/0001/24')).expect(200)
    const _csrf = csrfTokenFrom(page.text)
    await agent
      .post(`${care('DS/0001/24')}/victims/${ada}/rights`)
      .type('form')
      .send({ _csrf, toldOn: '2024-03-06', method: 'phone', enhanced: 'yes' })
      .expect(302)
      .expect('location', `${care('DS/0001/24')}#victim-${ada}`)
    await agent
      .post(`${care('DS/0001/24')}/victims/${ada}/needs`)
      .type('form')
      .send({ _csrf, assessedOn: '2024-03-07', needs: ['safety', 'advocacy'], supportWanted: 'yes' })
      .expect(302)
    const due = await agent.get(care('DS/0001/24')).expect(200)
    expect(due.text).toContain('Needs assessment recorded.')
    expect(due.text).toContain('Ada Quill would like support but has not been referred yet.')
    await agent
      .post(`${care('DS/0001/24')}/victims/${ada}/referrals`)
      .type('form')
      .send({ _csrf, serviceId: String(helpline), referredOn: '2024-03-15', consented: 'yes', outcome: 'pending' })
      .expect(302)
    const [referral] = await victimRows('victim_referrals')
    const badOutcome = await agent
      .post(`${care('DS/0001/24')}/referrals/${referral.id}`)
      .type('form')
      .send({ _csrf, outcome: 'accepted', outcomeOn: '2024-03-01' })
      .expect(400)
    expect(badOutcome.text).toContain(
      `href="#r${referral.id}-outcomeOn">The date of the outcome must be on or after the date of the referral (2024-03-15)</a>`,
    )
    await agent
      .post(`${care('DS/0001/24')}/referrals/${referral.id}`)
      .type('form')
      .send({ _csrf, outcome: 'accepted', outcomeOn: '2024-03-18' })
      .expect(302)
      .expect('location', `${care('DS/0001/24')}#referral-${referral.id}`)
    const after = await agent.get(care('DS/0001/24')).expect(200)
    expect(after.text).toContain('Referral outcome updated.')
    expect(after.text).toContain(
      'Told 6 March 2024, by phone; entitled to enhanced rights (recorded by PC Alex Carter)',
    )
    expect(after.text).toContain(
      'Completed 7 March 2024 by PC Alex Carter: Safety and safeguarding, Advocacy (ISAC – independent stalking advocacy caseworker)',
    )
    expect(after.text).toContain('Accepted by the service, 18 March 2024')
    expect(after.text).not.toContain('would like support but has not been referred yet')
    for (const action of [
      'victims.rights.recorded',
      'victims.needs.assessed',
      'victims.referral.made',
      'victims.referral.updated',
    ]) {
      const [row] = await auditRows(app.services, action)
      expect(row).toMatchObject({ actor_username: 'officer', subject_id: String(id('DS/0001/24')) })
    }
  })

  it("refuses another force's officer with 404 (as a missing record), audited, and writes nothing", async () => {
    const agent = await app.signedInAs('northmoor.officer')
    const own = await agent.get(`/victims/crimes/${id('NM/1/24')}`).expect(200)
    await agent.get(care('DS/0003/24')).expect(404)
    const before = (await victimRows('victim_rights')).length
    await agent
      .post(`${care('DS/0001/24')}/victims/${ada}/rights`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(own.text), toldOn: '2024-03-06', method: 'phone', enhanced: 'yes' })
      .expect(404)
    const [denied] = await auditRows(app.services, 'access.denied')
    expect(denied).toMatchObject({
      actor_username: 'northmoor.officer',
      subject_id: `${care('DS/0001/24')}/victims/${ada}/rights`,
    })
    expect(await victimRows('victim_rights')).toHaveLength(before)
    await agent.get(`/api/victims/crimes/${id('DS/0001/24')}`).expect(404)
  })

  it('lets an analyst read the page but not record; other roles and bad ids are refused', async () => {
    const agent = await app.signedInAs('analyst')
    const page = await agent.get(care('DS/0001/24')).expect(200)
    expect(page.text).toContain('Ada Quill')
    expect(page.text).not.toContain('Record the rights')
    expect(page.text).not.toContain('Update the outcome')
    await agent
      .post(`${care('DS/0001/24')}/victims/${ada}/rights`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), toldOn: '2024-03-06', method: 'phone', enhanced: 'yes' })
      .expect(403)
    const partner = await app.signedInAs('partner')
    await partner.get(care('DS/0001/24')).expect(403)
    // An intelligence report with only a suspect has no victim to care for.
    const none = await agent.get(`/victims/crimes/${id('IR/0001/24')}`).expect(200)
    expect(none.text).toContain('No victim is recorded on this crime.')
    await agent.get('/victims/crimes/abc').expect(404)
    await agent.get('/victims/crimes/999999').expect(404)
    // The suspect is not a victim: nothing to record against them.
    const officer = await app.signedInAs('officer')
    const form = await officer.get(care('DS/0001/24')).expect(200)
    await officer
      .post(`${care('DS/0001/24')}/victims/${suspect}/rights`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), toldOn: '2024-03-06', method: 'phone', enhanced: 'yes' })
      .expect(404)
  })

  it('lists the directory for officers; the force admin adds and changes services; the public page needs no sign-in', async () => {
    const officer = await app.signedInAs('officer')
    const list = await officer.get('/victims/services').expect(200)
    expect(list.text).toContain('National Stalking Helpline (Suzy Lamplugh Trust)')
    expect(list.text).toContain('href="tel:08088020300"')
    expect(list.text).toContain('href="/public/support/demoshire"')
    expect(list.text).not.toContain('Add a service')
    await officer.get('/victims/services/new').expect(403)
    await officer
      .post('/victims/services')
      .type('form')
      .send({ _csrf: csrfTokenFrom(list.text), name: 'X', kind: 'local' })
      .expect(403)

    const admin = await app.signedInAs('admin')
    const form = await admin.get('/victims/services/new').expect(200)
    const bad = await admin
      .post('/victims/services')
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), name: 'Demoshire Advocacy', website: 'http://demo.example.org' })
      .expect(400)
    expect(bad.text).toContain('href="#kind">Choose whether the service is national or local</a>')
    expect(bad.text).toContain('href="#website">Enter the website address starting with https://')
    expect(bad.text).toMatch(/<input[^>]*id="name"[^>]*value="Demoshire Advocacy"/)
    await admin
      .post('/victims/services')
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), name: 'Demoshire Advocacy', kind: 'local', areaCovered: 'Demoshire' })
      .expect(302)
      .expect('location', '/victims/services')
    const added = await app.services.db
      .selectFrom('support_services')
      .selectAll()
      .where('name', '=', 'Demoshire Advocacy')
      .executeTakeFirstOrThrow()
    const edit = await admin.get(`/victims/services/${added.id}/edit`).expect(200)
    expect(edit.text).toMatch(/<input[^>]*id="areaCovered"[^>]*value="Demoshire"/)
    await admin
      .post(`/victims/services/${added.id}`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(edit.text), name: 'Demoshire Advocacy', kind: 'local', listed: 'no' })
      .expect(302)
    expect(await auditRows(app.services, 'victims.service.updated')).toHaveLength(1)

    // Public, without signing in: listed services only.
    const published = await request(app.app).get('/public/support/demoshire').expect(200)
    expect(published.text).toContain('Support for victims of stalking')
    expect(published.text).toContain('National Stalking Helpline (Suzy Lamplugh Trust)')
    expect(published.text).not.toContain('Demoshire Advocacy')
    await request(app.app).get('/public/support/nowhere').expect(404)
    // Another force's admin cannot change this force's service.
    const nmAdminPage = await app.signedInAs('northmoor.officer')
    await nmAdminPage.get(`/victims/services/${added.id}/edit`).expect(403)
  })

  it('shows supervisors the monitoring page with its figures and low months; refuses officers', async () => {
    const supervisor = await app.signedInAs('supervisor')
    const page = await supervisor.get('/victims/monitoring?from=2024-01-01&to=2024-12-31').expect(200)
    expect(page.text).toContain('Victim care and referrals to support')
    // DS/0001/24 (Ada; 8Q included) and DS/0003/24 (Cleo): two victims; Ada told, assessed and referred 10 days on.
    expect(page.text).toMatch(/Needs assessment completed \(14\.1\)\s*<\/dt>\s*<dd[^>]*>\s*50% \(1 of 2\)/)
    expect(page.text).toMatch(
      /Of those who would like support, referred \(14\.4\)\s*<\/dt>\s*<dd[^>]*>\s*100% \(1 of 1\)/,
    )
    expect(page.text).toMatch(/Median days from report to first referral\s*<\/dt>\s*<dd[^>]*>\s*10/)
    expect(page.text).toContain('A month is flagged low when')
    expect(page.text).toContain('None: every victim who asked for support has a referral.')
    // March has the one referral: the force's median month is 0, so nothing is flagged; the Stalking Unit is listed.
    expect(page.text).toContain('Stalking Unit')
    expect(page.text).not.toContain('govuk-tag--red">Low')
    // Once Cleo (DS/0003/24) asks for support, her crime is listed to act on.
    const cleo = (await app.services.crime.repository.partiesOf(id('DS/0003/24')))[0].person_id
    await app.services.victims.service.recordAssessment(
      { actor: { ...SYSTEM_ACTOR, forceId }, forceId },
      id('DS/0003/24'),
      cleo,
      { assessedOn: '2024-05-02', needs: 'emotional', supportWanted: 'yes' },
    )
    const awaiting = await supervisor.get('/victims/monitoring?from=2024-01-01&to=2024-12-31').expect(200)
    expect(awaiting.text).toContain(`href="/victims/crimes/${id('DS/0003/24')}">DS/0003/24</a>, reported 1 May 2024`)
    // Without a range: the twelve months to today, from the first day of the month eleven months ago.
    const now = new Date()
    const defaultFrom = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1)).toISOString().slice(0, 10)
    const plain = await supervisor.get('/victims/monitoring').expect(200)
    expect(showsDate(plain.text, `from`, defaultFrom)).toBe(true)
    expect(showsDate(plain.text, `to`, now.toISOString().slice(0, 10))).toBe(true)
    const bad = await supervisor.get('/victims/monitoring?from=2024-13-01&to=2024-01-01').expect(400)
    expect(bad.text).toContain('href="#from">Enter the start date as a real date')
    const officer = await app.signedInAs('officer')
    await officer.get('/victims/monitoring').expect(403)
  })

  it('answers the JSON API and documents it in the OpenAPI document', async () => {
    const officer = await app.signedInAs('officer')
    const view = await officer.get(`/api/victims/crimes/${id('DS/0001/24')}`).expect(200)
    expect(view.body.victims[0]).toMatchObject({ person_id: ada, name: 'Ada Quill' })
    expect(view.body.victims[0].referrals[0]).toMatchObject({ outcome: 'accepted', referred_on: '2024-03-15' })
    const before = (await auditRows(app.services, 'victims.care.viewed')).length
    await officer.get(`/api/victims/crimes/${id('DS/0003/24')}`).expect(200)
    expect(await auditRows(app.services, 'victims.care.viewed')).toHaveLength(before + 1)
    await officer.get('/api/victims/crimes/999999').expect(404)
    const directory = await officer.get('/api/victims/services').expect(200)
    expect(directory.body.services.map((s: { name: string }) => s.name)).toEqual([
      'National Stalking Helpline (Suzy Lamplugh Trust)',
    ])
    const openapi = await officer.get('/api/openapi.json').expect(200)
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining(['/api/victims/crimes/{id}', '/api/victims/services']),
    )
    const partner = await app.signedInAs('partner')
    await partner.get('/api/victims/services').expect(403)
  })
})
