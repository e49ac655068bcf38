// The problem profile's page, CSV and JSON API on the real app: refused without `analysis:read` (403, audited as
// refused), the navigation link only for those who may read it, bad dates shown back in the error summary, the CSV's
// content type and tables, the JSON shape and its OpenAPI path item, and one `insight.profile_viewed` row per view.
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE, SECOND_DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { auditRows, createTestApp, type TestApp, showsDate } from '../support/app.ts'
import { crime, items, party } from './crime-fixtures.ts'

const PERIOD = 'from=2024-01-01&to=2024-12-31'
const victim = party({ personRef: 'P-V1', forename: 'Ada', surname: 'Quill' })

describe('Problem profile routes', () => {
  let app: TestApp
  let forceId: number

  beforeAll(async () => {
    app = await createTestApp()
    const demoshire = [
      crime({ forceReference: 'DS/1', reportedAt: '2024-02-10T10:00:00Z', principal: '8Q', parties: [victim] }),
      crime({
        forceReference: 'DS/2',
        reportedAt: '2024-03-05T10:00:00Z',
        principal: '58C',
        included: [{ code: '8Q', addedBy: null, addedAt: null, reason: null }],
        parties: [victim],
        outcome: 1,
      }),
      crime({ forceReference: 'DS/3', reportedAt: '2023-05-05T10:00:00Z', principal: '8Q' }),
      crime({ forceReference: 'DS/4', reportedAt: '2024-06-01T10:00:00Z', principal: '8R', team: '=HYPERLINK("x")' }),
    ]
    await app.services.crime.importer.importRecords(SYSTEM_ACTOR, items(demoshire), { force: DEMO_FORCE })
    const northmoor = [crime({ forceReference: 'NM/1', reportedAt: '2024-02-10T10:00:00Z', principal: '8Q' })]
    await app.services.crime.importer.importRecords(SYSTEM_ACTOR, items(northmoor), { force: SECOND_DEMO_FORCE })
    forceId = (await app.services.crime.repository.forceByName(DEMO_FORCE))!.id
  })
  afterAll(async () => {
    await app?.close()
  })

  it('refuses roles without analysis:read, page, CSV and API, auditing the refusal and showing no link', async () => {
    for (const username of ['officer', 'national', 'partner']) {
      const agent = await app.signedInAs(username)
      const home = await agent.get('/').expect(200)
      expect(home.text).not.toContain('href="/insight/profile"')
      await agent.get(`/insight/profile?${PERIOD}`).expect(403)
      await agent.get(`/insight/profile.csv?${PERIOD}`).expect(403)
      await agent.get(`/api/insight/profile?${PERIOD}`).expect(403)
    }
    const [denied] = await auditRows(app.services, 'access.denied')
    expect(denied).toMatchObject({ actor_username: 'partner', subject_id: '/api/insight/profile' })
    expect(await auditRows(app.services, 'insight.profile_viewed')).toEqual([])
  })

  it('shows the profile with every section to an analyst, linked from the navigation; audited once', async () => {
    const agent = await app.signedInAs('analyst')
    const home = await agent.get('/').expect(200)
    expect(home.text).toMatch(/href="\/hubs\/assurance"[^>]*>\s*Assurance/)
    const hub = await agent.get('/hubs/assurance').expect(200)
    expect(hub.text).toMatch(/href="\/insight\/profile"[^>]*>\s*Problem profile/)
    const response = await agent.get(`/insight/profile?${PERIOD}`).expect(200)
    expect(response.text).toContain('<h1 class="govuk-heading-l">Stalking problem profile</h1>')
    for (const id of ['scale', 'trend', 'hidden', 'people', 'outcome-groups', 'outcomes', 'spo', 'teams', 'demand']) {
      expect(response.text, id).toContain(
        `<caption class="govuk-table__caption govuk-table__caption--s" id="${id}-caption">`,
      )
    }
    expect(showsDate(response.text, 'from', '2024-01-01')).toBe(true)
    // This period 1, previous 1 (DS/3 in 2023); 8Q included once, under criminal damage to a vehicle.
    expect(response.text).toMatch(
      /id="scale-stalking_principal"><th[^>]*>Stalking \(8Q\) as the principal classification<\/th><td[^>]*>1<\/td><td[^>]*>1<\/td>/,
    )
    expect(response.text).toMatch(
      /<th scope="row" class="govuk-table__header">Criminal damage to a vehicle<\/th><td[^>]*>1<\/td>/,
    )
    expect(response.text).toContain('straight-line projection, not a forecast')
    expect(response.text).toContain('href="/insight/profile.csv?from=2024-01-01&amp;to=2024-12-31"')
    const views = await auditRows(app.services, 'insight.profile_viewed')
    expect(views).toHaveLength(1)
    expect(views[0]).toMatchObject({ actor_username: 'analyst', subject_type: 'force', subject_id: String(forceId) })
    expect(JSON.parse(views[0].details)).toEqual({ from: '2024-01-01', to: '2024-12-31', format: 'page' })
  })

  it('defaults to the last twelve whole months', async () => {
    const agent = await app.signedInAs('supervisor')
    const response = await agent.get('/insight/profile').expect(200)
    const now = new Date()
    const firstOfMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
    const to = new Date(firstOfMonth.getTime() - 86_400_000).toISOString().slice(0, 10)
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 12, 1)).toISOString().slice(0, 10)
    expect(showsDate(response.text, `from`, from)).toBe(true)
    expect(showsDate(response.text, `to`, to)).toBe(true)
  })

  it('shows bad dates back with the error summary and what was typed, auditing nothing', async () => {
    const agent = await app.signedInAs('analyst')
    const before = (await auditRows(app.services, 'insight.profile_viewed')).length
    const response = await agent.get('/insight/profile?from=2024-13-01&to=2024-01-01').expect(400)
    expect(response.text).toContain('<title>Error: Stalking problem profile')
    expect(response.text).toContain('govuk-error-summary')
    expect(response.text).toContain('<a href="#from">Enter a real start date, for example 1 4 2025</a>')
    expect(showsDate(response.text, 'from', '2024-13-01')).toBe(true)
    expect(response.text).not.toContain('id="scale-caption"')
    const reversed = await agent.get('/insight/profile?from=2024-05-01&to=2024-04-01').expect(400)
    expect(reversed.text).toContain('<a href="#to">The end date must be the same as or after the start date</a>')
    await agent.get('/insight/profile.csv?from=yesterday&to=2024-04-01').expect(400)
    const today = new Date().toISOString().slice(0, 10)
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    const api = await agent.get(`/api/insight/profile?from=${today}&to=${tomorrow}`).expect(400)
    expect(api.body).toEqual({
      error: 'The period is not valid',
      fields: { to: 'The end date must be today or in the past' },
    })
    expect(await auditRows(app.services, 'insight.profile_viewed')).toHaveLength(before)
  })

  it('exports every section as CSV, one table after another with a section column; audited', async () => {
    const agent = await app.signedInAs('planowner')
    const response = await agent.get(`/insight/profile.csv?${PERIOD}`).expect(200)
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="stalking-problem-profile-2024-01-01-to-2024-12-31.csv"',
    )
    const text = response.text.replace(/^\uFEFF/, '')
    const rows: string[][] = parse(text, { relax_column_count: true, skip_empty_lines: true })
    expect(rows[0]).toEqual([
      'Section',
      'Force',
      'From',
      'To',
      'Previous period from',
      'Previous period to',
      'Generated at',
    ])
    expect(rows[1].slice(0, 6)).toEqual(['Period', DEMO_FORCE, '2024-01-01', '2024-12-31', '2023-01-01', '2023-12-31'])
    const sections = [...new Set(rows.filter((row) => row[0] !== 'Section').map((row) => row[0]))]
    expect(sections).toEqual([
      'Period',
      '1. Scale',
      '2. Monthly trend',
      '3. What stalking is recorded behind',
      '4. Victims and suspects',
      '5. Response: outcomes',
      '5. Response: Stalking Protection Orders',
      '5. Response: crimes by team',
      '6. Demand: monthly history and straight-line projection',
    ])
    expect(rows).toContainEqual(['1. Scale', 'Stalking (8Q) as the principal classification', '1', '1', '0', '0'])
    expect(rows).toContainEqual(['2. Monthly trend', '2024-03', '0', '1', '1'])
    expect(rows).toContainEqual([
      '3. What stalking is recorded behind',
      '58C',
      'Criminal damage to a vehicle',
      '1',
      '100',
    ])
    expect(rows).toContainEqual([
      '4. Victims and suspects',
      'Repeat victims (victim on 2 or more stalking crimes)',
      '1',
      '',
    ])
    expect(rows.filter((row) => row[0].startsWith('6. Demand'))).toHaveLength(36)
    // A team typed as a formula stays text.
    expect(text).not.toMatch(/^5\. Response: crimes by team,=/m)
    expect(response.text).toContain('\r\n')
    const [view] = await auditRows(app.services, 'insight.profile_viewed')
    expect(view).toMatchObject({ actor_username: 'planowner' })
    expect(JSON.parse(view.details)).toMatchObject({ format: 'csv' })
  })

  it('answers the JSON API with the same figures, described in the OpenAPI document; audited', async () => {
    const agent = await app.signedInAs('admin')
    const response = await agent.get(`/api/insight/profile?${PERIOD}`).expect(200)
    expect(Object.keys(response.body)).toEqual([
      'forceId',
      'forceName',
      'period',
      'previous',
      'generatedAt',
      'scale',
      'trend',
      'hidden',
      'people',
      'response',
      'demand',
    ])
    expect(response.body).toMatchObject({
      forceId,
      forceName: DEMO_FORCE,
      period: { from: '2024-01-01', to: '2024-12-31' },
      hidden: { total: 1, byPrincipal: [{ code: '58C', crimes: 1 }] },
      people: { stalkingCrimes: 2, victims: 1, repeatVictims: 1 },
      response: {
        outcomes: [
          { outcome: 1, name: 'Charged/Summonsed', crimes: 1 },
          { outcome: null, crimes: 1 },
        ],
      },
    })
    expect(response.body.trend).toHaveLength(12)
    expect(response.body.demand.projection).toHaveLength(12)
    const [view] = await auditRows(app.services, 'insight.profile_viewed')
    expect(view).toMatchObject({ actor_username: 'admin' })
    expect(JSON.parse(view.details)).toMatchObject({ format: 'json' })

    const openapi = await agent.get('/api/openapi.json').expect(200)
    const item = openapi.body.paths['/api/insight/profile']
    expect(item.get.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(['from', 'to'])
    expect(Object.keys(item.get.responses)).toEqual(['200', '400', '403'])
    const schema = item.get.responses['200'].content['application/json'].schema
    expect(Object.keys(schema.properties)).toEqual(Object.keys(response.body))
  })
})
