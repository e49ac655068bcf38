// The person and full-text searches shaped for national scale (migration 0217): what they find and in what order.
// How fast they are is measured by the crime benchmark (bench/README.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPlatformServices } from '../../src/compositionRoot.ts'
import { loadConfig } from '../../src/config.ts'
import { createCrimeServices, type CrimeServices } from '../../src/crime/index.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DIALECTS, createTestDatabase, type TestDatabase } from '../support/databases.ts'
import { crime, items, party } from './crime-fixtures.ts'

const FORCE = 'Demoshire Police'
const actor = { ...SYSTEM_ACTOR, actorUsername: 'test' }

describe.each(DIALECTS)('searches at scale on %s', (dialect) => {
  let database: TestDatabase
  let crimes: CrimeServices
  let forceId: number

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    crimes = createCrimeServices(createPlatformServices(loadConfig({ NODE_ENV: 'test' }), database.handle))
    const person = (ref: string, forename: string, surname: string, dateOfBirth = '1990-01-01') =>
      party({ personRef: ref, forename, surname, dateOfBirth })
    const records = [
      crime({ forceReference: 'S/1', parties: [person('P1', 'Tess', 'Ward', '1985-02-03')] }),
      crime({ forceReference: 'S/2', parties: [person('P2', 'Ward', 'Tomlin')] }),
      crime({ forceReference: 'S/3', parties: [person('P3', 'Warda', 'Ali')] }),
      crime({ forceReference: 'S/4', parties: [person('P4', 'Ward', 'Wardle')] }),
      crime({
        forceReference: 'S/5',
        parties: [
          party({
            personRef: 'P5',
            forename: 'Edward',
            surname: 'Smith',
            identifiers: [{ kind: 'phone', value: '07700 900123' }],
          }),
        ],
      }),
      crime({ forceReference: 'S/6', parties: [person('P1', 'Tess', 'Ward', '1985-02-03')] }),
      crime({
        forceReference: 'T/1',
        reportedAt: '2024-01-10T09:00:00Z',
        narrative: 'He kept following her to the station.',
      }),
      crime({
        forceReference: 'T/2',
        reportedAt: '2024-02-10T09:00:00Z',
        narrative: 'Seen following the victim again.',
      }),
      crime({ forceReference: 'T/3', reportedAt: '2024-03-10T09:00:00Z', narrative: 'She was followed home.' }),
    ]
    const summary = await crimes.importer.importRecords(actor, items(records), { force: FORCE })
    expect(summary).toMatchObject({ written: true, created: records.length })
    forceId = (await crimes.repository.forceByName(FORCE))!.id
  })
  afterAll(() => database.drop())

  const names = (people: { forename: string | null; surname: string | null }[]) =>
    people.map((p) => `${p.forename} ${p.surname}`)

  it('finds one word as the start of a surname or a forename, each person once, by the name matched', async () => {
    const result = await crimes.repository.searchPeople(forceId, { nameTokens: ['ward'] }, 10)
    expect(names(result.people)).toEqual(['Ward Tomlin', 'Tess Ward', 'Warda Ali', 'Ward Wardle'])
    expect(result).toMatchObject({ total: 4, totalCapped: false })
    expect(result.people.find((p) => p.surname === 'Ward')?.records).toBe(2)
    // Pages follow the same order, and the count stops at the limit.
    const second = await crimes.repository.searchPeople(forceId, { nameTokens: ['ward'] }, 2, 2, 3)
    expect(names(second.people)).toEqual(['Warda Ali', 'Ward Wardle'])
    expect(second).toMatchObject({ total: 3, totalCapped: true })
    expect((await crimes.repository.searchPeople(forceId, { nameTokens: ['zed'] }, 10)).total).toBe(0)
  })

  it('finds a full name with a date of birth, and a person by an identifier', async () => {
    const exact = await crimes.repository.searchPeople(
      forceId,
      { nameTokens: ['tess', 'ward'], dateOfBirth: '1985-02-03' },
      10,
    )
    expect(names(exact.people)).toEqual(['Tess Ward'])
    const wrongBirth = { nameTokens: ['tess', 'ward'], dateOfBirth: '1985-02-04' }
    expect((await crimes.repository.searchPeople(forceId, wrongBirth, 10)).total).toBe(0)
    const oneWordAndBirth = { nameTokens: ['ward'], dateOfBirth: '1990-01-01' }
    expect(names((await crimes.repository.searchPeople(forceId, oneWordAndBirth, 10)).people)).toEqual([
      'Warda Ali',
      'Ward Tomlin',
      'Ward Wardle',
    ])
    const byPhone = await crimes.repository.searchPeople(forceId, { identifierNorm: '07700900123' }, 10)
    expect(names(byPhone.people)).toEqual(['Edward Smith'])
  })

  it('finds narrative words (stemmed) within a period, newest first', async () => {
    const search = (from: string, before: string) =>
      crimes.repository.searchCrimeIds(
        {
          forceId,
          keys: [],
          text: 'following',
          reportedFrom: from,
          reportedBefore: before,
          sort: 'reported',
          direction: 'desc',
        },
        25,
        0,
      )
    const ids = async (refs: string[]) =>
      Promise.all(refs.map(async (ref) => (await crimes.repository.crimeByReference(forceId, ref))!.id))
    expect(await search('2024-01-01', '2024-12-31')).toMatchObject({ ids: await ids(['T/3', 'T/2', 'T/1']), total: 3 })
    expect(await search('2024-01-11', '2024-03-10')).toMatchObject({ ids: await ids(['T/2']), total: 1 })
    // A bound within a day: the exact time still decides.
    expect((await search('2024-01-10T10:00:00.000Z', '2024-03-10T08:00:00.000Z')).ids).toEqual(await ids(['T/2']))
  })
})
