// Partners working in Threadline on the real app, on both dialects: a force administrator invites users to two
// partner organisations; an officer sends a referral (refused without consent or a lawful basis); only the service it
// was sent to sees it, with only what the consent covers; the service accepts, records contact and closes it with an
// outcome, which the officer sees on the victim care page and the case page; a panel meeting gives each of two
// agencies an action, and each agency's user sees and completes only its own; the information-sharing log lists every
// disclosure made. A partner never reaches crime search, person pages or another organisation's records (403, audited).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { auditRows, createTestApp, csrfTokenFrom, type TestApp } from '../support/app.ts'
import { DIALECTS } from '../support/databases.ts'
import { courseOfConduct, items } from './crime-fixtures.ts'

const today = () => new Date().toISOString().slice(0, 10)

describe.each(DIALECTS)('Partners in Threadline (%s)', (dialect) => {
  let app: TestApp
  let forceId: number
  let crimeId: number
  let victimId: number
  let advocacy: number
  let probation: number

  beforeAll(async () => {
    app = await createTestApp({ dialect })
    await app.services.crime.importer.importRecords(SYSTEM_ACTOR, items(courseOfConduct()), { force: DEMO_FORCE })
    forceId = (await app.services.crime.repository.forceByName(DEMO_FORCE))!.id
    const crime = (await app.services.crime.repository.crimeByReference(forceId, 'DS/0001/24'))!
    crimeId = crime.id
    victimId = (await app.services.crime.repository.partiesOf(crimeId)).find((p) => p.role === 'victim')!.person_id
    const loader = { actor: { ...SYSTEM_ACTOR, forceId }, forceId }
    const { serviceId } = await app.services.victims.service.addService(loader, {
      name: 'Demoshire Stalking Advocacy Service',
      kind: 'local',
    })
    advocacy = (
      await app.services.partners.service.addAgency(loader, {
        name: 'Demoshire Stalking Advocacy Service',
        kind: 'victim_support',
        serviceId: String(serviceId),
        answerDays: '2',
        firstContactDays: '3',
      })
    ).agencyId
    probation = (
      await app.services.partners.service.addAgency(loader, { name: 'Demoshire Probation', kind: 'probation' })
    ).agencyId
  })
  afterAll(async () => {
    await app?.close()
  })

  /** Posts a form from a page (its CSRF token), expecting the status (and the redirect's location when given). */
  const post = async (
    agent: Awaited<ReturnType<TestApp['signedInAs']>>,
    page: string,
    path: string,
    body: object,
    status: number,
    location?: string,
  ) => {
    const form = await agent.get(page)
    const response = await agent
      .post(path)
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), ...body })
    expect(response.status, `${path} answered ${response.status}`).toBe(status)
    if (location) expect(response.headers.location).toBe(location)
    return response
  }

  it('a force administrator invites a user to each organisation (audited); others cannot', async () => {
    const admin = await app.signedInAs('admin')
    const list = await admin.get('/partners/organisations').expect(200)
    expect(list.text).toContain('Demoshire Stalking Advocacy Service')
    const bad = await post(
      admin,
      `/partners/organisations/${advocacy}`,
      `/partners/organisations/${advocacy}/members`,
      {
        displayName: '',
        email: 'not-an-email',
        username: 'x',
      },
      400,
    )
    const shown = bad
    expect(shown.text).toContain('Enter the person’s full name')
    expect(shown.text).toContain('Enter their work email address, like name@example.org.uk')
    await post(
      admin,
      `/partners/organisations/${advocacy}`,
      `/partners/organisations/${advocacy}/members`,
      {
        displayName: 'Morgan Pike',
        email: 'morgan.pike@advocacy.example.org.uk',
        username: 'advocacy.pike',
      },
      302,
    )
    await post(
      admin,
      `/partners/organisations/${probation}`,
      `/partners/organisations/${probation}/members`,
      {
        displayName: 'Jules Orme',
        email: 'jules.orme@probation.example.gov.uk',
        username: 'probation.orme',
      },
      302,
    )
    const page = await admin.get(`/partners/organisations/${advocacy}`).expect(200)
    expect(page.text).toContain('Morgan Pike (morgan.pike@advocacy.example.org.uk)')
    const [added] = await auditRows(app.services, 'partners.member.added')
    expect(added).toMatchObject({ actor_username: 'admin' })
    const officer = await app.signedInAs('officer')
    await officer.get('/partners/organisations').expect(403)
  })

  it('refuses a referral without consent or a lawful basis, or sharing what the consent does not cover', async () => {
    const officer = await app.signedInAs('officer')
    const form = await officer.get(`/partners/crimes/${crimeId}/refer`).expect(200)
    expect(form.text).toContain('Demoshire Stalking Advocacy Service (Victim support service)')
    // Probation has a user too, but the form offers every organisation with users.
    const response = await officer
      .post(`/partners/crimes/${crimeId}/refer`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(form.text),
        personId: String(victimId),
        agencyId: String(advocacy),
        consented: 'no',
        consentOn: today(),
        shares: ['email'],
        phone: '07700 900123',
        officerContact: 'pc.carter@example.police.uk',
      })
      .expect(400)
    const shown = response
    expect(shown.text).toContain('A referral cannot be sent without the victim’s consent')
    expect(shown.text).toContain('Choose the lawful basis for sharing the victim’s details')
    const sharing = await officer
      .post(`/partners/crimes/${crimeId}/refer`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(form.text),
        personId: String(victimId),
        agencyId: String(advocacy),
        consented: 'yes',
        consentOn: today(),
        lawfulBasis: 'consent',
        safeToLeaveMessage: 'no',
        shares: ['email'],
        phone: '07700 900123',
        officerContact: 'pc.carter@example.police.uk',
      })
      .expect(400)
    expect(sharing.text).toContain(
      'The victim has not agreed to share the phone number: tick it above, or leave it blank',
    )
    expect(sharing.text).toContain('Enter the email address the victim agreed to share')
    expect(await app.services.db.selectFrom('partner_referrals').selectAll().execute()).toHaveLength(0)
    expect(await app.services.db.selectFrom('partner_disclosures').selectAll().execute()).toHaveLength(0)
  })

  let referralId: number

  it('sends a referral with consent: the victims area records it and the disclosure is logged', async () => {
    const officer = await app.signedInAs('officer')
    await post(
      officer,
      `/partners/crimes/${crimeId}/refer`,
      `/partners/crimes/${crimeId}/refer`,
      {
        personId: String(victimId),
        agencyId: String(advocacy),
        consented: 'yes',
        consentOn: today(),
        lawfulBasis: 'consent',
        shares: ['phone', 'contact_times'],
        phone: '07700 900123',
        contactTimes: 'Weekdays after 6pm',
        safeToLeaveMessage: 'no',
        risk: 'high',
        caseSummary: '',
        officerContact: 'pc.carter@example.police.uk',
      },
      302,
      `/partners/crimes/${crimeId}`,
    )
    const [row] = await app.services.db.selectFrom('partner_referrals').selectAll().execute()
    referralId = row.id
    expect(row).toMatchObject({ state: 'sent', contact_phone: '07700 900123', risk: '', contact_email: '' })
    const victimReferral = await app.services.db
      .selectFrom('victim_referrals')
      .selectAll()
      .where('id', '=', row.victim_referral_id!)
      .executeTakeFirstOrThrow()
    expect(victimReferral).toMatchObject({ consented: 1, outcome: 'pending', referred_by: 'officer' })
    const [sent] = await auditRows(app.services, 'partners.referral.sent')
    expect(sent).toMatchObject({ actor_username: 'officer', subject_id: String(crimeId) })
  })

  it('shows the referral only to its service, with only what the consent covers; another service gets 403, audited', async () => {
    const pike = await app.signedInAs('advocacy.pike')
    const inbox = await pike.get('/partners/inbox').expect(200)
    expect(inbox.text).toContain('Ada Quill')
    const page = await pike.get(`/partners/referrals/${referralId}`).expect(200)
    expect(page.text).toContain('07700 900123')
    expect(page.text).toContain('Weekdays after 6pm')
    expect(page.text).not.toContain('High')
    expect(page.text).not.toContain('Damage to a car')
    expect(page.text).toContain('PC Alex Carter (pc.carter@example.police.uk)')
    const [viewed] = await auditRows(app.services, 'partners.referral.viewed')
    expect(viewed).toMatchObject({ actor_username: 'advocacy.pike', subject_id: String(crimeId) })

    const orme = await app.signedInAs('probation.orme')
    const other = await orme.get('/partners/inbox').expect(200)
    expect(other.text).not.toContain('Ada Quill')
    await orme.get(`/partners/referrals/${referralId}`).expect(403)
    const [denied] = await auditRows(app.services, 'access.denied')
    expect(denied).toMatchObject({ actor_username: 'probation.orme', subject_id: `/partners/referrals/${referralId}` })
    await post(orme, '/partners/inbox', `/partners/referrals/${referralId}/accept`, {}, 403)
    expect(
      (await app.services.db.selectFrom('partner_referrals').select('state').executeTakeFirstOrThrow()).state,
    ).toBe('sent')
  })

  it('never lets a partner reach crimes, people, victim care, case work or the police pages', async () => {
    const pike = await app.signedInAs('advocacy.pike')
    for (const path of [
      '/crimes',
      `/crimes/${crimeId}`,
      `/crimes/people/${victimId}`,
      `/victims/crimes/${crimeId}`,
      `/cases/${crimeId}`,
      `/partners/crimes/${crimeId}`,
      `/partners/crimes/${crimeId}/refer`,
      '/partners/panels',
      '/partners/disclosures',
      '/partners/organisations',
      '/screening',
      '/api/crimes?classification=8Q',
    ]) {
      const response = await pike.get(path)
      expect([403, 404], `${path} answered ${response.status}`).toContain(response.status)
    }
  })

  it('tells a partner user who is in no organisation so, and shows them nothing else', async () => {
    const partner = await app.signedInAs('partner')
    const inbox = await partner.get('/partners/inbox').expect(200)
    expect(inbox.text).toContain('You are not in a partner organisation')
    expect(inbox.text).not.toContain('Ada Quill')
    await partner.get(`/partners/referrals/${referralId}`).expect(403)
  })

  it('the service accepts, records contact and closes with an outcome; the officer sees it on both pages', async () => {
    const pike = await app.signedInAs('advocacy.pike')
    const page = `/partners/referrals/${referralId}`
    await post(pike, page, `${page}/accept`, {}, 302)
    const shown = await post(pike, page, `${page}/contact`, { contactOn: today() }, 400)
    expect(shown.text).toContain('Choose how the service tried to make contact')
    await post(pike, page, `${page}/contact`, { contactOn: today(), method: 'phone', result: 'made' }, 302)
    await post(
      pike,
      page,
      `${page}/close`,
      {
        closedOn: today(),
        outcome: 'supported',
        note: 'Allocated an advocate',
      },
      302,
    )
    const row = await app.services.db.selectFrom('partner_referrals').selectAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({ state: 'closed', outcome: 'supported', first_contact_due_on: expect.any(String) })

    const officer = await app.signedInAs('officer')
    const care = await officer.get(`/victims/crimes/${crimeId}`).expect(200)
    expect(care.text).toContain(
      'The service says: Demoshire Stalking Advocacy Service: Support given (Allocated an advocate)',
    )
    const casePage = await officer.get(`/cases/${crimeId}`).expect(200)
    expect(casePage.text).toContain('Demoshire Stalking Advocacy Service closed the referral: Support given')
    expect(casePage.text).toContain('Demoshire Stalking Advocacy Service accepted the referral')
    const work = await officer.get(`/partners/crimes/${crimeId}`).expect(200)
    expect(work.text).toContain('Closed by the service: Support given (Allocated an advocate)')
  })

  it('records a panel meeting with two agencies; each agency sees and completes only its own actions', async () => {
    const specialist = await app.signedInAs('specialist')
    const created = await post(
      specialist,
      '/partners/panels/new',
      '/partners/panels',
      {
        panel: 'masip',
        heldOn: today(),
        chair: 'DI Rowan Ellery',
        agencies: [String(advocacy), String(probation)],
      },
      302,
    )
    const meetingPath = created.headers.location as string
    const meetingId = Number(meetingPath.split('/').pop())
    const bad = await post(
      specialist,
      meetingPath,
      `${meetingPath}/cases`,
      {
        reference: 'DS/0001/24',
        subject: 'perpetrator',
        summary: 'Escalating contact',
        lawfulBasis: 'public_task',
        owner1: 'Sam Mercer',
      },
      400,
    )
    const badPage = bad
    expect(badPage.text).toContain('Choose the agency that owns action 1')
    expect(badPage.text).toContain('Enter the due date of action 1 as a real date')
    const due = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10)
    await post(
      specialist,
      meetingPath,
      `${meetingPath}/cases`,
      {
        reference: 'DS/0001/24',
        subject: 'perpetrator',
        summary: 'Escalating contact after a no-contact request',
        decisions: 'Assess the perpetrator; review the victim safety plan',
        lawfulBasis: 'public_task',
        agency1: String(probation),
        owner1: 'Sam Mercer',
        action1: 'Assess for a stalking intervention programme',
        due1: due,
        agency2: String(advocacy),
        owner2: 'Morgan Pike',
        action2: 'Review the safety plan with the victim',
        due2: due,
      },
      302,
    )
    const meeting = await specialist.get(meetingPath).expect(200)
    expect(meeting.text).toContain('Assess for a stalking intervention programme')
    expect(meeting.text).toContain('Review the safety plan with the victim')
    expect(meetingId).toBeGreaterThan(0)

    const orme = await app.signedInAs('probation.orme')
    const ormeActions = await orme.get('/partners/actions').expect(200)
    expect(ormeActions.text).toContain('Assess for a stalking intervention programme')
    expect(ormeActions.text).not.toContain('Review the safety plan with the victim')
    const pike = await app.signedInAs('advocacy.pike')
    const pikeActions = await pike.get('/partners/actions').expect(200)
    expect(pikeActions.text).toContain('Review the safety plan with the victim')
    expect(pikeActions.text).not.toContain('Assess for a stalking intervention programme')

    const actions = await app.services.db.selectFrom('panel_actions').selectAll().orderBy('id').execute()
    const [probationAction, advocacyAction] = actions
    await post(pike, '/partners/actions', `/partners/actions/${probationAction.id}/done`, { doneOn: today() }, 403)
    await post(
      pike,
      '/partners/actions',
      `/partners/actions/${advocacyAction.id}/done`,
      {
        doneOn: today(),
        note: 'Plan reviewed',
      },
      302,
    )
    const after = await app.services.db.selectFrom('panel_actions').selectAll().orderBy('id').execute()
    expect(after.map((row) => row.state)).toEqual(['open', 'done'])

    const officer = await app.signedInAs('officer')
    const casePage = await officer.get(`/cases/${crimeId}`).expect(200)
    expect(casePage.text).toContain('Heard at Multi-agency stalking intervention (stalking clinic) (the perpetrator)')
  })

  it('the information-sharing log lists every disclosure made to a partner, on the page and in the CSV', async () => {
    const referrals = await app.services.db.selectFrom('partner_referrals').select(['id', 'agency_id']).execute()
    const actions = await app.services.db.selectFrom('panel_actions').select(['id', 'agency_id']).execute()
    const made = [
      ...referrals.map((row) => `referral:${row.id}:${row.agency_id}`),
      ...actions.map((row) => `panel_action:${row.id}:${row.agency_id}`),
    ].sort()
    expect(made).toHaveLength(3)
    const admin = await app.signedInAs('admin')
    const csv = await admin.get('/partners/disclosures.csv').expect(200)
    const lines = csv.text.trim().split('\r\n').slice(1)
    expect(lines).toHaveLength(made.length)
    const listed = lines
      .map((line) => {
        const about = /(Referral|Panel action) (\d+)/.exec(line)!
        const to = line.includes('Demoshire Probation') ? probation : advocacy
        return `${about[1] === 'Referral' ? 'referral' : 'panel_action'}:${about[2]}:${to}`
      })
      .sort()
    expect(listed).toEqual(made)
    expect(csv.text).toContain('The victim consented on')
    const page = await admin.get('/partners/disclosures').expect(200)
    expect(page.text).toContain(`${made.length} disclosures, newest first`)
    const perPerson = await admin.get(`/partners/disclosures?person=${victimId}`).expect(200)
    expect(perPerson.text).toContain('1 disclosure, newest first')
    const perAgency = await admin.get(`/partners/disclosures?agency=${probation}`).expect(200)
    expect(perAgency.text).toContain('1 disclosure, newest first')
    const [viewed] = await auditRows(app.services, 'partners.disclosures.viewed')
    expect(viewed).toMatchObject({ actor_username: 'admin' })
  })

  it('records a suspect referred to a perpetrator programme, its start and its drop-out (audited)', async () => {
    const officer = await app.signedInAs('officer')
    const page = `/partners/crimes/${crimeId}`
    const suspect = (await app.services.crime.repository.partiesOf(crimeId)).find((p) => p.role === 'suspect')!
    const bad = await post(officer, page, `${page}/programmes`, { programme: '', referredOn: '' }, 400)
    expect(bad.text).toContain('Choose the suspect referred')
    expect(bad.text).toContain('Enter the name of the programme')
    await post(
      officer,
      page,
      `${page}/programmes`,
      {
        personId: String(suspect.person_id),
        programme: 'Stalking intervention programme',
        agencyId: String(probation),
        referredOn: today(),
      },
      302,
    )
    const programme = await app.services.db.selectFrom('perpetrator_programmes').selectAll().executeTakeFirstOrThrow()
    const half = await post(
      officer,
      page,
      `${page}/programmes/${programme.id}`,
      { startedOn: today(), endedOn: today() },
      400,
    )
    expect(half.text).toContain('Choose whether the programme was completed or dropped out of')
    await post(
      officer,
      page,
      `${page}/programmes/${programme.id}`,
      { startedOn: today(), endedOn: today(), ending: 'dropped_out', note: 'Stopped attending' },
      302,
    )
    const shown = await officer.get(page).expect(200)
    expect(shown.text).toContain('Bram O&#39;Neill-Hart: Stalking intervention programme (Demoshire Probation)')
    expect(shown.text).toMatch(/dropped out \d+ \w+ \d{4}\. Stopped attending/)
    const [updated] = await auditRows(app.services, 'partners.programme.updated')
    expect(JSON.parse(updated.details)).toMatchObject({ to: { ending: 'dropped_out' } })
    const pike = await app.signedInAs('advocacy.pike')
    await post(
      pike,
      '/partners/inbox',
      `${page}/programmes`,
      { personId: String(suspect.person_id), programme: 'X', referredOn: today() },
      403,
    )
  })

  it("gives the action plan's 16.1 and 25.1 live figures from partner work", async () => {
    const figures = await app.services.insight.evidence.evidenceFigures(forceId, ['16.1', '25.1'])
    expect(figures.get('16.1')?.find((f) => f.id === 'obligation:partner_referral_answered')).toMatchObject({
      numerator: 1,
      denominator: 1,
    })
    expect(figures.get('25.1')?.find((f) => f.id === 'obligation:panel_actions_done')).toBeDefined()
    const more = await app.services.insight.evidence.evidenceFigures(forceId, ['20.4', '25.1'])
    expect(more.get('25.1')?.find((f) => f.id === 'perpetrator_programmes')).toMatchObject({
      numerator: 0,
      denominator: 1,
      sentence: expect.stringContaining(
        '1 perpetrator referred to a programme (1 referrals: 1 started, 0 completed, 1 dropped out)',
      ),
    })
    expect(more.get('20.4')?.find((f) => f.id === 'digital_safeguarding_referrals')).toMatchObject({ denominator: 0 })
  })

  it('a removed user can no longer sign in', async () => {
    const admin = await app.signedInAs('admin')
    const member = await app.services.db
      .selectFrom('partner_members')
      .select('id')
      .where('agency_id', '=', probation)
      .executeTakeFirstOrThrow()
    const page = `/partners/organisations/${probation}`
    const confirmPage = await post(admin, page, `/partners/members/${member.id}/remove`, { back: page }, 200)
    expect(confirmPage.text).toContain('Remove this user from their organisation?')
    await post(admin, page, `/partners/members/${member.id}/remove`, { back: page, confirmed: 'yes' }, 302, page)
    await expect(app.signedInAs('probation.orme')).rejects.toThrow(/Could not sign in/)
  })
})
