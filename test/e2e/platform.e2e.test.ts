import { describe, expect, it } from 'vitest'
import { browserAvailable, expectAccessible, signIn, useBrowserSession } from '../support/browser.ts'

describe.runIf(browserAvailable())('platform in the browser', () => {
  const session = useBrowserSession()

  it('sends an anonymous visitor to the sign-in session.page, which lists the demo users and is accessible', async () => {
    await session.page.goto(`${session.server.url}/`)
    expect(new URL(session.page.url()).pathname).toBe('/sign-in')
    await expect.poll(() => session.page.getByRole('heading', { level: 1 }).textContent()).toContain('Sign in')
    expect(await session.page.locator('form[action="/sign-in/dev"]').count()).toBeGreaterThanOrEqual(8)
    await expectAccessible(session.page)
  })

  it('signs in by keyboard and shows the user and their force', async () => {
    await session.page.goto(`${session.server.url}/sign-in`)
    const button = session.page.locator('form:has(input[name="username"][value="admin"]) button')
    await button.focus()
    await Promise.all([session.page.waitForURL((url) => url.pathname === '/'), session.page.keyboard.press('Enter')])
    await expect.poll(() => session.page.locator('.tl-header__user').textContent()).toContain('Demoshire Police')
    await expectAccessible(session.page)
  })

  it('shows the administration pages to a force administrator, accessibly', async () => {
    await session.page.goto(`${session.server.url}/admin`)
    await expectAccessible(session.page)
    await session.page.getByRole('button', { name: 'Verify the audit chain' }).click()
    await expect.poll(() => session.page.locator('main').textContent()).toContain('The chain is intact')
    await expectAccessible(session.page)
    await session.page.goto(`${session.server.url}/admin/audit`)
    await expectAccessible(session.page)
  })

  it('shows an accessible not-found page without a stack trace', async () => {
    const response = await session.page.goto(`${session.server.url}/no-such-page`)
    expect(response?.status()).toBe(404)
    expect(await session.page.content()).not.toMatch(/at .*\.ts:\d+/)
    await expectAccessible(session.page)
  })

  it('signs out', async () => {
    await signIn(session.page, session.server.url, 'officer')
    await Promise.all([
      session.page.waitForURL((url) => url.pathname === '/sign-in'),
      session.page.getByRole('button', { name: 'Sign out' }).click(),
    ])
  })
})
