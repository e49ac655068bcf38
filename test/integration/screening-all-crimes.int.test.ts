// Issue 14 on both dialects: every crime is screened as it is imported (not only watched classifications), and what
// screening decides goes back to the records system as pending changes for the force's crime registrar.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import { wireServices, type Services } from '../../src/compositionRoot.ts'
import { SYSTEM_ACTOR, type ActorContext } from '../../src/platform/services/auditService.ts'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.ts'
import { items, person, record } from './screening-fixtures.ts'

const FORCE = 'Allcrimes Police'
const actor: ActorContext = { ...SYSTEM_ACTOR, actorUsername: 'test-importer', actorId: null }

const hiddenStalking = record({
  forceReference: 'AC/0001/26',
  principal: '58A',
  reportedAt: '2026-03-02T09:00:00Z',
  parties: [
    person({ personRef: 'V-1' }),
    person({ role: 'suspect', personRef: 'S-1', forename: 'Orrin', surname: 'Hale' }),
  ],
  narrative:
    "Criminal damage to IP's car, wing mirror snapped. IP states SUSP, her former colleague, has followed her home from work on several occasions since January and keeps sending her messages she does not want despite being told to stop. IP is frightened.",
})
const neighbourDispute = record({
  forceReference: 'AC/0002/26',
  principal: '58A',
  reportedAt: '2026-03-03T09:00:00Z',
  parties: [person({ personRef: 'V-2', forename: 'Dot', surname: 'Marlow', dateOfBirth: '1960-01-01' })],
  narrative:
    'Neighbour dispute about a shared driveway. SUSP kicked the fence panel between the gardens during an argument about parking. Both parties given words of advice.',
})

describe.each(DIALECTS)('screening every crime on %s', (dialect) => {
  let database: TestDatabase
  let services: Services
  let forceId: number

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    services = wireServices(
      loadConfig({ NODE_ENV: 'test' }, { databaseUrl: database.url ?? 'pglite' }),
      database.handle,
    )
    // Screening follows the import (as in the application): no explicit run.
    const summary = await services.crime.importer.importRecords(actor, items([hiddenStalking, neighbourDispute]), {
      force: FORCE,
    })
    expect(summary.problems).toEqual([])
    forceId = (await services.screening.service.forceByName(FORCE))!.id
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('queues a criminal-damage crime whose narrative describes following and unwanted contact, with the behaviours named', async () => {
    const queue = await services.screening.service.queueExport(actor, forceId, 'all')
    expect(queue.map((entry) => entry.reference)).toEqual(['AC/0001/26'])
    const [entry] = queue
    expect(entry).toMatchObject({ principal: '58A', included: [], status: 'waiting' })
    expect(entry.reasons).toHaveLength(1)
    expect(entry.reasons[0]).toMatch(/^Narrative mentions: /)
    expect(entry.reasons[0]).toContain("following ('followed her')")
    expect(entry.reasons[0]).toMatch(/contacting or attempting to contact \('sending her messages/)
    expect(entry.reasons[0]).toMatch(/unwanted \('messages she does not want'/)
    expect(entry.reasons[0]).toMatch(
      /Together these suggest stalking \(score -?\d+\.\d\d, threshold -?\d+\.\d\d; carried by /,
    )
  })

  it('does not queue a neighbour dispute under the same classification, though it was screened', async () => {
    const queue = await services.screening.service.queueExport(actor, forceId, 'all')
    expect(queue.some((entry) => entry.reference === 'AC/0002/26')).toBe(false)
    const run = await services.screening.service.run(actor, forceId, { mode: 'full' })
    // Both crimes are screened (read and judged), one is queued.
    expect(run).toMatchObject({ screened: 2, open: 1 })
  })
})
