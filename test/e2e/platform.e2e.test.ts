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

describe.runIf(browserAvailable())('platform in the browser', () => {
  let server: TestServer
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
    page = await newPage(browser)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('sends an anonymous visitor to the sign-in page, which lists the demo users and is accessible', async () => {
    await page.goto(`${server.url}/`)
    expect(new URL(page.url()).pathname).toBe('/sign-in')
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Sign in')
    expect(await page.locator('form[action="/sign-in/dev"]').count()).toBeGreaterThanOrEqual(8)
    await expectAccessible(page)
  })

  it('signs in by keyboard and shows the user and their force', async () => {
    await page.goto(`${server.url}/sign-in`)
    const button = page.locator('form:has(input[name="username"][value="admin"]) button')
    await button.focus()
    await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.keyboard.press('Enter')])
    await expect.poll(() => page.locator('.tl-header__user').textContent()).toContain('Demoshire Police')
    await expectAccessible(page)
  })

  it('shows the administration pages to a force administrator, accessibly', async () => {
    await page.goto(`${server.url}/admin`)
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Verify the audit chain' }).click()
    await expect.poll(() => page.locator('main').textContent()).toContain('The chain is intact')
    await expectAccessible(page)
    await page.goto(`${server.url}/admin/audit`)
    await expectAccessible(page)
  })

  it('shows an accessible not-found page without a stack trace', async () => {
    const response = await page.goto(`${server.url}/no-such-page`)
    expect(response?.status()).toBe(404)
    expect(await page.content()).not.toMatch(/at .*\.ts:\d+/)
    await expectAccessible(page)
  })

  it('signs out', async () => {
    await signIn(page, server.url, 'officer')
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/sign-in'),
      page.getByRole('button', { name: 'Sign out' }).click(),
    ])
  })
})
