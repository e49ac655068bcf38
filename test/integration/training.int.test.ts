// The training register (issue 16, item 6) on both dialects: a learning system's export imported all or nothing and
// idempotently, a completion by hand, allocation's "trained investigator" check fed by a qualifying course, the live
// figures (frontline and investigators trained) on the plan's evidence, the page and the CLI.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { runCli } from '../../src/cli/main.ts'
import { loadMeasureLinks } from '../../src/insight/services/insightService.ts'
import { loadCourses } from '../../src/investigation/services/learningExport.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { auditRows, createTestApp, csrfTokenFrom, type TestApp } from '../support/app.ts'
import { crime, items } from './crime-fixtures.ts'

const NCALT = readFileSync('test/fixtures/training/lms-ncalt.csv')
const PERIOD = { from: '2025-01-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' }

describe.each(['sqlite', 'postgres'] as const)('training register (%s)', (dialect) => {
  let t: TestApp
  let forceId: number
  const admin = () => ({ actor: { ...SYSTEM_ACTOR, actorUsername: 'admin', forceId }, forceId })
  const training = () => t.services.investigation.training
  const count = async (table: 'investigation_training_completions' | 'investigation_training_officers') =>
    (await t.database.handle.db.selectFrom(table).select('id').where('force_id', '=', forceId).execute()).length

  beforeAll(async () => {
    t = await createTestApp({ dialect })
    forceId = (await t.services.users.forceByName('Demoshire Police'))!.id
    const records = [
      crime({
        forceReference: 'DS/0200/25',
        principal: '8Q',
        reportedAt: '2025-04-01T09:00:00Z',
        officerInCase: '7002',
      }),
      crime({
        forceReference: 'DS/0201/25',
        principal: '8Q',
        reportedAt: '2025-05-01T09:00:00Z',
        officerInCase: 'PC 9',
      }),
    ]
    const result = await t.services.crime.importer.importRecords(SYSTEM_ACTOR, items(records), {
      force: 'Demoshire Police',
    })
    expect(result.problems).toEqual([])
  })
  afterAll(() => t.close())

  it('imports the export once: a second import of the same file adds nothing', async () => {
    const first = await training().importExport(admin(), NCALT, 'lms-ncalt.csv')
    expect(first).toMatchObject({ rows: 5, officers: 4, completionsAdded: 3, alreadyHeld: 0, enrolments: 2 })
    expect(first.otherCourses).toEqual([{ title: 'Fire safety awareness', rows: 1 }])
    const again = await training().importExport(admin(), NCALT, 'lms-ncalt.csv')
    expect(again).toMatchObject({ completionsAdded: 0, alreadyHeld: 3, enrolments: 0 })
    expect(await count('investigation_training_officers')).toBe(4)
    expect(await count('investigation_training_completions')).toBe(5)
    const [audit] = await auditRows(t.services, 'investigation.training.imported')
    expect(JSON.parse(audit.details)).toMatchObject({ fileName: 'lms-ncalt.csv', completionsAdded: 0 })
  })

  it('refuses a file with one bad row, writing nothing of it', async () => {
    const before = await count('investigation_training_completions')
    const bad = Buffer.from(
      'Staff number,Name,Course,Status,Completion date\n8001,Ann Lee,Stalking e-learning,Completed,01/04/2025\n8002,Bo Tan,Stalking e-learning,Completed,2025-13-01\n',
    )
    await expect(training().importExport(admin(), bad, 'june.csv')).rejects.toThrow(
      'june.csv, line 3, column "Completion date": "2025-13-01" is not a date',
    )
    expect(await count('investigation_training_completions')).toBe(before)
  })

  it('counts a qualifying course in allocation: the officer is a trained investigator from the day they passed', async () => {
    const crimeId = (
      await t.database.handle.db
        .selectFrom('crimes')
        .select('id')
        .where('force_reference', '=', 'DS/0200/25')
        .executeTakeFirstOrThrow()
    ).id
    const viewer = admin()
    const before = await t.services.investigation.service.allocate(viewer, crimeId, {
      team: 'Stalking unit',
      officer: '7002',
      allocatedOn: '2025-04-01',
      riskLevel: 'medium',
      complexityNotes: '',
    })
    // Sam Okafor (7002) passed the stalking investigation course on 14 January 2025.
    expect(before.officerTrained).toBe(true)
    const [row] = await t.database.handle.db
      .selectFrom('investigation_allocations')
      .select(['training_completion_id', 'skill_id'])
      .where('id', '=', before.allocationId)
      .execute()
    expect(row.skill_id).toBeNull()
    expect(row.training_completion_id).not.toBeNull()
    const other = await t.services.investigation.service.allocate(viewer, crimeId, {
      team: 'Stalking unit',
      officer: '7003',
      allocatedOn: '2025-04-02',
      riskLevel: 'medium',
      complexityNotes: '',
    })
    // Jo Whitfield's SPO course does not qualify an investigator.
    expect(other.officerTrained).toBe(false)
    await t.services.investigation.service.allocate(viewer, crimeId, {
      team: 'Stalking unit',
      officer: '7002',
      allocatedOn: '2025-04-03',
      riskLevel: 'medium',
      complexityNotes: '',
    })
  })

  it("gives each course's figures: frontline officers trained and investigators of stalking crimes trained", async () => {
    const figures = await training().figures(forceId, PERIOD)
    const elearning = figures.find((f) => f.course.id === 'stalking_elearning')!
    // The export marks Carter and Frost frontline; Carter completed the e-learning, Frost has not started it.
    expect(elearning).toMatchObject({ frontline: 2, frontlineTrained: 1, frontlineStated: true })
    const investigation = figures.find((f) => f.course.id === 'stalking_investigation')!
    // Crimes' latest allocations: 7002 (DS/0200/25). DS/0201/25 is not allocated.
    expect(investigation).toMatchObject({ investigators: 1, investigatorsTrained: 1 })

    const evidence = await t.services.insight.evidence.evidenceFigures(
      forceId,
      ['10.2', '17.1'],
      new Date('2025-12-31'),
    )
    const tenTwo = evidence.get('10.2')!.find((f) => f.id === 'training:stalking_elearning')!
    expect(tenTwo.percent).toBe(50)
    expect(tenTwo.sentence).toContain(
      'Stalking or harassment e-learning (College of Policing) completed by 50% (1 of 2) of frontline officers',
    )
    expect(evidence.get('17.1')!.map((f) => f.id)).toContain('training:stalking_investigation')
  })

  it('records a completion by hand, checked like any form, and the same completion twice is one', async () => {
    await expect(
      training().recordCompletion(admin(), { officer: '', courseId: 'nope', completedOn: '2099-01-01' }),
    ).rejects.toMatchObject({
      errors: {
        officer: 'Enter the officer, for example Alex Carter',
        completedOn: 'The date completed must be today or in the past',
      },
    })
    const before = await count('investigation_training_completions')
    const form = { officer: 'PC 9', courseId: 'stalking_investigation', completedOn: '2025-02-01' }
    const first = await training().recordCompletion(admin(), form)
    const second = await training().recordCompletion(admin(), form)
    expect(second.completionId).toBe(first.completionId)
    expect(await count('investigation_training_completions')).toBe(before + 1)
  })

  it('gives administrators the page to import and record; an officer reads it but may not import', async () => {
    const agent = await t.signedInAs('admin')
    const page = (await agent.get('/investigation/training').expect(200)).text
    expect(page).toContain('Training register')
    expect(page).toContain('Stalking or harassment e-learning (College of Policing)')
    const upload = await agent
      .post('/investigation/training/import')
      .field('_csrf', csrfTokenFrom(page))
      .attach('file', Buffer.from('Name,Course,Date completed\nPC Lee,Cyberstalking basics,02/02/2025\n'), 'may.csv')
    expect(upload.status).toBe(200)
    expect(upload.text).toContain('1 completions added from may.csv')
    const refused = await agent
      .post('/investigation/training/import')
      .field('_csrf', csrfTokenFrom(page))
      .attach('file', Buffer.from('Name,Status\nPC Lee,Completed\n'), 'bad.csv')
    expect(refused.status).toBe(400)
    expect(refused.text).toContain('Error: Training register')
    expect(refused.text).toContain('bad.csv, line 1: no column names the course')

    const officer = await t.signedInAs('officer')
    const read = (await officer.get('/investigation/training').expect(200)).text
    expect(read).not.toContain('Import the learning system')
    const denied = await officer
      .post('/investigation/training/completions')
      .type('form')
      .send({ _csrf: csrfTokenFrom(read), officer: 'PC 1', courseId: 'spo_training', completedOn: '2025-01-01' })
    expect(denied.status).toBe(403)
  })
})

