// Stalking Protection Orders in the browser, on `npm start`'s demo data: from a stalking crime's page to its SPO page,
// a consideration recorded by keyboard (the error summary first when the reason is missing), and the live figure the
// demo data gives the action plan. axe (WCAG 2.2 AA) on every page visited.
import { describe, expect, it } from 'vitest'
import { lastTwelveMonths } from '../../src/insight/services/insightService.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { loadSafeguardingDemo } from '../../src/safeguarding/index.ts'
import {
  browserAvailable,
  expectAccessible,
  expectAccessibleAtEveryWidth,
  useBrowserSession,
} from '../support/browser.ts'

describe.runIf(browserAvailable())('Stalking Protection Orders in the browser', () => {
  const session = useBrowserSession({ signInAs: 'officer' })

  it('the demo data gives the plan a live SPO figure on 13.1 and 13.2', async () => {
    const { services } = session.server
    const force = (await services.crime.repository.forceByName(DEMO_FORCE))!
    const figures = await services.insight.evidence.evidenceFigures(force.id, ['13.1', '13.2'])
    const figure = figures.get('13.2')?.[0]
    expect(figure?.id).toBe('spo_considered')
    expect(figure?.numerator).toBeGreaterThan(0)
    expect(figure?.sentence).toMatch(
      /SPO considered in \d+% of stalking crimes \(\d+ of \d+\), \d+ applied for, \d+ granted, \d+ breach/,
    )
    const measure = await services.safeguarding.spoMeasure(force.id, lastTwelveMonths(new Date()))
    expect(measure.appliedFor).toBeGreaterThan(0)
    expect(measure.granted).toBeGreaterThan(0)
    // Loading the demo again (`demo load --force`) adds nothing.
    const count = async () => (await services.db.selectFrom('spo_considerations').select('id').execute()).length
    const before = await count()
    await loadSafeguardingDemo(services, SYSTEM_ACTOR)
    expect(await count()).toBe(before)
  })

  it('records a consideration by keyboard from the crime page', async () => {
    const { server, page } = session
    const force = (await server.services.crime.repository.forceByName(DEMO_FORCE))!
    // A demo 8Q crime with no consideration yet (the demo data considers most, not all).
    const pick = await server.services.db
      .selectFrom('crime_classification_index as i')
      .innerJoin('crimes as c', 'c.id', 'i.crime_id')
      .where('i.force_id', '=', force.id)
      .where('i.search_key', '=', '8Q')
      .where((eb) =>
        eb.not(
          eb.exists(eb.selectFrom('spo_considerations as s').select('s.id').whereRef('s.crime_id', '=', 'i.crime_id')),
        ),
      )
      .select(['c.id', 'c.force_reference'])
      .orderBy('c.id')
      .executeTakeFirstOrThrow()

    await page.goto(`${server.url}/crimes/${pick.id}`)
    await expectAccessible(page)
    await page.getByRole('link', { name: `Stalking Protection Order for ${pick.force_reference}` }).press('Enter')
    await page.waitForURL(`${server.url}/safeguarding/crimes/${pick.id}/spo`)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Stalking Protection Order')
    await expect
      .poll(() => page.locator('main').textContent())
      .toContain('No SPO consideration recorded on this crime.')
    await expectAccessible(page)

    // Choose "do not apply" with the keyboard and send it without a reason: the error summary comes first.
    await page.getByLabel('Do not apply for an SPO').focus()
    await page.keyboard.press('Space')
    await expect.poll(() => page.getByLabel('Do not apply for an SPO').isChecked()).toBe(true)
    await page.getByRole('button', { name: 'Record the consideration' }).press('Enter')
    await expect
      .poll(() => page.locator('.govuk-error-summary').textContent())
      .toContain('Enter why an SPO is not being applied for')
    await expectAccessible(page)

    // The summary's link takes the keyboard to the reason; type it and send.
    await page
      .locator('.govuk-error-summary')
      .getByRole('link', { name: 'Enter why an SPO is not being applied for' })
      .press('Enter')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('reason')
    await page.keyboard.type('Victim does not want an application now; to be reviewed at charge.')
    await page.getByRole('button', { name: 'Record the consideration' }).press('Enter')
    await expect
      .poll(() => page.locator('main').textContent())
      .toContain('Stalking Protection Order consideration recorded.')
    await expect.poll(() => page.locator('#considerations').textContent()).toContain('Do not apply for an SPO')
    await expect
      .poll(() => page.locator('#considerations').textContent())
      .toContain('Victim does not want an application now; to be reviewed at charge.')
    await expectAccessible(page)

    const stored = await server.services.db
      .selectFrom('spo_considerations')
      .selectAll()
      .where('crime_id', '=', pick.id)
      .execute()
    expect(stored).toEqual([expect.objectContaining({ decision: 'not_apply', considered_by: 'officer' })])
  })

  it('lists the protection orders from the navigation, filtered and paged, by keyboard', async () => {
    const { server, page } = session
    const force = (await server.services.crime.repository.forceByName(DEMO_FORCE))!
    const stalking = await server.services.db
      .selectFrom('crime_classification_index')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('force_id', '=', force.id)
      .where('search_key', '=', '8Q')
      .executeTakeFirstOrThrow()
    await page.goto(`${server.url}/`)
    // Protection orders are one of the officer's pages in the Case work hub: its link, then the hub page's link.
    await page.getByRole('navigation', { name: 'Threadline' }).getByRole('link', { name: 'Case work' }).press('Enter')
    await page.waitForURL(`${server.url}/hubs/case-work`)
    await expectAccessible(page)
    await page.locator('#hub-pages').getByRole('link', { name: 'Protection orders' }).press('Enter')
    await page.waitForURL(`${server.url}/safeguarding`)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Protection orders')
    await expect
      .poll(() => page.locator('#results-heading').textContent())
      .toBe(`${Number(stalking.n)} stalking crimes`)
    await expectAccessible(page)

    // Filter on "Apply for an SPO" with the keyboard: the filter goes into the URL.
    await page.getByLabel('Latest decision').focus()
    await page.getByLabel('Latest decision').selectOption('apply')
    await page.getByRole('button', { name: 'Apply filters' }).press('Enter')
    await page.waitForURL(`${server.url}/safeguarding?decision=apply`)
    const rows = page.locator('#spo-crimes tbody tr')
    await expect.poll(() => rows.count()).toBeGreaterThan(0)
    const decisions = await page.locator('#spo-crimes tbody tr td:nth-child(4)').allTextContents()
    expect(decisions.every((text) => text.startsWith('Apply for an SPO'))).toBe(true)
    // Who considered it by name, never the username the record keeps (issue 11).
    for (const text of decisions) expect(text).not.toMatch(/\b(officer|supervisor|specialist|demo-loader),/)
    await expectAccessibleAtEveryWidth(page)

    // Every stalking crime, paged on the server: the next page by keyboard.
    await page.goto(`${server.url}/safeguarding`)
    expect(Number(stalking.n)).toBeGreaterThan(25)
    await page.getByRole('link', { name: 'Next page' }).press('Enter')
    await page.waitForURL(`${server.url}/safeguarding?page=2`)
    await expect.poll(() => page.locator('#results-range').textContent()).toContain('Showing 26 to')
    await expectAccessible(page)
    // A crime in the list opens its SPO page.
    const first = page.locator('#spo-crimes tbody tr a').first()
    const href = await first.getAttribute('href')
    await first.press('Enter')
    await page.waitForURL(`${server.url}${href}`)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Stalking Protection Order')
  })
})
