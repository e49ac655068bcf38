// Issue 18, item 7: the smaller holes a probe found, each closed and shown here: a bad monitoring date answers the
// form's error (not 500); a 403 names no force; the sign-in limit counts only failed sign-ins; personal data is never
// cached; a bad multi-megabyte cell is cut in the message that names the uploaded file; a UTF-16 plan without a
// byte-order mark is read; a plan document link or a return address that would leave Threadline is not followed.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readPlanDocument } from '../../src/plan/import/index.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { safeReturnTo } from '../../src/platform/routes/auth.ts'
import { createTestApp, csrfTokenFrom, importThroughPage, type TestApp } from '../support/app.ts'

const CSV_HEADER =
  'Crime Ref,Record Type,Force,Date Reported,Committed From,Committed To,HO Code,Included Offences,DA Flag,Online Flag,Repeat Victim,Persons,MO,Team,OIC,Status,Outcome,Linked Refs,Location'
const csvRow = (reference: string, reported: string) =>
  `${reference},Crime,${DEMO_FORCE},${reported},01/06/2024,01/06/2024,8Q,,N,N,N,,"Messages sent.",Response North,PC 1,Open,,,`

describe('smaller holes (issue 18, item 7)', () => {
  let t: TestApp
  let code: string

  beforeAll(async () => {
    t = await createTestApp({ config: { signInAttempts: 3 } })
    const force = (await t.services.users.forceByName(DEMO_FORCE))!
    code = force.code
    await t.services.plan.service.startFromCatalogue({ ...SYSTEM_ACTOR, forceId: force.id }, force.id)
  })
  afterAll(() => t.close())

  it('answers a monitoring period that is not a real date with the form and its error (400), never 500', async () => {
    const agent = await t.signedInAs('analyst')
    for (const value of [
      'abc',
      '2024-13',
      '2024-02-31',
      '99999-01',
      '2024-1',
      '0000-00',
      '../',
      '\u0000',
      '1e5',
      '-1',
    ]) {
      for (const field of ['to', 'from']) {
        const response = await agent.get(`/victims/monitoring?${field}=${encodeURIComponent(value)}`)
        expect(response.status, `${field}=${value}`).toBe(400)
        expect(response.text).toContain('There is a problem')
        expect(response.text).toContain(field === 'to' ? 'Enter the end date as a real date' : 'Enter the start date')
      }
    }
  })

  it('names no force in a refusal, on the page or in the API', async () => {
    const officer = await t.signedInAs('officer')
    const page = await officer.get(`/plans/${code}`).expect(200)
    const token = csrfTokenFrom(page.text)
    const api = await officer
      .post(`/api/plans/${code}/items/7.1/updates`)
      .set('x-csrf-token', token)
      .send({ text: 'Not mine to add', status: 'in_progress', date: '2024-06-01' })
    expect(api.status).toBe(403)
    expect(api.body.error).toBe('You do not have access to this')
    const html = await officer
      .post(`/plans/${code}/items/7.1/updates`)
      .type('form')
      .send({ _csrf: token, text: 'Not mine to add', status: 'in_progress' })
    expect(html.status).toBe(403)
    expect(html.text).not.toMatch(/in force \d|force_?id/i)
  })

  it('sends no-store with signed-in pages, CSV and XLSX exports and API answers', async () => {
    const analyst = await t.signedInAs('analyst')
    for (const path of ['/crimes', '/crimes/export.csv', '/crimes/export.xlsx', '/api/crimes', `/plans/${code}`]) {
      const response = await analyst.get(path)
      expect(response.status, path).toBe(200)
      expect(response.headers['cache-control'], path).toBe('no-store')
    }
  })

  it('cuts a multi-megabyte bad cell in the problem message, which names the uploaded file', async () => {
    const agent = await t.signedInAs('admin')
    const huge = 'x'.repeat(2 * 1024 * 1024)
    const extract = Buffer.from([CSV_HEADER, csvRow('DS/0900/24', huge)].join('\n'))
    const refused = await importThroughPage(t, agent, [{ content: extract, name: 'June extract.csv' }])
    expect(refused.jobUrl).not.toBeNull()
    expect(refused.status).toBe(200)
    expect(refused.text).toContain('Nothing was imported')
    expect(refused.text).toMatch(/June extract\.csv, line 2/)
    expect(refused.text).toContain(`${'x'.repeat(80)}…&quot; (${huge.length} characters)`)
    expect(refused.text.length).toBeLessThan(100_000)
  })

  it('reads a UTF-16 plan without a byte-order mark, little- and big-endian, as the UTF-8 one', async () => {
    const seed = readFileSync('test/fixtures/plans/northamptonshire-seed.txt', 'utf8').replace(/^\uFEFF/, '')
    const utf8 = await readPlanDocument(Buffer.from(seed, 'utf8'), 'plan.txt')
    const le = Buffer.from(seed, 'utf16le')
    const be = Buffer.from(le).swap16()
    for (const content of [le, be]) {
      const read = await readPlanDocument(content, 'plan.txt')
      expect(read.force).toBe(utf8.force)
      expect(read.recommendations.length).toBe(utf8.recommendations.length)
      expect(JSON.stringify(read.recommendations)).toBe(JSON.stringify(utf8.recommendations))
    }
    // Binary with zeros on both sides is still refused.
    await expect(readPlanDocument(Buffer.from([0, 0, 1, 0, 0, 2, 0, 0, 3, 0]), 'x.bin')).rejects.toThrow(/binary file/)
  })

  it('never links a plan document to another site by a path trick, and never returns there after sign-in', async () => {
    const item = await t.services.db
      .selectFrom('plan_items')
      .select('id')
      .where('ref', '=', '7.1')
      .executeTakeFirstOrThrow()
    for (const [name, url] of [
      ['Phish one', '/\\evil.example/phish'],
      ['Phish two', '//evil.example/phish'],
      ['Good link', 'https://www.example.police.uk/annex.pdf'],
    ])
      await t.services.db
        .insertInto('plan_documents')
        .values({
          item_id: item.id,
          name,
          url,
          stored_path: null,
          checksum: null,
          media_type: null,
          size: null,
          source: 'import',
          uploaded_by: 'test',
          uploaded_at: new Date().toISOString(),
        })
        .execute()
    const owner = await t.signedInAs('planowner')
    const page = await owner.get(`/plans/${code}/items/7.1`).expect(200)
    expect(page.text).toContain('Phish one')
    expect(page.text).not.toContain('evil.example')
    expect(page.text).toContain('href="https://www.example.police.uk/annex.pdf"')
    for (const trick of ['/\\evil.example/phish', '//evil.example', '/\t/evil.example', 'https://evil.example'])
      expect(safeReturnTo(trick)).toBe('/')
    expect(safeReturnTo('/crimes?from=2024-01-01')).toBe('/crimes?from=2024-01-01')
  })

  it('counts only failed sign-ins towards the limit: many people sign in from one address, then failures lock it', async () => {
    for (const username of ['officer', 'analyst', 'supervisor', 'admin', 'planowner', 'officer'])
      await t.signedInAs(username)
    const attempt = async (username: string) => {
      const { default: request } = await import('supertest')
      const agent = request.agent(t.app)
      const page = await agent.get('/sign-in').expect(200)
      return agent
        .post('/sign-in/dev')
        .type('form')
        .send({ _csrf: csrfTokenFrom(page.text), username })
    }
    for (let i = 0; i < 3; i++) expect((await attempt('nobody')).status).toBe(400)
    expect((await attempt('nobody')).status).toBe(429)
    expect((await attempt('officer')).status).toBe(429)
  })
})
