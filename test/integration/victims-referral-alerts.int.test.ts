// Low referral numbers (Recommendation 14, evidence 14.5) on both dialects, with a fixed clock: the daily check judges
// the last whole month; a force or team whose share of stalking victims referred to support is below the threshold
// (with at least the minimum victims) makes one alert and notifies the force lead (the action plan owner), who sees it
// in the header and on the alerts page; the monitoring page says so; a month above the threshold, or checked again,
// notifies no one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { auditRows, createTestApp, csrfTokenFrom, type TestApp } from '../support/app.ts'
import { DIALECTS } from '../support/databases.ts'
import { crime, items, party } from './crime-fixtures.ts'

const NAMES = ['Ada Quill', 'Bea Rook', 'Cal Moss', 'Dee Frost', 'Eli Stone', 'Fay Wren', 'Gus Holt', 'Hal Reed']

describe.each(DIALECTS)('Low referral rates notify the force lead (%s)', (dialect) => {
  let app: TestApp
  let forceId: number
  const march = new Date('2025-04-03T06:00:00Z')
  const may = new Date('2025-05-02T06:00:00Z')

  beforeAll(async () => {
    app = await createTestApp({ dialect })
    // March 2025: six victims in Response North (one referred) and two in CID (both referred): 3 of 8 for the force.
    // April 2025: five victims in Response North, four referred.
    const records = [
      ...NAMES.map((name, index) =>
        crime({
          forceReference: `DS/3${index}/25`,
          principal: '8Q',
          reportedAt: `2025-03-0${index + 1}T10:00:00Z`,
          team: index < 6 ? 'Response North' : 'CID',
          parties: [party({ personRef: `V-${index}`, forename: name.split(' ')[0], surname: name.split(' ')[1] })],
        }),
      ),
      ...NAMES.slice(0, 5).map((name, index) =>
        crime({
          forceReference: `DS/4${index}/25`,
          principal: '8Q',
          reportedAt: `2025-04-0${index + 1}T10:00:00Z`,
          team: 'Response North',
          parties: [party({ personRef: `V-${index}`, forename: name.split(' ')[0], surname: name.split(' ')[1] })],
        }),
      ),
    ]
    await app.services.crime.importer.importRecords(SYSTEM_ACTOR, items(records), { force: DEMO_FORCE })
    forceId = (await app.services.crime.repository.forceByName(DEMO_FORCE))!.id
    const loader = { actor: { ...SYSTEM_ACTOR, forceId }, forceId }
    const { serviceId } = await app.services.victims.service.addService(loader, {
      name: 'Victim Support',
      kind: 'national',
    })
    for (const reference of ['DS/30/25', 'DS/36/25', 'DS/37/25', 'DS/40/25', 'DS/41/25', 'DS/42/25', 'DS/43/25']) {
      const row = (await app.services.crime.repository.crimeByReference(forceId, reference))!
      const victim = (await app.services.crime.repository.partiesOf(row.id)).find((p) => p.role === 'victim')!
      await app.services.victims.service.recordReferral(loader, row.id, victim.person_id, {
        serviceId: String(serviceId),
        referredOn: row.reported_at.slice(0, 10),
        consented: 'yes',
      })
    }
  })
  afterAll(async () => {
    await app?.close()
  })

  it('counts each month by force and team', async () => {
    expect(await app.services.victims.alerts.monthRates(forceId, '2025-03')).toEqual([
      { team: '', victims: 8, referred: 3 },
      { team: 'CID', victims: 2, referred: 2 },
      { team: 'Response North', victims: 6, referred: 1 },
    ])
  })

  it('notifies the force lead once for each low force or team in the last whole month', async () => {
    const summary = await app.services.victims.alerts.check([forceId], march)
    // The force (3 of 8) and Response North (1 of 6) are low; CID has fewer victims than the minimum of 5.
    expect(summary).toEqual({ month: '2025-03', alerts: 2, notifications: 2 })
    const planowner = (await app.services.users.sessionUserByUsername('planowner'))!
    const notes = await app.services.db.selectFrom('victim_alert_notifications').selectAll().orderBy('id').execute()
    expect(notes.map((n) => n.user_id)).toEqual([planowner.id, planowner.id])
    expect(notes.map((n) => n.text)).toEqual([
      "Low referrals to support in March 2025: The force referred 3 of 8 stalking victims (38%), below the force's threshold of 50%.",
      "Low referrals to support in March 2025: Response North referred 1 of 6 stalking victims (17%), below the force's threshold of 50%.",
    ])
    const [audited] = await auditRows(app.services, 'victims.referral_rate.low')
    expect(JSON.parse(audited.details)).toMatchObject({
      month: '2025-03',
      team: 'Response North',
      notified: [planowner.id],
    })
    // Checked again the same month: nothing new.
    expect(await app.services.victims.alerts.check([forceId], march)).toEqual({
      month: '2025-03',
      alerts: 0,
      notifications: 0,
    })
    // April: 4 of 5 referred, above the threshold.
    expect(await app.services.victims.alerts.check([forceId], may)).toEqual({
      month: '2025-04',
      alerts: 0,
      notifications: 0,
    })
  })

  it('shows the force lead the alert in the header and on the alerts page; the monitoring page says so', async () => {
    const lead = await app.signedInAs('planowner')
    const home = await lead.get('/victims/alerts').expect(200)
    expect(home.text).toContain('Referral alerts (2 unread)')
    expect(home.text).toContain('Response North referred 1 of 6 stalking victims (17%)')
    const monitoring = await lead.get('/victims/monitoring?from=2025-03-01&to=2025-03-31').expect(200)
    expect(monitoring.text).toContain('<strong>March 2025, Response North:</strong> 1 of 6 victims referred (17%)')
    expect(monitoring.text).toContain('<strong>March 2025, Whole force:</strong> 3 of 8 victims referred (38%)')
    const page = await lead.get('/victims/alerts')
    await lead
      .post('/victims/alerts/read')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text) })
      .expect(302)
    expect((await lead.get('/victims/alerts').expect(200)).text).not.toContain('unread)')
    // An officer is not notified and gets no header link.
    const officer = await app.signedInAs('officer')
    expect((await officer.get('/victims/services').expect(200)).text).not.toContain('Referral alerts')
    await officer.get('/victims/alerts').expect(403)
  })

  it('lets the force lead change the rule (audited), refusing bad input and officers', async () => {
    const lead = await app.signedInAs('planowner')
    const page = await lead.get('/victims/monitoring').expect(200)
    const bad = await lead
      .post('/victims/monitoring/rule')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), thresholdPercent: '150', minVictims: 'none' })
      .expect(400)
    expect(bad.text).toContain('The threshold must be between 0 and 100 per cent')
    expect(bad.text).toContain('Enter the smallest number of victims to judge a month by, for example 5')
    await lead
      .post('/victims/monitoring/rule')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), thresholdPercent: '90', minVictims: '2' })
      .expect(302)
    expect(await app.services.victims.alerts.rule(forceId)).toMatchObject({ thresholdPercent: 90, minVictims: 2 })
    const [changed] = await auditRows(app.services, 'victims.referral_rule.changed')
    expect(changed).toMatchObject({ actor_username: 'planowner' })
    // Under the new rule April (4 of 5, 80%) is low for the force and Response North.
    expect(await app.services.victims.alerts.check([forceId], may)).toEqual({
      month: '2025-04',
      alerts: 2,
      notifications: 2,
    })
    const supervisor = await app.signedInAs('supervisor')
    const form = await supervisor.get('/victims/monitoring').expect(200)
    expect(form.text).not.toContain('Change the rule')
    await supervisor
      .post('/victims/monitoring/rule')
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), thresholdPercent: '10', minVictims: '1' })
      .expect(403)
  })
})
