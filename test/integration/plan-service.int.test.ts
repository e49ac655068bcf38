// The plan repository and service on both dialects: import is one transaction, idempotent, adds history; updates,
// owners and documents are audited in the same transaction.
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuditRepository } from '../../src/platform/data/auditRepository.ts'
import { AuditService, SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { PlanRepository } from '../../src/plan/data/planRepository.ts'
import { readPlanDocument } from '../../src/plan/import/index.ts'
import { DocumentRefusedError } from '../../src/plan/services/documentCheck.ts'
import { PlanInputError, PlanService, sha256, updateInputSchema } from '../../src/plan/services/planService.ts'
import {
  asAreaDatabase,
  createTestDatabase,
  DIALECTS,
  TEST_AUDIT_KEYING,
  type TestDatabase,
} from '../support/databases.ts'
import { platformView } from '../../src/platform/data/schema.ts'
import type { PlanDatabase } from '../../src/plan/data/tables.ts'

const SEED = readFileSync('test/fixtures/plans/northamptonshire-seed.txt')
const actor = { ...SYSTEM_ACTOR, actorUsername: 'test' }

/** The seed as the force would republish it later: 7.1 and 12.4 get a new dated update; nothing else changes. */
export function laterSeedVersion(): Buffer {
  const lines = SEED.toString('utf8').split('\n')
  const replace = (marker: string, from: string, to: string) => {
    const i = lines.findIndex((line) => line.includes(marker))
    if (i < 0) throw new Error(`no line with ${marker}`)
    lines[i] = lines[i].replace(from, to)
  }
  replace('7.1\tProcesses should', /This is not technically possible.*?December\./.source, '')
  const i71 = lines.findIndex((line) => line.includes('7.1\tProcesses should'))
  lines[i71] = lines[i71].replace(
    /Chief Constable\t[^\t]*\t20\/11\/2024\tIn Progress/,
    'Chief Constable\tMinerva have agreed a change request for included classifications; testing starts in May.\t27/03/2025\tIn Progress 60%',
  )
  const i124 = lines.findIndex((line) => line.includes('<b>12.4</b>'))
  lines[i124] = lines[i124]
    .replace('Chief Constable\t', 'Head of Public Protection\t')
    .replace(
      /<p>All Stalking offences.*?DCI\.<\/p>\t20\/11\/2024\tIn Progress 50%/,
      '<p>Daily management meeting now reviews every breach of order.</p>\t27/03/2025\tAction Complete',
    )
  return Buffer.from(lines.join('\n'), 'utf8')
}

describe.each(DIALECTS)('plan service on %s', (dialect) => {
  let database: TestDatabase
  let plans: PlanService
  let repository: PlanRepository
  let uploadDir: string

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    const db = asAreaDatabase<PlanDatabase>(database.handle.db)
    uploadDir = mkdtempSync(join(tmpdir(), 'threadline-plan-uploads-'))
    repository = new PlanRepository(db)
    plans = new PlanService(
      db,
      repository,
      new AuditService(platformView(db), new AuditRepository(platformView(db)), TEST_AUDIT_KEYING),
      {
        uploadDir,
      },
    )
  })
  afterAll(async () => {
    await database.drop()
    rmSync(uploadDir, { recursive: true, force: true })
  })

  async function importSeed(content: Buffer = SEED, fileName = 'northamptonshire-seed.txt') {
    const parsed = await readPlanDocument(content, fileName)
    return plans.importParsed(actor, parsed, {
      fileName,
      checksum: sha256(content),
      forceName: 'Northamptonshire Police',
    })
  }

  async function planId(): Promise<number> {
    const force = await plans.findForce('Northamptonshire Police')
    return (await repository.planByForce(force!.id))!.id
  }

  it('imports the seed into a new force: 15 recommendations, 39 items, 39 updates, warnings kept, audited', async () => {
    const result = await importSeed()
    expect(result).toMatchObject({
      format: 'seed-text',
      forceCreated: true,
      planCreated: true,
      recommendationsAdded: 15,
      itemsAdded: 39,
      updatesAdded: 39,
    })
    expect(result.warnings.map((w) => w.message)).toContainEqual(
      expect.stringContaining("recommendation 28's deadline"),
    )
    const counts = await repository.counts(await planId())
    expect(counts).toEqual({ recommendations: 15, items: 39, updates: 39, ownerChanges: 0, documents: 0 })
    const [imported] = await repository.imports(await planId())
    expect(JSON.parse(imported.warnings)).toEqual(result.warnings)
    const audit = await database.handle.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'plan.imported')
      .execute()
    expect(audit).toHaveLength(1)
  })

  it('changes nothing when the same document is imported twice, and when re-saved under another name', async () => {
    const id = await planId()
    const before = await repository.counts(id)
    const exportBefore = await plans.exportable((await plans.findForce('Northamptonshire Police'))!.id)
    const again = await importSeed()
    expect(again.alreadyImported).not.toBeNull()
    expect(again.updatesAdded).toBe(0)
    const copy = Buffer.concat([SEED, Buffer.from('\n')])
    const resaved = await importSeed(copy, 'copy.txt')
    expect(resaved).toMatchObject({ updatesAdded: 0, updatesAlreadyHeld: 39, itemsAdded: 0, ownerChanges: 0 })
    expect(await repository.counts(id)).toEqual(before)
    expect(await plans.exportable((await plans.findForce('Northamptonshire Police'))!.id)).toEqual(exportBefore)
  })

  it('adds a later version of the plan to each item history instead of overwriting it', async () => {
    const id = await planId()
    const result = await importSeed(laterSeedVersion(), 'northamptonshire-march-2025.txt')
    expect(result.updatesAdded).toBe(2)
    expect(result.ownerChanges).toBe(1)
    const view = (await plans.planView((await plans.findForce('Northamptonshire Police'))!.id))!
    const item = (ref: string) => view.recommendations.flatMap((r) => r.items).find((i) => i.ref === ref)!
    expect(item('7.1').updates.map((u) => [u.date, u.percent])).toEqual([
      ['2024-11-20', null],
      ['2025-03-27', 60],
    ])
    expect(item('7.1')).toMatchObject({ status: 'in_progress', percent: 60, statusLabel: 'In Progress 60%' })
    expect(item('12.4')).toMatchObject({ status: 'complete', owner: 'Head of Public Protection' })
    expect(item('12.4').updates).toHaveLength(2)
    expect(item('12.4').ownerChanges[0]).toMatchObject({
      previous_owner: 'Chief Constable',
      new_owner: 'Head of Public Protection',
    })
    expect(item('10.1').updates).toHaveLength(1)
    expect((await repository.counts(id)).updates).toBe(41)
  })

  it('keeps the history append-only in the database itself', async () => {
    await expect(database.handle.db.updateTable('plan_updates').set({ text: 'rewritten' }).execute()).rejects.toThrow(
      /append-only/,
    )
    await expect(database.handle.db.deleteFrom('plan_updates').execute()).rejects.toThrow(/append-only/)
  })

  it('writes nothing when the import fails part way: the transaction rolls back', async () => {
    const id = await planId()
    const before = await repository.counts(id)
    const parsed = await readPlanDocument(laterSeedVersion(), 'x.txt')
    // An item whose requirement is not text makes the insert fail after earlier rows were written.
    const broken = structuredClone(parsed)
    broken.recommendations[0].items.push({
      ...broken.recommendations[0].items[0],
      ref: '7.9',
      requirement: null as unknown as string,
    })
    broken.recommendations[0].items[0].updates.push({
      ...broken.recommendations[0].items[0].updates[0],
      text: 'new text',
      date: '2025-04-01',
    })
    await expect(
      plans.importParsed(actor, broken, {
        fileName: 'x.txt',
        checksum: 'f'.repeat(64),
        forceName: 'Northamptonshire Police',
      }),
    ).rejects.toThrow()
    expect(await repository.counts(id)).toEqual(before)
    expect(await repository.importByChecksum(id, 'f'.repeat(64))).toBeUndefined()
  })

  it('holds a previewed document until it is confirmed once, and sweeps away previews left for over a day', async () => {
    const checksum = await plans.holdForPreview(SEED)
    expect(checksum).toBe(sha256(SEED))
    expect(await plans.takePreview(checksum)).toEqual(SEED)
    expect(await plans.takePreview(checksum)).toBeNull()
    expect(await plans.takePreview('../../etc/passwd')).toBeNull()

    const abandoned = await plans.holdForPreview(Buffer.from('an abandoned preview'))
    const held = join(uploadDir, 'plan-imports', `${abandoned}.bin`)
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000)
    utimesSync(held, twoDaysAgo, twoDaysAgo)
    const recent = await plans.holdForPreview(Buffer.from('a recent preview'))
    expect(existsSync(held)).toBe(false)
    expect(existsSync(join(uploadDir, 'plan-imports', `${recent}.bin`))).toBe(true)
  })

  it('refuses a document that names no force when no force is given', async () => {
    const parsed = await readPlanDocument(readFileSync('test/fixtures/plans/tarnbrook.xlsx'), 'tarnbrook.xlsx')
    await expect(
      plans.importParsed(actor, parsed, { fileName: 'tarnbrook.xlsx', checksum: 'a'.repeat(64) }),
    ).rejects.toThrow(PlanInputError)
    expect(await plans.findForce('Tarnbrook Police')).toBeUndefined()
  })

  it('starts a new force from the catalogue: every recommendation and item, not started', async () => {
    const forceId = (
      await database.handle.db
        .insertInto('forces')
        .values({ name: 'Demoshire Police', code: 'demoshire', created_at: new Date().toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
    const result = await plans.startFromCatalogue(actor, forceId)
    const catalogue = plans.catalogue()
    expect(result.recommendationsAdded).toBe(catalogue.recommendations.length)
    expect(result.itemsAdded).toBe(catalogue.recommendations.reduce((n, r) => n + r.evidence.length, 0))
    const view = (await plans.planView(forceId, { today: '2024-10-01' }))!
    expect(view.recommendations.every((r) => r.status === 'not_started')).toBe(true)
    expect(view.progress.percent).toBe(0)
    expect(view.overdueCount).toBe(0)
    expect((await plans.planView(forceId, { today: '2026-01-01' }))!.overdueCount).toBe(
      catalogue.recommendations.length,
    )
    await expect(plans.startFromCatalogue(actor, forceId)).rejects.toThrow(/already has a plan/)
  })

  it('adds a validated update that becomes current and counts in the %; complete means 100', async () => {
    const forceId = (await plans.findForce('Demoshire Police'))!.id
    const input = updateInputSchema.parse({
      text: 'All officers trained.',
      status: 'complete',
      percent: '',
      date: { day: '1', month: '3', year: '2025' },
    })
    expect(input).toMatchObject({ percent: 100, date: '2025-03-01' })
    await plans.addUpdate(actor, forceId, '10.1', input)
    const monthly = updateInputSchema.parse({
      text: 'Half done.',
      status: 'in_progress',
      percent: '50',
      date: { month: '2', year: '2025' },
    })
    expect(monthly.date).toBe('2025-02')
    await plans.addUpdate(actor, forceId, '10.1', monthly)
    const view = (await plans.planView(forceId))!
    const item = view.recommendations.find((r) => r.number === 10)!.items.find((i) => i.ref === '10.1')!
    expect(item.updates.map((u) => u.date)).toEqual(['2025-02', '2025-03-01'])
    expect(item).toMatchObject({ status: 'complete', percent: 100, statusLabel: 'Complete' })
    expect(item.updates[1].source).toBe('user:test')
    const audit = await database.handle.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'plan.update-added')
      .execute()
    expect(audit).toHaveLength(2)
  })

  it('rejects updates that break the rules with messages naming the field', () => {
    const bad = (value: object) => updateInputSchema.safeParse(value)
    const messages = (value: object) => {
      const r = bad(value)
      return r.success ? [] : r.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`)
    }
    expect(messages({ text: '', status: 'in_progress' })).toContain('text: Enter the update')
    expect(messages({ text: 'x', status: 'in_progress', percent: '101' })[0]).toMatch(/^percent: .*0 to 100/)
    expect(messages({ text: 'x', status: 'complete', percent: '40' })[0]).toMatch(/^percent: A complete item is 100%/)
    expect(messages({ text: 'x', status: 'in_progress', date: { day: '31', month: '2', year: '2025' } })[0]).toMatch(
      /^date: .*real date/,
    )
    expect(messages({ text: 'x', status: 'in_progress', date: { day: '1', month: '1', year: '2999' } })[0]).toMatch(
      /^date: .*past/,
    )
    expect(messages({ text: 'x', status: 'finished' })[0]).toMatch(/^status: Select the status/)
  })

  it('stores documents checked by content, with a sha256 checksum, and refuses others', async () => {
    const forceId = (await plans.findForce('Demoshire Police'))!.id
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    )
    const { id, checked } = await plans.addDocument(actor, forceId, '11.3', { content: png, fileName: 'chart.png' })
    expect(checked).toMatchObject({ mediaType: 'image/png', size: png.length, checksum: `sha256:${sha256(png)}` })
    const stored = await plans.documentContent(forceId, id)
    expect(stored!.content.equals(png)).toBe(true)
    await expect(
      plans.addDocument(actor, forceId, '11.3', { content: Buffer.from('<html>hello</html>'), fileName: 'report.pdf' }),
    ).rejects.toThrow(DocumentRefusedError)
    await expect(
      plans.addDocument(actor, forceId, '11.3', {
        content: Buffer.alloc(20 * 1024 * 1024 + 1, 0x25),
        fileName: 'big.pdf',
      }),
    ).rejects.toThrow(/larger than 20 MB/)
    const view = (await plans.planView(forceId))!
    const item = view.recommendations.flatMap((r) => r.items).find((i) => i.ref === '11.3')!
    expect(item.documents).toHaveLength(1)
    const exportable = plans.toExportable(view)
    const doc = exportable.recommendations.flatMap((r) => r.items).find((i) => i.ref === '11.3')!.documents[0]
    expect(doc).toMatchObject({ name: 'chart.png', url: `/plans/demoshire/documents/${id}`, mediaType: 'image/png' })
  })

  it('changes an owner once, keeping the change; the same owner again changes nothing', async () => {
    const forceId = (await plans.findForce('Demoshire Police'))!.id
    expect(await plans.changeOwner(actor, forceId, '13.1', 'Head of Public Protection')).toBe(true)
    expect(await plans.changeOwner(actor, forceId, '13.1', 'Head of Public Protection')).toBe(false)
    const view = (await plans.planView(forceId))!
    const item = view.recommendations.flatMap((r) => r.items).find((i) => i.ref === '13.1')!
    expect(item.owner).toBe('Head of Public Protection')
    expect(item.ownerChanges).toHaveLength(1)
  })

  it('builds the national view with every force, and filters forces not updated since a date', async () => {
    const national = await plans.nationalView({ today: '2025-06-01' })
    expect(national.rows.map((r) => r.force.name)).toEqual(['Demoshire Police', 'Northamptonshire Police'])
    expect(national.numbers).toContain(28)
    const northants = national.rows.find((r) => r.force.name === 'Northamptonshire Police')!
    expect(northants.lastUpdated).toBe('2025-03-27')
    expect(northants.cells[27]).toMatchObject({ status: 'complete', percent: 100, overdue: false })
    expect(northants.cells[7].overdue).toBe(true)
    const stale = await plans.nationalView({ today: '2025-06-01', notUpdatedSince: '2025-03-15' })
    // Demoshire's latest update is dated 1 March 2025; Northamptonshire's 27 March 2025.
    expect(stale.rows.map((r) => r.force.name)).toEqual(['Demoshire Police'])
    const older = await plans.nationalView({ today: '2025-06-01', notUpdatedSince: '2025-04-01' })
    expect(older.rows.map((r) => r.force.name)).toEqual(['Demoshire Police', 'Northamptonshire Police'])
  })
})
