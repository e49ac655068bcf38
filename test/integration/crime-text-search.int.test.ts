// Narrative words with a date range (issue 17, item 2). On SQLite the full-text rows are keyed by reported minute and
// crime id (migration 0219, src/crime/data/textKey.ts) and the Find page's words-only search reads them in key order:
// its pages and capped counts must equal the plain query's (every match filtered and sorted by reported_at and id),
// for every shape of query, on a few hundred generated crimes with many reported in the same minute; a re-import that
// changes a crime's reported time and words moves it in the results; and migration 0219 rebuilds the rows of a
// database that already holds crimes. The same searches run on PostgreSQL, whose path is unchanged.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { allMigrations, createPlatformServices } from '../../src/compositionRoot.ts'
import { loadConfig } from '../../src/config.ts'
import type { CrimeQuery } from '../../src/crime/data/crimeRepository.ts'
import { createCrimeServices, type CrimeServices } from '../../src/crime/index.ts'
import { migrateToLatest } from '../../src/platform/data/migrate.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DIALECTS, createTestDatabase, type TestDatabase } from '../support/databases.ts'
import { crime, items, party } from './crime-fixtures.ts'

const FORCE = 'Demoshire Police'
const OTHER_FORCE = 'Northshire Police'
const actor = { ...SYSTEM_ACTOR, actorUsername: 'test' }
// Distinct stems, none a stop word in either database, so a narrative matches a word exactly when it contains it.
const WORDS = ['following', 'messages', 'shop', 'garage', 'bicycle', 'window', 'letters', 'camera']
const TEAMS = ['Response North', 'Response South', 'Safeguarding']

/** A small seeded generator, so a failure names the same crimes every run. */
function generator(seed: number) {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}

interface Generated {
  reference: string
  reportedAt: string
  words: string[]
  team: string
  domesticAbuse: boolean
  kind: 'crime' | 'intelligence'
  victim: string
}

function generateCrimes(count: number): Generated[] {
  const random = generator(17)
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]
  return Array.from({ length: count }, (_, index) => {
    // Sixty minutes over three months, so most crimes share their minute with others, told apart by the seconds and
    // milliseconds (reported_at is stored as toISOString's text) or not at all; some at midnight.
    const day = 1 + Math.floor(random() * 90)
    const minute = Math.floor(random() * 60)
    const when = new Date(Date.UTC(2024, 0, day, minute % 3 === 0 ? 0 : 9 + (minute % 5), minute % 2))
    if (random() < 0.6) when.setUTCSeconds(Math.floor(random() * 4), random() < 0.3 ? Math.floor(random() * 999) : 0)
    const words = WORDS.filter(() => random() < 0.35)
    return {
      reference: `G/${index + 1}`,
      reportedAt: when.toISOString(),
      words: words.length > 0 ? words : [pick(WORDS)],
      team: pick(TEAMS),
      domesticAbuse: random() < 0.3,
      kind: random() < 0.15 ? 'intelligence' : 'crime',
      victim: pick(['V1', 'V2', 'V3', 'V4']),
    }
  })
}

