// Risk and the daily management meeting in the browser (issue 13), on `npm start`'s demo data: an officer completes a
// DASH and an S-DASH on a case; the supervisor's My work shows the review due; the supervisor raises the level with a
// reason; the case is on the next day's management list; the meeting records a decision and an action; the action is
// in its owner's My work. axe (WCAG 2.2 AA) on every page visited.
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { browserAvailable, expectAccessible, signIn, useBrowserSession } from '../support/browser.ts'

async function completeTool(page: Page, url: string, tool: 'DASH' | 'S-DASH', crimeId: number, level: string) {
  await page.goto(`${url}/risk/crimes/${crimeId}`)
  await page.getByRole('link', { name: new RegExp(`^Complete the ${tool} on crime`) }).click()
  await page.waitForURL(new RegExp(`/risk/crimes/${crimeId}/assess/`))
  await expectAccessible(page)
  // Send it empty first: the error summary names each question.
  await page.getByRole('button', { name: `Record the ${tool}` }).click()
  await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('Answer question 1')
  await expectAccessible(page)
  const questions = await page.locator('input[type="radio"][value="no"][name^="q"]').count()
  for (let n = 1; n <= questions; n++)
    await page.locator(`input[name="q${n}"][value="${n <= 3 ? 'yes' : 'no'}"]`).check()
  await page.locator(`input[name="riskLevel"][value="${level}"]`).check()
  await page
    .getByLabel('Why you judge it at this level')
    .fill(`Repeated unwanted contact; ${tool} completed with the victim.`)
  await page.getByRole('button', { name: `Record the ${tool}` }).click()
  await page.waitForURL(`${url}/risk/crimes/${crimeId}`)
}

describe.runIf(browserAvailable())('Risk assessments and the daily management meeting in the browser', () => {
  const session = useBrowserSession()

  it('from the DASH and S-DASH to the action in its owner’s My work', async () => {
    const { server, page } = session
    const services = server.services
    const force = (await services.crime.repository.forceByName(DEMO_FORCE))!
    const crime = await services.db
      .selectFrom('crime_classification_index as i')
      .innerJoin('crimes as c', 'c.id', 'i.crime_id')
      .where('i.force_id', '=', force.id)
      .where('i.search_key', '=', '8Q')
      .where('c.team', 'is not', null)
      .select(['c.id', 'c.force_reference', 'c.team'])
      .orderBy('c.id')
      .executeTakeFirstOrThrow()
    const officer = (await services.users.sessionUserByUsername('officer'))!
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)

    // The officer completes a DASH and an S-DASH, from the case page.
    await signIn(page, server.url, 'officer')
    await page.goto(`${server.url}/cases/${crime.id}`)
    await expectAccessible(page)
    await page.getByRole('link', { name: 'risk assessments' }).click()
    await page.waitForURL(`${server.url}/risk/crimes/${crime.id}`)
    await expectAccessible(page)
    await completeTool(page, server.url, 'DASH', crime.id, 'medium')
    await completeTool(page, server.url, 'S-DASH', crime.id, 'medium')
    await expect
      .poll(() => page.locator('#risk-history').textContent())
      .toContain('S-DASH completed: 3 of 11 answered yes')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Sign out' }).click()

    // The supervisor's My work shows the review due; the supervisor raises the DASH's level with a reason.
    await signIn(page, server.url, 'supervisor')
    await page.goto(`${server.url}/`)
    await expect.poll(() => page.locator('#risk-review-list').textContent()).toContain(crime.force_reference)
    await expectAccessible(page)
    await page.locator('#risk-review-list').getByRole('link', { name: crime.force_reference }).click()
    await page.waitForURL(`${server.url}/risk/crimes/${crime.id}`)
    const [dash] = await services.db
      .selectFrom('risk_assessments')
      .select('id')
      .where('crime_id', '=', crime.id)
      .where('tool_id', '=', 'dash')
      .execute()
    const card = page.locator(`#assessment-${dash.id}`)
    await card.getByLabel('Change the risk level').check()
    await card.locator('input[name="riskLevel"][value="high"]').check()
    await card.getByLabel('If you change it: why').fill('The victim disclosed threats to kill at the second contact.')
    await card.getByRole('button', { name: 'Record the review' }).click()
    await page.waitForURL(`${server.url}/risk/crimes/${crime.id}`)
    await expect.poll(() => page.locator('#risk-history').textContent()).toContain('High (raised)')
    await expectAccessible(page)

    // The case is on the next day's list for its team; the meeting records a decision and an action for the officer.
    await page.goto(`${server.url}/risk/daily?date=${tomorrow}&team=${encodeURIComponent(crime.team as string)}`)
    const row = page.locator(`#case-${crime.id}`)
    await expect.poll(() => row.textContent()).toContain('Risk rose')
    await expectAccessible(page)
    await page.locator(`#decision-${crime.id}`).fill('Refer to MARAC; apply for an SPO.')
    await page.locator(`#action-${crime.id}`).fill('Make the MARAC referral')
    await page.locator(`#owner-${crime.id}`).selectOption(String(officer.id))
    const [year, month, day] = tomorrow.split('-')
    await page.locator(`#due-${crime.id}`).fill(String(Number(day)))
    await page.locator(`#due-${crime.id}-month`).fill(String(Number(month)))
    await page.locator(`#due-${crime.id}-year`).fill(year)
    await page.getByRole('button', { name: 'Record the meeting' }).click()
    await page.waitForURL(/\/risk\/meetings\/\d+$/)
    await expect.poll(() => page.locator('#decisions').textContent()).toContain('Refer to MARAC; apply for an SPO.')
    await expect.poll(() => page.locator('#actions').textContent()).toContain('Make the MARAC referral')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Sign out' }).click()

    // The action is in its owner's My work.
    await signIn(page, server.url, 'officer')
    await page.goto(`${server.url}/`)
    await expect.poll(() => page.locator('#my-actions').textContent()).toContain('Make the MARAC referral')
    await expect.poll(() => page.locator('#my-actions').textContent()).toContain(crime.force_reference)
    await expectAccessible(page)
  }, 240_000)
})
