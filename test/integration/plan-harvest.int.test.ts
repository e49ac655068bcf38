// Plan harvest (issue 16): a force's plan read over HTTP from a local server the test starts (no outside network),
// through the same readers as an upload, held as a draft for the force; unchanged content changes nothing.
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import request from 'supertest'
import { runCli } from '../../src/cli/main.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { PlanHarvester, PlanHarvestError, candidateLinks } from '../../src/plan/services/harvest.ts'
import { auditRows, createTestApp, csrfTokenFrom, type TestApp } from '../support/app.ts'

const WESSEX = readFileSync('test/fixtures/plans/wessex-vale-wide.html')
const TARNBROOK = readFileSync('test/fixtures/plans/tarnbrook.xlsx')

/** What the local server publishes; a test may change a path's body. */
const published = new Map<string, { type: string; body: Buffer | string; status?: number; location?: string }>()
let server: Server
let base: string

beforeAll(async () => {
  server = createServer((req, res) => {
    const page = published.get(req.url ?? '')
    if (req.url === '/never-answers') return // leaves the request open
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found')
      return
    }
    res.writeHead(page.status ?? 200, {
      'content-type': page.type,
      ...(page.location ? { location: page.location } : {}),
    })
    res.end(page.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  published.set('/force/stalking-action-plan', {
    type: 'text/html; charset=utf-8',
    body: `<!doctype html><html><head><title>Our response to stalking</title></head><body>
      <h1>Our response to the stalking super-complaint</h1><p>Updated ${new Date().toISOString()}</p>
      <a href="/contact">Contact us</a> <a href="/files/annual-report.pdf">Annual report</a>
      <a href="/files/stalking-action-plan.html">Stalking super-complaint action plan</a></body></html>`,
  })
  published.set('/files/stalking-action-plan.html', { type: 'text/html', body: WESSEX })
  published.set('/files/annual-report.pdf', { type: 'application/pdf', body: '%PDF-1.4 not a plan' })
  published.set('/moved', { type: 'text/plain', body: '', status: 301, location: '/files/tarnbrook.xlsx' })
  published.set('/files/tarnbrook.xlsx', {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: TARNBROOK,
  })
  published.set('/news', {
    type: 'text/html',
    body: '<!doctype html><html><body><h1>Force news</h1><p>Road closures this weekend.</p><a href="/contact">Contact</a></body></html>',
  })
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe.each(['sqlite', 'postgres'] as const)('plan harvest (%s)', (dialect) => {
  let t: TestApp

  beforeAll(async () => {
    t = await createTestApp({ dialect })
  })
  afterAll(() => t.close())

  const harvester = () => t.services.plan.harvester
  const importsOf = async (forceId: number) =>
    t.database.handle.db
      .selectFrom('plan_imports')
      .innerJoin('plan_plans', 'plan_plans.id', 'plan_imports.plan_id')
      .select(['plan_imports.source_url', 'plan_imports.file_name'])
      .where('plan_plans.force_id', '=', forceId)
      .execute()

  it('follows a force page to the plan it links to, creates the plan unpublished, and records where it came from', async () => {
    const result = await harvester().harvest(SYSTEM_ACTOR, `${base}/force/stalking-action-plan`, 'Wessex Vale Police')
    expect(result.sourceUrl).toBe(`${base}/files/stalking-action-plan.html`)
    expect(result.unchanged).toBe(false)
    expect(result.import.planCreated).toBe(true)
    const force = (await t.services.plan.service.findForce('Wessex Vale Police'))!
    const view = (await t.services.plan.service.planView(force.id))!
    expect(view.published).toBe(false)
    expect(await importsOf(force.id)).toEqual([
      { source_url: `${base}/files/stalking-action-plan.html`, file_name: 'stalking-action-plan.html' },
    ])

    // The page changes around the plan (its date line), the plan does not: nothing changes, nothing is held.
    const again = await harvester().harvest(SYSTEM_ACTOR, `${base}/force/stalking-action-plan`, 'Wessex Vale Police')
    expect(again.unchanged).toBe(true)
    expect(await importsOf(force.id)).toHaveLength(1)
    expect((await t.services.plan.service.drafts(force.id)).filter((d) => d.kind === 'import')).toEqual([])
  })

  it('holds a changed plan as a draft for the force to approve, once however often it is harvested', async () => {
    const force = (await t.services.plan.service.findForce('Demoshire Police'))!
    await t.services.plan.service.startFromCatalogue(SYSTEM_ACTOR, force.id)
    await t.services.plan.service.setPublished(SYSTEM_ACTOR, force.id, true)
    const publicPage = async () =>
      (await request(t.app).get(`/public/plans/${force.code}`).expect(200)).text.replace(/nonce="[^"]+"/g, '')
    const before = await publicPage()

    const first = await harvester().harvest(SYSTEM_ACTOR, `${base}/moved`, force.name)
    expect(first.sourceUrl).toBe(`${base}/files/tarnbrook.xlsx`)
    expect(first.import.held).not.toBeNull()
    const second = await harvester().harvest(SYSTEM_ACTOR, `${base}/moved`, force.name)
    expect(second.import.held?.id).toBe(first.import.held?.id)
    const drafts = await t.services.plan.service.drafts(force.id)
    expect(drafts.filter((d) => d.kind === 'import')).toHaveLength(1)
    expect(await publicPage()).toBe(before)
    const [held] = await auditRows(t.services, 'plan.import-held')
    expect(JSON.parse(held.details)).toMatchObject({ sourceUrl: `${base}/files/tarnbrook.xlsx` })
  })

  it('refuses a page that is not a plan and links to none, naming the address, writing nothing', async () => {
    const plansBefore = await t.database.handle.db.selectFrom('plan_plans').select('id').execute()
    const error = await harvester()
      .harvest(SYSTEM_ACTOR, `${base}/news`, 'Northmoor Constabulary')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PlanHarvestError)
    expect((error as Error).message).toContain(`${base}/news is not an action plan Threadline can read`)
    expect((error as Error).message).toContain('links to no document that could be the plan')
    expect(await t.database.handle.db.selectFrom('plan_plans').select('id').execute()).toEqual(plansBefore)
  })

  it('gives the national lead a page that harvests, and refuses it to everyone else', async () => {
    const agent = await t.signedInAs('national')
    const form = (await agent.get('/national/harvest').expect(200)).text
    const force = (await t.services.plan.service.findForce('Northmoor Constabulary'))!
    const missing = await agent
      .post('/national/harvest')
      .type('form')
      .send({ _csrf: csrfTokenFrom(form), forceId: String(force.id), url: '' })
    expect(missing.status).toBe(400)
    expect(missing.text).toContain('Error: Harvest a published plan')
    expect(missing.text).toContain('Enter the address of the page or document')

    const refused = await agent
      .post('/national/harvest')
      .type('form')
      .send({ _csrf: csrfTokenFrom(form), forceId: String(force.id), url: `${base}/news` })
    expect(refused.status).toBe(400)
    expect(refused.text).toContain('is not an action plan Threadline can read')

    const done = await agent
      .post('/national/harvest')
      .type('form')
      .send({ _csrf: csrfTokenFrom(form), forceId: String(force.id), url: `${base}/force/stalking-action-plan` })
    expect(done.status).toBe(200)
    expect(done.text).toContain('Plan harvested')
    expect(done.text).toContain(`${base}/files/stalking-action-plan.html`)

    const officer = await t.signedInAs('officer')
    await officer.get('/national/harvest').expect(403)
  })
})

describe('harvest limits', () => {
  const plans = {
    catalogue: () => undefined,
    importParsed: () => {
      throw new Error('nothing should be imported')
    },
  } as never
  const limits = { timeoutMs: 2_000, maxBytes: 1024 * 1024, allowPrivateAddresses: true }

  it('gives up on a server that does not answer within the time limit', async () => {
    const harvester = new PlanHarvester(plans, { ...limits, timeoutMs: 300 })
    await expect(harvester.read(`${base}/never-answers`)).rejects.toThrow(
      `${base}/never-answers did not answer within 300 milliseconds`,
    )
  })

  it('refuses a response larger than the size limit', async () => {
    const harvester = new PlanHarvester(plans, { ...limits, maxBytes: 1000 })
    await expect(harvester.read(`${base}/files/tarnbrook.xlsx`)).rejects.toThrow(
      `${base}/files/tarnbrook.xlsx is larger than 1 KB: it is not a plan`,
    )
  })

  it('refuses private and loopback addresses when the service is deployed, and addresses that are not http(s)', async () => {
    const harvester = new PlanHarvester(plans, { ...limits, allowPrivateAddresses: false })
    await expect(harvester.read(`${base}/news`)).rejects.toThrow(
      /127\.0\.0\.1:\d+ is a private or local address: only published pages can be harvested/,
    )
    await expect(harvester.read('http://[::1]/plan')).rejects.toThrow(/private or local address/)
    await expect(harvester.read('file:///etc/passwd')).rejects.toThrow(/file addresses cannot be harvested/)
    await expect(harvester.read('not a url')).rejects.toThrow(/is not a web address/)
  })

  it('ranks a page’s links: documents about the plan first, pages that are not documents never', () => {
    const links = candidateLinks(
      `<a href="/a.pdf">Annual report</a><a href="/about">Stalking action plan</a>
       <a href="/b.docx">Stalking super-complaint action plan</a><a href="mailto:x@example.org">Mail</a>`,
      'https://police.example/page',
    )
    expect(links).toEqual(['https://police.example/b.docx', 'https://police.example/a.pdf'])
  })
})

describe('threadline plan harvest', () => {
  it('imports from the local server and refuses a non-plan page with a one-line message', async () => {
    const t = await createTestApp()
    const out: string[] = []
    const err: string[] = []
    vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(parts.join(' ')))
    vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void err.push(parts.join(' ')))
    try {
      const db = t.database.url!
      const args = (url: string) => [
        'node',
        'threadline',
        'plan',
        'harvest',
        '--url',
        url,
        '--force',
        'Eastmarch',
        '--db',
        db,
      ]
      expect(await runCli(args(`${base}/news`))).toBe(1)
      expect(err.join('\n')).toContain('no force called "Eastmarch"')
      err.length = 0
      await t.services.users.ensureForce(SYSTEM_ACTOR, 'Eastmarch Police')
      expect(await runCli(args(`${base}/news`))).toBe(1)
      expect(err.join('\n')).toContain('is not an action plan Threadline can read')
      expect(err.join('\n')).toContain('Nothing was imported.')
      expect(await runCli(args(`${base}/force/stalking-action-plan`))).toBe(0)
      expect(out.join('\n')).toContain(`Read stalking-action-plan.html from ${base}/files/stalking-action-plan.html`)
      out.length = 0
      expect(await runCli(args(`${base}/force/stalking-action-plan`))).toBe(0)
      expect(out.join('\n')).toContain('nothing changed')
    } finally {
      vi.restoreAllMocks()
      await t.close()
    }
  })
})