describe.each(DIALECTS)('narrative words with a date range on %s', (dialect) => {
  let database: TestDatabase
  let crimes: CrimeServices
  let forceId: number
  const generated = generateCrimes(400)
  const ids = new Map<string, number>()

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    crimes = createCrimeServices(createPlatformServices(loadConfig({ NODE_ENV: 'test' }), database.handle))
    const records = generated.map((g) =>
      crime({
        forceReference: g.reference,
        reportedAt: g.reportedAt,
        narrative: `Reported ${g.words.join(' and ')}.`,
        team: g.team,
        kind: g.kind,
        flags: { domesticAbuse: g.domesticAbuse, online: false, repeatVictim: false },
        parties: [party({ personRef: g.victim, forename: 'Vic', surname: `Tim${g.victim}`, role: 'victim' })],
      }),
    )
    expect(await crimes.importer.importRecords(actor, items(records), { force: FORCE })).toMatchObject({
      written: true,
      created: records.length,
    })
    forceId = (await crimes.repository.forceByName(FORCE))!.id
    const rows = await database.handle.db
      .selectFrom('crimes')
      .select(['id', 'force_reference'])
      .where('force_id', '=', forceId)
      .execute()
    for (const row of rows) ids.set(row.force_reference, Number(row.id))
  })
  afterAll(() => database.drop())

  /** The plain answer: every match filtered and sorted as the Find page asks, without any index. */
  function expected(query: CrimeQuery): number[] {
    const words = (query.text ?? '').split(' ')
    const matches = generated
      .map((g) => ({ ...g, id: ids.get(g.reference)! }))
      .filter(
        (g) =>
          words.every((word) => g.words.includes(word)) &&
          (!query.reportedFrom || g.reportedAt >= query.reportedFrom) &&
          (!query.reportedBefore || g.reportedAt < query.reportedBefore) &&
          (query.team === undefined || g.team === query.team) &&
          (!query.flags?.includes('domestic_abuse') || g.domesticAbuse) &&
          (query.kind === undefined || g.kind === query.kind) &&
          (!query.person?.nameTokens || `timv${g.victim.slice(1)}` === query.person.nameTokens[0]),
      )
    const sign = query.direction === 'asc' ? 1 : -1
    if (query.sort === 'reference') {
      // The reference sort, then newest first, as searchCrimeIds orders it.
      matches.sort((a, b) =>
        a.reference !== b.reference
          ? sign * (a.reference < b.reference ? -1 : 1)
          : a.reportedAt !== b.reportedAt
            ? a.reportedAt < b.reportedAt
              ? 1
              : -1
            : b.id - a.id,
      )
    } else {
      matches.sort((a, b) =>
        a.reportedAt !== b.reportedAt ? sign * (a.reportedAt < b.reportedAt ? -1 : 1) : sign * (a.id - b.id),
      )
    }
    return matches.map((g) => g.id)
  }

  // A minute several crimes with the word share, for a range that starts and ends within it.
  const busy = generated.filter((g) => g.words.includes('following')).map((g) => g.reportedAt.slice(0, 16))
  const busiest = busy.sort((a, b) => busy.filter((m) => m === b).length - busy.filter((m) => m === a).length)[0]
  const shapes: { name: string; query: Partial<CrimeQuery> }[] = [
    {
      name: 'both ends in one minute',
      query: { text: 'following', reportedFrom: `${busiest}:00.000Z`, reportedBefore: `${busiest}:59.999Z` },
    },
    { name: 'one word, no dates', query: { text: 'following' } },
    {
      name: 'one word in a period',
      query: { text: 'messages', reportedFrom: '2024-01-15', reportedBefore: '2024-03-01' },
    },
    { name: 'from only', query: { text: 'shop', reportedFrom: '2024-02-10' } },
    { name: 'before only', query: { text: 'shop', reportedBefore: '2024-02-10' } },
    {
      name: 'bounds within a minute',
      query: { text: 'garage', reportedFrom: '2024-01-20T09:01:01.500Z', reportedBefore: '2024-03-10T09:01:02.000Z' },
    },
    {
      name: 'bounds as dates and times',
      query: { text: 'window', reportedFrom: '2024-01-05T09:01', reportedBefore: '2024-03-20T00:00:00Z' },
    },
    {
      name: 'two words',
      query: { text: 'following messages', reportedFrom: '2024-01-10', reportedBefore: '2024-03-25' },
    },
    { name: 'ascending', query: { text: 'letters', reportedFrom: '2024-01-10', direction: 'asc' } },
    { name: 'a team', query: { text: 'camera', team: 'Safeguarding', reportedFrom: '2024-01-08' } },
    { name: 'a flag', query: { text: 'bicycle', flags: ['domestic_abuse'], reportedBefore: '2024-03-15' } },
    { name: 'intelligence only', query: { text: 'following', kind: 'intelligence' } },
    { name: 'a person', query: { text: 'window', person: { nameTokens: ['timv2'] }, reportedFrom: '2024-01-12' } },
    { name: 'sorted by reference', query: { text: 'messages', sort: 'reference', reportedFrom: '2024-01-20' } },
    { name: 'no match in the period', query: { text: 'following', reportedFrom: '2025-01-01' } },
    { name: 'an impossible bound', query: { text: 'shop', reportedFrom: '2024-02-30', reportedBefore: '2024-03-31' } },
  ]

  async function pagesAndCounts(shape: Partial<CrimeQuery>) {
    const query: CrimeQuery = { forceId, keys: [], sort: 'reported', direction: 'desc', ...shape }
    const all = expected(query)
    expect(all.length).toBeLessThan(generated.length)
    for (const [limit, offset] of [
      [25, 0],
      [25, 25],
      [10, 40],
      [7, 3],
      [400, 0],
    ]) {
      const page = await crimes.repository.searchCrimeIds(query, limit, offset, { countLimit: 30 })
      expect({ limit, offset, ids: page.ids }).toEqual({ limit, offset, ids: all.slice(offset, offset + limit) })
      expect(page).toMatchObject({ total: Math.min(all.length, 30), totalCapped: all.length > 30 })
      // Uncapped, so the count of every match is compared too.
      expect((await crimes.repository.searchCrimeIds(query, 1, 0)).total).toBe(all.length)
    }
  }

  // The force alone in the database: SQLite counts the minutes inside a range from the full-text keys alone.
  it.each(shapes)('pages and counts as the plain query does: $name', async ({ query }) => {
    await pagesAndCounts(query)
  })

  it('pages and counts the same with another force’s crimes of the same words and times, which it never finds', async () => {
    const others = generated.slice(0, 60).map((g) =>
      crime({
        forceReference: g.reference,
        reportedAt: g.reportedAt,
        narrative: `Reported ${g.words.join(' and ')}.`,
      }),
    )
    expect(await crimes.importer.importRecords(actor, items(others), { force: OTHER_FORCE })).toMatchObject({
      created: 60,
    })
    for (const { query } of shapes) await pagesAndCounts(query)
  })

  it('finds the generated words in more than a page and in one minute, so the pages above are tested', () => {
    const inBusiest = expected({ forceId, keys: [], sort: 'reported', direction: 'desc', ...shapes[0].query })
    expect(inBusiest.length).toBeGreaterThan(1)
    expect(
      expected({ forceId, keys: [], sort: 'reported', direction: 'desc', text: 'following' }).length,
    ).toBeGreaterThan(60)
  })

  it('moves a re-imported crime to its new reported time and words', async () => {
    const search = (text: string, reportedFrom?: string, reportedBefore?: string) =>
      crimes.repository.searchCrimeIds(
        { forceId, keys: [], text, reportedFrom, reportedBefore, sort: 'reported', direction: 'desc' },
        500,
        0,
      )
    const moved = generated.find((g) => g.words.includes('following') && !g.words.includes('pottery'))!
    const id = ids.get(moved.reference)!
    expect((await search('following')).ids).toContain(id)
    expect((await search('pottery')).ids).toEqual([])

    const summary = await crimes.importer.importRecords(
      actor,
      items([
        crime({ forceReference: moved.reference, reportedAt: '2024-06-15T08:30:00Z', narrative: 'Broken pottery.' }),
      ]),
      { force: FORCE },
    )
    expect(summary).toMatchObject({ written: true, updated: 1 })

    expect((await search('following')).ids).not.toContain(id)
    expect((await search('pottery')).ids).toEqual([id])
    expect((await search('pottery', '2024-06-01', '2024-07-01')).ids).toEqual([id])
    expect((await search('pottery', '2024-01-01', '2024-06-01')).ids).toEqual([])
    // Newest of every crime reported: the only one in June.
    expect((await search('pottery broken', '2024-06-15T08:30:00.000Z', '2024-06-15T08:30:00.001Z')).ids).toEqual([id])
    moved.words = ['pottery']
    moved.reportedAt = '2024-06-15T08:30:00.000Z'
    if (dialect === 'sqlite') {
      const db = database.handle.db
      const entries = await sql<{
        n: number
      }>`select count(*) as n from crime_text where rowid & 4294967295 = ${id}`.execute(db)
      expect(entries.rows[0].n).toBe(1)
      await expect(
        sql`insert into crime_text (crime_text, rank) values ('integrity-check', 1)`.execute(db),
      ).resolves.toBeDefined()
    }
  })

  it('keeps it right through the repository’s own writer (no bulk writer), as an import does it', async () => {
    const target = generated.find((g) => g.words.includes('camera'))!
    const id = ids.get(target.reference)!
    const catalogue = (code: string) => [code]
    // In the import's order (importService.ts): clear the crime's details, rewrite the crime, index its narrative.
    await crimes.repository.transaction(async (repository, trx) => {
      await repository.clearCrimeDetails([id], catalogue)
      await trx
        .updateTable('crimes')
        .set({ reported_at: '2023-11-02T10:00:00.000Z', narrative: 'Graffiti on the garage.' })
        .where('id', '=', id)
        .execute()
      await repository.indexText([
        { id, reported_at: '2023-11-02T10:00:00.000Z', narrative: 'Graffiti on the garage.' },
      ])
    })
    const search = (text: string, reportedFrom?: string, reportedBefore?: string) =>
      crimes.repository.searchCrimeIds(
        { forceId, keys: [], text, reportedFrom, reportedBefore, sort: 'reported', direction: 'desc' },
        500,
        0,
      )
    expect((await search('graffiti', '2023-11-01', '2023-12-01')).ids).toEqual([id])
    expect((await search('camera')).ids).not.toContain(id)
    expect((await search('garage', undefined, '2024-01-01')).ids).toEqual([id])
    target.words = ['garage', 'graffiti']
    target.reportedAt = '2023-11-02T10:00:00.000Z'
  })
})

