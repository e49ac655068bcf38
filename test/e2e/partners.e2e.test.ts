// Partners in the browser, on `npm start`'s demo data: an officer sends a referral with the victim's consent from the
// victim care page; the demo partner user (the Demoshire Stalking Advocacy Service) signs in, finds it in the inbox,
// accepts it, records contact and the outcome; the officer sees the outcome on the case page and the victim care page.
// axe (WCAG 2.2 AA) on every page either user visits.
import { describe, expect, it } from 'vitest'
import { DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { browserAvailable, expectAccessible, signIn, useBrowserSession } from '../support/browser.ts'

describe.runIf(browserAvailable())('Partners in the browser', () => {
  const session = useBrowserSession({ signInAs: 'officer' })

  it('officer refers with consent, the service answers in Threadline, the officer sees the outcome', async () => {
    const { server, page } = session
    const { services } = server
    const force = (await services.crime.repository.forceByName(DEMO_FORCE))!
    // A demo 8Q crime whose victim has no referral through Threadline yet.
    const pick = await services.db
      .selectFrom('crime_classification_index as i')
      .innerJoin('crimes as c', 'c.id', 'i.crime_id')
      .innerJoin('crime_parties as p', 'p.crime_id', 'i.crime_id')
      .innerJoin('people as person', 'person.id', 'p.person_id')
      .where('i.force_id', '=', force.id)
      .where('i.search_key', '=', '8Q')
      .where('p.role', '=', 'victim')
      .where((eb) =>
        eb.not(
          eb.exists(eb.selectFrom('partner_referrals as r').select('r.id').whereRef('r.crime_id', '=', 'i.crime_id')),
        ),
      )
      .select(['c.id', 'c.force_reference', 'p.person_id', 'person.forename', 'person.surname'])
      .orderBy('c.id')
      .executeTakeFirstOrThrow()
    const name = [pick.forename, pick.surname].filter(Boolean).join(' ')
    const today = new Date().toISOString().slice(0, 10)

    // The officer: victim care, then the referral form.
    await page.goto(`${server.url}/victims/crimes/${pick.id}`)
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Send a referral to a partner service through Threadline' }).click()
    await page.waitForURL(`${server.url}/partners/crimes/${pick.id}/refer`)
    await expectAccessible(page)
    await page.locator(`input[name="personId"][value="${pick.person_id}"]`).check()
    await page
      .getByLabel('Service', { exact: true })
      .selectOption({ label: 'Demoshire Stalking Advocacy Service (Victim support service)' })
    await page.locator('#consented').check()
    await page.locator('#consentOn').fill(today)
    await page.getByLabel('Consent of the victim (UK GDPR Article 6(1)(a))').check()
    await page.getByLabel('Phone number the victim agreed to').fill('07700 900456')
    await page.locator('#safeToLeaveMessage-2').check()
    await page.getByLabel('How the service can contact you').fill('pc.carter@example.police.uk')
    await page.getByRole('button', { name: 'Send the referral' }).click()
    await page.waitForURL(`${server.url}/partners/crimes/${pick.id}`)
    await expect.poll(() => page.locator('main').textContent()).toContain('Referral sent.')
    await expect
      .poll(() => page.locator('main').textContent())
      .toContain(`${name} to Demoshire Stalking Advocacy Service`)
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL((url) => url.pathname.startsWith('/sign-in') || url.pathname === '/')

    // The service's user: the inbox, the referral, accept, contact, outcome.
    await signIn(page, server.url, 'partner')
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Referrals', exact: true }).first().click()
    await page.waitForURL(`${server.url}/partners/inbox`)
    await expectAccessible(page)
    await page.locator('#open-referrals').getByRole('link', { name }).first().click()
    await page.waitForURL(/\/partners\/referrals\/\d+$/)
    await expect.poll(() => page.locator('#referral-details').textContent()).toContain('07700 900456')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Accept the referral' }).click()
    await expect.poll(() => page.locator('main').textContent()).toContain('Referral accepted.')
    await expectAccessible(page)
    await page.locator('#contactOn').fill(today)
    await page.getByLabel('Phone call').check()
    await page.getByLabel('Spoke with the victim').check()
    await page.getByRole('button', { name: 'Record the contact attempt' }).click()
    await expect.poll(() => page.locator('main').textContent()).toContain('Contact attempt recorded.')
    await page.locator('#closedOn').fill(today)
    await page.getByLabel('Support given').check()
    await page.getByLabel('Note for the officer (optional)').fill('Advocate allocated')
    await page.getByRole('button', { name: 'Close the referral' }).click()
    await expect
      .poll(() => page.locator('#referral-status').textContent())
      .toContain('Closed by the service: Support given')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL((url) => url.pathname.startsWith('/sign-in') || url.pathname === '/')

    // The officer sees the outcome on the case page and on victim care.
    await signIn(page, server.url, 'officer')
    await page.goto(`${server.url}/cases/${pick.id}`)
    await expect
      .poll(() => page.locator('main').textContent())
      .toContain('Demoshire Stalking Advocacy Service closed the referral: Support given')
    await expectAccessible(page)
    await page.goto(`${server.url}/victims/crimes/${pick.id}`)
    await expect
      .poll(() => page.locator('main').textContent())
      .toContain('The service says: Demoshire Stalking Advocacy Service: Support given (Advocate allocated)')
    await expectAccessible(page)
  })
})
