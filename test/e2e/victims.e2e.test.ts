// Victim care in the browser, on `npm start`'s demo data: from a stalking crime's page to its victim care page, the
// victim's rights recorded by keyboard (the error summary first when the form is sent empty, its links taking the
// keyboard to each field), the directory and its public page, the monitoring page, and the live figures the demo data
// gives the action plan. axe (WCAG 2.2 AA) on every page visited.
import { describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { loadVictimsDemo } from '../../src/victims/index.ts'
import {
  browserAvailable,
  expectAccessible,
  expectAccessibleAtEveryWidth,
  signIn,
  useBrowserSession,
} from '../support/browser.ts'

describe.runIf(browserAvailable())('Victim care in the browser', () => {
  const session = useBrowserSession({ signInAs: 'officer' })

  it('the demo data gives the plan live figures on 14.1 to 14.5, and loading it again adds nothing', async () => {
    const { services } = session.server
    const force = (await services.crime.repository.forceByName(DEMO_FORCE))!
    const figures = await services.insight.evidence.evidenceFigures(force.id, ['14.1', '14.2', '14.3', '14.4', '14.5'])
    expect(figures.get('14.1')?.[0]).toMatchObject({ id: 'needs_assessed' })
    expect(figures.get('14.1')![0].numerator).toBeGreaterThan(0)
    expect(figures.get('14.2')![0].numerator).toBeGreaterThan(0)
    expect(figures.get('14.3')![0]).toMatchObject({ id: 'support_directory', numerator: 5 })
    expect(figures.get('14.4')![0].sentence).toMatch(
      /\d+% of stalking victims who wanted support were referred \(\d+ of \d+\); \d+ declined support; median \d+ days? from report to referral\./,
    )
    const count = async () => (await services.db.selectFrom('victim_rights').select('id').execute()).length
    const before = await count()
    expect(before).toBeGreaterThan(0)
    await loadVictimsDemo(services, SYSTEM_ACTOR)
    expect(await count()).toBe(before)
    expect((await services.db.selectFrom('support_services').select('id').execute()).length).toBe(10)
  })

  it("records a victim's Victims' Code rights by keyboard from the crime page", async () => {
    const { server, page } = session
    const force = (await server.services.crime.repository.forceByName(DEMO_FORCE))!
    // A demo 8Q crime with a victim not yet recorded as told of their rights (the demo data records most, not all).
    const pick = await server.services.db
      .selectFrom('crime_classification_index as i')
      .innerJoin('crimes as c', 'c.id', 'i.crime_id')
      .innerJoin('crime_parties as p', 'p.crime_id', 'i.crime_id')
      .where('i.force_id', '=', force.id)
      .where('i.search_key', '=', '8Q')
      .where('p.role', '=', 'victim')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('victim_rights as r')
              .select('r.id')
              .whereRef('r.crime_id', '=', 'i.crime_id')
              .whereRef('r.person_id', '=', 'p.person_id'),
          ),
        ),
      )
      .select(['c.id', 'c.force_reference', 'p.person_id'])
      .orderBy('c.id')
      .executeTakeFirstOrThrow()
    const prefix = `v${pick.person_id}-rights-`

    await page.goto(`${server.url}/crimes/${pick.id}`)
    await expectAccessible(page)
    await page.getByRole('link', { name: `Victim care for ${pick.force_reference}` }).press('Enter')
    await page.waitForURL(`${server.url}/victims/crimes/${pick.id}`)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Victim care')
    await expectAccessible(page)

    // Open the rights form by keyboard and send it empty: the error summary comes first, naming each field.
    const section = page.locator(`#victim-${pick.person_id}`)
    await section.locator('summary', { hasText: 'Record that the victim was told of their rights' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator(`#${prefix}toldOn`).isVisible()).toBe(true)
    await section.getByRole('button', { name: 'Record the rights' }).press('Enter')
    const summary = page.locator('.govuk-error-summary')
    await expect.poll(() => summary.textContent()).toContain('Choose how the victim was told of their rights')
    await expect.poll(() => summary.textContent()).toContain('Choose whether the victim is entitled to enhanced rights')
    await expectAccessible(page)

    // Each summary link takes the keyboard to its field.
    await summary
      .getByRole('link', { name: 'Enter the date the victim was told of their rights as a real date' })
      .press('Enter')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`${prefix}toldOn`)
    await page.keyboard.type(new Date().toISOString().slice(0, 10))
    await summary.getByRole('link', { name: 'Choose how the victim was told of their rights' }).press('Enter')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`${prefix}method`)
    // Arrow keys move through a radio group and select as they go: from "In person" down to "By phone".
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => page.getByLabel('By phone').first().isChecked()).toBe(true)
    await summary.getByRole('link', { name: 'Choose whether the victim is entitled to enhanced rights' }).press('Enter')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`${prefix}enhanced`)
    await page.keyboard.press('Space')
    await section.getByRole('button', { name: 'Record the rights' }).press('Enter')
    await expect.poll(() => page.locator('main').textContent()).toContain("Victims' Code rights recorded.")
    await expect
      .poll(() => page.locator(`#victim-${pick.person_id}-summary`).textContent())
      .toMatch(/Told \d+ \w+ \d{4}, by phone; entitled to enhanced rights \(recorded by PC Alex Carter\)/)
    await expectAccessible(page)

    const stored = await server.services.db
      .selectFrom('victim_rights')
      .selectAll()
      .where('crime_id', '=', pick.id)
      .where('person_id', '=', pick.person_id)
      .execute()
    expect(stored).toEqual([expect.objectContaining({ method: 'phone', enhanced: 1, recorded_by: 'officer' })])
  })

  it('records a referral with its dates typed whole into one field, as every date input reads them (issue 11)', async () => {
    const { server, page } = session
    const force = (await server.services.crime.repository.forceByName(DEMO_FORCE))!
    const pick = await server.services.db
      .selectFrom('crime_classification_index as i')
      .innerJoin('crimes as c', 'c.id', 'i.crime_id')
      .innerJoin('crime_parties as p', 'p.crime_id', 'i.crime_id')
      .where('i.force_id', '=', force.id)
      .where('i.search_key', '=', '8Q')
      .where('p.role', '=', 'victim')
      .where('c.reported_at', '<', '2025-03-20')
      .select(['c.id', 'p.person_id'])
      .orderBy('c.id')
      .executeTakeFirstOrThrow()
    const prefix = `v${pick.person_id}-referral-`
    await page.goto(`${server.url}/victims/crimes/${pick.id}`)
    const section = page.locator(`#victim-${pick.person_id}`)
    const form = section.locator('form[action$="/referrals"]')
    if (!(await form.isVisible())) {
      await section.locator('summary', { hasText: 'Record a referral to a support service' }).click()
    }
    // No lone text box for a date: the outcome date is the same three fields as every other date.
    expect(await form.locator(`#${prefix}outcomeOn-month`).count()).toBe(1)
    await form.locator(`#${prefix}serviceId`).selectOption({ index: 1 })
    await form.locator(`#${prefix}referredOn`).fill('27/03/2025')
    await form.locator('input[name="consented"][value="yes"]').check()
    await form.locator('input[name="outcome"][value="accepted"]').check()
    await form.locator(`#${prefix}outcomeOn`).fill('28 March 2025')
    await expectAccessibleAtEveryWidth(page)
    await form.getByRole('button', { name: 'Record the referral' }).click()
    await expect.poll(() => page.locator('main').textContent()).toContain('Referral recorded.')
    const stored = await server.services.db
      .selectFrom('victim_referrals')
      .select(['referred_on', 'outcome', 'outcome_on'])
      .where('crime_id', '=', pick.id)
      .where('person_id', '=', pick.person_id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(stored).toEqual({ referred_on: '2025-03-27', outcome: 'accepted', outcome_on: '2025-03-28' })
    expect(await section.textContent()).toContain('28 March 2025')
    await expectAccessibleAtEveryWidth(page)
  })

  it('shows the directory to officers and the public, and the monitoring page to supervisors', async () => {
    const { server, page } = session
    await page.goto(`${server.url}/victims/services`)
    await expect.poll(() => page.locator('#service-list').textContent()).toContain('Victim Support')
    await expectAccessible(page)
    await page.getByRole('link', { name: '/public/support/demoshire' }).press('Enter')
    await page.waitForURL(`${server.url}/public/support/demoshire`)
    await expect
      .poll(() => page.locator('main').textContent())
      .toContain('National Stalking Helpline (Suzy Lamplugh Trust)')
    await expectAccessible(page)

    // The public page has the public's own header (no sign-in or sign-out): back to the officer's pages to sign out.
    await page.goBack()
    await page.waitForURL(`${server.url}/victims/services`)
    await page.getByRole('button', { name: 'Sign out' }).press('Enter')
    await page.waitForURL((url) => url.pathname.startsWith('/sign-in') || url.pathname === '/')
    await signIn(page, server.url, 'supervisor')
    await page.goto(`${server.url}/victims/monitoring`)
    await expect.poll(() => page.locator('#victim-measures').textContent()).toContain('Needs assessment completed')
    await expect.poll(() => page.locator('#low-rule').textContent()).toContain('A month is flagged low when')
    await expectAccessible(page)
  })
})
