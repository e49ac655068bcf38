// The page patterns (docs/page-patterns.md), one test each, in a real browser with axe-core at 320, 768 and 1280 px.
import { describe, expect, it } from 'vitest'
import { DEMO_FORCE, SECOND_DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import {
  browserAvailable,
  expectAccessibleAtEveryWidth,
  newPage,
  signIn,
  useBrowserSession,
} from '../support/browser.ts'

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
    await expectAccessibleAtEveryWidth(page)
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
    // The risk is worded with who judged it (the specialist, not "the officer"), and people carry no internal keys.
    expect(await page.locator('#sdash-summary').textContent()).toContain('risk judged high by DC Jo Whitfield')
    expect(await page.locator('main').textContent()).not.toMatch(/resolved as person|by the officer|P\d{3,}/)
    await expectAccessibleAtEveryWidth(page)
    await page.goto(`${server.url}/crimes/${crime.id}`)
    expect(await page.locator('main').textContent()).toContain('risk judged high by DC Jo Whitfield')
    await expectAccessibleAtEveryWidth(page)
  }, 180_000)

  it('has one date input everywhere: 27/03/2025 typed into one field reads on the crime search, case work compliance, the national filter and a plan update', async () => {
    const { browser, page, server } = session
    await page.goto(`${server.url}/crimes`)
    expect(await page.locator('input[type="date"]').count()).toBe(0)
    await page.locator('#to').fill('27/03/2025')
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await page.waitForURL((url) => url.searchParams.get('to-day') === '27/03/2025')
    expect(await page.locator('.govuk-error-summary').count()).toBe(0)
    // Read as 27 March 2025 and shown back in the three fields.
    expect([
      await page.locator('#to').inputValue(),
      await page.locator('#to-month').inputValue(),
      await page.locator('#to-year').inputValue(),
    ]).toEqual(['27', '3', '2025'])
    const reported = await page.locator('main table tbody tr td:nth-child(2)').allTextContents()
    expect(reported.length).toBeGreaterThan(0)
    for (const cell of reported) expect(Number(/\d{4}/.exec(cell)?.[0]), cell).toBeLessThanOrEqual(2025)
    await expectAccessibleAtEveryWidth(page)

    // Case work compliance took typed YYYY-MM-DD: now the same three fields, and a date that does not read is said.
    await page.goto(`${server.url}/cases/compliance`)
    expect(await page.locator('input[type="date"]').count()).toBe(0)
    expect(await page.locator('main').textContent()).not.toContain('YYYY-MM-DD')
    await page.locator('#from').fill('27/03/2025')
    await page.getByRole('button', { name: 'Show' }).click()
    await page.waitForURL((url) => url.searchParams.get('from-day') === '27/03/2025')
    expect(await page.locator('.govuk-error-summary').count()).toBe(0)
    expect(await page.locator('main').textContent()).toContain('started between 27 March 2025 and')
    await expectAccessibleAtEveryWidth(page)
    await page.locator('#from').fill('31/02/2025')
    await page.locator('#from-month').fill('')
    await page.locator('#from-year').fill('')
    await page.getByRole('button', { name: 'Show' }).click()
    await page.waitForURL((url) => url.searchParams.get('from-day') === '31/02/2025')
    expect(await page.title()).toMatch(/^Error: /)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'The start date must be a real date, for example 27 3 2025',
    )
    await expectAccessibleAtEveryWidth(page)

    const other = await newPage(browser)
    try {
      await signIn(other, server.url, 'national')
      await other.goto(`${server.url}/national/plans`)
      expect(await other.locator('input[type="date"]').count()).toBe(0)
      await other.locator('#notUpdatedSince').fill('27/03/2025')
      await other.getByRole('button', { name: 'Filter', exact: true }).click()
      await other.waitForURL((url) => url.searchParams.has('notUpdatedSince-day'))
      expect(await other.locator('.govuk-error-summary').count()).toBe(0)
      expect(await other.locator('main').textContent()).toContain('not updated since 27 March 2025')
      await expectAccessibleAtEveryWidth(other)

      await other.context().clearCookies()
      await signIn(other, server.url, 'planowner')
      await other.goto(`${server.url}/plans/demoshire/items/12.3`)
      expect(await other.locator('input[type="date"]').count()).toBe(0)
      await other.getByLabel('What has been done').fill('Breach of order checks reviewed with the courts.')
      await other.locator('#update-date-day').fill('27/03/2025')
      await other.getByLabel('In progress').check()
      await other.getByRole('button', { name: 'Add the update' }).click()
      await expect
        .poll(() => other.locator('.govuk-notification-banner').first().textContent())
        .toContain('Update added')
      expect(await other.locator('.moj-timeline').first().textContent()).toContain('27 March 2025')
      await expectAccessibleAtEveryWidth(other)
    } finally {
      await other.close()
    }
  }, 240_000)
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
      await expectAccessibleAtEveryWidth(page)

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
      // The record is named too: a user by their name, never "user 6".
      const records = cells.map((row) => row[4])
      for (const record of records) expect(record).not.toMatch(/^user \d+$/i)
      expect(cells.find((row) => row[3] === 'Signed in' && row[2] === 'Chris Lambert')?.[4]).toBe('Chris Lambert')
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
      await expectAccessibleAtEveryWidth(page)
      await page
        .getByRole('link', { name: /Contact/ })
        .first()
        .click()
      await page.waitForURL((url) => url.pathname === '/public/contact')
      await expectAccessibleAtEveryWidth(page)
    } finally {
      await page.close()
    }
  }, 180_000)

  it("answers 404 for another force's crime or person, on every page about it, as for one that does not exist", async () => {
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
    await expectAccessibleAtEveryWidth(page)
    // Every page and API answer about a crime or a person says the same: the record does not exist for this user.
    const personOf = (force: string) =>
      server.services.db
        .selectFrom('people')
        .innerJoin('forces', 'forces.id', 'people.force_id')
        .where('forces.name', '=', force)
        .select('people.id')
        .executeTakeFirstOrThrow()
    const [ourPerson, person] = [await personOf(DEMO_FORCE), await personOf(SECOND_DEMO_FORCE)]
    const pages = [
      (id: number) => `/screening/crimes/${id}`,
      (id: number) => `/safeguarding/crimes/${id}/spo`,
      (id: number) => `/safeguarding/crimes/${id}/orders`,
      (id: number) => `/investigation/crimes/${id}`,
      (id: number) => `/victims/crimes/${id}`,
      (id: number) => `/risk/crimes/${id}`,
      (id: number) => `/assurance/crimes/${id}/feedback`,
      (id: number) => `/cases/${id}`,
      (id: number) => `/api/crimes/${id}`,
    ]
    const ours = await stalkingCrime()
    for (const path of pages) {
      const answers = [ours.id, Number(other.id), 999_999_999].map(async (id) =>
        (await page.request.get(`${server.url}${path(id)}`)).status(),
      )
      // The page exists (the user's own force's crime opens), and another force's answers as a missing one.
      expect(await Promise.all(answers), path(Number(other.id))).toEqual([200, 404, 404])
    }
    const people = [ourPerson.id, person.id, 999_999_999].map(async (id) =>
      (await page.request.get(`${server.url}/crimes/people/${id}`)).status(),
    )
    expect(await Promise.all(people), 'a person of another force').toEqual([200, 404, 404])
  }, 120_000)

  it('links an administrator and a plan owner only to what they may open from victims monitoring and an audit case', async () => {
    const { browser, server } = session
    const sampled = await server.services.db
      .selectFrom('assurance_audit_cases as a')
      .innerJoin('crimes as c', 'c.id', 'a.crime_id')
      .innerJoin('forces as f', 'f.id', 'a.force_id')
      .where('f.name', '=', DEMO_FORCE)
      .where('c.outcome', 'is not', null)
      .select(['a.audit_id', 'a.crime_id', 'c.outcome'])
      .orderBy('a.position')
      .executeTakeFirstOrThrow()
    const paths = [
      '/victims/monitoring',
      `/assurance/audits/${sampled.audit_id}`,
      `/assurance/audits/${sampled.audit_id}/cases/${sampled.crime_id}`,
    ]
    const page = await newPage(browser)
    try {
      for (const username of ['admin', 'planowner']) {
        await signIn(page, server.url, username)
        for (const path of paths) {
          const response = await page.goto(`${server.url}${path}`)
          expect(response?.status(), `${username} on ${path}`).toBe(200)
          const hrefs = await page
            .locator('main a[href]')
            .evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href))
          const ours = [
            ...new Set(hrefs.filter((href) => href.startsWith(server.url)).map((href) => href.split('#')[0])),
          ]
          for (const href of ours) {
            const answer = await page.request.get(href)
            expect(answer.status(), `${username} is shown ${href} on ${path}`).toBeLessThan(400)
          }
          if (path.includes('/cases/')) {
            // The outcome with its words, never a bare "Outcome 15".
            expect(await page.locator('main').textContent()).toMatch(
              new RegExp(`Outcome ${sampled.outcome}: [A-Z][a-z]`),
            )
          }
          await expectAccessibleAtEveryWidth(page)
        }
        await page.context().clearCookies()
      }
    } finally {
      await page.close()
    }
  }, 240_000)

  it('says which allocation answers it filled in, and records none of them when they are cleared', async () => {
    const { page, server } = session
    const crime = await server.services.db
      .selectFrom('crime_classification_index as i')
      .innerJoin('crimes as c', 'c.id', 'i.crime_id')
      .innerJoin('forces as f', 'f.id', 'c.force_id')
      .where('f.name', '=', DEMO_FORCE)
      .where('i.search_key', '=', '8Q')
      .where('c.team', 'is not', null)
      .where('c.officer_in_case', 'is not', null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('investigation_allocations as a').select('a.id').whereRef('a.crime_id', '=', 'i.crime_id'),
          ),
        ),
      )
      .select(['c.id', 'c.team', 'c.officer_in_case'])
      .orderBy('c.id')
      .executeTakeFirstOrThrow()
    await page.goto(`${server.url}/investigation/crimes/${crime.id}`)
    const note = await page.locator('#allocation-prefilled').textContent()
    expect(note).toContain('The team and officer are those the crime record names (the officer in case)')
    expect(note).toContain('the date is today')
    expect(note).toContain('Whether the officer is trained comes from the register')
    expect(await page.locator('#team').inputValue()).toBe(crime.team)
    expect(await page.locator('#officer').inputValue()).toBe(crime.officer_in_case)
    const today = new Date()
    expect([
      await page.locator('#allocatedOn').inputValue(),
      await page.locator('#allocatedOn-month').inputValue(),
      await page.locator('#allocatedOn-year').inputValue(),
    ]).toEqual([String(today.getUTCDate()), String(today.getUTCMonth() + 1), String(today.getUTCFullYear())])
    await expectAccessibleAtEveryWidth(page)

    // Blank answers are refused, never filled with defaults behind the user's back.
    await page.locator('#team').fill('')
    await page.locator('#officer').fill('')
    await page.getByLabel('High').check()
    await page.getByRole('button', { name: 'Record the allocation' }).click()
    await page.waitForURL((url) => url.pathname === `/investigation/crimes/${crime.id}`)
    expect(await page.title()).toMatch(/^Error: /)
    const summary = await page.locator('.govuk-error-summary').textContent()
    expect(summary).toContain('Enter the team')
    expect(summary).toContain('Enter the officer allocated')
    expect(
      await server.services.db
        .selectFrom('investigation_allocations')
        .select('id')
        .where('crime_id', '=', crime.id)
        .execute(),
    ).toEqual([])
    await expectAccessibleAtEveryWidth(page)
  }, 180_000)

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
        await expectAccessibleAtEveryWidth(page)
        await page.context().clearCookies()
      }
    } finally {
      await page.close()
    }
  }, 180_000)
})
