// Case audits and victim feedback in the browser, on `npm start`'s demo data: the live figures the demo data gives
// the action plan for 11.2 and 11.3; a case audit created by keyboard from the navigation (the error summary first
// when the title is missing), a sampled case's findings recorded by keyboard; a victim's survey response recorded by
// keyboard on a stalking crime's feedback page; the feedback summary. axe (WCAG 2.2 AA) on every page visited.
import { describe, expect, it } from 'vitest'
import { loadAssuranceDemo } from '../../src/assurance/index.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { browserAvailable, expectAccessible, useBrowserSession } from '../support/browser.ts'

describe.runIf(browserAvailable())('Case audits and victim feedback in the browser', () => {
  const session = useBrowserSession({ signInAs: 'supervisor' })

  it('the demo data gives the plan live figures on 11.2 and 11.3, and loading it again adds nothing', async () => {
    const { services } = session.server
    const force = (await services.crime.repository.forceByName(DEMO_FORCE))!
    const figures = await services.insight.evidence.evidenceFigures(force.id, ['11.2', '11.3'])
    const compliance = figures.get('11.2')!.find((figure) => figure.id === 'audit_compliance')!
    expect(compliance.numerator).toBeGreaterThan(0)
    expect(compliance.numerator!).toBeLessThan(compliance.denominator!)
    expect(compliance.sentence).toMatch(
      /stalking case audits found \d+% compliance \(\d+ of \d+ answers\) across \d+ cases audited\./,
    )
    const satisfaction = figures.get('11.3')![0]
    expect(satisfaction.id).toBe('victim_satisfaction')
    expect(satisfaction.numerator).toBeGreaterThan(0)
    expect(satisfaction.sentence).toMatch(
      /\d+% of surveyed stalking victims were satisfied overall \(\d+ of \d+ answering; \d+ victims surveyed\)\./,
    )
    const count = async (table: 'assurance_audits' | 'assurance_surveys') =>
      (
        await services.db
          .withTables<{ assurance_audits: { id: number }; assurance_surveys: { id: number } }>()
          .selectFrom(table)
          .select('id')
          .execute()
      ).length
    const before = [await count('assurance_audits'), await count('assurance_surveys')]
    expect(before[0]).toBe(1)
    expect(before[1]).toBeGreaterThan(0)
    await loadAssuranceDemo(services, SYSTEM_ACTOR)
    expect([await count('assurance_audits'), await count('assurance_surveys')]).toEqual(before)
  })

  it('creates an audit by keyboard from the navigation and records a sampled case’s findings', async () => {
    const { server, page } = session
    await page.goto(`${server.url}/`)
    // Case audits are one of the supervisor's pages in the Assurance hub: its link, then the hub page's link.
    await page.getByRole('navigation', { name: 'Threadline' }).getByRole('link', { name: 'Assurance' }).press('Enter')
    await page.waitForURL(`${server.url}/hubs/assurance`)
    await expectAccessible(page)
    await page.locator('#hub-pages').getByRole('link', { name: 'Case audits' }).press('Enter')
    await page.waitForURL(`${server.url}/assurance/audits`)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Stalking case audits')
    await expect.poll(() => page.locator('#audits tbody tr').count()).toBe(1)
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Create an audit' }).press('Enter')
    await page.waitForURL(`${server.url}/assurance/audits/new`)
    await expectAccessible(page)

    // The period: the demo force's stalking crimes over the last year (the demo data's audit covers the same).
    const today = new Date().toISOString().slice(0, 10)
    const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10)
    await page.getByRole('group', { name: 'First day' }).getByLabel('Day').focus()
    await page.keyboard.type(yearAgo)
    await page.getByRole('group', { name: 'Last day' }).getByLabel('Day').focus()
    await page.keyboard.type(today)
    await page.getByLabel('Sample size').fill('')
    await page.getByLabel('Sample size').focus()
    await page.keyboard.type('6')
    await page.getByRole('button', { name: 'Create the audit and draw the sample' }).press('Enter')
    const summary = page.locator('.govuk-error-summary')
    await expect.poll(() => summary.textContent()).toContain('Enter a title for the audit')
    await expect.poll(() => page.getByLabel('Sample size').inputValue()).toBe('6')
    await expectAccessible(page)
    await summary.getByRole('link', { name: /^Enter a title for the audit/ }).press('Enter')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('title')
    await page.keyboard.type('Browser audit')
    await page.getByRole('button', { name: 'Create the audit and draw the sample' }).press('Enter')
    await expect.poll(() => page.locator('main').textContent()).toContain('Audit created: 6 cases drawn at random.')
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Browser audit')
    await expect.poll(() => page.locator('#cases tbody tr').count()).toBe(6)
    await expectAccessible(page)

    // The first sampled case: every question answered by keyboard, one no with its note.
    await page.locator('#cases tbody tr').first().getByRole('link').press('Enter')
    await expect.poll(() => page.locator('.govuk-caption-l').textContent()).toContain('case 1 of 6')
    await expectAccessible(page)
    const questions = ['recorded', 'riskAssessed', 'spoConsidered', 'victimNeeds', 'linesOfEnquiry', 'supervision']
    for (const name of questions) {
      await page.locator(`input[name="${name}"][value="yes"]`).focus()
      await page.keyboard.press('Space')
    }
    await page.locator('input[name="outcome"][value="not_applicable"]').focus()
    await page.keyboard.press('Space')
    await page.locator('input[name="victimInformed"][value="no"]').focus()
    await page.keyboard.press('Space')
    await page.getByRole('button', { name: 'Save the findings' }).press('Enter')
    await expect
      .poll(() => summary.textContent())
      .toContain('Enter a note saying why the answer is no for: Victim kept informed')
    await expectAccessible(page)
    await summary.getByRole('link', { name: /^Enter a note/ }).press('Enter')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('victimInformed-note')
    await page.keyboard.type('No update after the suspect was released.')
    await page.getByRole('button', { name: 'Save the findings' }).press('Enter')
    await expect.poll(() => page.locator('main').textContent()).toContain('Findings recorded: the case is complete.')
    await expect.poll(() => page.locator('#audit-summary').textContent()).toContain('86% (6 of 7 answers yes)')
    await expect.poll(() => page.locator('#cases tbody tr').first().textContent()).toContain('Complete')
    await expectAccessible(page)
  })

  it('keeps a half-answered case through a reload (drafts are never lost) and forgets the draft once saved', async () => {
    const { server, page } = session
    await page.goto(`${server.url}/assurance/audits`)
    await page.locator('#audits tbody tr').first().getByRole('link').press('Enter')
    await page.locator('#cases tbody tr').nth(1).getByRole('link').press('Enter')
    await expect.poll(() => page.locator('.govuk-caption-l').textContent()).toContain('case 2 of 6')
    const caseUrl = page.url()
    await page.locator('input[name="recorded"][value="no"]').check()
    await page.locator('#recorded-note').fill('Recorded as harassment only at first.')
    await page.reload()
    const restored = page.getByRole('status').filter({ hasText: 'We restored what you had typed before' })
    await expect.poll(() => restored.count()).toBe(1)
    expect(await page.locator('input[name="recorded"][value="no"]').isChecked()).toBe(true)
    expect(await page.locator('#recorded-note').inputValue()).toBe('Recorded as harassment only at first.')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Save the findings' }).press('Enter')
    await expect.poll(() => page.locator('main').textContent()).toContain('Findings recorded')
    await page.goto(caseUrl)
    expect(await page.locator('#recorded-note').inputValue()).toBe('Recorded as harassment only at first.')
    expect(await restored.count()).toBe(0)
  })

  it('records a victim’s survey response by keyboard and shows it in the force’s summary', async () => {
    const { server, page } = session
    const force = (await server.services.crime.repository.forceByName(DEMO_FORCE))!
    // A demo 8Q crime with a victim who has no survey response yet (the demo data surveys some, not all).
    const pick = await server.services.db
      .withTables<{ assurance_surveys: { id: number; crime_id: number; person_id: number } }>()
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
              .selectFrom('assurance_surveys as s')
              .select('s.id')
              .whereRef('s.crime_id', '=', 'i.crime_id')
              .whereRef('s.person_id', '=', 'p.person_id'),
          ),
        ),
      )
      .select(['c.id', 'c.force_reference', 'p.person_id'])
      .orderBy('c.id', 'desc')
      .executeTakeFirstOrThrow()
    const prefix = `v${pick.person_id}-`

    await page.goto(`${server.url}/assurance/crimes/${pick.id}/feedback`)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Victim feedback')
    await expectAccessible(page)
    const section = page.locator(`#victim-${pick.person_id}`)
    await section.locator('summary').press('Enter')
    // The date defaults to today; choose telephone and an answer on each of the five questions by keyboard.
    await page.locator(`#${prefix}method`).focus()
    await page.keyboard.press('Space')
    const answers: Record<string, string> = {
      easeOfContact: 'very_satisfied',
      updates: 'fairly_dissatisfied',
      actionsTaken: 'neither',
      treatment: 'very_satisfied',
      overall: 'fairly_satisfied',
    }
    for (const [field, value] of Object.entries(answers)) {
      await section.locator(`input[name="${field}"][value="${value}"]`).focus()
      await page.keyboard.press('Space')
    }
    await page.locator(`#${prefix}comment`).focus()
    await page.keyboard.type('The officer explained what would happen next.')
    await section.getByRole('button', { name: 'Record the response' }).press('Enter')
    await expect.poll(() => page.locator('main').textContent()).toContain('Survey response recorded.')
    await expect
      .poll(() => page.locator(`#victim-${pick.person_id}-surveys`).textContent())
      .toContain('Fairly dissatisfied')
    await expectAccessible(page)

    await page.getByRole('navigation', { name: 'Threadline' }).getByRole('link', { name: 'Assurance' }).press('Enter')
    await page.waitForURL(`${server.url}/hubs/assurance`)
    await page.locator('#hub-pages').getByRole('link', { name: 'Victim feedback' }).press('Enter')
    await page.waitForURL(`${server.url}/assurance/feedback`)
    await expect
      .poll(() => page.locator('#feedback-measures').textContent())
      .toContain('Overall satisfaction: satisfied')
    await expect.poll(() => page.locator('#months tbody tr').count()).toBe(12)
    await expectAccessible(page)
    const stored = await server.services.db
      .withTables<{
        assurance_surveys: { crime_id: number; person_id: number; overall: string; recorded_by: string }
      }>()
      .selectFrom('assurance_surveys')
      .select(['overall', 'recorded_by'])
      .where('crime_id', '=', pick.id)
      .where('person_id', '=', pick.person_id)
      .execute()
    expect(stored).toEqual([{ overall: 'fairly_satisfied', recorded_by: 'supervisor' }])
  })
})
