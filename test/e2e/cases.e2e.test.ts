// An officer's day in the browser (issue 12), on `npm start`'s demo data: the case work demo (src/cases/demo.ts) moves
// crimes from the seeded generator (seed 12, invented people) to fixed days before today and assigns them to the demo
// officer, so "My work" always shows CW/0002 (reported 3 days ago, no S-DASH: overdue by 2 days) and CW/0003 (reported
// 6 days ago: its SPO consideration due tomorrow). The officer completes the S-DASH from the case's task list; it leaves
// My work and the case page shows it completed, by whom and when. axe (WCAG 2.2 AA) on every page visited.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { addDays } from '../../src/platform/days.ts'
import { DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { SDASH_QUESTIONS } from '../../src/screening/services/sdash.ts'
import { londonDay } from '../../src/cases/services/workingDays.ts'
import { browserAvailable, expectAccessible, useBrowserSession } from '../support/browser.ts'

const SDASH = 'Complete the stalking risk assessment (S-DASH)'
const SPO = 'Consider a Stalking Protection Order'

interface WorkRow {
  reference: string
  task: string
  due: string
  /** The page of My work it is on. */
  url: string
}

/** Every row of My work, page by page through its pagination (axe on each page). */
async function myWork(page: Page, baseUrl: string): Promise<WorkRow[]> {
  const rows: WorkRow[] = []
  await page.goto(`${baseUrl}/`)
  for (;;) {
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('My work')
    await expectAccessible(page)
    for (const row of await page.locator('#my-work tbody tr').all()) {
      const cells = await row.locator('td').allInnerTexts()
      rows.push({
        reference: cells[0].trim(),
        task: cells[1].replace(/ on \S+$/, '').trim(),
        due: cells[2].trim(),
        url: page.url(),
      })
    }
    const next = page.getByRole('link', { name: 'Next page' })
    if ((await next.count()) === 0) return rows
    const href = await next.getAttribute('href')
    await next.press('Enter')
    await page.waitForURL(`${baseUrl}${href}`)
  }
}

describe.runIf(browserAvailable())("An officer's day in the browser", () => {
  const session = useBrowserSession({ signInAs: 'officer' })

  it('My work shows an overdue S-DASH and an SPO consideration due tomorrow; the S-DASH is completed from the task list', async () => {
    const { server, page } = session
    const today = londonDay()
    const year = today.slice(2, 4)
    const overdueCase = `CW/0002/${year}`
    const spoCase = `CW/0003/${year}`

    // 1. My work, the home page after signing in.
    const before = await myWork(page, server.url)
    const overdue = before.find((row) => row.reference === overdueCase && row.task === SDASH)
    expect(overdue, `${overdueCase}'s S-DASH in My work`).toBeDefined()
    expect(overdue!.due).toContain('Overdue by 2 days')
    const spo = before.find((row) => row.reference === spoCase && row.task === SPO)
    expect(spo, `${spoCase}'s SPO consideration in My work`).toBeDefined()
    expect(spo!.due).toContain('Due tomorrow')
    // The counts at the top and in the navigation agree with the rows.
    const overdueRows = before.filter((row) => row.due.startsWith('Overdue')).length
    await page.goto(`${server.url}/`)
    await expect.poll(() => page.locator('#count-overdue').textContent()).toBe(String(overdueRows))
    await expect
      .poll(() => page.getByRole('navigation', { name: 'Threadline' }).textContent())
      .toContain(`My work (${overdueRows} overdue)`)

    // 2. The case page, from My work: the S-DASH overdue on its task list.
    const force = (await server.services.crime.repository.forceByName(DEMO_FORCE))!
    const crimeId = (await server.services.crime.repository.crimeIdsByReference(force.id, [overdueCase])).get(
      overdueCase,
    )!
    await page.goto(overdue!.url)
    await page.locator('#my-work').getByRole('link', { name: overdueCase, exact: true }).first().press('Enter')
    await page.waitForURL(`${server.url}/cases/${crimeId}`)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(overdueCase)
    const sdashTask = page.locator('.govuk-task-list__item', { hasText: SDASH })
    await expect.poll(() => sdashTask.locator('.govuk-task-list__status').innerText()).toBe('Overdue by 2 days')
    await expect.poll(() => sdashTask.innerText()).toContain(`Due ${formatDay(addDays(today, -2))}`)
    await expectAccessible(page)

    // 3. The task's link opens the S-DASH form; answered by keyboard and sent.
    await sdashTask.getByRole('link', { name: SDASH }).press('Enter')
    await page.waitForURL(`${server.url}/screening/crimes/${crimeId}/sdash`)
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Stalking screening tool (S-DASH)')
    await expectAccessible(page)
    for (const [index, question] of SDASH_QUESTIONS.entries()) {
      await page.locator(`input[name="${question.id}"][value="${index < 4 ? 'yes' : 'no'}"]`).check()
    }
    await page
      .getByLabel('Your professional judgement')
      .fill('Repeated visits to the home and messages after being told to stop; victim frightened.')
    await page.getByLabel('Medium').check()
    await page.getByRole('button', { name: 'Record the S-DASH' }).press('Enter')
    await page.waitForURL(`${server.url}/screening/crimes/${crimeId}#sdash`)
    await expect.poll(() => page.locator('main').textContent()).toContain('S-DASH recorded: 4 of')
    await expectAccessible(page)

    // 4. My work again: the S-DASH on that case has left the queue; the SPO due tomorrow is still there.
    const after = await myWork(page, server.url)
    expect(after.some((row) => row.reference === overdueCase && row.task === SDASH)).toBe(false)
    expect(after.some((row) => row.reference === spoCase && row.task === SPO)).toBe(true)
    expect(after).toHaveLength(before.length - 1)

    // 5. The case page: the S-DASH completed, with who and when.
    await page.goto(`${server.url}/cases/${crimeId}`)
    const done = page.locator('.govuk-task-list__item', { hasText: SDASH })
    await expect.poll(() => done.locator('.govuk-task-list__status').innerText()).toBe('Completed late')
    await expect
      .poll(() => done.innerText())
      .toMatch(new RegExp(`Done ${formatDay(today, 'short')}, \\d\\d:\\d\\d by PC Alex Carter`))
    await expect.poll(() => page.locator('#timeline ~ ol').innerText()).toContain('S-DASH completed: Medium')
    await expect.poll(() => page.locator('#timeline ~ ol').innerText()).toContain('PC Alex Carter')
    await expectAccessible(page)

    // Met by the area's own record: the S-DASH row, by the officer.
    const row = await server.services.db
      .selectFrom('case_obligations')
      .selectAll()
      .where('crime_id', '=', crimeId)
      .where('obligation_id', '=', 'sdash')
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ state: 'met', met_by: 'officer', met_event: 'screening.sdash_completed' })
  }, 180_000) // My work is walked page by page twice, axe on each: more than the default minute on a loaded machine.
})

/** A day as the pages write it: "3 December 2026" (a day), "3 Dec 2026" (the day of a time). */
function formatDay(day: string, month: 'long' | 'short' = 'long'): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month, year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  )
}
