// Plan pages through the real app on a real database: who may read and edit, what is rendered, what is audited.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { readPlanDocument } from '../../src/plan/import/index.ts'
import { sha256 } from '../../src/plan/services/planService.ts'
import { auditRows, createTestApp, csrfTokenFrom, type TestApp } from '../support/app.ts'
import request from 'supertest'

const SEED = 'test/fixtures/plans/northamptonshire-seed.txt'
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
)

describe('plan routes', () => {
  let t: TestApp
  let demoshireCode: string

  beforeAll(async () => {
    t = await createTestApp()
    const plans = t.services.plan.service
    const demoshire = await plans.findForce('Demoshire Police')
    demoshireCode = demoshire!.code
    await plans.startFromCatalogue(SYSTEM_ACTOR, demoshire!.id)
    const content = readFileSync(SEED)
    const parsed = await readPlanDocument(content, 'northamptonshire-seed.txt')
    await plans.importParsed(SYSTEM_ACTOR, parsed, {
      fileName: 'northamptonshire-seed.txt',
      checksum: sha256(content),
      forceName: 'Northamptonshire Police',
    })
  })
  afterAll(() => t.close())

  it('shows a plan owner their own force plan with every recommendation, status, %, owner, deadline and overdue flag', async () => {
    const agent = await t.signedInAs('planowner')
    const redirect = await agent.get('/plans').expect(302)
    expect(redirect.headers.location).toBe(`/plans/${demoshireCode}`)
    const page = await agent.get(`/plans/${demoshireCode}`).expect(200)
    for (const n of [7, 10, 11, 12, 13, 14, 16, 17, 18, 20, 22, 23, 25, 27, 28]) {
      expect(page.text).toContain(`/recommendations/${n}"`)
    }
    expect(page.text).toContain('Not started')
    expect(page.text).toContain('Overdue')
    expect(page.text).toContain('How the % figures are worked out')
    // Publishing is a sign-off: the executive lead's (plan:approve), not the plan owner's.
    expect(page.text).not.toContain('Approve and publish the plan')
    expect(page.text).toContain(`/plans/${demoshireCode}/approvals`)
  })

  it('lets a plan owner add an update, audited, that becomes the item status', async () => {
    const agent = await t.signedInAs('planowner')
    const page = await agent.get(`/plans/${demoshireCode}/items/12.3`).expect(200)
    const response = await agent
      .post(`/plans/${demoshireCode}/items/12.3/updates`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(page.text),
        text: 'Breach of order guidance issued to all response officers.',
        status: 'in_progress',
        percent: '40',
        'date-day': '3',
        'date-month': '2',
        'date-year': '2025',
      })
      .expect(302)
    expect(response.headers.location).toBe(`/plans/${demoshireCode}/items/12.3`)
    const after = await agent.get(`/plans/${demoshireCode}/items/12.3`).expect(200)
    expect(after.text).toContain('Breach of order guidance issued to all response officers.')
    expect(after.text).toContain('In progress 40%')
    expect(after.text).toContain('moj-timeline')
    const [audit] = await auditRows(t.services, 'plan.update-added')
    expect(audit.actor_username).toBe('planowner')
    expect(JSON.parse(audit.details)).toMatchObject({
      ref: '12.3',
      date: '2025-02-03',
      status: 'in_progress',
      percent: 40,
    })
  })

  it('keeps what was typed and shows an error summary when the update is not valid', async () => {
    const agent = await t.signedInAs('planowner')
    const page = await agent.get(`/plans/${demoshireCode}/items/7.1`).expect(200)
    const response = await agent
      .post(`/plans/${demoshireCode}/items/7.1/updates`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), text: 'Typed text kept', status: 'complete', percent: '140' })
      .expect(400)
    expect(response.text).toContain('govuk-error-summary')
    expect(response.text).toContain('Typed text kept')
    expect(response.text).toContain('href="#update-percent"')
    expect(response.text).toMatch(/<title>Error:/)
  })

  it('refuses an officer who tries to post an update (403, audited) but lets them read', async () => {
    const agent = await t.signedInAs('officer')
    const page = await agent.get(`/plans/${demoshireCode}/items/7.1`).expect(200)
    expect(page.text).not.toContain('Add the update')
    await agent
      .post(`/plans/${demoshireCode}/items/7.1/updates`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), text: 'Not allowed', status: 'in_progress' })
      .expect(403)
    const [denied] = await auditRows(t.services, 'access.denied')
    expect(denied.actor_username).toBe('officer')
    expect(JSON.parse(denied.details).capability).toBe('plan:edit')
  })

  it("refuses another force's officer reading Demoshire's plan with 404 (as a missing plan)", async () => {
    const agent = await t.signedInAs('northmoor.officer')
    await agent.get(`/plans/${demoshireCode}`).expect(404)
  })

  it('shows the national lead every force, and the matrix with overdue counts and the not-updated filter', async () => {
    const agent = await t.signedInAs('national')
    const list = await agent.get('/plans').expect(200)
    expect(list.text).toContain('Northamptonshire Police')
    expect(list.text).toContain('Demoshire Police')
    await agent.get('/plans/northamptonshire').expect(200)
    const matrix = await agent.get('/national/plans').expect(200)
    expect(matrix.text).toContain('Northamptonshire Police')
    expect(matrix.text).toContain('Demoshire Police')
    expect(matrix.text).toContain('<svg role="img"')
    expect(matrix.text).toContain('Rec 28')
    const filtered = await agent.get('/national/plans?notUpdatedSince=2025-01-01').expect(200)
    expect(filtered.text).toContain('/plans/northamptonshire"')
    expect(filtered.text).not.toContain(`/plans/${demoshireCode}"`)
    await agent.get('/national/plans?notUpdatedSince=not-a-date').expect(400)
    const officer = await t.signedInAs('officer')
    await officer.get('/national/plans').expect(403)
  })

  it('uploads a real PDF, refuses a .pdf that is really text, and downloads with the right type', async () => {
    const agent = await t.signedInAs('planowner')
    let page = await agent.get(`/plans/${demoshireCode}/items/11.2`).expect(200)
    const refused = await agent
      .post(`/plans/${demoshireCode}/items/11.2/documents`)
      .field('_csrf', csrfTokenFrom(page.text))
      .attach('document', Buffer.from('just some text pretending to be a PDF'), 'audit.pdf')
      .expect(400)
    expect(refused.text).toContain('govuk-error-summary')
    expect(refused.text).toContain('audit.pdf is not a file type we accept by its content')
    page = await agent.get(`/plans/${demoshireCode}/items/11.2`).expect(200)
    await agent
      .post(`/plans/${demoshireCode}/items/11.2/documents`)
      .field('_csrf', csrfTokenFrom(page.text))
      .attach('document', PDF, 'audit-summary.pdf')
      .expect(302)
    const [audit] = await auditRows(t.services, 'plan.document-uploaded')
    const details = JSON.parse(audit.details)
    expect(details).toMatchObject({ name: 'audit-summary.pdf', mediaType: 'application/pdf', size: PDF.length })
    expect(details.checksum).toBe(`sha256:${sha256(PDF)}`)
    const download = await agent.get(`/plans/${demoshireCode}/documents/${details.documentId}`).expect(200)
    expect(download.headers['content-type']).toBe('application/pdf')
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="?audit-summary\.pdf"?$/)
    expect(Buffer.from(download.body as Buffer).equals(PDF)).toBe(true)
  })

  it('changes an owner with history and audit', async () => {
    const agent = await t.signedInAs('planowner')
    const page = await agent.get(`/plans/${demoshireCode}/items/17.1`).expect(200)
    await agent
      .post(`/plans/${demoshireCode}/items/17.1/owner`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), owner: 'Head of Crime' })
      .expect(302)
    const after = await agent.get(`/plans/${demoshireCode}/items/17.1`).expect(200)
    expect(after.text).toContain('to Head of Crime, by Supt Morgan Hale')
    expect((await auditRows(t.services, 'plan.owner-changed'))[0].subject_type).toBe('plan-item')
  })

  it('imports through the page: preview with warnings writes nothing, confirm imports', async () => {
    const agent = await t.signedInAs('planowner')
    const before = await t.services.plan.repository.counts(
      (await t.services.plan.repository.planByForce((await t.services.plan.service.findForce('Demoshire Police'))!.id))!
        .id,
    )
    let page = await agent.get(`/plans/${demoshireCode}/import`).expect(200)
    const preview = await agent
      .post(`/plans/${demoshireCode}/import`)
      .field('_csrf', csrfTokenFrom(page.text))
      .field('mode', 'preview')
      .attach('file', readFileSync(SEED), 'northamptonshire-seed.txt')
      .expect(200)
    // Another force's document: the page asks for an explicit confirmation.
    expect(preview.text).toContain('Confirm the import')
    expect(preview.text).toContain('the converted table the plans were first published in')
    expect(preview.text).toContain('39 updates added')
    expect(preview.text).toContain('the document names the force &quot;Northamptonshire&quot;')
    const planId = (await t.services.plan.repository.planByForce(
      (await t.services.plan.service.findForce('Demoshire Police'))!.id,
    ))!.id
    expect(await t.services.plan.repository.counts(planId)).toEqual(before)
    const confirmed = await agent
      .post(`/plans/${demoshireCode}/import/confirm`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(preview.text), checksum: sha256(readFileSync(SEED)), confirmed: 'yes' })
      .expect(200)
    expect(confirmed.text).toContain('Plan imported')
    const after = await t.services.plan.repository.counts(planId)
    expect(after.updates).toBe(before.updates + 39)
    expect(after.ownerChanges).toBeGreaterThan(before.ownerChanges)

    page = await agent.get(`/plans/${demoshireCode}/import`).expect(200)
    const broken = await agent
      .post(`/plans/${demoshireCode}/import`)
      .field('_csrf', csrfTokenFrom(page.text))
      .field('mode', 'now')
      .attach('file', readFileSync('test/fixtures/plans/broken-no-tables.html'), 'broken.html')
      .expect(400)
    expect(broken.text).toContain('found an HTML page with no table')
    expect(await t.services.plan.repository.counts(planId)).toEqual(after)

    // The same plan as the force's published PDF: previewed from the rebuilt table.
    const { planPdf } = await import('../../src/plan/export/pdf.ts')
    const { wessexValePlan } = await import('../../src/plan/export/test-plan.ts')
    page = await agent.get(`/plans/${demoshireCode}/import`).expect(200)
    const pdf = await agent
      .post(`/plans/${demoshireCode}/import`)
      .field('_csrf', csrfTokenFrom(page.text))
      .field('mode', 'preview')
      .attach('file', await planPdf(wessexValePlan(), new Date('2025-03-01T00:00:00Z')), 'published-plan.pdf')
      .expect(200)
    expect(pdf.text).toContain('Confirm the import')
    expect(pdf.text).toMatch(/>\s*PDF\s*</)
    expect(await t.services.plan.repository.counts(planId)).toEqual(after)
  })

  it('publishes, then the public page needs no sign-in and offers every export', async () => {
    await request(t.app).get(`/public/plans/${demoshireCode}`).expect(404)
    const owner = await t.signedInAs('planowner')
    const ownerPage = await owner.get(`/plans/${demoshireCode}`).expect(200)
    await owner
      .post(`/plans/${demoshireCode}/publish`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(ownerPage.text), publish: 'true' })
      .expect(403)
    const agent = await t.signedInAs('execlead')
    const page = await agent.get(`/plans/${demoshireCode}`).expect(200)
    // Publishing asks first; nothing is public until the answer is yes.
    const ask = await agent
      .post(`/plans/${demoshireCode}/publish`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), publish: 'true' })
      .expect(200)
    expect(ask.text).toContain('Publish the Demoshire Police action plan?')
    await request(t.app).get(`/public/plans/${demoshireCode}`).expect(404)
    await agent
      .post(`/plans/${demoshireCode}/publish`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), publish: 'true', confirmed: 'yes' })
      .expect(302)
    const anonymous = request(t.app)
    const published = await anonymous.get(`/public/plans/${demoshireCode}`).expect(200)
    expect(published.text).toContain('Last updated')
    expect(published.text).toContain('Evidence requirements of progress/completion')
    expect(published.text).toContain('Breach of order guidance issued to all response officers.')
    for (const format of ['json', 'csv', 'xlsx', 'ods', 'html', 'pdf']) {
      expect(published.text).toContain(`/public/plans/${demoshireCode}/export.${format}`)
      const file = await anonymous.get(`/public/plans/${demoshireCode}/export.${format}`).expect(200)
      expect(file.headers['content-disposition']).toContain(`stalking-action-plan.${format}`)
    }
    const json = await anonymous.get(`/public/plans/${demoshireCode}/export.json`).expect(200)
    const doc = JSON.parse(Buffer.isBuffer(json.body) ? json.body.toString() : json.text)
    expect(doc.force).toBe('Demoshire Police')
    expect((await auditRows(t.services, 'plan.published'))[0].actor_username).toBe('execlead')
    // Publishing approved every draft waiting, with the approval's date on the page.
    expect((await auditRows(t.services, 'plan.approved'))[0].actor_username).toBe('execlead')
    expect(published.text).toContain('Last approved')
    await anonymous.get('/public/plans/northamptonshire').expect(404)
  })

  it('serves the plan as JSON from the API and takes updates from plan owners', async () => {
    const national = await t.signedInAs('national')
    const list = await national.get('/api/plans').expect(200)
    expect(list.body.plans.map((p: { force: string }) => p.force)).toEqual(
      expect.arrayContaining(['Demoshire Police', 'Northamptonshire Police']),
    )
    const plan = await national.get('/api/plans/northamptonshire').expect(200)
    expect(plan.body.recommendations).toHaveLength(15)
    const owner = await t.signedInAs('planowner')
    const page = await owner.get(`/plans/${demoshireCode}`).expect(200)
    const token = csrfTokenFrom(page.text)
    await owner
      .post(`/api/plans/${demoshireCode}/items/7.2/updates`)
      .set('x-csrf-token', token)
      .send({ text: 'Interim search procedure agreed.', status: 'complete', date: '2025-03-01' })
      .expect(201)
    const bad = await owner
      .post(`/api/plans/${demoshireCode}/items/7.2/updates`)
      .set('x-csrf-token', token)
      .send({ text: '', status: 'done' })
      .expect(400)
    expect(bad.body.fields).toHaveProperty('text')
    const openapi = await owner.get('/api/openapi.json').expect(200)
    expect(Object.keys(openapi.body.paths)).toContain('/api/plans/{code}')
  })
})
