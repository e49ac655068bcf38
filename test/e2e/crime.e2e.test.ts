import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  browserAvailable,
  expectAccessible,
  launchBrowser,
  newPage,
  signIn,
  startTestServer,
  type TestServer,
} from '../support/browser.ts'

describe.runIf(browserAvailable())('crime records in the browser', () => {
  let server: TestServer
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
    page = await newPage(browser)
    await signIn(page, server.url, 'analyst')
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  const resultCount = async () =>
    Number(/^(\d+)/.exec((await page.locator('#results-heading').textContent()) ?? '')?.[1])

  it('opens Find crimes from the navigation, with the demo force records, accessibly', async () => {
    await page.goto(`${server.url}/`)
    await page.locator('.govuk-service-navigation').getByRole('link', { name: 'Crimes', exact: true }).click()
    await page.waitForURL((url) => url.pathname === '/crimes')
    expect(await resultCount()).toBeGreaterThan(1000)
    await expectAccessible(page)
  })

  it('filters by a classification recorded as included, and the URL carries the filters', async () => {
    await page.goto(`${server.url}/crimes`)
    await page.getByLabel('Classification').selectOption('8Q')
    await page.getByLabel('Principal or included').check()
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await page.waitForURL((url) => url.searchParams.get('classification') === '8Q')
    const either = await resultCount()
    expect(either).toBeGreaterThan(0)

    await page.getByLabel('Included only').check()
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await page.waitForURL((url) => url.searchParams.get('match') === 'included')
    const included = await resultCount()
    expect(included).toBeGreaterThan(0)
    expect(included).toBeLessThan(either)
    // Every row shown has 8Q among its included classifications and something else as principal.
    const rows = page.locator('tbody tr')
    for (let index = 0; index < Math.min(await rows.count(), 10); index++) {
      expect(await rows.nth(index).locator('td').nth(3).textContent()).toContain('8Q')
      expect(await rows.nth(index).locator('td').nth(2).textContent()).not.toMatch(/^\s*8Q /)
    }
    await expectAccessible(page)

    await page.getByRole('link', { name: /^Reference/ }).click()
    await page.waitForURL((url) => url.searchParams.get('sort') === 'reference')
    expect(new URL(page.url()).searchParams.get('match')).toBe('included')
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('Reference')
  })

  it('pages through results on the server', async () => {
    await page.goto(`${server.url}/crimes?from=2025-01-01`)
    await page.getByRole('link', { name: /Next/ }).click()
    await page.waitForURL((url) => url.searchParams.get('page') === '2')
    expect(await page.locator('.govuk-pagination__item--current').textContent()).toContain('2')
    await expectAccessible(page)
  })

  it('opens a crime and a person, whose page lists their records in time order', async () => {
    await page.goto(`${server.url}/crimes?classification=8Q&match=included`)
    await page.locator('tbody tr td a').first().click()
    await page.waitForURL((url) => /^\/crimes\/\d+$/.test(url.pathname))
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/\//)
    expect(await page.locator('table').first().textContent()).toContain('Included')
    await expectAccessible(page)

    await page.locator('a[href^="/crimes/people/"]').first().click()
    await page.waitForURL((url) => url.pathname.startsWith('/crimes/people/'))
    expect(await page.getByRole('heading', { name: /Crimes and intelligence reports/ }).count()).toBe(1)
    const dates = await page.locator('tbody tr td:first-child').allTextContents()
    const parsed = dates.map((text) => Date.parse(text.trim()))
    expect(parsed.length).toBeGreaterThan(0)
    expect([...parsed].sort((a, b) => a - b)).toEqual(parsed)
    await expectAccessible(page)
  })

  it('searches by a person and by words in the narrative', async () => {
    await page.goto(`${server.url}/crimes`)
    await page.getByLabel('Words in the narrative').fill('following')
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await page.waitForURL((url) => url.searchParams.get('text') === 'following')
    expect(await resultCount()).toBeGreaterThan(0)
    await page.goto(`${server.url}/crimes?name=sm`)
    expect(await page.getByRole('heading', { name: 'People matching' }).count()).toBe(1)
    await expectAccessible(page)
  })

  it('exports the current filter as CSV', async () => {
    await page.goto(`${server.url}/crimes?classification=8Q`)
    const total = await resultCount()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /^CSV/ }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^crimes-\d{4}-\d{2}-\d{2}\.csv$/)
    const path = await download.path()
    const { readFileSync } = await import('node:fs')
    const lines = readFileSync(path, 'utf8').trim().split('\n')
    expect(lines[0]).toContain('Reference')
    expect(lines.length - 1).toBe(total)
  })

  it('shows the import page to an analyst, accessibly', async () => {
    await page.goto(`${server.url}/crimes/import`)
    expect(await page.locator('h1').textContent()).toContain('Import crime records')
    await expectAccessible(page)
  })
})
