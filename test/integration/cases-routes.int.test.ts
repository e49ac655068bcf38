// Case work on the real app: a supervisor assigns an unallocated case from the case page, it appears in the officer's
// My work, and both reads and the change are in the audit log; the team queue filters in the URL and its CSV; the API
// and OpenAPI; `threadline cases due --json` returns the documented shape; `threadline notify send` emails each user's
// digest through a local SMTP server the test starts, with crime references and links only.
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { runCli } from '../../src/cli/main.ts'
import { addDays } from '../../src/platform/days.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { londonDay } from '../../src/cases/services/workingDays.ts'
import { auditRows, createTestApp, csrfTokenFrom, type TestApp } from '../support/app.ts'
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

const TODAY = londonDay()

describe('Case work routes', () => {
  let app: TestApp
  const ids = new Map<string, number>()
  const id = (reference: string) => ids.get(reference) as number
  const userId = async (username: string) => (await app.services.users.sessionUserByUsername(username))!.id

  beforeAll(async () => {
    app = await createTestApp()
    const victim = party({ personRef: 'P-V9', forename: 'Ada', surname: 'Quill' })
    await app.services.crime.importer.importRecords(
      SYSTEM_ACTOR,
      items([
        // Reported 3 days ago: the S-DASH (1 day) is overdue, the SPO (7 days) due in 4.
        crime({
          forceReference: 'CR/1/26',
          principal: '8Q',
          reportedAt: `${addDays(TODAY, -3)}T09:00:00Z`,
          parties: [victim],
        }),
        crime({
          forceReference: 'CR/2/26',
          principal: '8Q',
          reportedAt: `${addDays(TODAY, -6)}T09:00:00Z`,
          team: 'CID East',
        }),
      ]),
      { force: DEMO_FORCE },
    )
    for (const row of await app.services.db.selectFrom('crimes').select(['id', 'force_reference']).execute()) {
      ids.set(row.force_reference, row.id)
    }
  })
  afterAll(async () => {
    await app?.close()
  })

  it("a supervisor assigns an unallocated case; it appears in the officer's My work; reads and change audited", async () => {
    const supervisor = await app.signedInAs('supervisor')
    const queue = await supervisor.get('/cases/queue?assigned=none').expect(200)
    expect(queue.text).toContain('CR/1/26')
    const page = await supervisor.get(`/cases/${id('CR/1/26')}`).expect(200)
    expect(page.text).toContain('Not assigned')
    expect(page.text).toContain('Complete the stalking risk assessment (S-DASH)')
    expect(page.text).toMatch(/Overdue by 2 days/)
    // Someone without case:edit cannot be chosen.
    const refused = await supervisor
      .post(`/cases/${id('CR/1/26')}/assign`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), userId: String(await userId('analyst')) })
      .expect(400)
    expect(refused.text).toContain('Choose an officer of this force who can work on cases')
    await supervisor
      .post(`/cases/${id('CR/1/26')}/assign`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), userId: String(await userId('officer')) })
      .expect(302)
    const officer = await app.signedInAs('officer')
    const home = await officer.get('/').expect(200)
    expect(home.text).toContain('<h1 class="govuk-heading-l">My work</h1>')
    expect(home.text).toContain('CR/1/26')
    expect(home.text).toContain('Overdue by 2 days')
    const overdue = await app.services.db
      .selectFrom('case_obligations')
      .select('obligation_id')
      .where('crime_id', '=', id('CR/1/26'))
      .where('state', '=', 'open')
      .where('due_on', '<', TODAY)
      .execute()
    expect(overdue.length).toBeGreaterThan(0)
    expect(home.text).toContain(`My work (${overdue.length} overdue)`)
    expect(home.text).toContain('Notifications (1 unread)')
    const [assigned] = await auditRows(app.services, 'cases.case.assigned')
    expect(assigned).toMatchObject({ actor_username: 'supervisor', subject_id: String(id('CR/1/26')) })
    expect(JSON.parse(assigned.details)).toMatchObject({ from: null, to: await userId('officer') })
    const [viewed] = await auditRows(app.services, 'cases.case.viewed')
    expect(viewed).toMatchObject({ actor_username: 'supervisor', subject_id: String(id('CR/1/26')) })
    const [queueRead] = await auditRows(app.services, 'cases.queue.viewed')
    expect(JSON.parse(queueRead.details).shown).toContain(id('CR/1/26'))
    const [work] = await auditRows(app.services, 'cases.work.viewed')
    expect(work.actor_username).toBe('officer')
    expect(JSON.parse(work.details).shown).toEqual([id('CR/1/26')])
  })

  it('an officer cannot see the team queue; the queue filters stay in the URL and export as CSV', async () => {
    const officer = await app.signedInAs('officer')
    await officer.get('/cases/queue').expect(403)
    const supervisor = await app.signedInAs('supervisor')
    const filtered = await supervisor.get('/cases/queue?team=CID+East&obligation=spo_considered').expect(200)
    expect(filtered.text).toContain('CR/2/26')
    expect(filtered.text).not.toContain('>CR/1/26<')
    expect(filtered.text).toContain('href="/cases/queue.csv?team=CID+East&amp;obligation=spo_considered"')
    const bad = await supervisor.get('/cases/queue?within=soon').expect(400)
    expect(bad.text).toContain('govuk-error-summary')
    const csv = await supervisor.get('/cases/queue.csv?status=overdue').expect(200)
    const lines = csv.text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n')
    expect(lines[0]).toBe('reference,crime_id,obligation,due_on,status,team,risk,assigned_to')
    expect(lines.slice(1).every((line) => line.includes(',overdue,'))).toBe(true)
    expect(lines.some((line) => line.startsWith(`CR/1/26,${id('CR/1/26')},sdash,`))).toBe(true)
  })

  it('serves the case and the queues as JSON, described in the OpenAPI document', async () => {
    const officer = await app.signedInAs('officer')
    const caseJson = (await officer.get(`/api/cases/${id('CR/1/26')}`).expect(200)).body
    expect(caseJson.reference).toBe('CR/1/26')
    expect(caseJson.obligations.find((entry: { obligation: string }) => entry.obligation === 'sdash')).toMatchObject({
      status: 'overdue',
      dueOn: addDays(TODAY, -2),
    })
    const mine = (await officer.get('/api/queues/mine').expect(200)).body
    expect(mine.items[0]).toMatchObject({ reference: 'CR/1/26', obligation: 'sdash', status: 'overdue' })
    await officer.get('/api/queues/team').expect(403)
    const openapi = (await officer.get('/api/openapi.json').expect(200)).body
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/api/cases/{id}', '/api/queues/mine', '/api/queues/team']),
    )
  })

  it('`threadline cases due --json` returns the documented shape', async () => {
    const all = await capture(['cases', 'due', '--db', app.database.url!, '--force', DEMO_FORCE, '--json'])
    expect(all.code).toBe(0)
    const rows = JSON.parse(all.out) as Record<string, unknown>[]
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['assignedTo', 'crimeId', 'dueOn', 'obligation', 'reference', 'status'])
      expect(row.status === 'due' || row.status === 'overdue').toBe(true)
      expect(row.dueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    }
    const mine = await capture([
      'cases',
      'due',
      '--db',
      app.database.url!,
      '--officer',
      'officer',
      '--overdue',
      '--json',
    ])
    expect(JSON.parse(mine.out)).toEqual(
      [
        expect.objectContaining({
          reference: 'CR/1/26',
          obligation: 'sdash',
          status: 'overdue',
          assignedTo: 'PC Alex Carter',
        }),
      ].concat((JSON.parse(mine.out) as unknown[]).slice(1).map(() => expect.objectContaining({ status: 'overdue' }))),
    )
    const unknown = await capture(['cases', 'due', '--db', app.database.url!, '--officer', 'nobody', '--json'])
    expect(unknown.code).toBe(1)
    expect(unknown.err).toContain('There is no user "nobody" in that force.')
  })

  it('`threadline notify send` emails each user a digest through SMTP, with crime references and links only', async () => {
    const received: { to: string[]; body: string }[] = []
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        const chunks: Buffer[] = []
        stream.on('data', (chunk: Buffer) => chunks.push(chunk))
        stream.on('end', () => {
          received.push({
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            body: Buffer.concat(chunks).toString('utf8'),
          })
          callback()
        })
      },
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.server.address() as { port: number }).port
    process.env.SMTP_URL = `smtp://127.0.0.1:${port}`
    try {
      const sent = await capture(['notify', 'send', '--db', app.database.url!])
      expect(sent.err).toBe('')
      expect(sent.code).toBe(0)
      expect(sent.out).toMatch(/reminders made; 1 emails sent/)
      expect(received).toHaveLength(1)
      expect(received[0].to).toEqual(['officer@example.police.uk'])
      const body = received[0].body.replace(/=\r?\n/g, '')
      expect(body).toContain('CR/1/26')
      expect(body).toContain(`/cases/${id('CR/1/26')}`)
      expect(body).toContain('Overdue')
      // No person: the victim's name never leaves Threadline.
      expect(body).not.toContain('Quill')
      // Sent once: a second run finds nothing new to send.
      const again = await capture(['notify', 'send', '--db', app.database.url!])
      expect(again.out).toMatch(/0 reminders made; 0 emails sent/)
      expect(received).toHaveLength(1)
    } finally {
      delete process.env.SMTP_URL
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})
