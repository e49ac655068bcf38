// OIDC sign-in (authorisation code + PKCE) against a real local identity provider: oidc-provider.
import type { Server } from 'node:http'
import Provider from 'oidc-provider'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditRows } from '../support/app.ts'
import {
  browserAvailable,
  expectAccessible,
  freePort,
  launchBrowser,
  newPage,
  startTestServer,
  type TestServer,
} from '../support/browser.ts'

describe.runIf(browserAvailable())('OIDC sign-in against a local identity provider', () => {
  let issuerServer: Server
  let server: TestServer
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    const [issuerPort, appPort] = [await freePort(), await freePort()]
    const issuer = `http://localhost:${issuerPort}`
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'threadline',
          client_secret: 'threadline-test-secret',
          redirect_uris: [`http://localhost:${appPort}/sign-in/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      pkce: { required: () => true },
      claims: { openid: ['sub'], email: ['email'], profile: ['preferred_username'] },
      findAccount: async (_ctx: unknown, id: string) => ({
        accountId: id,
        claims: async () => ({ sub: `idp-${id}`, email: `${id}@example.police.uk`, preferred_username: id }),
      }),
    })
    issuerServer = provider.listen(issuerPort)
    server = await startTestServer({
      port: appPort,
      env: {
        OIDC_ISSUER: issuer,
        OIDC_CLIENT_ID: 'threadline',
        OIDC_CLIENT_SECRET: 'threadline-test-secret',
        BASE_URL: `http://localhost:${appPort}`,
      },
    })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    issuerServer?.close()
  })

  async function signInAtProvider(login: string) {
    page = await newPage(browser)
    await page.goto(`${server.url}/sign-in`)
    expect(await page.content()).not.toContain('Demo users')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Sign in with your force account' }).click()
    await page.locator('input[name="login"]').fill(login)
    await page.locator('input[name="password"]').fill('any password')
    await page.locator('button[type="submit"]').click()
    // The provider asks for consent the first time; then it sends the browser back to Threadline.
    await page.waitForURL((url) => url.origin === server.url || url.pathname.startsWith('/interaction/'))
    if (new URL(page.url()).origin !== server.url) {
      await page.locator('button[type="submit"]').click()
    }
  }

  it('signs a known user in with PKCE and links their identity on first sign-in', async () => {
    await signInAtProvider('supervisor')
    await page.waitForURL((url) => url.origin === server.url && url.pathname === '/')
    await expect.poll(() => page.locator('.tl-header__user').textContent()).toContain('DS Sam Okafor')
    await expectAccessible(page)
    const [linked] = await auditRows(server.services, 'user.oidc-linked')
    expect(linked).toBeTruthy()
    const [signedIn] = await auditRows(server.services, 'user.signed-in')
    expect(JSON.parse(signedIn.details)).toEqual({ method: 'oidc' })
    await page.context().close()
  })

  it('refuses someone the identity provider knows but Threadline does not', async () => {
    await signInAtProvider('stranger')
    await page.waitForURL((url) => url.origin === server.url && url.pathname === '/sign-in/callback')
    expect(await page.locator('h1').textContent()).toContain('You do not have access')
    expect(await page.content()).toContain('not set up in Threadline')
    await page.context().close()
  })
})
