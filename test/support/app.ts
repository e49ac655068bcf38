// Route tests: the real app on a real database (SQLite by default), signed in through the development sign-in.
import type { Express } from 'express'
import request from 'supertest'
import type TestAgent from 'supertest/lib/agent.js'
import { loadConfig, type Config } from '../../src/config.ts'
import { wireServices, type Services } from '../../src/compositionRoot.ts'
import { DEMO_USERS } from '../../src/platform/services/demoUsers.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { createApp, createLogger } from '../../src/platform/web/app.ts'
import { createTestDatabase, type TestDatabase } from './databases.ts'
import type { DialectName } from '../../src/platform/data/database.ts'

export interface TestApp {
  app: Express
  services: Services
  database: TestDatabase
  config: Config
  /** A supertest agent signed in as the demo user with that username (cookies kept). */
  signedInAs(username: string): Promise<TestAgent>
  close(): Promise<void>
}

export async function createTestApp(
  options: { dialect?: DialectName; config?: Partial<Config> } = {},
): Promise<TestApp> {
  const database = await createTestDatabase(options.dialect ?? 'sqlite')
  const config = loadConfig({ NODE_ENV: 'test' }, { databaseUrl: database.url ?? 'pglite', ...options.config })
  const services = wireServices(config, database.handle)
  for (const user of DEMO_USERS) {
    await services.users.addUser(SYSTEM_ACTOR, { ...user, email: `${user.username}@example.police.uk` })
  }
  const app = createApp(services, createLogger('silent'))
  return {
    app,
    services,
    database,
    config,
    async signedInAs(username) {
      const agent = request.agent(app)
      const page = await agent.get('/sign-in').expect(200)
      const response = await agent
        .post('/sign-in/dev')
        .type('form')
        .send({ _csrf: csrfTokenFrom(page.text), username })
      if (response.status !== 302) throw new Error(`Could not sign in as ${username}: ${response.status}`)
      return agent
    },
    close: () => database.drop(),
  }
}

/** The CSRF token from the first form on a page. */
export function csrfTokenFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html)
  if (!match) throw new Error('No CSRF token on the page')
  return match[1]
}

/** Audit rows, newest first, for assertions. */
export async function auditRows(services: Services, action?: string) {
  let query = services.db.selectFrom('audit_events').selectAll().orderBy('id', 'desc')
  if (action) query = query.where('action', '=', action)
  return query.execute()
}

/**
 * Whether a page's date input (docs/page-patterns.md) shows a date: its day field (which has the input's id), month
 * and year, given as 'YYYY-MM-DD' (also as typed when not a real date, for example 2024-13-01).
 */
export function showsDate(html: string, id: string, date: string): boolean {
  const [year, month, day] = date.split('-').map((part) => String(Number(part)))
  const field = (fieldId: string, value: string) =>
    new RegExp(`<input[^>]*id="${fieldId}"[^>]*value="${value}"`).test(html)
  return field(id, day) && field(`${id}-month`, month) && field(`${id}-year`, year)
}

/**
 * An extract uploaded through the crime import page (POST /crimes/import) runs as a background job: follows the
 * redirect to the job's page once the job has ended and returns that page (or the refused form, as answered).
 */
export async function importThroughPage(
  t: TestApp,
  agent: TestAgent,
  files: { content: Buffer; name: string }[],
  fields: Record<string, string> = {},
): Promise<{ status: number; text: string; jobUrl: string | null }> {
  const form = await agent.get('/crimes/import').expect(200)
  let post = agent.post('/crimes/import').field('_csrf', csrfTokenFrom(form.text))
  for (const [name, value] of Object.entries(fields)) post = post.field(name, value)
  for (const file of files) post = post.attach('extracts', file.content, file.name)
  const response = await post
  if (response.status !== 303) return { status: response.status, text: response.text, jobUrl: null }
  await t.services.crime.imports.idle()
  const page = await agent.get(response.headers.location as string)
  return { status: page.status, text: page.text, jobUrl: response.headers.location as string }
}
