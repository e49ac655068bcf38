// Tables wrap or scroll inside their own region at every width (docs/page-patterns.md, issue 11): the pages a new user
// found pushed sideways or with columns hidden, at 320, 768 and 1280 px, each checked with axe and for sideways scroll
// (expectAccessible), with every column of the screening queue still shown.
import { describe, expect, it } from 'vitest'
import { DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { browserAvailable, expectAccessible, signIn, useBrowserSession } from '../support/browser.ts'

// 375 px: the phone width the pages were first found too wide at.
const WIDTHS = [320, 375, 768, 1280]

describe.runIf(browserAvailable())('pages at every width', () => {
  const session = useBrowserSession({ signInAs: 'specialist' })

  async function atEveryWidth(path: string, check?: () => Promise<void>) {
    const { page, server } = session
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 })
      await page.goto(`${server.url}${path}`)
      await expectAccessible(page)
      await check?.()
    }
    await page.setViewportSize({ width: 1280, height: 900 })
  }

  /** A crime of the demo force with an S-DASH on its screening page (the demo data records a few). */
  async function crimeWithSdash(): Promise<number> {
    const row = await session.server.services.db
      .selectFrom('crimes')
      .innerJoin('forces', 'forces.id', 'crimes.force_id')
      .innerJoin('screening_assessments', 'screening_assessments.crime_id', 'crimes.id')
      .where('forces.name', '=', DEMO_FORCE)
      .select('crimes.id')
      .orderBy('crimes.id')
      .executeTakeFirstOrThrow()
    return Number(row.id)
  }

  it("keeps the crime page's classifications and the screening page's S-DASH inside the page", async () => {
    const crimeId = await crimeWithSdash()
    const table = (caption: string) =>
      session.page.locator('main table', { has: session.page.locator('caption', { hasText: caption }) })
    await atEveryWidth(`/crimes/${crimeId}`, async () => {
      expect(await table('Classifications').count()).toBe(1)
    })
    await atEveryWidth(`/screening/crimes/${crimeId}`, async () => {
      expect(await table('S-DASH assessments on this crime').count()).toBe(1)
    })
  }, 180_000)

  it('shows every column of the screening queue, scrolling inside its region when narrow', async () => {
    await atEveryWidth('/screening', async () => {
      const headers = await session.page.locator('main table thead th').allTextContents()
      expect(headers.map((header) => header.trim())).toEqual(
        expect.arrayContaining(['Crime', 'Reported', 'Why it is here', 'Status']),
      )
      for (const name of ['Why it is here', 'Status']) {
        const header = session.page.locator('main table thead th', { hasText: name }).first()
        expect(await header.isVisible()).toBe(true)
      }
    })
  }, 180_000)

  it("keeps the public plan's table within its column", async () => {
    await atEveryWidth('/public/plans')
    const { page, server } = session
    await page.goto(`${server.url}/public/plans`)
    const plan = page.locator('main a[href^="/public/plans/"]').first()
    const href = await plan.getAttribute('href')
    await atEveryWidth(href!, async () => {
      const wider = await page.evaluate(
        () =>
          Array.from(document.querySelectorAll('main table')).filter((table) => {
            const region = table.closest('.tl-table-scroll')
            const column = (region ?? table).parentElement!
            return !region && table.getBoundingClientRect().width > column.getBoundingClientRect().width + 1
          }).length,
      )
      expect(wider, 'tables wider than their column and not in a scroll region').toBe(0)
    })
  }, 180_000)

  it("keeps victim care's referrals, a linked crime's screening page, the daily meeting list and the users table inside the page", async () => {
    // Found at 320 px by a sweep of every page: tables outside a region and a long email address in a linkage reason.
    const referred = await session.server.services.db
      .selectFrom('victim_referrals')
      .innerJoin('crimes', 'crimes.id', 'victim_referrals.crime_id')
      .innerJoin('forces', 'forces.id', 'crimes.force_id')
      .where('forces.name', '=', DEMO_FORCE)
      .select('crimes.id')
      .orderBy('victim_referrals.id')
      .executeTakeFirstOrThrow()
    await atEveryWidth(`/victims/crimes/${referred.id}`, async () => {
      expect(await session.page.locator('.tl-table-scroll table[id$="-referrals"]').count()).toBeGreaterThan(0)
    })
    await atEveryWidth(`/screening/crimes/${referred.id}`)
    await atEveryWidth('/risk/daily')
    const { page, server } = session
    await page.context().clearCookies()
    await signIn(page, server.url, 'admin')
    await atEveryWidth('/admin')
  }, 180_000)
})