describe('threadline training import', () => {
  it('imports an export into the named force and refuses a bad file in one line, naming where', async () => {
    const t = await createTestApp()
    const dir = mkdtempSync(join(tmpdir(), 'threadline-training-'))
    const out: string[] = []
    const err: string[] = []
    vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(parts.join(' ')))
    vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void err.push(parts.join(' ')))
    try {
      const db = t.database.url!
      const good = join(dir, 'lms.csv')
      writeFileSync(good, NCALT)
      expect(
        await runCli(['node', 'threadline', 'training', 'import', good, '--force', 'Demoshire Police', '--db', db]),
      ).toBe(0)
      expect(out.join('\n')).toContain('Completions added: 3 (0 already held)')
      const bad = join(dir, 'bad.csv')
      writeFileSync(bad, 'Name,Course,Completed\nA,Stalking e-learning,yesterday\n')
      expect(
        await runCli(['node', 'threadline', 'training', 'import', bad, '--force', 'Demoshire Police', '--db', db]),
      ).toBe(1)
      expect(err.join('\n')).toBe(
        'threadline: bad.csv, line 2, column "Completed": "yesterday" is not a date (for example 27/03/2025 or 2025-03-27). Nothing was imported.',
      )
    } finally {
      vi.restoreAllMocks()
      rmSync(dir, { recursive: true, force: true })
      await t.close()
    }
  })
})

describe('training courses as data', () => {
  it('gives every training measure linked to evidence a course in the data', () => {
    const ids = new Set(loadCourses().map((course) => course.id))
    const linked = [...loadMeasureLinks().values()].flat().filter((id) => id.startsWith('training:'))
    expect(linked.length).toBeGreaterThan(5)
    for (const id of linked) expect(ids.has(id.slice('training:'.length))).toBe(true)
  })
})
