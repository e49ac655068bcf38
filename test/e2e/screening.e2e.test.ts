// THE DONE-WHEN TEST for screening: a generated force with hidden courses of conduct. The queue surfaces them with
// reasons; a screener's decision adds 8Q as an included classification; the crime then appears in a stalking search.
// axe (WCAG 2.2 AA) on every page visited.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDataset } from '../../src/crime/generator/index.ts'
import { CRIME_DEMO } from '../../src/crime/index.ts'
import { DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import {
  browserAvailable,
  expectAccessible,
  launchBrowser,
  newPage,
  signIn,
  startTestServer,
  type TestServer,
} from '../support/browser.ts'

describe.runIf(browserAvailable())('screening in the browser', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  /** A crime of a generated course of conduct whose stalking was never recorded, and its id and report date. */
  let hidden: { reference: string; id: number; day: string }

  beforeAll(async () => {
    // `npm start`'s demo data: a generated force (the crime area's CRIME_DEMO) screened and linked as the demo import commits.
    server = await startTestServer()
    const demo = CRIME_DEMO.find((entry) => entry.force === DEMO_FORCE)!
    const generated = generateDataset({ crimes: demo.crimes, seed: demo.seed, force: DEMO_FORCE })
    // The generator's ground truth: crimes in a course of conduct with stalking not recorded at all.
    const unrecorded = generated
      .filter(
        ({ record, truth }) =>
          record.kind === 'crime' && truth.courseOfConductId && truth.stalkingRecordedAs === 'unrecorded',
      )
      .map(({ record }) => record.forceReference)
    expect(unrecorded.length).toBeGreaterThan(0)
    const queued = await server.services.db
      .selectFrom('screening_queue')
      .innerJoin('crimes', 'crimes.id', 'screening_queue.crime_id')
      .innerJoin('forces', 'forces.id', 'crimes.force_id')
      .where('forces.name', '=', DEMO_FORCE)
      .select(['crimes.id', 'crimes.force_reference', 'crimes.reported_at', 'screening_queue.reason_kinds'])
      .where('crimes.force_reference', 'in', unrecorded)
      .execute()
    // The queue surfaces the hidden courses: most of their crimes are queued as part of a course of conduct.
    const inCourse = queued.filter((row) => row.reason_kinds.includes('"course"'))
    expect(inCourse.length / unrecorded.length).toBeGreaterThan(0.5)
    const pick = inCourse[0]
    hidden = { reference: pick.force_reference, id: pick.id, day: pick.reported_at.slice(0, 10) }
    browser = await launchBrowser()
    page = await newPage(browser)
    await signIn(page, server.url, 'specialist')
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('the queue lists the hidden course with its reasons, oldest first, filterable in the URL', async () => {
    await page.locator('.govuk-service-navigation').getByRole('link', { name: 'Screening', exact: true }).click()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Screening queue')
    await expectAccessible(page)
    await page.getByLabel('Reason').selectOption('course')
    await page.getByRole('group', { name: 'Reported from' }).getByLabel('Day').fill(hidden.day)
    await page.getByRole('group', { name: 'Reported to' }).getByLabel('Day').fill(hidden.day)
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await page.waitForURL((url) => url.searchParams.get('reason') === 'course')
    const row = page.locator('#queue tr', { hasText: hidden.reference })
    await expect
      .poll(() => row.textContent())
      .toMatch(/Linked to \d+ other incidents? between the same suspect and victim since/)
    await expectAccessible(page)
    await row.getByRole('link', { name: hidden.reference }).click()
    await page.waitForURL(`${server.url}/screening/crimes/${hidden.id}`)
  })

  it('the screening page shows the reasons, the linked incidents timeline and the narrative highlights', async () => {
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(`Crime ${hidden.reference}`)
    expect(await page.locator('#linked-incidents ~ .moj-timeline .moj-timeline__item').count()).toBeGreaterThanOrEqual(
      2,
    )
    expect(await page.locator('#reasons + ul').textContent()).toContain('Linked to')
    await expectAccessible(page)
    await page.getByRole('link', { name: /Complete the S-DASH/ }).click()
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Stalking screening tool (S-DASH)')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Record the S-DASH' }).click()
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('Answer question 1')
    await expectAccessible(page)
    await page.goBack()
    await page.goto(`${server.url}/screening/crimes/${hidden.id}`)
  })

  it("a screener's decision adds 8Q as an included classification", async () => {
    await page.getByRole('button', { name: 'Record the decision' }).click()
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('Choose a decision')
    await expectAccessible(page)
    await page.getByLabel('Stalking identified').check()
    await page.getByLabel('Add 8Q Stalking as an included classification').check()
    await page
      .getByLabel('Rationale')
      .fill('Repeated, unwanted contact across several incidents with the same suspect: fixated and obsessive')
    await page.getByRole('button', { name: 'Record the decision' }).click()
    await expect
      .poll(() => page.locator('.govuk-notification-banner').textContent())
      .toContain('8Q Stalking is now an included classification')
    expect(await page.locator('#classifications').textContent()).toContain('8Q Stalking (included)')
    await expectAccessible(page)
  })

  it('the crime then appears in the 8Q search (Find page and screening list), and in the measures', async () => {
    await page.goto(`${server.url}/screening/stalking?match=included`)
    await expect.poll(() => page.locator('#stalking-crimes').textContent()).toContain(hidden.reference)
    await expectAccessible(page)
    await page.goto(`${server.url}/crimes?classification=8Q&match=included`)
    await expect.poll(() => page.locator('main').textContent()).toContain(hidden.reference)
    await expectAccessible(page)
    await page.goto(`${server.url}/screening/stalking?match=principal`)
    expect(await page.locator('main').textContent()).not.toContain(hidden.reference)
    await expectAccessible(page)
    await page.goto(`${server.url}/screening/measures?from=2020-01-01&to=2030-12-31&withinDays=3650`)
    await expect.poll(() => page.locator('#measures-total').textContent()).toMatch(/Whole period/)
    await expectAccessible(page)
  })

  it('changes the screening settings by keyboard, with the error summary first when a number is wrong', async () => {
    await page.goto(`${server.url}/screening/settings`)
    await expectAccessible(page)
    await page.getByLabel('Link incidents up to this many days apart').fill('a year')
    await page.getByRole('button', { name: 'Save the settings' }).press('Enter')
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('whole number of days')
    await expectAccessible(page)
    await page.getByLabel('Link incidents up to this many days apart').fill('365')
    await page.getByRole('button', { name: 'Save the settings' }).press('Enter')
    await expect.poll(() => page.locator('main').textContent()).toContain('Screening settings saved')
    await expectAccessible(page)
  })
})
