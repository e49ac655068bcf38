// The audit log names each record as its users know it (issue 11: no internal numbers): a crime by its force reference,
// the force by its name; the area owning a kind of record names it, and never a record of another force.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE, SECOND_DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { createTestApp, type TestApp } from '../support/app.ts'
import { DIALECTS } from '../support/databases.ts'
import { crime, items } from './crime-fixtures.ts'

describe.each(DIALECTS)('records named in the audit log on %s', (dialect) => {
  let t: TestApp
  let crimeId: number
  let otherForceCrimeId: number
  let forceId: number

  beforeAll(async () => {
    t = await createTestApp({ dialect })
    for (const [force, reference] of [
      [DEMO_FORCE, 'DS/4711/24'],
      [SECOND_DEMO_FORCE, 'NM/0815/24'],
    ]) {
      const summary = await t.services.crime.importer.importRecords(
        SYSTEM_ACTOR,
        items([crime({ forceReference: reference })]),
        { force },
      )
      expect(summary.problems).toEqual([])
    }
    const ids = await t.services.db.selectFrom('crimes').select(['id', 'force_id', 'force_reference']).execute()
    const ours = ids.find((row) => row.force_reference === 'DS/4711/24')!
    crimeId = ours.id
    forceId = ours.force_id
    otherForceCrimeId = ids.find((row) => row.force_reference === 'NM/0815/24')!.id
  })
  afterAll(() => t.close())

  it('shows a viewed crime by its reference in the audit log and its history, never by Threadline’s number', async () => {
    const analyst = await t.signedInAs('analyst')
    await analyst.get(`/crimes/${crimeId}`).expect(200)
    const admin = await t.signedInAs('admin')
    const recent = await admin.get('/admin/audit').expect(200)
    expect(recent.text).toContain('<td class="govuk-table__cell">Crime DS/4711/24</td>')
    expect(recent.text).not.toContain(`Crime ${crimeId}<`)
    expect(recent.text).toContain(`<td class="govuk-table__cell">${DEMO_FORCE}</td>`)
    const history = await admin.get(`/admin/audit?subjectType=crime&subjectId=${crimeId}`).expect(200)
    expect(history.text).toContain('Who viewed or changed: Crime DS/4711/24')
  })

  it('names no record of another force', async () => {
    const names = await t.services.recordNames.of(
      [
        { type: 'crime', id: String(otherForceCrimeId) },
        { type: 'crime', id: String(crimeId) },
        { type: 'crime', id: 'not a number' },
      ],
      forceId,
    )
    expect(names).toEqual({ [`crime:${crimeId}`]: 'Crime DS/4711/24' })
  })
})
