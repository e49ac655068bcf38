// Risk assessment and protective order pages on the real app: forms render, bad input comes back with the error
// summary naming the field, good input redirects (Post/Redirect/Get), the review falls in the supervisor's My work,
// an order's page shows its notification and breaches, and another force's crime is 404.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { runCli } from '../../src/cli/main.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE, SECOND_DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { loadTools } from '../../src/risk/services/tools.ts'
import { createTestApp, csrfTokenFrom, type TestApp } from '../support/app.ts'
import { crime, items, party } from './crime-fixtures.ts'

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')))
  const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')))
  try {
    const code = await runCli(['node', 'threadline', ...argv])
    return { code, out: out.join('\n'), err: err.join('\n') }
  } finally {
    log.mockRestore()
    error.mockRestore()
  }
}

describe('Risk and protective order routes', () => {
  let app: TestApp
  const ids = new Map<string, number>()
  const id = (reference: string) => ids.get(reference) as number

  beforeAll(async () => {
    app = await createTestApp()
    const victim = party({ personRef: 'P-RR1', forename: 'Ada', surname: 'Quill' })
    const suspect = party({ role: 'suspect', personRef: 'P-RR2', forename: 'Bram', surname: 'Hart' })
    await app.services.crime.importer.importRecords(
      SYSTEM_ACTOR,
      items([
        crime({ forceReference: 'RR/1/25', principal: '8Q', parties: [victim, suspect] }),
        crime({ forceReference: 'RR/2/25', principal: '8L-SPO', parties: [victim, suspect] }),
      ]),
      { force: DEMO_FORCE },
    )
    await app.services.crime.importer.importRecords(
      SYSTEM_ACTOR,
      items([crime({ forceReference: 'NM/5/25', principal: '8Q' })]),
      {
        force: SECOND_DEMO_FORCE,
      },
    )
    for (const row of await app.services.db.selectFrom('crimes').select(['id', 'force_reference']).execute()) {
      ids.set(row.force_reference, row.id)
    }
  })
  afterAll(async () => {
    await app?.close()
  })

  it('an officer completes a DASH; a supervisor sees the review waiting and raises the level with a reason', async () => {
    const officer = await app.signedInAs('officer')
    const form = await officer.get(`/risk/crimes/${id('RR/1/25')}/assess/dash`).expect(200)
    expect(form.text).toContain('27. Does the victim know if the suspect has ever been in trouble with the police')
    const bad = await officer
      .post(`/risk/crimes/${id('RR/1/25')}/assess/dash`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), q1: 'yes' })
      .expect(400)
    expect(bad.text).toContain('<title>Error:')
    expect(bad.text).toContain('href="#q2">Answer question 2: yes, no or not known</a>')
    expect(bad.text).toMatch(/value="yes" checked/)
    const body: Record<string, string> = {
      _csrf: csrfTokenFrom(form.text),
      riskLevel: 'medium',
      rationale: 'Repeat contact.',
    }
    for (const question of loadTools().get('dash')!.questions) body[question.id] = 'no'
    await officer
      .post(`/risk/crimes/${id('RR/1/25')}/assess/dash`)
      .type('form')
      .send(body)
      .expect(302)
    const page = await officer.get(`/risk/crimes/${id('RR/1/25')}`).expect(200)
    expect(page.text).toContain('DASH completed: 0 of 27 answered yes')
    // An officer cannot review.
    expect(page.text).not.toContain('Record the review')

    const supervisor = await app.signedInAs('supervisor')
    const home = await supervisor.get('/').expect(200)
    expect(home.text).toContain('Risk assessments waiting for review')
    expect(home.text).toContain(`href="/risk/crimes/${id('RR/1/25')}">RR/1/25</a>`)
    const review = await supervisor.get(`/risk/crimes/${id('RR/1/25')}`).expect(200)
    const [assessment] = await app.services.db.selectFrom('risk_assessments').select('id').execute()
    const noReason = await supervisor
      .post(`/risk/crimes/${id('RR/1/25')}/assessments/${assessment.id}/review`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(review.text), outcome: 'change', riskLevel: 'high' })
      .expect(400)
    expect(noReason.text).toContain(`href="#reason-${assessment.id}">Enter why you change the risk level</a>`)
    await supervisor
      .post(`/risk/crimes/${id('RR/1/25')}/assessments/${assessment.id}/review`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(review.text), outcome: 'change', riskLevel: 'high', reason: 'Threats to kill.' })
      .expect(302)
    const after = await supervisor.get(`/risk/crimes/${id('RR/1/25')}`).expect(200)
    expect(after.text).toContain('High (raised)')
    expect(after.text).toContain('Threats to kill.')
  })

  it('records an order with a notification requirement and a breach linked to its crime, shown on both', async () => {
    const officer = await app.signedInAs('officer')
    const page = await officer.get(`/safeguarding/crimes/${id('RR/1/25')}/orders`).expect(200)
    expect(page.text).toContain('No order recorded on this crime.')
    const people = await app.services.db.selectFrom('people').select(['id', 'forename']).execute()
    const person = (name: string) => String(people.find((row) => row.forename === name)!.id)
    const today = new Date().toISOString().slice(0, 10)
    const bad = await officer
      .post(`/safeguarding/crimes/${id('RR/1/25')}/orders`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(page.text),
        kind: 'spo',
        protectedPersonId: person('Ada'),
        subjectPersonId: person('Ada'),
        outcome: 'granted',
        startsOn: today,
        untilFurtherOrder: 'yes',
      })
      .expect(400)
    expect(bad.text).toContain(
      'href="#subjectPersonId">The person the order is against cannot be the person it protects</a>',
    )
    const created = await officer
      .post(`/safeguarding/crimes/${id('RR/1/25')}/orders`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(page.text),
        kind: 'spo',
        protectedPersonId: person('Ada'),
        subjectPersonId: person('Bram'),
        outcome: 'granted',
        startsOn: today,
        untilFurtherOrder: 'yes',
        prohibitions: 'No contact',
      })
      .expect(302)
    const orderPage = await officer.get(created.headers.location).expect(200)
    expect(orderPage.text).toContain('Stalking Protection Order')
    expect(orderPage.text).toContain('Prohibition: No contact')
    expect(orderPage.text).toMatch(/Due by \d{4}-\d{2}-\d{2}/)
    await officer
      .post(`${created.headers.location}/breaches`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(orderPage.text),
        occurredOn: today,
        whatBreached: 'Contact by text',
        reportedHow: 'Victim by phone',
        breachCrimeReference: 'RR/2/25',
      })
      .expect(302)
    const withBreach = await officer.get(created.headers.location).expect(200)
    expect(withBreach.text).toContain(`href="/safeguarding/crimes/${id('RR/2/25')}/orders">RR/2/25</a>`)
    const breachCrime = await officer.get(`/safeguarding/crimes/${id('RR/2/25')}/orders`).expect(200)
    expect(breachCrime.text).toContain('This crime is a breach of an order')
    expect(breachCrime.text).toContain('Stalking Protection Order on RR/1/25')
    await officer.get(`/safeguarding/crimes/${id('NM/5/25')}/orders`).expect(404)
    await officer.get(`/risk/crimes/${id('NM/5/25')}`).expect(404)
  })

  it('the daily list renders, prints, exports; the meeting is recorded and its action is in the owner’s My work', async () => {
    const supervisor = await app.signedInAs('supervisor')
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    const page = await supervisor.get(`/risk/daily?date=${tomorrow}`).expect(200)
    expect(page.text).toContain('Daily management meeting')
    expect(page.text).toContain(`href="/cases/${id('RR/1/25')}">RR/1/25</a>`)
    expect(page.text).toContain('Risk rose')
    const csv = await supervisor.get(`/risk/daily.csv?date=${tomorrow}`).expect(200)
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.text).toContain('RR/1/25')
    const pdf = await supervisor.get(`/risk/daily.pdf?date=${tomorrow}`).buffer(true).expect(200)
    expect(pdf.headers['content-type']).toBe('application/pdf')
    const bad = await supervisor.get('/risk/daily?date=2025-02-30').expect(400)
    expect(bad.text).toContain('Enter the date of the meeting as a real date')
    const officerUser = await app.services.users.sessionUserByUsername('officer')
    const supervisorUser = await app.services.users.sessionUserByUsername('supervisor')
    const [day, month, year] = [tomorrow.slice(8), tomorrow.slice(5, 7), tomorrow.slice(0, 4)]
    const crimeId = id('RR/1/25')
    const recorded = await supervisor
      .post('/risk/meetings')
      .type('form')
      .send({
        _csrf: csrfTokenFrom(page.text),
        date: tomorrow,
        team: '',
        within: '14',
        chairUserId: String(supervisorUser!.id),
        attendees: 'IDVA',
        [`decision-${crimeId}`]: 'Refer to MARAC.',
        [`action-${crimeId}`]: 'Make the MARAC referral',
        [`owner-${crimeId}`]: String(officerUser!.id),
        [`due-${crimeId}-day`]: day,
        [`due-${crimeId}-month`]: month,
        [`due-${crimeId}-year`]: year,
      })
      .expect(302)
    const meeting = await supervisor.get(recorded.headers.location).expect(200)
    expect(meeting.text).toContain('Make the MARAC referral')
    const officer = await app.signedInAs('officer')
    const home = await officer.get('/').expect(200)
    expect(home.text).toContain('Actions given to me')
    expect(home.text).toContain('Make the MARAC referral')
    expect((await officer.get('/risk/daily').expect(403)).status).toBe(403)
  })

  it('`threadline orders ending --within 14 --json` and `threadline daily-list --date --json`', async () => {
    const people = await app.services.db.selectFrom('people').select(['id', 'forename']).execute()
    const person = (name: string) => String(people.find((row) => row.forename === name)!.id)
    const officer = (await app.services.users.sessionUserByUsername('officer'))!
    const viewer = {
      actor: { actorId: officer.id, actorUsername: 'officer', forceId: officer.forceId, requestId: null },
      forceId: officer.forceId,
    }
    const today = new Date().toISOString().slice(0, 10)
    const endsOn = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10)
    const { orderId } = await app.services.safeguarding.orders.recordOrder(viewer, id('RR/2/25'), {
      kind: 'non_molestation',
      protectedPersonId: person('Ada'),
      subjectPersonId: person('Bram'),
      outcome: 'granted',
      startsOn: today,
      endsOn,
    })
    const ending = await capture([
      'orders',
      'ending',
      '--within',
      '14',
      '--db',
      app.database.url!,
      '--force',
      DEMO_FORCE,
      '--json',
    ])
    expect(ending.code).toBe(0)
    expect(JSON.parse(ending.out)).toEqual([
      {
        orderId,
        reference: 'RR/2/25',
        crimeId: id('RR/2/25'),
        kind: 'non_molestation',
        kindName: 'Non-molestation order',
        endsOn,
        team: 'Response North',
      },
    ])
    expect(
      JSON.parse(
        (
          await capture([
            'orders',
            'ending',
            '--within',
            '5',
            '--db',
            app.database.url!,
            '--force',
            DEMO_FORCE,
            '--json',
          ])
        ).out,
      ),
    ).toEqual([])
    const bad = await capture([
      'orders',
      'ending',
      '--within',
      'soon',
      '--db',
      app.database.url!,
      '--force',
      DEMO_FORCE,
    ])
    expect(bad.code).not.toBe(0)
    expect(bad.err).toContain('--within must be a whole number of days from 0 to 366, not "soon".')

    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    const list = await capture([
      'daily-list',
      '--date',
      tomorrow,
      '--db',
      app.database.url!,
      '--force',
      DEMO_FORCE,
      '--json',
    ])
    expect(list.code).toBe(0)
    const parsed = JSON.parse(list.out)
    expect(parsed).toMatchObject({ date: tomorrow, team: '', within: 14 })
    expect(parsed.cases.map((entry: { reference: string }) => entry.reference)).toContain('RR/2/25')
    const badDate = await capture([
      'daily-list',
      '--date',
      '2025-02-30',
      '--db',
      app.database.url!,
      '--force',
      DEMO_FORCE,
      '--json',
    ])
    expect(badDate.code).not.toBe(0)
    expect(badDate.err).toContain('--date "2025-02-30": enter the date of the meeting as a real date')
  })
})
