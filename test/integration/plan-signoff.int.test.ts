// Sign-off (issue 16): updates, corrections, owner changes and imports into a published plan are drafts until the
// force's executive lead (plan:approve) approves them; the public page shows only approved content.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import request from 'supertest'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { auditRows, createTestApp, csrfTokenFrom, type TestApp } from '../support/app.ts'

const SEED = 'test/fixtures/plans/northamptonshire-seed.txt'

describe.each(['sqlite', 'postgres'] as const)('plan sign-off (%s)', (dialect) => {
  let t: TestApp
  let code: string
  let forceId: number

  beforeAll(async () => {
    t = await createTestApp({ dialect })
    const plans = t.services.plan.service
    const force = (await plans.findForce('Demoshire Police'))!
    code = force.code
    forceId = force.id
    await plans.startFromCatalogue(SYSTEM_ACTOR, force.id)
    await plans.setPublished(SYSTEM_ACTOR, force.id, true)
  })
  afterAll(() => t.close())

  const publicPage = () => request(t.app).get(`/public/plans/${code}`).expect(200)

  async function post(username: string, path: string, form: Record<string, string | string[]>, page?: string) {
    const agent = await t.signedInAs(username)
    const html = (await agent.get(page ?? `/plans/${code}`).expect(200)).text
    return {
      agent,
      response: await agent
        .post(path)
        .type('form')
        .send({ _csrf: csrfTokenFrom(html), ...form }),
    }
  }

  it('keeps a new update off the public page until the executive lead approves it, then shows its approval date', async () => {
    const text = 'Breach checks now run every morning across all response teams.'
    const { response } = await post('planowner', `/plans/${code}/items/12.3/updates`, {
      text,
      status: 'in_progress',
      percent: '40',
    })
    expect(response.status).toBe(302)
    expect((await publicPage()).text).not.toContain(text)
    const signedIn = await t.signedInAs('planowner')
    expect((await signedIn.get(`/plans/${code}/items/12.3`).expect(200)).text).toContain('Draft')

    // The plan owner may not approve: approval is the executive lead's (plan:approve).
    const refused = await post('planowner', `/plans/${code}/approvals`, { scope: 'all', comment: 'ok' })
    expect(refused.response.status).toBe(403)

    const drafts = await t.services.plan.service.drafts(forceId)
    const update = drafts.find((d) => d.kind === 'update')!
    const approved = await post(
      'execlead',
      `/plans/${code}/approvals`,
      { drafts: [`update:${update.id}`], scope: 'selected', comment: 'Checked with the PPU.' },
      `/plans/${code}/approvals`,
    )
    expect(approved.response.status).toBe(302)
    const after = (await publicPage()).text
    expect(after).toContain(text)
    expect(after).toMatch(/Approved on \d{1,2} [A-Z][a-z]+ \d{4}/)
    expect(after).toContain('In progress 40%')
    const [audit] = await auditRows(t.services, 'plan.approved')
    expect(audit.actor_username).toBe('execlead')
    expect(JSON.parse(audit.details)).toMatchObject({ comment: 'Checked with the PPU.', approved: 1 })
  })

  it('asks for a comment and a selection before approving, and names both in the error summary', async () => {
    const { response } = await post('execlead', `/plans/${code}/approvals`, { scope: 'selected', comment: '' })
    expect(response.status).toBe(400)
    expect(response.text).toContain('Enter a comment for the approval')
    expect(response.text).toContain('Select at least one draft to approve')
  })

  it('corrects an update with a reason: public shows the corrected text and "corrected on" once approved; history keeps both', async () => {
    const view = (await t.services.plan.service.planView(forceId))!
    const item = view.recommendations.flatMap((r) => r.items).find((i) => i.ref === '12.3')!
    const update = item.updates[item.updates.length - 1]
    const corrected = 'Breach checks now run every morning across all response and neighbourhood teams.'
    const { response } = await post(
      'planowner',
      `/plans/${code}/items/12.3/updates/${update.id}/correction`,
      { text: corrected, status: 'in_progress', percent: '45', reason: 'Neighbourhood teams were left out' },
      `/plans/${code}/items/12.3`,
    )
    expect(response.status).toBe(302)
    expect((await publicPage()).text).not.toContain(corrected)
    await t.services.plan.service.approve(SYSTEM_ACTOR, forceId, 'all', 'Correction checked')
    const page = (await publicPage()).text
    expect(page).toContain(corrected)
    expect(page).not.toContain('Breach checks now run every morning across all response teams.')
    expect(page).toMatch(/Corrected on \d{1,2} [A-Z][a-z]+ \d{4}: Neighbourhood teams were left out/)
    expect(page).toContain('In progress 45%')
    // The update row itself is unchanged (append-only); the force's page lists both versions.
    const row = await t.services.db
      .selectFrom('plan_updates')
      .select('text')
      .where('id', '=', update.id)
      .executeTakeFirstOrThrow()
    expect(row.text).toBe('Breach checks now run every morning across all response teams.')
    const agent = await t.signedInAs('planowner')
    const itemPage = (await agent.get(`/plans/${code}/items/12.3`).expect(200)).text
    expect(itemPage).toContain('Every version (2)')
    expect(itemPage).toContain('Breach checks now run every morning across all response teams.')
  })

  it('keeps the approved owner public until an owner change is approved, and lets the named owner write updates', async () => {
    const { response } = await post(
      'planowner',
      `/plans/${code}/items/14.1/owner`,
      { owner: 'PC Alex Carter' },
      `/plans/${code}/items/14.1`,
    )
    expect(response.status).toBe(302)
    expect((await publicPage()).text).not.toContain('PC Alex Carter')
    // The officer named as the owner may add an update to that item, and no other.
    const own = await post(
      'officer',
      `/plans/${code}/items/14.1/updates`,
      { text: 'Needs assessment added to the contact record.', status: 'in_progress' },
      `/plans/${code}/items/14.1`,
    )
    expect(own.response.status).toBe(302)
    const other = await post(
      'officer',
      `/plans/${code}/items/14.2/updates`,
      { text: 'Not mine to write.', status: 'in_progress' },
      `/plans/${code}/items/14.2`,
    )
    expect(other.response.status).toBe(403)
    await t.services.plan.service.approve(SYSTEM_ACTOR, forceId, 'all', 'Owner and update checked')
    const page = (await publicPage()).text
    expect(page).toContain('PC Alex Carter')
    expect(page).toContain('Needs assessment added to the contact record.')
  })

  it("stops another force's plan at a confirmation listing every changed field; once confirmed it is held until approved", async () => {
    const plans = t.services.plan.service
    const before = (await plans.planView(forceId))!
    const agent = await t.signedInAs('planowner')
    const form = (await agent.get(`/plans/${code}/import`).expect(200)).text
    const upload = await agent
      .post(`/plans/${code}/import`)
      .field('_csrf', csrfTokenFrom(form))
      .field('mode', 'now')
      .attach('file', readFileSync(SEED), 'northamptonshire-seed.txt')
      .expect(200)
    // Even "import now" stops here, and nothing has changed.
    expect(upload.text).toContain('Confirm the import')
    expect(upload.text).toContain('the document names the force &quot;Northamptonshire&quot;, not Demoshire Police')
    const after = (await plans.planView(forceId))!
    expect(after.executiveLead).toBe(before.executiveLead)
    // Every changed field is listed, one row each, with its before and after.
    const preview = await plans.importParsed(
      SYSTEM_ACTOR,
      await (await import('../../src/plan/import/index.ts')).readPlanDocument(readFileSync(SEED), 'seed.txt'),
      { fileName: 'seed.txt', checksum: 'x', forceId, dryRun: true },
    )
    const rows = upload.text.match(/<tr class="govuk-table__row">/g) ?? []
    expect(preview.changes.length).toBeGreaterThan(50)
    expect(rows.length).toBeGreaterThanOrEqual(preview.changes.length)
    expect(preview.changes).toContainEqual({
      where: 'Plan',
      field: 'Executive lead',
      from: before.executiveLead,
      to: 'ACC Emma James',
    })
    expect(upload.text).toContain('ACC Emma James')
    expect(upload.text).toContain('Evidence item 7.1')

    const checksum = /name="checksum" value="([a-f0-9]{64})"/.exec(upload.text)![1]
    const unconfirmed = await agent
      .post(`/plans/${code}/import/confirm`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(upload.text), checksum })
      .expect(400)
    expect(unconfirmed.text).toContain('Confirm that you have checked every change')
    const confirmed = await agent
      .post(`/plans/${code}/import/confirm`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(upload.text), checksum, confirmed: 'yes' })
      .expect(200)
    expect(confirmed.text).toContain('Import held for approval')
    expect((await plans.planView(forceId))!.executiveLead).toBe(before.executiveLead)
    expect((await publicPage()).text).not.toContain('ACC Emma James')

    const held = (await plans.drafts(forceId)).find((d) => d.kind === 'import')!
    const diff = await agent.get(`/plans/${code}/approvals/imports/${held.id}`).expect(200)
    expect(diff.text).toContain('Executive lead')
    await plans.approve(SYSTEM_ACTOR, forceId, [{ kind: 'import', id: held.id }], 'Adopting the regional template')
    expect((await plans.planView(forceId))!.executiveLead).toBe('ACC Emma James')
    expect((await publicPage()).text).toContain('ACC Emma James')
  }, 120_000)
})
