// The page patterns that live in the platform's middleware (docs/page-patterns.md), on the real app: Post/Redirect/Get,
// a form kept across an ended session, dates folded by the one parser, the public pages' own layout.
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_USERS } from '../../src/platform/services/demoUsers.ts'
import { createTestApp, csrfTokenFrom, type TestApp } from '../support/app.ts'

describe('page patterns', () => {
  let t: TestApp
  const origin = 'http://threadline.test'

  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(() => t.close())

  it('redirects a post that renders its errors to the form page, which shows them once (Post/Redirect/Get)', async () => {
    const agent = await t.signedInAs('specialist')
    const form = await agent.get('/screening/settings').set('host', 'threadline.test').expect(200)
    expect(form.headers['cache-control']).toBe('no-store')
    const post = await agent
      .post('/screening/settings')
      .set('host', 'threadline.test')
      .set('origin', origin)
      .set('referer', `${origin}/screening/settings`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), windowDays: 'a year', minIncidents: '2' })
    expect(post.status).toBe(303)
    expect(post.headers.location).toBe('/screening/settings')
    const shown = await agent.get('/screening/settings').set('host', 'threadline.test')
    expect(shown.status).toBe(400)
    expect(shown.text).toMatch(/<title>Error: /)
    expect(shown.text).toContain('govuk-error-summary')
    expect(shown.text).toMatch(/<script[^>]*nonce="[^_"]+"/)
    // Reload, or Back to it later: the page as it is now, without the old error.
    const again = await agent.get('/screening/settings').set('host', 'threadline.test').expect(200)
    expect(again.text).not.toContain('govuk-error-summary')
  })

  it('keeps a form posted after the session ended and puts it back on its page after signing in again', async () => {
    const agent = request.agent(t.app)
    const post = await agent
      .post('/screening/settings')
      .set('host', 'threadline.test')
      .set('origin', origin)
      .set('referer', `${origin}/screening/settings`)
      .type('form')
      .send({ _csrf: 'from-the-ended-session', windowDays: '120', minIncidents: '3' })
    expect(post.status).toBe(303)
    expect(post.headers.location).toBe('/sign-in')
    const signIn = await agent.get('/sign-in').expect(200)
    expect(signIn.text).toContain('What you typed has been kept')
    const signedIn = await agent
      .post('/sign-in/dev')
      .type('form')
      .send({ _csrf: csrfTokenFrom(signIn.text), username: 'specialist' })
      .expect(302)
    expect(signedIn.headers.location).toBe('/screening/settings')
    const page = await agent.get('/screening/settings').expect(200)
    expect(page.text).toContain('You were signed out before your answers were sent')
    expect(page.text).toContain('<input type="hidden" name="windowDays" value="120">')
    expect(page.text).not.toContain('from-the-ended-session')
    // Shown once: the next visit is the page as it is.
    expect((await agent.get('/screening/settings').expect(200)).text).not.toContain('You were signed out')
  })

  it('never keeps a post from another site: it is refused as before', async () => {
    const agent = request.agent(t.app)
    const post = await agent
      .post('/screening/settings')
      .set('host', 'threadline.test')
      .set('origin', 'https://elsewhere.example')
      .set('referer', 'https://elsewhere.example/form')
      .type('form')
      .send({ windowDays: '1' })
    expect(post.status).toBe(403)
    const signIn = await agent.get('/sign-in').expect(200)
    expect(signIn.text).not.toContain('What you typed has been kept')
  })

  it('reads a date input typed as one field in a query string, through the one parser', async () => {
    const agent = await t.signedInAs('analyst')
    const page = await agent
      .get('/insight/profile')
      .query({
        'from-day': '1/5/2025',
        'from-month': '',
        'from-year': '',
        'to-day': '30',
        'to-month': '4',
        'to-year': '2026',
      })
      .expect(200)
    expect(page.text).toContain('crimes reported 1 May 2025 to 30 April 2026')
    const bad = await agent
      .get('/insight/profile')
      .query({ 'from-day': '31', 'from-month': '2', 'from-year': '2025', 'to-day': '30/4/2026' })
      .expect(400)
    expect(bad.text).toMatch(/<input[^>]*id="from"[^>]*value="31"/)
  })

  it('gives the public pages their own header and footer: no police sign-in, an accessibility statement and contact', async () => {
    for (const path of ['/public/accessibility', '/public/contact', '/public/plans', '/public/plans/no-such-force']) {
      const page = await request(t.app).get(path)
      expect([200, 404]).toContain(page.status)
      expect(page.text, path).toContain('href="/public/accessibility"')
      expect(page.text, path).toContain('href="/public/contact"')
      expect(page.text, path).not.toMatch(/href="\/"|href="\/sign-in"/)
    }
  })

  it.each(DEMO_USERS.map((user) => user.username))(
    'shows %s at most seven navigation entries, with a hub page for the rest',
    async (username) => {
      const agent = await t.signedInAs(username)
      const home = await agent.get('/').redirects(2).expect(200)
      const nav = /<nav[^>]*govuk-service-navigation[\s\S]*?<\/nav>/.exec(home.text)?.[0] ?? ''
      const links = [...nav.matchAll(/href="([^"]+)"/g)].map((match) => match[1])
      expect(links.length).toBeLessThanOrEqual(7)
      for (const hub of links.filter((href) => href.startsWith('/hubs/'))) {
        const page = await agent.get(hub).expect(200)
        const entries = [...page.text.matchAll(/<li>\s*<a [^>]*href="([^"]+)"/g)].map((match) => match[1])
        expect(entries.length, hub).toBeGreaterThan(1)
        for (const entry of entries) expect((await agent.get(entry).redirects(2)).status, entry).toBe(200)
      }
    },
  )

  it("groups a supervisor's eleven pages under six entries", async () => {
    const agent = await t.signedInAs('supervisor')
    const home = await agent.get('/').redirects(2).expect(200)
    expect(home.text).toContain('href="/hubs/case-work"')
    expect(home.text).toContain('href="/hubs/assurance"')
    const hub = await agent.get('/hubs/case-work').expect(200)
    for (const href of ['/safeguarding', '/investigation', '/victims/services', '/cases/queue'])
      expect(hub.text).toContain(`href="${href}"`)
    await (await t.signedInAs('officer')).get('/hubs/settings').expect(404)
  })
})
