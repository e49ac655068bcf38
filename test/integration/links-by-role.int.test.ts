// Links only when the user may follow them (docs/page-patterns.md): signed in as every demo role on the demo data, the
// crawler follows every link on every page it reaches (a few of each kind of page) and fails on any link answering 403.
// Then the audit log the crawl, the demo loader and the command line wrote: no row of one force is shown to another
// force's administrator, every row names a force, and a refused look at another force's record is in both logs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemoData } from '../../src/demo.ts'
import { DEMO_FORCE, DEMO_USERS, SECOND_DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { createTestApp, type TestApp } from '../support/app.ts'

const PAGES_PER_KIND = 2
const MAX_PAGES = 120

/** '/crimes/123/spo?x=1' and '/crimes/456/spo' are one kind of page. */
const kindOf = (path: string) => path.split('?')[0].replace(/\/\d+/g, '/:id')

/** Follows the links on every page a user reaches, a few of each kind of page; returns the pages that answered 403. */
async function crawl(t: TestApp, username: string) {
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
    if (response.status === 403) refused.push(`${path} (linked from ${from.get(path) ?? 'the home page'})`)
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
  return { refused, visited, kinds: perKind.size }
}

describe('links by role', () => {
  let t: TestApp

  beforeAll(async () => {
    t = await createTestApp()
    await loadDemoData(t.services, { force: true })
  }, 600_000)
  afterAll(() => t.close())

  it.each(DEMO_USERS.map((user) => user.username))(
    'shows %s no link to a page that refuses them',
    async (username) => {
      const { refused, visited, kinds } = await crawl(t, username)
      expect(refused, `${username} is shown links it is refused:\n${refused.join('\n')}`).toEqual([])
      // Everyone but the partner (who has one page) reaches more than the home page.
      expect(visited).toBeGreaterThan(username === 'partner' ? 0 : 2)
      console.log(`${username}: ${visited} pages, ${kinds} kinds`)
    },
    300_000,
  )
})

describe('audit rows by force', () => {
  let t: TestApp

  // The demo data (both forces), then every demo role's pages: the rows the loader, the pages and the CLI write.
  beforeAll(async () => {
    t = await createTestApp()
    await loadDemoData(t.services, { force: true })
    for (const user of DEMO_USERS) await crawl(t, user.username)
  }, 600_000)
  afterAll(() => t.close())

  it("shows no force administrator another force's audit rows; every row names its force; refusals in both logs", async () => {
    const db = t.services.db
    const cli = { ...SYSTEM_ACTOR, actorUsername: 'cli:ops' }
    // The command line adds the second force's administrator (the CLI has no force of its own).
    const northmoorAdmin = await t.services.users.addUser(cli, {
      username: 'northmoor.admin',
      displayName: 'Pat Northmoor',
      email: null,
      force: SECOND_DEMO_FORCE,
      roles: ['force_admin'],
    })
    const forceId = async (name: string) =>
      (await db.selectFrom('forces').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id
    const demoshire = await forceId(DEMO_FORCE)
    const northmoor = await forceId(SECOND_DEMO_FORCE)
    // A Northmoor officer tries a Demoshire crime: a 404, logged for Northmoor and for Demoshire.
    const crime = await db
      .selectFrom('crimes')
      .select('id')
      .where('force_id', '=', demoshire)
      .orderBy('id')
      .executeTakeFirstOrThrow()
    const officer = await t.signedInAs('northmoor.officer')
    await officer.get(`/crimes/${crime.id}`).expect(404)
    const denied = await db
      .selectFrom('audit_events')
      .select(['force_id', 'actor_username'])
      .where('action', '=', 'access.denied')
      .where('subject_id', '=', `/crimes/${crime.id}`)
      .execute()
    expect(denied.map((row) => row.force_id).sort()).toEqual([demoshire, northmoor].sort())

    // Every row names the force it concerns, the command line's and the demo loader's included; only a sign-in by
    // someone Threadline does not know has none.
    const forceless = await db
      .selectFrom('audit_events')
      .select(['action'])
      .distinct()
      .where('force_id', 'is', null)
      .where('action', '!=', 'user.sign-in-refused')
      .execute()
    expect(forceless.map((row) => row.action)).toEqual([])

    const admins = [
      { username: 'admin', own: demoshire, other: northmoor },
      { username: 'northmoor.admin', own: northmoor, other: demoshire },
    ]
    const forceOf = new Map(
      (await db.selectFrom('audit_events').select(['id', 'force_id']).execute()).map((row) => [row.id, row.force_id]),
    )
    const shown = (html: string) => [...html.matchAll(/data-event="(\d+)"/g)].map((match) => Number(match[1]))
    for (const { username, own, other } of admins) {
      const agent = await t.signedInAs(username)
      const pages = ['/admin/audit']
      // The records the other force's rows are about, looked up by name: its user created by the CLI among them.
      const subjects = await db
        .selectFrom('audit_events')
        .select(['subject_type', 'subject_id'])
        .distinct()
        .where('force_id', '=', other)
        .where('subject_id', 'is not', null)
        .limit(60)
        .execute()
      for (const subject of subjects)
        if (/^[a-z-]{1,40}$/.test(subject.subject_type))
          pages.push(
            `/admin/audit?subjectType=${subject.subject_type}&subjectId=${encodeURIComponent(subject.subject_id!)}`,
          )
      pages.push(`/admin/audit?subjectType=user&subjectId=${northmoorAdmin}`)
      pages.push(`/admin/audit?subjectType=route&subjectId=${encodeURIComponent(`/crimes/${crime.id}`)}`)
      let seenOwn = 0
      for (const page of pages) {
        const response = await agent.get(page).expect(200)
        for (const id of shown(response.text)) {
          expect(forceOf.get(id) ?? (await forceOfRow(id)), `${username} is shown event ${id} on ${page}`).toBe(own)
          seenOwn++
        }
      }
      expect(seenOwn).toBeGreaterThan(0)
      // The refused look is shown to both forces' administrators.
      const refusal = await agent.get(
        `/admin/audit?subjectType=route&subjectId=${encodeURIComponent(`/crimes/${crime.id}`)}`,
      )
      expect(shown(refusal.text)).toHaveLength(1)
    }
    const userCreated = await (
      await t.signedInAs('northmoor.admin')
    )
      .get(`/admin/audit?subjectType=user&subjectId=${northmoorAdmin}`)
      .expect(200)
    expect(userCreated.text).toContain('cli:ops')

    async function forceOfRow(id: number) {
      return (await db.selectFrom('audit_events').select('force_id').where('id', '=', id).executeTakeFirst())?.force_id
    }
  }, 300_000)
})