describe('migration 0219 on a SQLite database that holds crimes', () => {
  let database: TestDatabase
  afterAll(async () => {
    await database?.drop()
  })

  it('rebuilds the full-text rows keyed by reported time, so the words are found as before', async () => {
    database = await createTestDatabase('sqlite', { migrate: false })
    const db = database.handle.db
    await migrateToLatest(db, Object.fromEntries(Object.entries(allMigrations()).filter(([name]) => name < '0219')))
    const crimes = createCrimeServices(createPlatformServices(loadConfig({ NODE_ENV: 'test' }), database.handle))
    const records = [
      crime({ forceReference: 'M/1', reportedAt: '2024-01-10T09:00:00Z', narrative: 'He kept following her.' }),
      crime({ forceReference: 'M/2', reportedAt: '2024-02-10T09:00:00Z', narrative: 'Seen following the victim.' }),
      crime({ forceReference: 'M/3', reportedAt: '2024-02-10T09:00:00Z', narrative: 'Messages all night.' }),
      crime({
        forceReference: 'M/4',
        reportedAt: '2024-03-10T09:00:00Z',
        narrative: 'Following again, with messages.',
      }),
    ]
    await crimes.importer.importRecords(actor, items(records), { force: FORCE })
    // The table as the earlier schema kept it: external content, one row per crime id.
    await sql`insert into crime_text (crime_text) values ('rebuild')`.execute(db)
    const before = await sql<{ id: number }>`select rowid as id from crime_text where crime_text match 'following'
      order by rowid`.execute(db)
    expect(before.rows).toHaveLength(3)

    const report = await migrateToLatest(db, allMigrations())
    expect(report.applied).toContain('0219_text_by_reported_time')
    const forceId = (await crimes.repository.forceByName(FORCE))!.id
    const id = async (ref: string) => (await crimes.repository.crimeByReference(forceId, ref))!.id
    const search = (text: string, reportedFrom?: string) =>
      crimes.repository.searchCrimeIds(
        { forceId, keys: [], text, reportedFrom, sort: 'reported', direction: 'desc' },
        25,
        0,
      )
    expect(await search('following')).toMatchObject({
      ids: [await id('M/4'), await id('M/2'), await id('M/1')],
      total: 3,
    })
    expect(await search('messages', '2024-02-01')).toMatchObject({ ids: [await id('M/4'), await id('M/3')], total: 2 })
    const keys = await sql<{ id: number; minute: number }>`select rowid & 4294967295 as id, rowid >> 32 as minute
      from crime_text order by rowid`.execute(db)
    expect(keys.rows).toEqual([
      { id: await id('M/1'), minute: Date.UTC(2024, 0, 10, 9) / 60000 },
      { id: await id('M/2'), minute: Date.UTC(2024, 1, 10, 9) / 60000 },
      { id: await id('M/3'), minute: Date.UTC(2024, 1, 10, 9) / 60000 },
      { id: await id('M/4'), minute: Date.UTC(2024, 2, 10, 9) / 60000 },
    ])
    await expect(
      sql`insert into crime_text (crime_text, rank) values ('integrity-check', 1)`.execute(db),
    ).resolves.toBeDefined()
  })
})
