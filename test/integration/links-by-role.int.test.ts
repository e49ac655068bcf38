// Links only when the user may follow them (docs/page-patterns.md): signed in as every demo role on the demo data, the
// crawler follows every link on every page it reaches (a few of each kind of page) and fails on any link answering 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemoData } from '../../src/demo.ts'
import { DEMO_USERS } from '../../src/platform/services/demoUsers.ts'
import { createTestApp, type TestApp } from '../support/app.ts'

const PAGES_PER_KIND = 2
const MAX_PAGES = 120

/** '/crimes/123/spo?x=1' and '/crimes/456/spo' are one kind of page. */
const kindOf = (path: string) => path.split('?')[0].replace(/\/\d+/g, '/:id')

describe('links by role', () => {
  let t: TestApp

  beforeAll(async () => {
    t = await createTestApp()
    await loadDemoData(t.services)
  }, 600_000)
  afterAll(() => t.close())

  it.each(DEMO_USERS.map((user) => user.username))(
    'shows %s no link to a page that refuses them',
    async (username) => {
      const agent = await t.signedInAs(username)
      const queue = ['/']
      const seen = new Set<string>(queue)
      const perKind = new Map<string, number>()
      const refused: string[] = []
      const from = new Map<string, string>()
      let visited = 0
      while (queue.length && visited < MAX_PAGES) {
        const path = queue.shift()!
        const response = await agent.get(path).redirects(3)
        visited++
        if (response.status === 403)
          refused.push(`${path} (linked from ${response.request.getHeader?.('referer') ?? 'a page'})`)
        if (response.status !== 200 || !/text\/html/.test(String(response.headers['content-type']))) continue
        for (const [, href] of response.text.matchAll(/<a [^>]*href="(\/[^"#]*)/g)) {
          const link = href.replace(/&amp;/g, '&')
          if (link.startsWith('/assets/') || link.startsWith('/sign-') || seen.has(link)) continue
          const kind = kindOf(link)
          if ((perKind.get(kind) ?? 0) >= PAGES_PER_KIND) continue
          perKind.set(kind, (perKind.get(kind) ?? 0) + 1)
          seen.add(link)
          from.set(link, path)
          queue.push(link)
        }
      }
      expect(refused, `${username} is shown links it is refused:\n${refused.join('\n')}`).toEqual([])
      // Everyone but the partner (who has one page) reaches more than the home page.
      expect(visited).toBeGreaterThan(username === 'partner' ? 0 : 2)
      console.log(`${username}: ${visited} pages, ${perKind.size} kinds`)
    },
    300_000,
  )
})
