// Back to the records system in the browser (issue 14), on `npm start`'s demo data: a screener decides that a queued
// crime is stalking and adds 8Q as an included classification; the force's crime registrar (the demo force
// administrator, who brings the records system's extracts in: case:import) finds the change through the Crimes hub,
// sees who decided, when and why, and exports the pending changes as CSV and JSON, the same rows as
// `threadline changes export`. axe (WCAG 2.2 AA) on every page visited.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { browserAvailable, expectAccessible, signIn, useBrowserSession } from '../support/browser.ts'

const RATIONALE = 'Months of following and unwanted messages after being told to stop: fixated, unwanted, repeated.'

describe.runIf(browserAvailable())('Changes for the records system in the browser', () => {
  const session = useBrowserSession({ signInAs: 'supervisor' })

  it('a screener adds 8Q; the registrar finds the pending change and exports it as CSV and JSON', async () => {
    const { server, page } = session
    const force = (await server.services.crime.repository.forceByName(DEMO_FORCE))!
    // A crime waiting in the demo screening queue that does not carry 8Q yet.
    const waiting = await server.services.screening.service.queueExport(SYSTEM_ACTOR, force.id, 'waiting')
    const entry = waiting.find(
      (candidate) => candidate.principal !== null && candidate.principal !== '8Q' && !candidate.included.includes('8Q'),
    )!
    expect(entry, 'a crime waiting for screening in the demo data').toBeDefined()

    // 1. The screener decides on the crime's screening page.
    await page.goto(`${server.url}/screening/crimes/${entry.crimeId}`)
    await expectAccessible(page)
    await page.getByLabel('Stalking identified').check()
    await page.getByLabel('Add 8Q Stalking as an included classification').check()
    await page.getByLabel('Rationale').fill(RATIONALE)
    await page.getByRole('button', { name: 'Record the decision' }).press('Enter')
    await expect.poll(() => page.locator('#decision-summary').textContent()).toContain('Stalking identified')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Sign out' }).press('Enter')
    await page.waitForURL((url) => url.pathname.startsWith('/sign-in') || url.pathname === '/')

    // 2. The registrar: the Crimes hub, then its page for the records system.
    await signIn(page, server.url, 'admin')
    await page.getByRole('navigation', { name: 'Threadline' }).getByRole('link', { name: 'Crimes' }).press('Enter')
    await page.waitForURL(`${server.url}/hubs/crimes`)
    await expectAccessible(page)
    await page.locator('#hub-pages').getByRole('link', { name: 'Changes for the records system' }).press('Enter')
    await page.waitForURL(`${server.url}/records-changes`)
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Changes for the records system')
    const row = page.locator('#changes tbody tr', { hasText: entry.reference })
    await expect.poll(() => row.count()).toBe(1)
    const cells = await row.locator('td').allInnerTexts()
    expect(cells[0]).toContain(entry.reference)
    expect(cells[1]).toBe('Add an included classification: 8Q Stalking')
    expect(cells[2]).toBe('DS Sam Okafor')
    expect(cells[4]).toBe(RATIONALE)
    expect(cells[5]).toContain('Pending')
    // The force administrator may not open crime records: the reference is text, not a link that would refuse them.
    expect(await row.locator('a').count()).toBe(0)
    await expectAccessible(page)

    // 3. The exports, with the page's filters: CSV (a download) and JSON.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-csv').click()])
    const csv = readFileSync((await download.path())!, 'utf8')
      .replace(/^\ufeff/, '')
      .split('\r\n')
    expect(csv[0]).toBe('Crime reference,Record,Change,Code,Decided by,Decided at,Why,Status,Confirmed at,Overdue')
    const line = csv.find((text) => text.startsWith(`${entry.reference},`))
    expect(line).toContain(',crime,Add an included classification: 8Q Stalking,8Q,supervisor,')
    expect(line).toContain(`,"${RATIONALE}",pending,,no`)
    const jsonHref = await page.locator('#export-json').getAttribute('href')
    expect(jsonHref).toBe('/records-changes.json?status=pending&overdueDays=28')
    const json = (await (await page.request.get(`${server.url}${jsonHref}`)).json()) as Record<string, unknown>[]
    const cli = await server.services.screening.service.changes(SYSTEM_ACTOR, force.id, {
      since: null,
      status: 'pending',
      overdueDays: 28,
    })
    expect(json).toEqual(JSON.parse(JSON.stringify(cli)))
    expect(json.find((change) => change.reference === entry.reference)).toMatchObject({
      crimeId: entry.crimeId,
      change: 'add_included_classification',
      code: '8Q',
      decidedBy: 'supervisor',
      reason: RATIONALE,
      status: 'pending',
    })
    const exported = await server.services.db
      .selectFrom('audit_events')
      .select(['actor_username'])
      .where('action', '=', 'screening.changes.exported')
      .execute()
    expect(exported.map((row) => row.actor_username)).toEqual(['admin', 'admin'])

    // 4. A filter that does not read says so, with the error summary first.
    await page.locator('#since').fill('31')
    await page.locator('#since-month').fill('2')
    await page.locator('#since-year').fill('2026')
    await page.getByRole('button', { name: 'Apply filters' }).press('Enter')
    await expect
      .poll(() => page.locator('.govuk-error-summary').textContent())
      .toContain('The date the changes were decided from must be a real date, for example 27 3 2025')
    await expect.poll(() => page.title()).toMatch(/^Error: /)
    await expectAccessible(page)
  })
})
