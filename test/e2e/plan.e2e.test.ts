// The action plan in a real browser: import, add an update with a document, publish, read the public page, export.
// axe (WCAG 2.2 AA) runs on every page visited.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  browserAvailable,
  expectAccessible,
  expectAccessibleAtEveryWidth,
  newPage,
  signIn,
  useBrowserSession,
} from '../support/browser.ts'

const SEED = 'test/fixtures/plans/northamptonshire-seed.txt'
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
)

describe.runIf(browserAvailable())('action plan in the browser', () => {
  const session = useBrowserSession({ signInAs: 'planowner' })

  it("shows the plan owner their force's plan, accessibly", async () => {
    await session.page.goto(`${session.server.url}/plans`)
    expect(new URL(session.page.url()).pathname).toBe('/plans/demoshire')
    await expect.poll(() => session.page.getByRole('heading', { level: 1 }).textContent()).toContain('Action Plan')
    expect(await session.page.locator('#recommendations tbody tr').count()).toBe(15)
    await expectAccessible(session.page)
  })

  it('imports a plan document: preview with warnings, then confirm', async () => {
    await session.page.getByRole('link', { name: 'Import a plan document' }).click()
    await expectAccessible(session.page)
    await session.page.getByLabel('Plan document').setInputFiles(SEED)
    await session.page.getByRole('button', { name: 'Continue' }).click()
    // The seed names another force, so the page lists every change and asks for an explicit confirmation.
    await expect.poll(() => session.page.getByRole('heading', { level: 1 }).textContent()).toBe('Confirm the import')
    const warnings = await session.page.locator('#import-warnings').textContent()
    expect(warnings).toContain('the document names the force "Northamptonshire"')
    expect(warnings).toContain("recommendation 28's deadline")
    // The format in words, never the internal code "seed-text".
    const summary = await session.page.locator('main .govuk-summary-list').first().textContent()
    expect(summary).toContain('Read as')
    expect(summary).toContain('the converted table the plans were first published in')
    expect(await session.page.locator('main').textContent()).not.toMatch(/seed-text|Recognised format/)
    await expectAccessibleAtEveryWidth(session.page)
    await session.page.getByLabel(/I have checked every change listed above/).check()
    await session.page.getByRole('button', { name: 'Import the plan' }).click()
    // The demo plan is published: the import is held until the executive lead approves it.
    await expect
      .poll(() => session.page.locator('.govuk-panel__title').textContent())
      .toContain('Import held for approval')
    expect(await session.page.locator('main').textContent()).toContain('39 updates added')
    await expectAccessibleAtEveryWidth(session.page)
    // Back after the import went through: the import page as it is now, not "That import has expired" or an error.
    await session.page.goBack()
    expect(new URL(session.page.url()).pathname).toBe('/plans/demoshire/import')
    expect(await session.page.title()).not.toMatch(/^Error: /)
    expect(await session.page.locator('main').textContent()).not.toMatch(/expired|There is a problem/)
    await expectAccessible(session.page)
    // The held import names who holds it, by name.
    await session.page.goto(`${session.server.url}/plans/demoshire/approvals`)
    expect(await session.page.locator('#draft-list').textContent()).toContain('(by Supt Morgan Hale,')
    await session.page.locator('main a[href*="/approvals/imports/"]').first().click()
    await session.page.waitForURL((url) => url.pathname.includes('/approvals/imports/'))
    expect(await session.page.locator('main').textContent()).toContain('Held by Supt Morgan Hale')
    await expectAccessibleAtEveryWidth(session.page)
  }, 180_000)

  it('shows an error summary and keeps what was typed when an update is not valid', async () => {
    await session.page.goto(`${session.server.url}/plans/demoshire/items/12.3`)
    await session.page.getByLabel('What has been done').fill('Breach of order checks now run every morning.')
    await session.page.getByRole('button', { name: 'Add the update' }).click()
    await expect.poll(() => session.page.locator('.govuk-error-summary').textContent()).toContain('Select the status')
    expect(await session.page.getByLabel('What has been done').inputValue()).toBe(
      'Breach of order checks now run every morning.',
    )
    await expectAccessible(session.page)
  })

  it('adds an update with a supporting document, both on the timeline and audited', async () => {
    await session.page.getByLabel('In progress').check()
    await session.page.getByLabel('% complete (optional)').fill('60')
    await session.page.getByRole('button', { name: 'Add the update' }).click()
    await expect
      .poll(() => session.page.locator('.govuk-notification-banner').textContent())
      .toContain('Update added to 12.3')
    const timeline = session.page.locator('.moj-timeline').first()
    expect(await timeline.textContent()).toContain('Breach of order checks now run every morning.')
    expect(await timeline.textContent()).toContain('In progress 60%')

    await session.page
      .getByLabel('Document')
      .setInputFiles({ name: 'breach-checks.pdf', mimeType: 'application/pdf', buffer: PDF })
    await session.page.getByRole('button', { name: 'Upload the document' }).click()
    await expect
      .poll(() => session.page.locator('.govuk-notification-banner').textContent())
      .toContain('breach-checks.pdf')
    expect(await session.page.getByRole('link', { name: 'breach-checks.pdf' }).count()).toBeGreaterThan(0)
    // Who added the update by name; the document without its checksum.
    expect(await timeline.textContent()).toContain('by Supt Morgan Hale')
    const documents = await session.page.locator('main').textContent()
    expect(documents).not.toMatch(/checksum|[0-9a-f]{16}/)
    await expectAccessibleAtEveryWidth(session.page)

    await session.page.getByLabel('Document').setInputFiles({
      name: 'not-really.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('plain text in disguise'),
    })
    await session.page.getByRole('button', { name: 'Upload the document' }).click()
    await expect.poll(() => session.page.locator('.govuk-error-summary').textContent()).toContain('not-really.pdf')
    expect(await session.page.title()).toMatch(/^Error: /)
    await expectAccessibleAtEveryWidth(session.page)

    const actions = (
      await session.server.services.db
        .selectFrom('audit_events')
        .select('action')
        .where('actor_username', '=', 'planowner')
        .execute()
    ).map((row) => row.action)
    expect(actions).toEqual(expect.arrayContaining(['plan.import-held', 'plan.update-added', 'plan.document-uploaded']))
  })

  it('shows the recommendation page with its timelines, accessibly', async () => {
    await session.page.goto(`${session.server.url}/plans/demoshire/recommendations/12`)
    expect(await session.page.locator('.moj-timeline').count()).toBeGreaterThan(0)
    await expectAccessible(session.page)
  })

  it('publishes, and the public page needs no sign-in, shows current data and is accessible', async () => {
    // Publishing is the executive lead's sign-off; it approves the drafts waiting (the held import, the update).
    const lead = await newPage(session.browser)
    await signIn(lead, session.server.url, 'execlead')
    await lead.goto(`${session.server.url}/plans/demoshire`)
    // The demo plan starts published: withdraw, then publish again.
    await lead.getByRole('button', { name: 'Withdraw the public page' }).click()
    // Withdrawing asks first, on a page of its own (docs/page-patterns.md).
    await expect.poll(() => lead.getByRole('heading', { level: 1 }).textContent()).toBe('Withdraw the public page?')
    await expectAccessible(lead)
    await lead.getByRole('button', { name: 'Yes, withdraw the public page' }).click()
    await expect.poll(() => lead.locator('.govuk-notification-banner').textContent()).toContain('no longer published')
    const anonymous = await newPage(session.browser)
    const withdrawn = await anonymous.goto(`${session.server.url}/public/plans/demoshire`)
    expect(withdrawn?.status()).toBe(404)
    await lead.getByRole('button', { name: 'Approve and publish the plan' }).click()
    await lead.getByRole('button', { name: 'Yes, publish the plan' }).click()
    await expect.poll(() => lead.locator('.govuk-notification-banner').textContent()).toContain('published at')
    await lead.context().close()

    const response = await anonymous.goto(`${session.server.url}/public/plans/demoshire`)
    expect(response?.status()).toBe(200)
    expect(new URL(anonymous.url()).pathname).toBe('/public/plans/demoshire')
    const table = await anonymous.locator('#plan-table').textContent()
    expect(table).toContain('Breach of order checks now run every morning.')
    expect(table).toContain('In progress 60%')
    expect(await anonymous.locator('#last-updated').textContent()).not.toBe('')
    await expectAccessible(anonymous)
    await anonymous.emulateMedia({ media: 'print' })
    expect(await anonymous.locator('.govuk-footer').isVisible()).toBe(false)
    expect(await anonymous.locator('#plan-table').isVisible()).toBe(true)
    await anonymous.emulateMedia({ media: 'screen' })

    const [download] = await Promise.all([
      anonymous.waitForEvent('download'),
      anonymous.getByRole('link', { name: 'JSON (Threadline plan interchange format)' }).click(),
    ])
    expect(download.suggestedFilename()).toBe('demoshire-police-stalking-action-plan.json')
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'))
    const item = exported.recommendations
      .flatMap((r: { items: { ref: string }[] }) => r.items)
      .find((i: { ref: string }) => i.ref === '12.3')
    expect(item.updates.at(-1)).toMatchObject({ text: 'Breach of order checks now run every morning.', percent: 60 })
    expect(item.documents[0]).toMatchObject({ name: 'breach-checks.pdf', mediaType: 'application/pdf' })

    const [csv] = await Promise.all([
      anonymous.waitForEvent('download'),
      anonymous.getByRole('link', { name: 'CSV' }).click(),
    ])
    expect(readFileSync((await csv.path())!, 'utf8')).toContain('Breach of order checks now run every morning.')
    await anonymous.context().close()
  })

  it('shows the national lead every force side by side, accessibly', async () => {
    const national = await newPage(session.browser)
    await signIn(national, session.server.url, 'national')
    await national.goto(`${session.server.url}/national/plans`)
    const rows = await national.locator('#national-matrix tbody tr').count()
    expect(rows).toBeGreaterThanOrEqual(5)
    expect(await national.locator('svg[role="img"] title').textContent()).toContain('Overall progress')
    await expectAccessible(national)
    await national.getByRole('group', { name: 'Forces not updated since' }).getByLabel('Day').fill('1/1/2025')
    await national.getByRole('button', { name: 'Filter' }).click()
    await national.waitForURL((url) => url.searchParams.get('notUpdatedSince-day') === '1/1/2025')
    expect(await national.locator('#national-matrix tbody tr').count()).toBeLessThan(rows)
    await expectAccessible(national)
    await national.context().close()
  })
})
