// The stalking problem profile in the browser, on `npm start`'s demo data: opened from the service navigation by
// keyboard, the period changed through the form (a bad date first, shown in the error summary), and a figure checked
// against a count straight from the classification search table. axe (WCAG 2.2 AA) on every page visited.
import { describe, expect, it } from 'vitest'
import { DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { browserAvailable, expectAccessible, useBrowserSession } from '../support/browser.ts'

describe.runIf(browserAvailable())('Stalking problem profile in the browser', () => {
  const session = useBrowserSession({ signInAs: 'analyst' })

  it('opens the profile from the navigation by keyboard, changes the period and shows the figures', async () => {
    const { server, page } = session
    await page.goto(`${server.url}/`)
    await expectAccessible(page)
    // Tab from the top of the page to a link inside `within`, as a keyboard user would.
    const focusedLinkIn = (within: string) =>
      page.evaluate((selector) => {
        const active = document.activeElement
        return active?.closest(selector) ? active.getAttribute('href') : null
      }, within)
    const tabTo = async (within: string, href: string) => {
      for (let presses = 0; presses < 40 && (await focusedLinkIn(within)) !== href; presses++) {
        await page.keyboard.press('Tab')
      }
      expect(await focusedLinkIn(within)).toBe(href)
    }
    // The profile is one of the analyst's pages in the Assurance hub: the navigation's hub link, then the hub page's.
    await tabTo('.govuk-service-navigation', '/hubs/assurance')
    await page.keyboard.press('Enter')
    await page.waitForURL(`${server.url}/hubs/assurance`)
    await expectAccessible(page)
    await tabTo('#hub-pages', '/insight/profile')
    await page.keyboard.press('Enter')
    await page.waitForURL(`${server.url}/insight/profile`)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Stalking problem profile')
    await expect.poll(() => page.locator('#scale-caption').count()).toBe(1)
    await expectAccessible(page)

    // A date that is not real: the error summary, its link taking the keyboard to the field.
    // Each date is a GOV.UK date input; a whole date typed into its day field reads too.
    const from = page.getByRole('group', { name: 'From', exact: true }).getByLabel('Day')
    const to = page.getByRole('group', { name: 'To', exact: true }).getByLabel('Day')
    await from.fill('30/2/2025')
    await to.fill('30/4/2026')
    await page.getByRole('button', { name: 'Show profile' }).press('Enter')
    await expect
      .poll(() => page.locator('.govuk-error-summary').textContent())
      .toContain('Enter the start date as a real date')
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Enter the start date as a real date, for example 1 4 2025' }).press('Enter')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('from')

    await from.fill('1 May 2025')
    await page.getByRole('button', { name: 'Show profile' }).press('Enter')
    await page.waitForURL((url) => url.searchParams.get('from-day') === '1 May 2025')
    await expect
      .poll(() => page.locator('#period-heading').textContent())
      .toBe(`${DEMO_FORCE}: crimes reported 1 May 2025 to 30 April 2026`)
    await expectAccessible(page)

    // 8Q as principal, counted straight from the classification search table.
    const force = (await server.services.crime.repository.forceByName(DEMO_FORCE))!
    const { n } = await server.services.db
      .selectFrom('crime_classification_index')
      .where('force_id', '=', force.id)
      .where('search_key', '=', '8Q')
      .where('role', 'in', ['principal', 'both'])
      .where('reported_at', '>=', '2025-05-01')
      .where('reported_at', '<', '2026-05-01')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(n)).toBeGreaterThan(0)
    const cells = page.locator('#scale-stalking_principal td')
    await expect.poll(() => cells.first().textContent()).toBe(String(n))
    // Twelve months in the trend; the demand table's projection is labelled as such.
    await expect.poll(() => page.locator('#trend-table tbody tr').count()).toBe(12)
    await expect.poll(() => page.locator('#demand-table tbody tr').count()).toBe(36)
    await expect.poll(() => page.locator('#demand-basis').textContent()).toContain('not a forecast')
  })
})
