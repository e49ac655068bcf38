import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCrimeServices, type CrimeServices } from '../../src/crime/index.ts'
import { crimeSearchSchema } from '../../src/crime/services/searchFilters.ts'
import { createPlatformServices } from '../../src/compositionRoot.ts'
import { loadConfig } from '../../src/config.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DIALECTS, createTestDatabase, type TestDatabase } from '../support/databases.ts'
import { courseOfConduct, crime, items, party } from './crime-fixtures.ts'

const FORCE = 'Demoshire Police'

describe.each(DIALECTS)('crime records on %s', (dialect) => {
  let database: TestDatabase
  let crime_: CrimeServices
  let forceId: number
  const actor = { ...SYSTEM_ACTOR, actorUsername: 'test' }
  const search = async (query: Record<string, unknown>) =>
    crime_.records.search({ actor, forceId }, crimeSearchSchema.parse(query))
  const references = async (query: Record<string, unknown>) => (await search(query)).crimes.map((c) => c.reference)

  let schemaBeforeImport: string[]
  const schemaObjects = async () => {
    const { sql } = await import('kysely')
    const query =
      dialect === 'postgres'
        ? sql<{ definition: string }>`select indexdef as definition from pg_indexes where schemaname = current_schema()
            union all select conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) from pg_constraint
            where connamespace = current_schema()::regnamespace order by 1`
        : sql<{ definition: string }>`select coalesce(sql, name) as definition from sqlite_schema order by 1`
    return (await query.execute(database.handle.db)).rows.map((row) => row.definition)
  }

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    schemaBeforeImport = await schemaObjects()
    const platform = createPlatformServices(loadConfig({ NODE_ENV: 'test' }), database.handle)
    crime_ = createCrimeServices(platform)
    const summary = await crime_.importer.importRecords(actor, items(courseOfConduct()), { force: FORCE })
    expect(summary).toMatchObject({ written: true, records: 4, created: 4, updated: 0, problems: [] })
    forceId = (await crime_.repository.forceByName(FORCE))!.id
  })
  afterAll(() => database.drop())

  it('builds again every index and foreign key a first import into empty tables set aside', async () => {
    expect(await schemaObjects()).toEqual(schemaBeforeImport)
    expect(schemaBeforeImport.some((definition) => /crime_parties_person/.test(definition))).toBe(true)
  })

  it("lists a force's teams once each, in order, without crimes that have none or other forces' teams", async () => {
    const other = 'Teamshire Police'
    const teams = ['Zeta Team', 'Alpha Team', null, 'Alpha Team', 'Mid Team', 'Zeta Team']
    const records = teams.map((team, index) => crime({ forceReference: `TS/${index}/24`, team }))
    expect(await crime_.importer.importRecords(actor, items(records), { force: other })).toMatchObject({
      written: true,
    })
    const otherId = (await crime_.repository.forceByName(other))!.id
    expect(await crime_.repository.teams(otherId)).toEqual(['Alpha Team', 'Mid Team', 'Zeta Team'])
    const own = await crime_.repository.teams(forceId)
    expect(own.length).toBeGreaterThan(0)
    expect(own).not.toContain('Alpha Team')
    expect(own).toEqual([...new Set(own)].sort())
  })

  // Dialect-specific checks are declared only for their dialect, so no run reports them as skipped.
  const onPostgres = dialect === 'postgres' ? it : () => undefined
  const onSqlite = dialect === 'sqlite' ? it : () => undefined

  onPostgres('sets indexes and foreign keys aside only for a load into nearly empty tables', async () => {
    const { sql } = await import('kysely')
    const fresh = await createTestDatabase(dialect)
    try {
      const repository = createCrimeServices(
        createPlatformServices(loadConfig({ NODE_ENV: 'test' }), fresh.handle),
      ).repository
      const named = sql<{
        n: number
      }>`select count(*)::int as n from pg_indexes where indexname = 'crime_parties_person'`
      await repository.transaction(async (inside, trx) => {
        expect(await inside.deferIndexesIfEmpty(-1)).toBe(false)
        expect(await inside.deferIndexesIfEmpty()).toBe(true)
        expect((await named.execute(trx)).rows[0].n).toBe(0)
        await inside.restoreDeferred()
        expect((await named.execute(trx)).rows[0].n).toBe(1)
      })
    } finally {
      await fresh.drop()
    }
  })

  it('finds stalking recorded only as an included classification under criminal damage when searching 8Q', async () => {
    expect(await references({ classification: '8Q' })).toEqual(['DS/0003/24', 'DS/0001/24'])
    expect(await references({ classification: '8q', match: 'either' })).toContain('DS/0001/24')
  })

  it('does not find it when 8Q must be the principal classification', async () => {
    expect(await references({ classification: '8Q', match: 'principal' })).toEqual(['DS/0003/24'])
    expect(await references({ classification: '8Q', match: 'included' })).toEqual(['DS/0001/24'])
  })

  it('finds crimes by offence group, matching principal and included classifications once each', async () => {
    const group = crime_.catalogue.groups.find(
      (g) => g.label === 'Violence against the person: Stalking and harassment',
    )!
    expect(await references({ group: group.key })).toEqual(['DS/0003/24', 'DS/0002/24', 'DS/0001/24'])
    expect(await references({ group: group.key, match: 'principal' })).toEqual(['DS/0003/24', 'DS/0002/24'])
    expect(await references({ classification: '8Q', group: group.key })).toEqual(['DS/0003/24', 'DS/0001/24'])
  })

  it('filters by date range, flags, team and outcome, and counts every match', async () => {
    expect(await references({ from: '2024-04-01', to: '2024-04-30' })).toEqual(['IR/0001/24', 'DS/0002/24'])
    expect(await references({ classification: '8Q', from: '2024-03-05', to: '2024-03-05' })).toEqual(['DS/0001/24'])
    expect(await references({ flags: ['domesticAbuse', 'repeatVictim'] })).toEqual(['DS/0001/24'])
    expect(await references({ team: 'Stalking Unit' })).toEqual(['DS/0003/24'])
    expect(await references({ outcome: '1' })).toEqual(['DS/0002/24'])
    expect(await references({ kind: 'intelligence' })).toEqual(['IR/0001/24'])
    const page = await search({ pageSize: 2, page: 2 })
    expect(page).toMatchObject({ total: 4, pageCount: 2 })
    expect(page.crimes.map((c) => c.reference)).toEqual(['DS/0002/24', 'DS/0001/24'])
  })

  it('counts matches up to a limit and says when there are more, for crimes and for people', async () => {
    const all = { forceId, keys: [], sort: 'reported' as const, direction: 'desc' as const }
    const capped = await crime_.repository.searchCrimeIds(all, 2, 0, { countLimit: 3 })
    expect(capped).toMatchObject({ total: 3, totalCapped: true })
    expect(capped.ids).toHaveLength(2)
    expect(await crime_.repository.searchCrimeIds(all, 2, 0, { countLimit: 4 })).toMatchObject({
      total: 4,
      totalCapped: false,
    })
    expect(await search({})).toMatchObject({ total: 4, totalCapped: false })

    const wards = [
      crime({ forceReference: 'CW/1/24', parties: [party({ personRef: 'W1', forename: 'Tess', surname: 'Ward' })] }),
      crime({ forceReference: 'CW/2/24', parties: [party({ personRef: 'W2', forename: 'Tom', surname: 'Ward' })] }),
    ]
    await crime_.importer.importRecords(actor, items(wards), { force: 'Capped Constabulary' })
    const otherForce = (await crime_.repository.forceByName('Capped Constabulary'))!.id
    const byName = (countLimit: number) =>
      crime_.repository.searchPeople(otherForce, { nameTokens: ['ward'] }, 10, 0, countLimit)
    expect(await byName(1)).toMatchObject({ total: 1, totalCapped: true })
    const both = await byName(2)
    expect(both).toMatchObject({ total: 2, totalCapped: false })
    expect(both.people.map((person) => person.forename)).toEqual(['Tess', 'Tom'])
  })

  it('finds intelligence reports by reported date from their own small index, not every crime in the period', async () => {
    expect(await references({ kind: 'intelligence', from: '2024-01-01', to: '2024-12-31' })).toEqual(['IR/0001/24'])
    if (dialect !== 'sqlite') return // PostgreSQL's planner scans tables this small whatever the indexes
    const { sql } = await import('kysely')
    const plan = await sql<{ detail: string }>`explain query plan select count(*) from crimes c
      where c.force_id = ${forceId} and c.reported_at >= ${'2024-01-01'} and c.kind = ${'intelligence'}`.execute(
      database.handle.db,
    )
    expect(plan.rows.map((row) => row.detail).join(' ')).toContain('crimes_intelligence_reported')
  })

  it('sorts on the server by reference in either direction', async () => {
    expect(await references({ sort: 'reference', order: 'asc' })).toEqual([
      'DS/0001/24',
      'DS/0002/24',
      'DS/0003/24',
      'IR/0001/24',
    ])
  })

  it('searches narratives in full text, with stemming', async () => {
    expect(await references({ text: 'followed loiter' })).toEqual(['DS/0001/24'])
    expect(await references({ text: 'message', classification: '8L' })).toEqual(['DS/0002/24'])
    expect(await references({ text: 'nothing-like-this' })).toEqual([])
    expect(await references({ text: '"OR" AND NOT (' })).toEqual([])
  })

  it('finds crimes by a party: partial name, full name, date of birth and identifier', async () => {
    expect(await references({ name: 'onei' })).toEqual(['IR/0001/24', 'DS/0002/24', 'DS/0001/24'])
    expect(await references({ name: 'Bram O’Neill' })).toEqual(['IR/0001/24', 'DS/0002/24', 'DS/0001/24'])
    expect(await references({ name: 'cle' })).toEqual(['DS/0003/24'])
    expect(await references({ dob: '1979-02-02' })).toEqual(['DS/0003/24'])
    expect(await references({ identifier: '07700 900123' })).toEqual(['IR/0001/24', 'DS/0002/24', 'DS/0001/24'])
    expect(await references({ identifier: 'BRAM_H', classification: '8Q' })).toEqual(['DS/0001/24'])
  })

  it("lists a person's crimes and intelligence reports in time order, and audits the read", async () => {
    const { people } = await crime_.records.searchPeople({ actor, forceId }, { name: 'bram' })
    expect(people).toHaveLength(1)
    const view = await crime_.records.person({ actor, forceId }, people[0].id)
    expect(view?.records.map((r) => [r.force_reference, r.role])).toEqual([
      ['DS/0001/24', 'suspect'],
      ['DS/0002/24', 'suspect'],
      ['IR/0001/24', 'suspect'],
    ])
    expect(view?.identifiers.map((i) => i.value).sort()).toEqual(['+44 7700 900123', '@bram_h'])
    const audit = await database.handle.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'person.viewed')
      .execute()
    expect(audit.map((row) => row.subject_id)).toEqual([String(people[0].id)])
  })

  it('shows a crime with all its classifications, parties and linked intelligence', async () => {
    const { crimes } = await search({ classification: '58C' })
    const view = await crime_.records.crime({ actor, forceId }, crimes[0].id)
    expect(view?.classifications.map((c) => [c.code, c.role, c.added_by])).toEqual([
      ['58C', 'principal', null],
      ['8Q', 'included', 'DS Okafor'],
    ])
    expect(view?.parties.map((p) => p.role)).toEqual(['victim', 'suspect'])
    expect(view?.intelligence.map((i) => i.force_reference)).toEqual(['IR/0001/24'])
  })

  it('refuses another force a record, whoever asks', async () => {
    const { crimes } = await search({})
    await expect(crime_.records.crime({ actor, forceId: forceId + 1000 }, crimes[0].id)).rejects.toMatchObject({
      status: 403,
    })
  })

  it('adds an included classification recorded later when the crime is imported again', async () => {
    const later = courseOfConduct()[1]
    later.included = [{ code: '8Q', addedBy: 'Crime registrar', addedAt: '2024-06-01', reason: 'Course of conduct' }]
    later.narrative = 'Messages continued; now recorded as stalking too.'
    const summary = await crime_.importer.importRecords(actor, items([later]), { force: FORCE })
    expect(summary).toMatchObject({ written: true, created: 0, updated: 1 })
    expect(await references({ classification: '8Q' })).toEqual(['DS/0003/24', 'DS/0002/24', 'DS/0001/24'])
    expect(await references({ text: 'continued' })).toEqual(['DS/0002/24'])
    expect(await references({ text: 'unwanted' })).toEqual([])
    expect(await references({ name: 'bram' })).toEqual(['IR/0001/24', 'DS/0002/24', 'DS/0001/24'])
  })

  it('refuses an import with a bad row and writes nothing', async () => {
    const before = await search({})
    const summary = await crime_.importer.importRecords(
      actor,
      items([
        crime({ forceReference: 'DS/0100/24' }),
        crime({ forceReference: 'DS/0101/24', principal: 'ZZ9' }),
        crime({ forceReference: 'DS/0102/24', reportedAt: 'yesterday' }),
      ]),
      { force: FORCE },
    )
    expect(summary.written).toBe(false)
    expect(summary.problems).toEqual([
      { file: 'extract.csv', line: 3, field: 'principal', message: '"ZZ9" is not a known offence classification' },
      { file: 'extract.csv', line: 4, field: 'reportedAt', message: '"yesterday" is not a date' },
    ])
    expect((await search({})).total).toBe(before.total)
    expect(await crime_.repository.crimeIdsByReference(forceId, ['DS/0100/24'])).toEqual(new Map())
  })

  it('imports the good rows and lists the bad ones with skipBadRows', async () => {
    const summary = await crime_.importer.importRecords(
      actor,
      [
        ...items([crime({ forceReference: 'DS/0200/24', parties: [party({ personRef: 'P-NEW' })] })]),
        { problem: { file: 'extract.csv', line: 3, field: 'reported', message: 'missing' } },
        ...items([crime({ forceReference: 'DS/0201/24', outcome: 40 })]),
      ],
      { force: FORCE, skipBadRows: true },
    )
    expect(summary).toMatchObject({ written: true, created: 1 })
    expect(summary.problems.map((p) => [p.line, p.field])).toEqual([
      [3, 'reported'],
      [2, 'outcome'],
    ])
    expect(await references({ name: 'ada' })).toContain('DS/0200/24')
  })

  it('leaves no search row behind for a classification a re-import no longer records', async () => {
    const later = courseOfConduct()[1]
    later.principal = '58C'
    later.included = []
    const summary = await crime_.importer.importRecords(actor, items([later]), { force: FORCE })
    expect(summary).toMatchObject({ written: true, updated: 1 })
    expect(await references({ classification: '8Q' })).not.toContain('DS/0002/24')
    expect(await references({ classification: '8L' })).not.toContain('DS/0002/24')
    expect(await references({ classification: '58C' })).toContain('DS/0002/24')
    const id = (await crime_.repository.crimeIdsByReference(forceId, ['DS/0002/24'])).get('DS/0002/24')!
    const rows = await database.handle.db
      .selectFrom('crime_classification_index')
      .select(['search_key', 'role'])
      .where('crime_id', '=', id)
      .execute()
    expect(rows.map((row) => `${row.search_key}:${row.role}`).sort()).toEqual(
      crime_.catalogue
        .searchKeys('58C')
        .map((key) => `${key}:principal`)
        .sort(),
    )
  })

  it("keeps each day's counts equal to the search rows, and totals one-key searches from them", async () => {
    const { sql } = await import('kysely')
    const db = database.handle.db
    // An included 8L added to a crime whose principal (8Q) shares its groups: a new row and 'both' rows.
    const target = (await crime_.repository.crimeById(
      (await crime_.repository.crimeIdsByReference(forceId, ['DS/0003/24'])).get('DS/0003/24')!,
    ))!
    await crime_.repository.addIncludedClassification(
      target,
      '8L',
      crime_.catalogue.searchKeys('8L'),
      'test',
      'Course of conduct',
      '2024-07-01T00:00:00Z',
    )
    const recounted = await sql<Record<string, number | string>>`select force_id, search_key,
        substr(reported_at, 1, 10) as day,
        sum(case when role = 'principal' then 1 else 0 end) as principal,
        sum(case when role = 'included' then 1 else 0 end) as included,
        sum(case when role = 'both' then 1 else 0 end) as both_roles
      from crime_classification_index group by force_id, search_key, substr(reported_at, 1, 10)
      order by force_id, search_key, day`.execute(db)
    const kept = await db
      .selectFrom('crime_classification_day_counts')
      .selectAll()
      .where((eb) => eb.or([eb('principal', '!=', 0), eb('included', '!=', 0), eb('both_roles', '!=', 0)]))
      .orderBy('force_id')
      .orderBy('search_key')
      .orderBy('day')
      .execute()
    const numeric = (rows: Record<string, unknown>[]) =>
      rows.map((row) => ({
        ...row,
        principal: Number(row.principal),
        included: Number(row.included),
        both_roles: Number(row.both_roles),
      }))
    expect(kept.length).toBeGreaterThan(0)
    expect(numeric(kept)).toEqual(numeric(recounted.rows))
    expect(kept.some((row) => row.both_roles > 0)).toBe(true)

    const exactCount = async (key: string, match: string, from: string, before: string) => {
      const roles: ('principal' | 'included' | 'both')[] =
        match === 'principal'
          ? ['principal', 'both']
          : match === 'included'
            ? ['included', 'both']
            : ['principal', 'included', 'both']
      const row = await db
        .selectFrom('crime_classification_index')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('force_id', '=', forceId)
        .where('search_key', '=', key)
        .where('role', 'in', roles)
        .where('reported_at', '>=', from)
        .where('reported_at', '<', before)
        .executeTakeFirstOrThrow()
      return Number(row.count)
    }
    const checked: number[] = []
    for (const key of new Set(['8Q', '8L', '58C', ...crime_.catalogue.searchKeys('8Q')])) {
      for (const match of ['either', 'principal', 'included']) {
        for (const [from, to, before] of [
          ['2024-01-01', '2024-12-31', '2025-01-01'],
          ['2024-05-01', '2024-05-01', '2024-05-02'],
        ]) {
          const filter = key.includes(':') ? { group: key } : { classification: key }
          const total = (await search({ ...filter, match, from, to })).total
          expect({ key, match, from, total }).toEqual({
            key,
            match,
            from,
            total: await exactCount(key, match, from, before),
          })
          checked.push(total)
        }
      }
    }
    expect(checked.some((total) => total > 1)).toBe(true)
  })

  onSqlite('leaves every reference whole and the full-text index sound after bulk imports', async () => {
    const { sql } = await import('kysely')
    const orphans = await sql`pragma foreign_key_check`.execute(database.handle.db)
    expect(orphans.rows).toEqual([])
    await expect(
      sql`insert into crime_text (crime_text, rank) values ('integrity-check', 1)`.execute(database.handle.db),
    ).resolves.toBeDefined()
  })
})
