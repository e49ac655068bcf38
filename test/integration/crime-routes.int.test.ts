import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SECOND_DEMO_FORCE, DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { auditRows, createTestApp, importThroughPage, type TestApp } from '../support/app.ts'
import { courseOfConduct, crime, items } from './crime-fixtures.ts'

const CSV_HEADER =
  'Crime Ref,Record Type,Force,Date Reported,Committed From,Committed To,HO Code,Included Offences,DA Flag,Online Flag,Repeat Victim,Persons,MO,Team,OIC,Status,Outcome,Linked Refs,Location'
const csvRow = (reference: string, code: string) =>
  `${reference},Crime,${DEMO_FORCE},01/06/2024 10:00,01/06/2024,01/06/2024,${code},,N,N,N,,"Window smashed at the front of the house.",Response North,PC 1,Open,,,`

describe('crime pages and API', () => {
  let t: TestApp
  const ids: Record<string, number> = {}

  beforeAll(async () => {
    t = await createTestApp()
    const actor = { ...SYSTEM_ACTOR, actorUsername: 'test' }
    await t.services.crime.importer.importRecords(
      actor,
      items([
        ...courseOfConduct(),
        crime({ forceReference: 'DS/0009/24', team: '=HYPERLINK("http://x.example","click")', principal: '8R' }),
      ]),
      { force: DEMO_FORCE },
    )
    await t.services.crime.importer.importRecords(actor, items([crime({ forceReference: 'NM/0001/24' })]), {
      force: SECOND_DEMO_FORCE,
    })
    for (const row of await t.services.db.selectFrom('crimes').select(['id', 'force_reference']).execute()) {
      ids[row.force_reference] = row.id
    }
  })
  afterAll(() => t.close())

  it('sends an anonymous visitor to sign-in, and the API answers 401', async () => {
    const page = await request(t.app).get('/crimes?classification=8Q')
    expect(page.status).toBe(302)
    expect(page.headers.location).toBe('/sign-in')
    expect((await request(t.app).get('/api/crimes')).status).toBe(401)
    expect((await request(t.app).get(`/crimes/${ids['DS/0001/24']}`)).status).toBe(302)
  })

  it('finds the course of conduct recorded under criminal damage when searching 8Q, and not as principal only', async () => {
    const agent = await t.signedInAs('analyst')
    const either = await agent.get('/crimes?classification=8Q').expect(200)
    expect(either.text).toContain('2 records')
    expect(either.text).toContain(`href="/crimes/${ids['DS/0001/24']}"`)
    expect(either.text).toContain('58C')
    const principal = await agent.get('/crimes?classification=8Q&match=principal').expect(200)
    expect(principal.text).toContain('1 record')
    expect(principal.text).not.toContain('DS/0001/24')
    expect(principal.text).toContain('DS/0003/24')
  })

  it('keeps the filters in the URL: sort links, export links and the form carry them', async () => {
    const agent = await t.signedInAs('analyst')
    const page = await agent.get('/crimes?classification=8Q&from=2024-01-01&flags=domesticAbuse').expect(200)
    expect(page.text).toContain(
      'href="/crimes/export.csv?classification=8Q&amp;from=2024-01-01&amp;flags=domesticAbuse"',
    )
    expect(page.text).toMatch(
      /href="\/crimes\?classification=8Q&amp;from=2024-01-01&amp;flags=domesticAbuse&amp;sort=reference"/,
    )
    expect(page.text).toMatch(/<input[^>]*name="flags"[^>]*value="domesticAbuse"[^>]*checked/)
    expect(page.text).toContain('aria-sort="descending"')
  })

  it('says what is wrong with a bad filter, naming the field', async () => {
    const agent = await t.signedInAs('analyst')
    const page = await agent.get('/crimes?from=2024-02-31&to=2024-01-01').expect(400)
    expect(page.text).toContain('There is a problem')
    expect(page.text).toContain('href="#from"')
    const unknown = await agent.get('/crimes?classification=ZZ9').expect(400)
    expect(unknown.text).toContain('&quot;ZZ9&quot; is not a known offence classification')
  })

  it('shows a crime with its included classification, and audits the read', async () => {
    const agent = await t.signedInAs('officer')
    const page = await agent.get(`/crimes/${ids['DS/0001/24']}`).expect(200)
    expect(page.text).toContain('8Q')
    expect(page.text).toContain('Included')
    expect(page.text).toContain('Pattern of fixated behaviour')
    expect(page.text).toContain('IR/0001/24')
    const [event] = await auditRows(t.services, 'crime.viewed')
    expect(event).toMatchObject({
      actor_username: 'officer',
      subject_type: 'crime',
      subject_id: String(ids['DS/0001/24']),
    })
  })

  it("lists a person's records in time order on their page, and audits the read", async () => {
    const agent = await t.signedInAs('specialist')
    const crimePage = await agent.get(`/crimes/${ids['DS/0002/24']}`)
    const personId = /href="\/crimes\/people\/(\d+)">Bram/.exec(crimePage.text)![1]
    const page = await agent.get(`/crimes/people/${personId}`).expect(200)
    const order = ['DS/0001/24', 'DS/0002/24', 'IR/0001/24'].map((reference) => page.text.indexOf(reference))
    expect(order.every((position) => position > 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(page.text).toContain('+44 7700 900123')
    const [event] = await auditRows(t.services, 'person.viewed')
    expect(event).toMatchObject({ actor_username: 'specialist', subject_type: 'person', subject_id: personId })
  })

  it("answers another force's record with 404, as a missing one (a 403 would say it exists), and audits the refusal", async () => {
    const agent = await t.signedInAs('analyst')
    const page = await agent.get(`/crimes/${ids['NM/0001/24']}`).expect(404)
    const missing = await agent.get('/crimes/999999').expect(404)
    expect(page.text).toContain('Page not found')
    const same = (html: string) => html.replace(/nonce="[^"]+"|value="[^"]+"/g, '')
    expect(same(page.text)).toBe(same(missing.text))
    const [event] = await auditRows(t.services, 'access.denied')
    expect(event).toMatchObject({ actor_username: 'analyst', subject_id: `/crimes/${ids['NM/0001/24']}` })
    expect(JSON.parse(event.details)).toMatchObject({ capability: 'case:read', answered: 404 })
    const api = await agent.get(`/api/crimes/${ids['NM/0001/24']}`).expect(404)
    expect(api.body.error).toBe('Page not found')
    const northmoor = await t.signedInAs('northmoor.officer')
    const search = await northmoor.get('/crimes').expect(200)
    expect(search.text).toContain('NM/0001/24')
    expect(search.text).not.toContain('DS/0001/24')
  })

  it('refuses roles without crime access', async () => {
    expect((await (await t.signedInAs('partner')).get('/crimes')).status).toBe(403)
    expect((await (await t.signedInAs('officer')).get('/crimes/import')).status).toBe(403)
  })

  it('exports the current filter as CSV with formulas neutralised, and as XLSX; both audited', async () => {
    const agent = await t.signedInAs('analyst')
    const csv = await agent.get('/crimes/export.csv?classification=8R').expect(200)
    expect(csv.headers['content-type']).toMatch(/text\/csv/)
    expect(csv.text).toContain('DS/0009/24')
    expect(csv.text).toContain(`"'=HYPERLINK(""http://x.example"",""click"")"`)
    expect(csv.text).not.toContain('DS/0001/24')
    const xlsx = await agent
      .get('/crimes/export.xlsx?classification=8Q')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => done(null, Buffer.concat(chunks)))
      })
      .expect(200)
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK')
    const events = await auditRows(t.services, 'crime.exported')
    expect(events.map((event) => JSON.parse(event.details).format)).toEqual(['xlsx', 'csv'])
  })

  it('answers the JSON API with the same search', async () => {
    const agent = await t.signedInAs('analyst')
    const response = await agent.get('/api/crimes?classification=8Q&match=included').expect(200)
    expect(response.body.total).toBe(1)
    expect(response.body.crimes[0]).toMatchObject({ reference: 'DS/0001/24', principal: { code: '58C' } })
    expect((await agent.get('/api/crimes?match=sideways')).status).toBe(400)
    const openapi = await agent.get('/api/openapi.json').expect(200)
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/api/crimes', '/api/crimes/{id}']))
  })

  it('refuses the import form without its CSRF token', async () => {
    const agent = await t.signedInAs('analyst')
    const response = await agent.post('/crimes/import').attach('extracts', Buffer.from(CSV_HEADER), 'x.csv')
    expect(response.status).toBe(403)
  })

  it('imports an uploaded extract all or nothing, and with bad rows skipped when asked', async () => {
    const agent = await t.signedInAs('admin')
    const extract = Buffer.from([CSV_HEADER, csvRow('DS/0500/24', '58C'), csvRow('DS/0501/24', 'ZZ9')].join('\n'))
    const refused = await importThroughPage(t, agent, [{ content: extract, name: 'extract.csv' }])
    expect(refused.jobUrl).toMatch(/^\/crimes\/import\/jobs\/\d+$/)
    expect(refused.text).toContain('Nothing was imported')
    expect(refused.text).toMatch(/extract\.csv, line 3/)
    expect(await t.services.crime.repository.crimeIdsByReference(1, ['DS/0500/24'])).toEqual(new Map())
    const skipped = await importThroughPage(t, agent, [{ content: extract, name: 'extract.csv' }], {
      skipBadRows: 'yes',
    })
    expect(skipped.text).toContain('Import complete')
    expect(skipped.text).toMatch(/Imported 1 record into Demoshire Police in [\d.]+ s: 1 new, 0 updated/)
    expect(skipped.text).toMatch(/extract\.csv, line 3/)
    const [event] = await auditRows(t.services, 'crime.imported')
    expect(JSON.parse(event.details)).toMatchObject({ created: 1, skipped: 1, files: ['extract.csv'] })
    const binary = await importThroughPage(t, agent, [
      { content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), name: 'sneaky.csv' },
    ])
    expect(binary.status).toBe(400)
    expect(binary.text).toContain('sneaky.csv is not a CSV extract or Excel workbook')
    const notWorkbook = await importThroughPage(t, agent, [
      { content: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0, 0, 1, 2, 3]), name: 'archive.xlsx' },
    ])
    expect(notWorkbook.text).toContain('Nothing was imported')
    expect(notWorkbook.text).toMatch(/archive\.xlsx, line 1: the Excel workbook \(\.xlsx\) is damaged or truncated/)

    // Excel's "CSV" on a Windows machine set to a semicolon list separator: Windows-1252 and semicolons.
    const excel = [CSV_HEADER, csvRow('DS/0502/24', '58C').replace('Window smashed', 'Caf\u00e9 window smashed')]
      .map((line) => line.replaceAll(',', ';'))
      .join('\r\n')
    const fromExcel = await importThroughPage(t, agent, [{ content: Buffer.from(excel, 'latin1'), name: 'excel.csv' }])
    expect(fromExcel.text).toContain('Import complete')
    expect(fromExcel.text).toMatch(/Windows-1252.*semicolons/)
    const id = (await t.services.crime.repository.crimeIdsByReference(1, ['DS/0502/24'])).get('DS/0502/24')!
    expect((await t.services.crime.repository.crimeById(id))?.narrative).toBe(
      'Caf\u00e9 window smashed at the front of the house.',
    )
  }, 120_000)
})
