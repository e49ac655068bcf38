// Live figures on an evidence item's page: computed from the force's own crime records, quotable in an update.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { loadMeasureLinks } from '../../src/insight/services/insightService.ts'
import { loadCatalogue } from '../../src/plan/catalogue/catalogue.ts'
import { createTestApp, type TestApp } from '../support/app.ts'
import { courseOfConduct, items } from './crime-fixtures.ts'

describe('live evidence figures on the plan pages', () => {
  let t: TestApp
  let code: string

  beforeAll(async () => {
    t = await createTestApp()
    const demoshire = await t.services.plan.service.findForce('Demoshire Police')
    code = demoshire!.code
    await t.services.plan.service.startFromCatalogue(SYSTEM_ACTOR, demoshire!.id)
    const recent = courseOfConduct().map((record) => ({ ...record, reportedAt: new Date().toISOString() }))
    const summary = await t.services.crime.importer.importRecords(SYSTEM_ACTOR, items(recent), {
      force: 'Demoshire Police',
    })
    expect(summary.problems).toEqual([])
  })
  afterAll(() => t.close())

  it('shows the plan owner how many stalking crimes were found only as an included classification, with the method', async () => {
    const agent = await t.signedInAs('planowner')
    const page = await agent.get(`/plans/${code}/items/7.1`).expect(200)
    expect(page.text).toContain('Live figures from Threadline’s records')
    expect(page.text).toContain('Stalking found only as an included classification')
    expect(page.text).toContain('50% (1 of 2)')
    expect(page.text).toContain('How it is computed:')
  })

  it('pre-fills the update form with the figure’s sentence when the owner quotes it', async () => {
    const agent = await t.signedInAs('planowner')
    const page = await agent.get(`/plans/${code}/items/7.1?quote=stalking_as_included`).expect(200)
    expect(page.text).toMatch(
      /<textarea[^>]*name="text"[^>]*>Threadline records, [^<]+: stalking found only as an included classification 50% \(1 of 2\)\.<\/textarea>/,
    )
  })

  it('shows no live figures for an evidence item nothing in Threadline can evidence', async () => {
    const agent = await t.signedInAs('planowner')
    const evidenced = loadMeasureLinks()
    const catalogueRefs = loadCatalogue().recommendations.flatMap((recommendation) =>
      recommendation.evidence.map((item) => item.ref),
    )
    const unevidenced = catalogueRefs.find((ref) => !evidenced.has(ref))
    expect(unevidenced).toBeDefined()
    const page = await agent.get(`/plans/${code}/items/${unevidenced}`).expect(200)
    expect(page.text).not.toContain('Live figures')
  })
})
