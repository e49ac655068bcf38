// The crime registrar's page on the real app (issue 14): only those who bring the records system's extracts in
// (case:import) reach it; a screening decision adding 8Q is listed with who, when and why; a filter that does not read
// is refused in words; the CSV and JSON exports carry the same rows and are audited as exported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { auditRows, createTestApp, type TestApp } from '../support/app.ts'
import { items, person, record } from './screening-fixtures.ts'

describe('Changes for the records system', () => {
  let app: TestApp
  let crimeId: number

  beforeAll(async () => {
    app = await createTestApp()
    await app.services.crime.importer.importRecords(
      SYSTEM_ACTOR,
      items([
        record({
          forceReference: 'RC/0001/26',
          principal: '8L',
          reportedAt: '2026-03-02T09:00:00Z',
          parties: [person({ personRef: 'V-1' })],
        }),
      ]),
      { force: DEMO_FORCE },
    )
    const force = (await app.services.crime.repository.forceByName(DEMO_FORCE))!
    crimeId = (await app.services.screening.service.queueExport(SYSTEM_ACTOR, force.id, 'waiting'))[0].crimeId
    const supervisor = (await app.services.users.sessionUserByUsername('supervisor'))!
    await app.services.screening.service.decide(
      {
        actor: { ...SYSTEM_ACTOR, actorId: supervisor.id, actorUsername: 'supervisor', forceId: force.id },
        forceId: force.id,
      },
      crimeId,
      {
        outcome: 'stalking_identified',
        action: 'add_included_8q',
        rationale: 'Fixated, unwanted and repeated contact.',
      },
    )
  })
  afterAll(async () => {
    await app?.close()
  })

  it('is for case:import only: the analyst and the force administrator, not the officer or the screener', async () => {
    await (await app.signedInAs('officer')).get('/records-changes').expect(403)
    await (await app.signedInAs('supervisor')).get('/records-changes.csv').expect(403)
    for (const username of ['analyst', 'admin']) {
      const page = await (await app.signedInAs(username)).get('/records-changes').expect(200)
      expect(page.text).toContain('<h1 class="govuk-heading-l">Changes for the records system</h1>')
      expect(page.text).toContain('1 pending change')
      expect(page.text).toContain('Add an included classification: 8Q Stalking')
      expect(page.text).toContain('DS Sam Okafor')
      expect(page.text).toContain('Fixated, unwanted and repeated contact.')
    }
    // The analyst may open the crime; the force administrator sees the reference as text.
    const analyst = await (await app.signedInAs('analyst')).get('/records-changes').expect(200)
    expect(analyst.text).toContain(`href="/crimes/${crimeId}"`)
    const admin = await (await app.signedInAs('admin')).get('/records-changes').expect(200)
    expect(admin.text).not.toContain(`href="/crimes/${crimeId}"`)
  })

  it('refuses a filter that does not read, in words, and exports the same rows as CSV and JSON', async () => {
    const admin = await app.signedInAs('admin')
    const bad = await admin.get('/records-changes?since=2026-02-31&overdueDays=soon').expect(400)
    expect(bad.text).toContain('<title>Error: ')
    expect(bad.text).toContain('The date the changes were decided from must be a real date, for example 27 3 2025')
    expect(bad.text).toContain('Enter the days after which a pending change is overdue as a whole number, 1 or more')
    const none = await admin.get('/records-changes?status=confirmed').expect(200)
    expect(none.text).toContain('No changes match these filters.')
    const csv = await admin.get('/records-changes.csv?status=pending').expect(200)
    expect(csv.headers['content-type']).toMatch(/^text\/csv/)
    const lines = csv.text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatch(/^RC\/0001\/26,crime,Add an included classification: 8Q Stalking,8Q,supervisor,/)
    const json = (await admin.get('/records-changes.json?status=all').expect(200)).body as Record<string, unknown>[]
    expect(json).toEqual([expect.objectContaining({ reference: 'RC/0001/26', crimeId, status: 'pending' })])
    const exported = await auditRows(app.services, 'screening.changes.exported')
    expect(exported.map((row) => row.actor_username)).toEqual(['admin', 'admin'])
  })
})
