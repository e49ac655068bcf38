import { describe, expect, it } from 'vitest'
import {
  browserAvailable,
  expectAccessible,
  expectAccessibleAtEveryWidth,
  useBrowserSession,
} from '../support/browser.ts'

describe.runIf(browserAvailable())('crime records in the browser', () => {
  const session = useBrowserSession({ signInAs: 'analyst' })

  const resultCount = async () =>
    Number(
      /^([\d,]+)/.exec((await session.page.locator('#results-heading').textContent()) ?? '')?.[1]?.replaceAll(',', ''),
    )

  it('opens Find crimes from the navigation, with the demo force records, accessibly', async () => {
    await session.page.goto(`${session.server.url}/`)
    // The analyst has several pages in the Crimes hub (find, import, changes for the records system): the hub's link,
    // then the hub page's link.
    await session.page.locator('.govuk-service-navigation').getByRole('link', { name: 'Crimes', exact: true }).click()
    await session.page.waitForURL((url) => url.pathname === '/hubs/crimes')
    await expectAccessible(session.page)
    await session.page.locator('#hub-pages').getByRole('link', { name: 'Crimes', exact: true }).click()
    await session.page.waitForURL((url) => url.pathname === '/crimes')
    expect(await resultCount()).toBeGreaterThan(1000)
    await expectAccessible(session.page)
  })

  it('filters by a classification recorded as included, and the URL carries the filters', async () => {
    await session.page.goto(`${session.server.url}/crimes`)
    await session.page.getByLabel('Classification').selectOption('8Q')
    await session.page.getByLabel('Principal or included').check()
    await session.page.getByRole('button', { name: 'Apply filters' }).click()
    await session.page.waitForURL((url) => url.searchParams.get('classification') === '8Q')
    const either = await resultCount()
    expect(either).toBeGreaterThan(0)

    await session.page.getByLabel('Included only').check()
    await session.page.getByRole('button', { name: 'Apply filters' }).click()
    await session.page.waitForURL((url) => url.searchParams.get('match') === 'included')
    const included = await resultCount()
    expect(included).toBeGreaterThan(0)
    expect(included).toBeLessThan(either)
    // Every row shown has 8Q among its included classifications and something else as principal.
    const rows = session.page.locator('tbody tr')
    for (let index = 0; index < Math.min(await rows.count(), 10); index++) {
      expect(await rows.nth(index).locator('td').nth(3).textContent()).toContain('8Q')
      expect(await rows.nth(index).locator('td').nth(2).textContent()).not.toMatch(/^\s*8Q /)
    }
    await expectAccessible(session.page)

    await session.page.getByRole('link', { name: /^Reference/ }).click()
    await session.page.waitForURL((url) => url.searchParams.get('sort') === 'reference')
    expect(new URL(session.page.url()).searchParams.get('match')).toBe('included')
    expect(await session.page.locator('th[aria-sort="descending"]').textContent()).toContain('Reference')
  })

  it('pages through results on the server', async () => {
    await session.page.goto(`${session.server.url}/crimes?from=2025-01-01`)
    await session.page.getByRole('link', { name: /Next/ }).click()
    await session.page.waitForURL((url) => url.searchParams.get('page') === '2')
    expect(await session.page.locator('.govuk-pagination__item--current').textContent()).toContain('2')
    await expectAccessible(session.page)
  })

  it('opens a crime and a person, whose page lists their records in time order', async () => {
    await session.page.goto(`${session.server.url}/crimes?classification=8Q&match=included`)
    await session.page.locator('tbody tr td a').first().click()
    await session.page.waitForURL((url) => /^\/crimes\/\d+$/.test(url.pathname))
    await expect.poll(() => session.page.locator('h1').textContent()).toMatch(/\//)
    expect(await session.page.locator('table').first().textContent()).toContain('Included')
    await expectAccessible(session.page)

    await session.page.locator('a[href^="/crimes/people/"]').first().click()
    await session.page.waitForURL((url) => url.pathname.startsWith('/crimes/people/'))
    expect(await session.page.getByRole('heading', { name: /Crimes and intelligence reports/ }).count()).toBe(1)
    const dates = await session.page.locator('tbody tr td:first-child').allTextContents()
    const parsed = dates.map((text) => Date.parse(text.trim()))
    expect(parsed.length).toBeGreaterThan(0)
    expect([...parsed].sort((a, b) => a - b)).toEqual(parsed)
    await expectAccessible(session.page)
  })

  it('searches by a person and by words in the narrative', async () => {
    await session.page.goto(`${session.server.url}/crimes`)
    await session.page.getByLabel('Words in the narrative').fill('following')
    await session.page.getByRole('button', { name: 'Apply filters' }).click()
    await session.page.waitForURL((url) => url.searchParams.get('text') === 'following')
    expect(await resultCount()).toBeGreaterThan(0)
    await session.page.goto(`${session.server.url}/crimes?name=sm`)
    expect(await session.page.getByRole('heading', { name: 'People matching' }).count()).toBe(1)
    await expectAccessible(session.page)
  })

  it('exports the current filter as CSV', async () => {
    await session.page.goto(`${session.server.url}/crimes?classification=8Q`)
    const total = await resultCount()
    const [download] = await Promise.all([
      session.page.waitForEvent('download'),
      session.page.getByRole('link', { name: /^CSV/ }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^crimes-\d{4}-\d{2}-\d{2}\.csv$/)
    const path = await download.path()
    const { readFileSync } = await import('node:fs')
    const lines = readFileSync(path, 'utf8').trim().split('\n')
    expect(lines[0]).toContain('Reference')
    expect(lines.length - 1).toBe(total)
  })

  it('shows the import page to an analyst, accessibly', async () => {
    await session.page.goto(`${session.server.url}/crimes/import`)
    expect(await session.page.locator('h1').textContent()).toContain('Import crime records')
    await expectAccessible(session.page)
  })

  it('titles a refused import "Error:" and names who uploaded it (issue 11)', async () => {
    const { page, server } = session
    await page.goto(`${server.url}/crimes/import`)
    await page.setInputFiles('#extracts', 'test/fixtures/crime/single-bad.csv')
    await page.getByRole('button', { name: 'Import' }).click()
    await page.waitForURL((url) => /^\/crimes\/import\/jobs\/\d+$/.test(url.pathname))
    await expect
      .poll(
        async () => {
          await page.reload()
          return page.locator('h1').textContent()
        },
        { timeout: 120_000, interval: 1_000 },
      )
      .toContain('Nothing was imported')
    expect(await page.title()).toMatch(/^Error: Nothing was imported/)
    expect(await page.locator('.govuk-error-summary').count()).toBeGreaterThan(0)
    expect(await page.locator('main').textContent()).toContain('Priya Natarajan')
    await expectAccessibleAtEveryWidth(page)
  }, 240_000)
})
