// Areas as modules (issue 11): a new area is its folder plus a line in the list of areas. This test adds a small
// example area (a table, a page, an API path, a navigation entry, a CLI command, demo data) to the list without
// touching the platform, and checks the platform takes all of it; then that the list is checked when it is wrong.
import { Router } from 'express'
import type { Generated } from 'kysely'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import { buildProgram } from '../../src/cli/main.ts'
import { AREAS, allMigrations, migrateThreadline, wireServices, type Services } from '../../src/compositionRoot.ts'
import { areaDatabase, buildOrder, defineArea, type AnyArea, type PlatformServices } from '../../src/platform/area.ts'
import { withIdColumn } from '../../src/platform/data/columns.ts'
import { dialectOf } from '../../src/platform/data/database.ts'
import type { PlatformTables } from '../../src/platform/data/schema.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_USERS } from '../../src/platform/services/demoUsers.ts'
import { createApp, createLogger } from '../../src/platform/web/app.ts'
import { csrfTokenFrom } from '../support/app.ts'
import { createTestDatabase, type TestDatabase } from '../support/databases.ts'

interface ExampleTables {
  example_notes: { id: Generated<number>; force_id: number; text: string }
}
type ExampleDatabase = PlatformTables & ExampleTables

interface ExampleServices {
  notes(forceId: number): Promise<string[]>
  add(forceId: number, text: string): Promise<void>
}
type ExampleContext = PlatformServices & { example: ExampleServices }

const exampleArea = defineArea<ExampleTables>()({
  name: 'example',
  needs: ['crime'],
  migrations: {
    '9901_example_notes': {
      async up(db) {
        await withIdColumn(db.schema.createTable('example_notes'), dialectOf(db))
          .addColumn('force_id', 'integer', (col) => col.notNull().references('forces.id'))
          .addColumn('text', 'text', (col) => col.notNull())
          .execute()
      },
    },
  },
  create: (platform): ExampleServices => {
    const db = areaDatabase<ExampleDatabase>(platform)
    return {
      notes: async (forceId) =>
        (
          await db.selectFrom('example_notes').select('text').where('force_id', '=', forceId).orderBy('id').execute()
        ).map((row) => row.text),
      add: async (forceId, text) => {
        await db.insertInto('example_notes').values({ force_id: forceId, text }).execute()
      },
    }
  },
  web: (services: ExampleContext) => {
    const router = Router()
    router.get('/', async (_req, res) => {
      const notes = await services.example.notes(res.locals.permissions.forceId!)
      res.render('platform/views/pages/hub.njk', {
        pageTitle: 'Example notes',
        hub: 'Example notes',
        entries: notes.map((text) => ({ text, href: '/example', description: text })),
      })
    })
    return {
      routers: [{ path: '/example', router }],
      navigation: [{ text: 'Example notes', href: '/example', capability: 'case:read' }],
      openapiPaths: { '/api/example': { get: { summary: 'Example notes' } } },
    }
  },
  commands: (program, context) => {
    program
      .command('example-count')
      .option('--db <url>')
      .action(async (options: { db?: string }) => {
        await context.withServices(options, async (services) => {
          const force = await services.users.forceByName('Demoshire Police')
          console.log(`example notes: ${(await services.example.notes(force!.id)).length}`)
        })
      })
  },
  loadDemo: async (services, actor) => {
    const forceId = await services.users.ensureForce(actor, 'Demoshire Police')
    await services.example.add(forceId, 'A note from the example area')
  },
})

describe('an example area added to the list of areas', () => {
  const areas = [...AREAS, exampleArea] as const
  let database: TestDatabase
  let services: Services

  beforeAll(async () => {
    database = await createTestDatabase('sqlite', { migrate: false })
    const { applied } = await migrateThreadline(database.handle.db, areas)
    expect(applied).toContain('9901_example_notes')
    services = wireServices(
      loadConfig({ NODE_ENV: 'test' }, { databaseUrl: database.url! }),
      database.handle,
      {},
      areas,
    )
    for (const user of DEMO_USERS) {
      await services.users.addUser(SYSTEM_ACTOR, { ...user, email: `${user.username}@example.police.uk` })
    }
  })
  afterAll(() => database.drop())

  it('is built, loads its demo data, and its page, navigation entry and API path are served by the platform', async () => {
    const example = services.areas.find((area) => area.name === 'example')!
    expect(example.buildOrder).toBeGreaterThan(services.areas.find((area) => area.name === 'crime')!.buildOrder)
    await example.loadDemo!({ ...SYSTEM_ACTOR, actorUsername: 'demo-loader' })

    const app = createApp(services, createLogger('silent'))
    const agent = request.agent(app)
    const signIn = await agent.get('/sign-in').expect(200)
    await agent
      .post('/sign-in/dev')
      .type('form')
      .send({ _csrf: csrfTokenFrom(signIn.text), username: 'officer' })
      .expect(302)
    const page = await agent.get('/example').expect(200)
    expect(page.text).toContain('A note from the example area')
    expect(page.text).toMatch(
      /class="govuk-service-navigation__link" href="\/example"[^>]*>[^<]*(<[^>]+>\s*)?Example notes/,
    )
    const openapi = await agent.get('/api/openapi.json').expect(200)
    expect(Object.keys(openapi.body.paths)).toContain('/api/example')
    expect(Object.keys(openapi.body.paths)).toContain('/api/crimes')
  })

  it('registers its CLI command beside every other area’s', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    try {
      await buildProgram(areas).parseAsync(['node', 'threadline', 'example-count', '--db', database.url!])
      expect(log).toHaveBeenCalledWith('example notes: 1')
    } finally {
      log.mockRestore()
    }
    const names = buildProgram(areas).commands.map((command) => command.name())
    expect(names).toEqual(expect.arrayContaining(['example-count', 'crime', 'plan', 'screening', 'cases']))
    expect(buildProgram().commands.map((command) => command.name())).not.toContain('example-count')
  })

  it('is not part of Threadline when it is not in the list', () => {
    expect(Object.keys(allMigrations())).not.toContain('9901_example_notes')
  })
})

describe('the list of areas is checked', () => {
  const area = (name: string, needs: string[] = [], uses: string[] = []): AnyArea =>
    defineArea<object>()({ name, needs, uses, migrations: {}, create: () => ({}) })

  it('builds each area after those it needs or uses, otherwise in list order', () => {
    const order = buildOrder([area('a', ['c']), area('b'), area('c'), area('d', [], ['a', 'missing'])])
    expect(order.map((each) => each.name)).toEqual(['b', 'c', 'a', 'd'])
  })

  it('names an area whose need is not in the list, one listed twice, and areas that need each other', () => {
    expect(() => buildOrder([area('a', ['z'])])).toThrow('Area "a" needs area "z", which is not in the list')
    expect(() => buildOrder([area('a'), area('a')])).toThrow('Area "a" is listed twice')
    expect(() => buildOrder([area('a', ['b']), area('b', ['a'])])).toThrow('Areas a, b need each other')
  })

  it('refuses two areas whose migrations share a name', () => {
    const clash = defineArea<object>()({
      name: 'clash',
      needs: [],
      migrations: { '0001_platform': { up: async () => {} } },
      create: () => ({}),
    })
    expect(() => allMigrations([...AREAS, clash])).toThrow(
      'Migration "0001_platform" of area clash has the name of another migration',
    )
  })
})
