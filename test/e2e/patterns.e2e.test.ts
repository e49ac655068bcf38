// The page patterns (docs/page-patterns.md), one test each, in a real browser with axe-core at 320, 768 and 1280 px.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { browserAvailable, expectAccessible, signIn, useBrowserSession } from '../support/browser.ts'

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
})
