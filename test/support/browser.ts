// Browser tests: a real Threadline server on a temp database, driven by Playwright in Debian's Chromium,
// with axe-core checking WCAG 2.2 AA on every page a test visits.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import type { Services } from '../../src/compositionRoot.ts'
import type { DialectName } from '../../src/platform/data/database.ts'
import { startServer } from '../../src/server.ts'
import { createTestDatabase } from './databases.ts'

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function chromiumPath(): string | null {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean)
  return (candidates as string[]).find((path) => existsSync(path)) ?? null
}

/** True when browser tests can run; otherwise says so loudly once, and fails the run under CI. */
export function browserAvailable(): boolean {
  if (chromiumPath()) return true
  const message =
    'BROWSER TESTS NOT RUN: no Chromium found at CHROME_PATH or /usr/bin/chromium. Install it with `apt-get install -y chromium`.'
  console.error(`\n*** ${message} ***\n`)
  if (process.env.CI) throw new Error(message)
  return false
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath()
  if (!executablePath) throw new Error('No Chromium: install it with `apt-get install -y chromium` or set CHROME_PATH')
  return chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true })
}

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  return context.newPage()
}

export interface TestServer {
  url: string
  services: Services
  stop(): Promise<void>
}

/**
 * Starts Threadline on a fresh SQLite file (or, with dialect 'postgres', a fresh database on the TEST_DATABASE_URL
 * server) on a free port (or the one given), with demo users and demo data.
 */
export async function startTestServer(
  options: { env?: Record<string, string>; port?: number; dialect?: DialectName } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'threadline-e2e-'))
  const postgres = options.dialect === 'postgres' ? await createTestDatabase('postgres', { migrate: false }) : null
  if (postgres && !postgres.url) throw new Error('Browser tests on PostgreSQL need TEST_DATABASE_URL (a server)')
  const config = loadConfig(
    { NODE_ENV: 'test', UPLOAD_DIR: join(dir, 'uploads'), ...options.env },
    { databaseUrl: postgres?.url ?? join(dir, 'e2e.sqlite'), port: options.port ?? 0 },
  )
  // Demo users and demo data, as `npm start` loads them, whatever the sign-in method.
  const running = await startServer(config, { demo: true })
  return {
    url: running.url,
    services: running.services,
    async stop() {
      await running.stop()
      if (postgres) await postgres.drop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function signIn(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`)
  await page.locator(`form:has(input[name="username"][value="${username}"]) button`).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
}

/** Runs axe (WCAG 2.0, 2.1 and 2.2, levels A and AA) on the page and fails the test on any violation. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'])
    .analyze()
  const violations = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help} on ${page.url()}\n  ${violation.nodes
        .slice(0, 3)
        .map((node) => node.target.join(' '))
        .join('\n  ')}`,
  )
  expect(violations, violations.join('\n')).toEqual([])
  // Wide tables scroll inside their own region; the page itself never scrolls sideways.
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  )
  expect(overflow, `${page.url()} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0)
}

/** The widths every page is checked at (docs/page-patterns.md): a small phone, a tablet and a laptop. */
export const WIDTHS = [320, 768, 1280]

/** expectAccessible (axe and no sideways scroll) at 320, 768 and 1280 px, the page left at 1280 after. */
export async function expectAccessibleAtEveryWidth(page: Page): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 })
    await expectAccessible(page)
  }
}

/** A port that was free a moment ago, for servers whose own URL must be known before they start. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net')
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

export interface BrowserSession {
  server: TestServer
  browser: Browser
  page: Page
}

/**
 * Registers the hooks every browser test file needs: a Threadline server on a fresh database, Chromium, one page
 * (signed in as the given demo user, if any), and closing them all afterwards. Read the fields inside tests.
 */
export function useBrowserSession(options: { signInAs?: string; dialect?: DialectName } = {}): BrowserSession {
  const session = {} as BrowserSession
  beforeAll(async () => {
    session.server = await startTestServer({ dialect: options.dialect })
    session.browser = await launchBrowser()
    session.page = await newPage(session.browser)
    if (options.signInAs) await signIn(session.page, session.server.url, options.signInAs)
  })
  afterAll(async () => {
    await session.browser?.close()
    await session.server?.stop()
  })
  return session
}
