// Allocation and investigation quality in the browser, on `npm start`'s demo data: the live figures the demo data
// gives the action plan for 17.1 and 18.1 to 18.4; from a stalking crime's page to its Investigation page; an
// allocation and a supervisory review recorded by keyboard (the error summary first when answers are missing); and
// the register of trained stalking investigators. axe (WCAG 2.2 AA) on every page visited.
import { describe, expect, it } from 'vitest'
import { loadInvestigationDemo } from '../../src/investigation/index.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { browserAvailable, expectAccessible, useBrowserSession } from '../support/browser.ts'

describe.runIf(browserAvailable())('Investigation allocation and quality in the browser', () => {
  const session = useBrowserSession({ signInAs: 'supervisor' })

  it('the demo data gives the plan live figures on 17.1 (training register included) and 18.1 to 18.4', async () => {
    const { services } = session.server
    const force = (await services.crime.repository.forceByName(DEMO_FORCE))!
    const figures = await services.insight.evidence.evidenceFigures(force.id, ['17.1', '18.1', '18.2', '18.3', '18.4'])
    const ids = Object.fromEntries([...figures].map(([ref, list]) => [ref, list.map((figure) => figure.id)]))
    expect(ids).toEqual({
      '17.1': [
        'allocated_trained',
        'obligation:allocated_trained',
        'obligation:high_risk_allocated',
        'training:stalking_investigation',
      ],
      '18.1': ['digital_lines_pursued', 'allocated_trained'],
      '18.2': ['reviewed_within_7_days', 'obligation:supervisory_review'],
      '18.3': ['arrest_and_search'],
      '18.4': ['victim_impact_evidenced'],
    })
    for (const list of figures.values()) {
      for (const figure of list) {
        expect(figure.numerator!, figure.id).toBeLessThanOrEqual(figure.denominator!)
        // The high-risk allocation applies once an S-DASH says high risk: the case work demo makes its one such
        // S-DASH today, so the obligation is not yet due on any case and the figure has no cases yet.
        if (figure.id === 'obligation:high_risk_allocated') continue
        expect(figure.numerator, figure.id).toBeGreaterThan(0)
        expect(figure.numerator!, figure.id).toBeLessThan(figure.denominator!)
      }
    }
    expect(figures.get('17.1')![0].sentence).toMatch(
      /\d+% of stalking crimes allocated to a trained stalking investigator \(\d+ of \d+\); high risk \d+% \(\d+ of \d+\)\./,
    )
    // Loading the demo again (`demo load --force`) adds nothing.
    const count = async () => (await services.db.selectFrom('investigation_allocations').select('id').execute()).length
    const before = await count()
    await loadInvestigationDemo(services, SYSTEM_ACTOR)
    expect(await count()).toBe(before)
  })

  it('allocates and reviews a crime by keyboard from the crime page', async () => {
    const { server, page } = session
    const force = (await server.services.crime.repository.forceByName(DEMO_FORCE))!
    // A demo 8Q crime with no allocation yet (the demo data allocates most, not all).
    const pick = await server.services.db
      .selectFrom('crime_classification_index as i')
      .innerJoin('crimes as c', 'c.id', 'i.crime_id')
      .where('i.force_id', '=', force.id)
      .where('i.search_key', '=', '8Q')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('investigation_allocations as a').select('a.id').whereRef('a.crime_id', '=', 'i.crime_id'),
          ),
        ),
      )
      .select(['c.id', 'c.force_reference', 'c.reported_at'])
      .orderBy('c.id')
      .executeTakeFirstOrThrow()
    const reported = pick.reported_at.slice(0, 10)

    await page.goto(`${server.url}/crimes/${pick.id}`)
    await expectAccessible(page)
    await page.getByRole('link', { name: `Investigation of ${pick.force_reference}` }).press('Enter')
    await page.waitForURL(`${server.url}/investigation/crimes/${pick.id}`)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Investigation')
    await expect.poll(() => page.locator('main').textContent()).toContain('Not allocated yet.')
    await expectAccessible(page)

    // Allocate: the team and officer come from the crime; choose high risk with the keyboard.
    await page.getByRole('group', { name: 'Date allocated' }).getByLabel('Day').fill(reported)
    await page.getByLabel('High').focus()
    await page.keyboard.press('Space')
    await page.getByRole('button', { name: 'Record the allocation' }).press('Enter')
    await expect.poll(() => page.locator('main').textContent()).toContain('Allocation recorded.')
    await expect.poll(() => page.locator('#allocations').textContent()).toContain('High')
    await expectAccessible(page)

    // A review with only the date: the error summary comes first, its links take the keyboard to each question.
    await page.getByRole('group', { name: 'Date of the review' }).getByLabel('Day').fill(reported)
    await page.getByRole('button', { name: 'Record the review' }).press('Enter')
    const summary = page.locator('.govuk-error-summary')
    await expect.poll(() => summary.textContent()).toContain('Choose yes or no for: suspect arrested')
    await expectAccessible(page)
    await summary.getByRole('link', { name: /^Choose whether devices/ }).press('Enter')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('devices')
    await page.keyboard.press('Space')
    for (const name of ['socialMedia', 'phoneData']) {
      await page.locator(`input[name="${name}"][value="not_applicable"]`).focus()
      await page.keyboard.press('Space')
    }
    // CCTV not pursued: the reason is revealed under the answer.
    await page.locator('input[name="cctv"][value="not_pursued"]').focus()
    await page.keyboard.press('Space')
    await page.locator('#cctv-reason').focus()
    await page.keyboard.type('Footage overwritten after 30 days.')
    await page.locator('input[name="arrest"][value="yes"]').focus()
    await page.keyboard.press('Space')
    await page.locator('#arrest-date').focus()
    await page.keyboard.type(reported)
    await page.locator('input[name="search"][value="no"]').focus()
    await page.keyboard.press('Space')
    await page.locator('#search-reason').focus()
    await page.keyboard.type('No premises linked to the suspect.')
    await page.locator('input[name="victimImpact"][value="yes"]').focus()
    await page.keyboard.press('Space')
    await page.getByRole('button', { name: 'Record the review' }).press('Enter')
    await expect.poll(() => page.locator('main').textContent()).toContain('Supervisory review recorded.')
    await expect
      .poll(() => page.locator('#review-history').textContent())
      .toContain('CCTV and doorbell footage: Not pursued (Footage overwritten after 30 days.)')
    await expect.poll(() => page.locator('#review-history').textContent()).toContain('Review, 0 days after report')
    await expectAccessible(page)

    const stored = await server.services.db
      .selectFrom('investigation_reviews')
      .selectAll()
      .where('crime_id', '=', pick.id)
      .execute()
    expect(stored).toEqual([
      expect.objectContaining({
        reviewed_by: 'supervisor',
        digital_pursued: 1,
        arrested: 1,
        searched: 0,
        victim_impact: 1,
      }),
    ])
  })

  it('adds an officer to the register of trained stalking investigators by keyboard', async () => {
    const { server, page } = session
    await page.goto(`${server.url}/investigation/officers`)
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Trained stalking investigators')
    await expectAccessible(page)
    await page.getByLabel('Officer', { exact: true }).fill('DC 9999')
    await page.getByLabel('Specialist (stalking unit)').focus()
    await page.keyboard.press('Space')
    await page.getByLabel('Course').fill('Specialist stalking unit induction')
    await page.getByRole('group', { name: 'Date trained' }).getByLabel('Day').fill('1/2/2024')
    await page.getByRole('button', { name: 'Add to the register' }).press('Enter')
    await expect.poll(() => page.locator('main').textContent()).toContain('Officer added to the register.')
    await expect.poll(() => page.locator('#skills').textContent()).toContain('DC 9999')
    await expectAccessible(page)
  })

  it('lists the investigations from the navigation, filtered by status, by keyboard', async () => {
    const { server, page } = session
    await page.goto(`${server.url}/`)
    // Investigations are one of the supervisor's pages in the Case work hub: its link, then the hub page's link.
    await page.getByRole('navigation', { name: 'Threadline' }).getByRole('link', { name: 'Case work' }).press('Enter')
    await page.waitForURL(`${server.url}/hubs/case-work`)
    await expectAccessible(page)
    await page.locator('#hub-pages').getByRole('link', { name: 'Investigations' }).press('Enter')
    await page.waitForURL(`${server.url}/investigation`)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Investigations')
    await expect.poll(() => page.locator('#investigations tbody tr').count()).toBe(25)
    await expectAccessible(page)
    await page.getByLabel('Status').focus()
    await page.getByLabel('Status').selectOption('unreviewed')
    await page.getByRole('button', { name: 'Apply filters' }).press('Enter')
    await page.waitForURL(`${server.url}/investigation?status=unreviewed`)
    const reviews = await page.locator('#investigations tbody tr td:nth-child(5)').allTextContents()
    expect(reviews.length).toBeGreaterThan(0)
    expect(reviews.every((text) => text.trim() === 'No review')).toBe(true)
    await expectAccessible(page)
  })
})
