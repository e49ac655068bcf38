// The page patterns (docs/page-patterns.md), one test each, in a real browser with axe-core at 320, 768 and 1280 px.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEMO_FORCE, SECOND_DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { browserAvailable, expectAccessible, newPage, signIn, useBrowserSession } from '../support/browser.ts'

const WIDTHS = [320, 768, 1280]

/** axe and "no sideways scroll" at each width, back at 1280 after. */
async function expectAccessibleAtEveryWidth(page: Page): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 })
    await expectAccessible(page)
  }
}

describe.runIf(browserAvailable())('page patterns in the browser', () => {
  const session = useBrowserSession({ signInAs: 'specialist' })

  /** A crime of the demo force carrying 8Q, principal or included. */
  async function stalkingCrime(): Promise<{ id: number; reference: string }> {
    const row = await session.server.services.db
      .selectFrom('crimes')
      .innerJoin('forces', 'forces.id', 'crimes.force_id')
      .innerJoin('crime_classifications', 'crime_classifications.crime_id', 'crimes.id')
      .where('forces.name', '=', DEMO_FORCE)
      .where('crime_classifications.code', '=', '8Q')
      .select(['crimes.id', 'crimes.force_reference'])
      .orderBy('crimes.id')
      .executeTakeFirstOrThrow()
    return { id: Number(row.id), reference: row.force_reference }
  }

  it('keeps a form posted after the session ended: sign in again, and it is back with the answers', async () => {
    const { page, server } = session
    const crime = await stalkingCrime()
    await page.goto(`${server.url}/screening/crimes/${crime.id}/sdash`)
    for (const radio of await page.getByRole('radio', { name: 'No', exact: true }).all()) await radio.check()
    await page.getByLabel('Your professional judgement').fill('Fixated contact over months; the victim is frightened.')
    await page.getByRole('radio', { name: 'High' }).check()
    // The session ends (signed out in another tab, or timed out) before the form is sent.
    await page.context().clearCookies()
    await page.getByRole('button', { name: 'Record the S-DASH' }).click()
    await page.waitForURL(`${server.url}/sign-in`)
    expect(await page.locator('main').textContent()).not.toContain('You do not have access')
    expect(await page.locator('#kept-form-notice').textContent()).toContain('What you typed has been kept')
    await expectAccessible(page)
    await signIn(page, server.url, 'specialist')
    expect(new URL(page.url()).pathname).toBe(`/screening/crimes/${crime.id}/sdash`)
    await expect.poll(() => page.locator('#kept-form').textContent()).toContain('Your answers are back in the form')
    expect(await page.getByLabel('Your professional judgement').inputValue()).toBe(
      'Fixated contact over months; the victim is frightened.',
    )
    expect(await page.getByRole('radio', { name: 'High' }).isChecked()).toBe(true)
    await expectAccessibleAtEveryWidth(page)
    await page.getByRole('button', { name: 'Record the S-DASH' }).click()
    await page.waitForURL((url) => url.pathname === `/screening/crimes/${crime.id}`)
    expect(await page.locator('.govuk-notification-banner').first().textContent()).toMatch(/S-DASH/)
  }, 180_000)
  it('reads a date typed into one field (27/3/2025 style) on the SPO form', async () => {
    const { page, server } = session
    const crime = await stalkingCrime()
    const reported = await server.services.db
      .selectFrom('crimes')
      .select('reported_at')
      .where('id', '=', crime.id)
      .executeTakeFirstOrThrow()
    const applied = new Date(Date.parse(reported.reported_at) + 3 * 86_400_000)
    const typed = `${applied.getUTCDate()}/${applied.getUTCMonth() + 1}/${applied.getUTCFullYear()}`
    await page.goto(`${server.url}/safeguarding/crimes/${crime.id}/spo`)
    await page.getByRole('radio', { name: 'Apply for an SPO', exact: true }).check()
    await page.locator('#appliedOn').fill(typed)
    await page.getByRole('radio', { name: 'No', exact: true }).first().check()
    await page.getByRole('radio', { name: 'Pending' }).check()
    await expectAccessibleAtEveryWidth(page)
    await page.getByRole('button', { name: 'Record the consideration' }).click()
    await page.waitForURL((url) => url.pathname === `/safeguarding/crimes/${crime.id}/spo`)
    expect(await page.locator('.govuk-error-summary').count()).toBe(0)
    const months = [
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December',
    ]
    expect(await page.locator('main').textContent()).toContain(
      `${applied.getUTCDate()} ${months[applied.getUTCMonth()]} ${applied.getUTCFullYear()}`,
    )
  }, 180_000)

  it('asks before withdrawing the public page, and withdraws only when confirmed', async () => {
    const { browser, server } = session
    const page = await newPage(browser)
    try {
      await signIn(page, server.url, 'execlead')
      const force = await server.services.db
        .selectFrom('forces')
        .select('code')
        .where('name', '=', DEMO_FORCE)
        .executeTakeFirstOrThrow()
      await page.goto(`${server.url}/plans/${force.code}`)
      await page.getByRole('button', { name: 'Withdraw the public page' }).click()
      expect(await page.locator('h1').textContent()).toContain('Withdraw the public page?')
      await expectAccessibleAtEveryWidth(page)
      expect((await page.request.get(`${server.url}/public/plans/${force.code}`)).status()).toBe(200)
      await page.getByRole('button', { name: 'Yes, withdraw the public page' }).click()
      await page.waitForURL((url) => url.pathname === `/plans/${force.code}`)
      expect(await page.locator('.govuk-notification-banner').first().textContent()).toContain('withdrawn')
      expect((await page.request.get(`${server.url}/public/plans/${force.code}`)).status()).toBe(404)
    } finally {
      await page.close()
    }
  }, 180_000)

  it('titles an error page "Error:", goes Back after a successful submit to the form without sending it again, and asks before removing', async () => {
    const { browser, server } = session
    const page = await newPage(browser)
    const registered = async () =>
      (
        await server.services.db
          .selectFrom('investigation_skills')
          .select('id')
          .where('officer', '=', 'DC 7710')
          .where('removed_at', 'is', null)
          .execute()
      ).length
    try {
      await signIn(page, server.url, 'admin')
      await page.goto(`${server.url}/investigation/officers`)
      await page.getByRole('button', { name: 'Add to the register' }).click()
      await page.waitForURL((url) => url.pathname === '/investigation/officers')
      expect(await page.title()).toMatch(/^Error: /)
      expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter the officer')
      await expectAccessible(page)

      await page.getByLabel('Officer', { exact: true }).fill('DC 7710')
      await page.getByRole('radio', { name: 'Trained stalking investigator' }).check()
      await page.getByLabel('Course', { exact: true }).fill('Stalking investigation course')
      await page.locator('#trainedOn').fill('14/1/2025')
      await page.getByRole('button', { name: 'Add to the register' }).click()
      await page.waitForURL((url) => url.pathname === '/investigation/officers')
      expect(await page.locator('.govuk-notification-banner').first().textContent()).toContain('added to the register')
      expect(await registered()).toBe(1)

      // Back: the page before, shown afresh (no error, no "expired", no resubmission).
      await page.goBack()
      expect(await page.title()).not.toMatch(/^Error: /)
      expect(await page.locator('main').textContent()).not.toMatch(/expired|There is a problem/)
      await page.goForward()
      expect(await registered()).toBe(1)

      await page.goto(`${server.url}/investigation/officers`)
      await page.getByRole('button', { name: 'Remove DC 7710 (Stalking investigation course)' }).click()
      expect(await page.locator('h1').textContent()).toContain('Take DC 7710 off the register?')
      await expectAccessibleAtEveryWidth(page)
      expect(await registered()).toBe(1)
      await page.getByRole('button', { name: 'Yes, take DC 7710 off the register' }).click()
      await page.waitForURL((url) => url.pathname === '/investigation/officers')
      expect(await registered()).toBe(0)
    } finally {
      await page.close()
    }
  }, 180_000)

  it("shows people's names and words for codes: audit actions, not usernames or dotted codes", async () => {
    const { browser, server } = session
    const page = await newPage(browser)
    try {
      await signIn(page, server.url, 'admin')
      await page.goto(`${server.url}/admin/audit`)
      const rows = page.locator('main table tbody tr')
      expect(await rows.count()).toBeGreaterThan(0)
      const cells = await rows.evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent?.trim() ?? '')),
      )
      const names = new Set(cells.map((row) => row[2]))
      const actions = cells.map((row) => row[3])
      // The development sign-in was recorded under the username "admin": the page names the person instead.
      expect(names).toContain('Chris Lambert')
      expect(names).not.toContain('admin')
      for (const action of actions) expect(action).not.toMatch(/^[a-z]+(\.[a-z-]+)+$/)
      expect(actions).toContain('Signed in')
      await expectAccessibleAtEveryWidth(page)
    } finally {
      await page.close()
    }
  }, 180_000)

  it('gives the public their own header, an accessibility statement and a contact page', async () => {
    const { browser, server } = session
    const page = await newPage(browser)
    try {
      await page.goto(`${server.url}/public/plans`)
      const home = await page.locator('header a').first().getAttribute('href')
      expect(home).not.toMatch(/sign-in/)
      expect(await page.locator('a[href*="sign-in"]').count()).toBe(0)
      await expectAccessibleAtEveryWidth(page)
      await page
        .getByRole('link', { name: /Accessibility/ })
        .first()
        .click()
      await page.waitForURL((url) => url.pathname === '/public/accessibility')
      await expectAccessible(page)
      await page
        .getByRole('link', { name: /Contact/ })
        .first()
        .click()
      await page.waitForURL((url) => url.pathname === '/public/contact')
      await expectAccessible(page)
    } finally {
      await page.close()
    }
  }, 180_000)

  it("answers 404 for another force's crime, as for one that does not exist", async () => {
    const { page, server } = session
    const other = await server.services.db
      .selectFrom('crimes')
      .innerJoin('forces', 'forces.id', 'crimes.force_id')
      .where('forces.name', '=', SECOND_DEMO_FORCE)
      .select('crimes.id')
      .executeTakeFirstOrThrow()
    const theirs = await page.goto(`${server.url}/crimes/${other.id}`)
    expect(theirs?.status()).toBe(404)
    const text = await page.locator('main').textContent()
    const missing = await page.goto(`${server.url}/crimes/999999999`)
    expect(missing?.status()).toBe(404)
    expect(await page.locator('main').textContent()).toBe(text)
    await expectAccessible(page)
  }, 120_000)

  it('keeps the navigation to one row of at most seven entries for every demo role', async () => {
    const { browser, server } = session
    const page = await newPage(browser)
    try {
      await page.setViewportSize({ width: 1280, height: 900 })
      for (const username of ['officer', 'supervisor', 'specialist', 'analyst', 'planowner', 'execlead', 'admin']) {
        await signIn(page, server.url, username)
        const items = page.locator('.govuk-service-navigation__item')
        const count = await items.count()
        expect(count, username).toBeLessThanOrEqual(7)
        const tops = new Set<number>()
        for (let index = 0; index < count; index++) tops.add(Math.round((await items.nth(index).boundingBox())!.y))
        expect(tops.size, `${username}'s navigation wraps onto ${tops.size} rows`).toBe(1)
        await page.context().clearCookies()
      }
    } finally {
      await page.close()
    }
  }, 180_000)
})
