import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditRows, createTestApp, csrfTokenFrom, type TestApp } from '../support/app.ts'

describe('platform routes', () => {
  let t: TestApp

  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(() => t.close())

  it('answers /health with the database status and version, without sign-in', async () => {
    const response = await request(t.app).get('/health').expect(200)
    expect(response.body).toMatchObject({ status: 'UP', database: { status: 'up', dialect: 'sqlite' } })
    expect(response.body.version).toMatch(/^\d+\.\d+\.\d+/)
  })

  it.each(['/', '/admin', '/admin/audit', '/api/openapi.json', '/plans', '/crimes', '/screening'])(
    'sends an anonymous visitor of %s to sign-in (or 401 for the API)',
    async (path) => {
      const response = await request(t.app).get(path)
      if (path.startsWith('/api/')) {
        expect(response.status).toBe(401)
      } else {
        expect(response.status).toBe(302)
        expect(response.headers.location).toBe('/sign-in')
      }
    },
  )

  it('answers 503 with a reason and Retry-After while another writer holds the database, and works again after', async () => {
    const { sql } = await import('kysely')
    const { default: SQLite } = await import('better-sqlite3')
    await sql`pragma busy_timeout = 50`.execute(t.database.handle.db)
    const importer = new SQLite(t.database.url!)
    try {
      const agent = request.agent(t.app)
      const signIn = await agent.get('/sign-in').expect(200)
      importer.exec('begin immediate')
      const page = await agent
        .post('/sign-in/dev')
        .type('form')
        .send({ _csrf: csrfTokenFrom(signIn.text), username: 'officer' })
      expect(page.status).toBe(503)
      expect(page.headers['retry-after']).toBe('60')
      expect(page.text).toContain('Threadline is busy')
      expect(page.text).toContain('Nothing was saved')
      expect(page.text).not.toMatch(/SQLITE|at .*\.ts/)
      importer.exec('rollback')
      const again = await agent.get('/sign-in').expect(200)
      await agent
        .post('/sign-in/dev')
        .type('form')
        .send({ _csrf: csrfTokenFrom(again.text), username: 'officer' })
        .expect(302)
    } finally {
      importer.close()
      await sql`pragma busy_timeout = 5000`.execute(t.database.handle.db)
    }
  })

  it('lists one demo user per role on the development sign-in page', async () => {
    const response = await request(t.app).get('/sign-in').expect(200)
    for (const role of [
      'Officer or staff',
      'Supervisor',
      'Specialist',
      'Analyst',
      'Action plan owner',
      'Force administrator',
      'National lead',
      'Partner',
    ]) {
      expect(response.text).toContain(role)
    }
  })

  it('signs in, audits the sign-in and returns to the page first asked for', async () => {
    const agent = request.agent(t.app)
    await agent.get('/admin/audit').expect(302)
    const page = await agent.get('/sign-in')
    const response = await agent
      .post('/sign-in/dev')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), username: 'admin' })
    expect(response.status).toBe(302)
    expect(response.headers.location).toBe('/admin/audit')
    const [event] = await auditRows(t.services, 'user.signed-in')
    expect(event).toMatchObject({ actor_username: 'admin', subject_type: 'user' })
    expect(JSON.parse(event.details)).toEqual({ method: 'development' })
  })

  it('refuses a form post without the CSRF token', async () => {
    const agent = await t.signedInAs('admin')
    const response = await agent.post('/admin/audit/verify').type('form').send({})
    expect(response.status).toBe(403)
    expect(response.text).toContain('This form has expired')
    const withToken = await agent
      .post('/admin/audit/verify')
      .type('form')
      .send({ _csrf: csrfTokenFrom((await agent.get('/admin')).text) })
    expect(withToken.status).toBe(200)
    expect(withToken.text).toContain('The chain is intact')
  })

  it('refuses a sign-in post without the CSRF token', async () => {
    const response = await request(t.app).post('/sign-in/dev').type('form').send({ username: 'admin' })
    expect(response.status).toBe(403)
  })

  it('gives 403 to a role without the capability and audits the refusal', async () => {
    const agent = await t.signedInAs('officer')
    const response = await agent.get('/admin').expect(403)
    expect(response.text).toContain('You do not have access to this page')
    const [event] = await auditRows(t.services, 'access.denied')
    expect(event).toMatchObject({ actor_username: 'officer', subject_type: 'route', subject_id: '/admin' })
    expect(JSON.parse(event.details)).toMatchObject({ capability: 'audit:read' })
  })

  it('shows a partner only what a partner may use in the navigation', async () => {
    const agent = await t.signedInAs('partner')
    const home = await agent.get('/').expect(200)
    expect(home.text).not.toContain('href="/crimes"')
    expect(home.text).not.toContain('href="/admin"')
  })

  it('sets a CSP with a fresh nonce on every page and uses it on the scripts', async () => {
    const first = await request(t.app).get('/sign-in')
    const second = await request(t.app).get('/sign-in')
    const nonce = /'nonce-([^']+)'/.exec(first.headers['content-security-policy'])?.[1]
    expect(nonce).toBeTruthy()
    expect(first.text).toContain(`nonce="${nonce}"`)
    expect(second.headers['content-security-policy']).not.toContain(nonce)
    expect(first.headers['x-request-id']).toMatch(/[\w-]{8,}/)
  })

  it('sets the session cookie httpOnly and SameSite', async () => {
    const page = await request(t.app).get('/sign-in')
    const response = await request(t.app)
      .post('/sign-in/dev')
      .set('Cookie', page.headers['set-cookie'])
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), username: 'officer' })
    const cookie = String(response.headers['set-cookie'])
    expect(cookie).toMatch(/threadline\.sid=/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
  })

  it('shows a 404 page with no stack trace', async () => {
    const agent = await t.signedInAs('officer')
    const response = await agent.get('/nowhere').expect(404)
    expect(response.text).toContain('Page not found')
    expect(response.text).not.toMatch(/\.ts:\d+/)
  })

  it('serves the OpenAPI document to a signed-in user', async () => {
    const agent = await t.signedInAs('analyst')
    const response = await agent.get('/api/openapi.json').expect(200)
    expect(response.body.openapi).toBe('3.1.0')
  })
})

describe('sign-in configuration', () => {
  it('switches the development sign-in off when OIDC is configured', async () => {
    const t = await createTestApp({
      config: {
        oidc: { issuer: 'http://127.0.0.1:1/', clientId: 'x', clientSecret: 'y', scopes: 'openid' },
        devSignInEnabled: false,
      },
    })
    try {
      const page = await request(t.app).get('/sign-in').expect(200)
      expect(page.text).toContain('Sign in with your force account')
      expect(page.text).not.toContain('Demo users')
    } finally {
      await t.close()
    }
  })
})
