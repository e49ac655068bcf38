// Issue 14 on both dialects: every crime is screened as it is imported (not only watched classifications), and what
// screening decides goes back to the records system as pending changes for the force's crime registrar.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import { wireServices, type Services } from '../../src/compositionRoot.ts'
import { crimeSearchSchema } from '../../src/crime/index.ts'
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

  it('lists a decision adding 8Q as a pending change, keeps it through a re-import without 8Q, and confirms it when an extract carries 8Q', async () => {
    const crimeId = (await services.screening.service.queueExport(actor, forceId, 'all'))[0].crimeId
    const screener = { actor: { ...actor, actorUsername: 'sgt.reyes', forceId }, forceId }
    const decided = await services.screening.service.decide(screener, crimeId, {
      outcome: 'stalking_identified',
      action: 'add_included_8q',
      rationale: 'Following and repeated unwanted messages over months: fixated, unwanted and repeated.',
    })
    expect(decided.classificationAdded).toBe(true)
    const all = { since: null, status: 'all' as const, overdueDays: 28 }
    const [change] = await services.screening.service.changes(actor, forceId, all)
    expect(change).toMatchObject({
      reference: 'AC/0001/26',
      crimeId,
      change: 'add_included_classification',
      code: '8Q',
      description: 'Add an included classification: 8Q Stalking',
      decidedBy: 'sgt.reyes',
      reason: 'Following and repeated unwanted messages over months: fixated, unwanted and repeated.',
      status: 'pending',
      confirmedAt: null,
      overdue: false,
    })
    // Flagged once older than the overdue days.
    const [late] = await services.screening.service.changes(actor, forceId, { ...all, overdueDays: 1 })
    expect(late.overdue).toBe(false)
    await services.db
      .updateTable('screening_pending_changes')
      .set({ decided_at: '2026-01-01T00:00:00.000Z' })
      .where('id', '=', change.id)
      .execute()
    expect((await services.screening.service.changes(actor, forceId, all))[0].overdue).toBe(true)
    expect(await services.screening.service.changes(actor, forceId, { ...all, since: '2026-02-01' })).toEqual([])

    // The records system has not caught up: a re-import without 8Q keeps the change pending and the 8Q in Threadline.
    await services.crime.importer.importRecords(actor, items([{ ...hiddenStalking, team: 'Response East' }]), {
      force: FORCE,
    })
    expect((await services.screening.service.changes(actor, forceId, all))[0].status).toBe('pending')
    expect(await services.crime.repository.hasClassification(crimeId, ['8Q'])).toBe(true)

    // Now the extract carries 8Q as included: confirmed automatically, by the import's user.
    const carried = {
      ...hiddenStalking,
      included: [{ code: '8Q', addedBy: 'registrar', addedAt: '2026-04-01', reason: null }],
    }
    await services.crime.importer.importRecords({ ...actor, actorUsername: 'registrar.import' }, items([carried]), {
      force: FORCE,
    })
    const [confirmed] = await services.screening.service.changes(actor, forceId, all)
    expect(confirmed).toMatchObject({ status: 'confirmed', overdue: false })
    expect(confirmed.confirmedAt).toMatch(/^\d{4}-\d\d-\d\dT/)
    const audit = await services.db
      .selectFrom('audit_events')
      .select(['action', 'actor_username'])
      .where('action', 'in', ['screening.change.pending', 'screening.change.confirmed'])
      .orderBy('id')
      .execute()
    expect(audit).toEqual([
      { action: 'screening.change.pending', actor_username: 'sgt.reyes' },
      { action: 'screening.change.confirmed', actor_username: 'registrar.import' },
    ])
    expect(await services.screening.service.changes(actor, forceId, { ...all, status: 'pending' })).toEqual([])
  })

  it('flags an intelligence report stalking by a screening decision, lists it for the registrar, keeps it through a re-import and confirms it from the extract', async () => {
    const intel = record({
      forceReference: 'AC/INT/0001/26',
      kind: 'intelligence',
      principal: null,
      reportedAt: '2026-03-10T09:00:00Z',
      narrative:
        "Intelligence that SUSP has been waiting outside the IP's workplace most evenings and following her home. He has set up fake accounts to message her after she blocked him. She is frightened.",
    })
    await services.crime.importer.importRecords(actor, items([intel]), { force: FORCE })
    const entry = (await services.screening.service.queueExport(actor, forceId, 'waiting')).find(
      (e) => e.reference === 'AC/INT/0001/26',
    )
    expect(entry).toMatchObject({ principal: null, included: [] })
    const screener = { actor: { ...actor, actorUsername: 'sgt.reyes', forceId }, forceId }
    await services.screening.service.decide(screener, entry!.crimeId, {
      outcome: 'stalking_identified',
      rationale: 'Loitering, following and contact through fake accounts after being blocked.',
    })
    const flag = async () =>
      (
        await services.db
          .selectFrom('crimes')
          .select('stalking_flag')
          .where('id', '=', entry!.crimeId)
          .executeTakeFirstOrThrow()
      ).stalking_flag
    expect(await flag()).toBe(1)
    // Find filters on the flag: stalking intelligence, not every intelligence report.
    const flagged = await services.crime.records.search(
      screener,
      crimeSearchSchema.parse({ kind: 'intelligence', flags: ['stalking'] }),
    )
    expect(flagged.crimes.map((c) => c.reference)).toEqual(['AC/INT/0001/26'])
    expect(flagged.crimes[0].flags).toContain('stalking')
    const all = { since: null, status: 'all' as const, overdueDays: 28 }
    const listed = () =>
      services.screening.service
        .changes(actor, forceId, all)
        .then((changes) => changes.find((c) => c.reference === 'AC/INT/0001/26'))
    expect(await listed()).toMatchObject({
      change: 'flag_intelligence_stalking',
      code: null,
      description: 'Flag the intelligence report as stalking',
      status: 'pending',
    })
    await services.crime.importer.importRecords(actor, items([intel]), { force: FORCE })
    expect(await flag()).toBe(1)
    expect((await listed())!.status).toBe('pending')
    await services.crime.importer.importRecords(
      actor,
      items([{ ...intel, flags: { ...intel.flags, stalking: true } }]),
      { force: FORCE },
    )
    expect((await listed())!.status).toBe('confirmed')
  })
})
