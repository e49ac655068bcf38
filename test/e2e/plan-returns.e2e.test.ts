// NPCC returns and the public national tracker in a real browser (issue 16): the plan owner generates a return as at
// a date and marks it reviewed; the executive lead approves it (confirmation page) and it shows as frozen; a second
// return is compared with it; the public tracker lists every force at 320 px without sideways scroll. axe on every
// page visited.
import { describe, expect, it } from 'vitest'
import { browserAvailable, expectAccessible, newPage, signIn, useBrowserSession } from '../support/browser.ts'

describe.runIf(browserAvailable())('NPCC returns and the national tracker in the browser', () => {
  const session = useBrowserSession({ signInAs: 'planowner' })
  let returnUrl = ''

  it('has the plan owner generate a return as at a date and mark it reviewed', async () => {
    const page = session.page
    await page.goto(`${session.server.url}/plans/demoshire`)
    await page.getByRole('link', { name: 'NPCC returns' }).click()
    await expectAccessible(page)
    await page.locator('#asAt').fill('1')
    await page.locator('#asAt-month').fill('3')
    await page.locator('#asAt-year').fill('2025')
    await page.getByRole('button', { name: 'Generate the return' }).click()
    await expect.poll(() => page.locator('h1').textContent()).toContain('NPCC return as at 1 March 2025')
    returnUrl = page.url()
    await expectAccessible(page)
    await page.getByLabel('Mark the return reviewed').fill('Checked every item against the PPU log.')
    await page.getByRole('button', { name: 'Mark reviewed' }).click()
    await expect.poll(() => page.locator('#return-facts').textContent()).toContain('Reviewed, waiting for approval')
    await expectAccessible(page)
  }, 240_000)

  it('has the executive lead approve it after a confirmation, after which it is frozen', async () => {
    const lead = await newPage(session.browser)
    await signIn(lead, session.server.url, 'execlead')
    await lead.goto(returnUrl)
    await lead.getByLabel('Approve the return').fill('Approved for the NPCC.')
    await lead.getByRole('button', { name: 'Approve the return' }).click()
    await expect.poll(() => lead.locator('h1').textContent()).toContain('Approve the NPCC return')
    await expectAccessible(lead)
    await lead.getByRole('button', { name: 'Yes, approve and freeze the return' }).click()
    await expect.poll(() => lead.locator('#return-frozen').textContent()).toContain('cannot be changed')
    expect(await lead.getByRole('button', { name: 'Approve the return' }).count()).toBe(0)
    await expectAccessible(lead)
    await lead.context().close()
  }, 240_000)

  it('compares a later return with the frozen one', async () => {
    const page = session.page
    await page.goto(`${session.server.url}/plans/demoshire/returns`)
    await page.getByRole('button', { name: 'Generate the return' }).click()
    await expect.poll(() => page.locator('h1').textContent()).toContain('NPCC return as at')
    await page.getByRole('link', { name: 'the return as at 1 March 2025' }).click()
    await expect.poll(() => page.locator('h1').textContent()).toContain('What changed since the last return')
    expect(await page.locator('#compare-summary').textContent()).toMatch(/\d+ evidence items? changed/)
    await expectAccessible(page)
    await page.goto(`${session.server.url}/plans/demoshire/returns`)
    expect(await page.locator('#returns').textContent()).toContain('Approved, frozen')
    await expectAccessible(page)
  }, 240_000)

  it('shows the public national tracker, every force, at 320 px without sign-in', async () => {
    const anonymous = await newPage(session.browser)
    await anonymous.setViewportSize({ width: 320, height: 900 })
    await anonymous.goto(`${session.server.url}/public/national`)
    const text = (await anonymous.locator('main').textContent()) ?? ''
    for (const name of [
      'Avon and Somerset Constabulary',
      'British Transport Police',
      'Gwent Police',
      'Demoshire Police',
    ])
      expect(text).toContain(name)
    expect(await anonymous.locator('#tracker-progress tbody tr').count()).toBeGreaterThanOrEqual(44)
    await expectAccessible(anonymous)
    await anonymous.context().close()
  }, 240_000)
})
