// Sign-off in a real browser (issue 16): an officer who owns an item writes an update; the public page does not
// change; the executive lead approves it; the public page shows it with its approval date; a correction, once
// approved, shows "corrected on". axe (WCAG 2.2 AA) on every page visited. Each step signs in as another user in
// its own browser context, so the steps get a generous timeout on a loaded machine.
import { describe, expect, it } from 'vitest'
import { browserAvailable, expectAccessible, newPage, signIn, useBrowserSession } from '../support/browser.ts'

const UPDATE = 'Stalking e-learning assigned to every response officer; 412 of 530 have completed it.'
const CORRECTED = 'Stalking e-learning assigned to every response officer; 452 of 530 have completed it.'

describe.runIf(browserAvailable())('plan sign-off in the browser', () => {
  const session = useBrowserSession({ signInAs: 'planowner' })

  it('lets the plan owner make an officer the owner of an item (a draft, listed for approval)', async () => {
    const page = session.page
    await page.goto(`${session.server.url}/plans/demoshire/items/10.1`)
    await page.getByLabel('New owner').fill('PC Alex Carter')
    await page.getByRole('button', { name: 'Change the owner' }).click()
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('PC Alex Carter')
    expect(await page.locator('#item-drafts').textContent()).toContain('waiting for approval')
    await expectAccessible(page)
    await page.goto(`${session.server.url}/plans/demoshire/approvals`)
    expect(await page.locator('main').textContent()).toContain('Owner from')
    await expectAccessible(page)
  }, 240_000)

  it('has the officer-owner write an update that the public page does not show', async () => {
    const officer = await newPage(session.browser)
    await signIn(officer, session.server.url, 'officer')
    await officer.goto(`${session.server.url}/plans/demoshire/items/10.1`)
    await officer.getByLabel('What has been done').fill(UPDATE)
    await officer.getByLabel('In progress').first().check()
    await officer.getByLabel('% complete (optional)').first().fill('78')
    await officer.getByRole('button', { name: 'Add the update' }).click()
    await expect.poll(() => officer.locator('.govuk-notification-banner').textContent()).toContain('draft')
    expect(await officer.locator('.moj-timeline').first().textContent()).toContain('Draft')
    await expectAccessible(officer)
    await officer.context().close()

    const anonymous = await newPage(session.browser)
    await anonymous.goto(`${session.server.url}/public/plans/demoshire`)
    expect(await anonymous.locator('#plan-table').textContent()).not.toContain(UPDATE)
    await anonymous.context().close()
  }, 240_000)

  it('has the executive lead approve it, after which the public page shows it with its approval date', async () => {
    const lead = await newPage(session.browser)
    await signIn(lead, session.server.url, 'execlead')
    await lead.goto(`${session.server.url}/plans/demoshire/approvals`)
    await expectAccessible(lead)
    await lead.getByLabel('Comment').fill('Checked against the learning system report.')
    await lead.getByRole('button', { name: /Approve all/ }).click()
    await expect.poll(() => lead.locator('.govuk-notification-banner').textContent()).toContain('approved')
    expect(await lead.locator('#no-drafts').textContent()).toContain('no drafts')
    expect(await lead.locator('#approval-history').textContent()).toContain(
      'Checked against the learning system report.',
    )
    await expectAccessible(lead)
    await lead.context().close()

    const anonymous = await newPage(session.browser)
    await anonymous.goto(`${session.server.url}/public/plans/demoshire`)
    const table = (await anonymous.locator('#plan-table').textContent()) ?? ''
    expect(table).toContain(UPDATE)
    expect(table).toContain('PC Alex Carter')
    expect(table).toMatch(/Approved on \d{1,2} [A-Z][a-z]+ \d{4}/)
    expect(await anonymous.locator('#last-approved').textContent()).toMatch(/\d{4} by the force/)
    await expectAccessible(anonymous)
    await anonymous.context().close()
  }, 240_000)

  it('corrects the update with a reason; once approved the public page shows the correction and "corrected on"', async () => {
    const officer = await newPage(session.browser)
    await signIn(officer, session.server.url, 'officer')
    await officer.goto(`${session.server.url}/plans/demoshire/items/10.1`)
    await officer.getByText('Correct this update').first().click()
    await officer.getByLabel('Corrected update').first().fill(CORRECTED)
    await officer.getByLabel('Reason for the correction').first().fill('The completion count was mistyped')
    await officer.getByRole('button', { name: 'Save the correction' }).first().click()
    await expect
      .poll(() => officer.locator('.govuk-notification-banner').textContent())
      .toContain('Correction recorded')
    expect(await officer.locator('.moj-timeline').first().textContent()).toContain('Every version (2)')
    await expectAccessible(officer)
    await officer.context().close()

    const anonymous = await newPage(session.browser)
    await anonymous.goto(`${session.server.url}/public/plans/demoshire`)
    expect(await anonymous.locator('#plan-table').textContent()).toContain(UPDATE)

    const lead = await newPage(session.browser)
    await signIn(lead, session.server.url, 'execlead')
    await lead.goto(`${session.server.url}/plans/demoshire/approvals`)
    await lead.getByLabel(/Correction of an update/).check()
    await lead.getByLabel('Comment').fill('Correction checked.')
    await lead.getByRole('button', { name: 'Approve the selected drafts' }).click()
    await expect.poll(() => lead.locator('.govuk-notification-banner').textContent()).toContain('1 draft approved')
    await lead.context().close()

    await anonymous.reload()
    const table = (await anonymous.locator('#plan-table').textContent()) ?? ''
    expect(table).toContain(CORRECTED)
    expect(table).not.toContain(UPDATE)
    expect(table).toMatch(/Corrected on \d{1,2} [A-Z][a-z]+ \d{4}: The completion count was mistyped/)
    await expectAccessible(anonymous)
    await anonymous.context().close()
  }, 240_000)
})
