// THE DONE-WHEN TEST: `threadline plan import` of the seed, then `threadline plan export --format json`, in-process.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { runCli } from '../../src/cli/main.ts'
import { openDatabase } from '../../src/platform/data/database.ts'
import type { Database } from '../../src/compositionRoot.ts'

const SEED = 'test/fixtures/plans/northamptonshire-seed.txt'

/** Every recommendation and item of the seed as published (owners, statuses, stated %, Threadline's %). */
const EXPECTED: Record<
  string,
  [owner: string, statusLabel: string, status: string, percent: number | null, counted: number]
> = {
  '7.1': ['Chief Constable', 'In Progress', 'in_progress', null, 50],
  '7.2': ['Chief Constable', 'In Progress', 'in_progress', null, 50],
  '10.1': ['Chief Constable', 'Action Complete', 'complete', 100, 100],
  '10.2': ['Chief Constable', 'Action Complete', 'complete', 100, 100],
  '10.3': ['Chief Constable', 'In Progress', 'in_progress', null, 50],
  '10.4': ['Chief Constable', 'Action Complete', 'complete', 100, 100],
  '10.5': ['Chief Constable', 'In Progress', 'in_progress', null, 50],
  '11.1': ['Chief Constable', 'In Progress', 'in_progress', null, 50],
  '11.2': ['Chief Constable', 'In Progress 25%', 'in_progress', 25, 25],
  '11.3': ['Chief Constable', 'Action Complete', 'complete', 100, 100],
  '11.4': ['Chief Constable', 'Action Complete', 'complete', 100, 100],
  '12.1': ['Chief Constable', 'In Progress 25%', 'in_progress', 25, 25],
  '12.2': ['Chief Constable', 'Action Complete', 'complete', 100, 100],
  '12.3': ['Chief Constable', 'In Progress', 'in_progress', null, 50],
  '12.4': ['Chief Constable', 'In Progress 50%', 'in_progress', 50, 50],
  '13.1': ['Chief Constable', 'Action Complete', 'complete', 100, 100],
  '13.2': ['Chief Constable', 'In Progress', 'in_progress', null, 50],
  '14.1': ['Chief Constable', 'In Progress 50%', 'in_progress', 50, 50],
  '14.2': ['Chief Constable', 'In Progress 50%', 'in_progress', 50, 50],
  '14.3': ['Chief Constable', 'Action Complete', 'complete', 100, 100],
  '14.4': ['Chief Constable', 'Action Complete', 'complete', 100, 100],
  '14.5': ['Chief Constable', 'Action Complete', 'complete', 100, 100],
  '16.1': ['CCs, PCCs and their mayor equivalents', 'In Progress 25%', 'in_progress', 25, 25],
  '17.1': ['Chief Constables', 'In Progress 75%', 'in_progress', 75, 75],
  '18.1': ['Chief Constables', 'In Progress 25%', 'in_progress', 25, 25],
  '18.2': ['Chief Constables', 'In Progress 25%', 'in_progress', 25, 25],
  '18.3': ['Chief Constables', 'In Progress 25%', 'in_progress', 25, 25],
  '18.4': ['Chief Constables', 'In Progress 25%', 'in_progress', 25, 25],
  '20.1': ['Chief Constables', 'In Progress', 'in_progress', null, 50],
  '20.2': ['Chief Constables', 'In Progress 25%', 'in_progress', 25, 25],
  '20.3': ['Chief Constables', 'In Progress 25%', 'in_progress', 25, 25],
  '20.4': ['Chief Constables', 'In Progress 25%', 'in_progress', 25, 25],
  '22.1': ['Chief Constables', 'In Progress', 'in_progress', null, 50],
  '23.1': ['Chief Constables', 'In Progress', 'in_progress', null, 50],
  '25.1': ['CCs, PCCs and their mayor equivalents', 'In Progress 50%', 'in_progress', 50, 50],
  '25.2': ['CCs, PCCs and their mayor equivalents', 'In Progress', 'in_progress', null, 50],
  '25.3': ['CCs, PCCs and their mayor equivalents', 'In Progress', 'in_progress', null, 50],
  '27.1': ['All bodies subject to recommendations', 'Action Complete', 'complete', 100, 100],
  '28.1': ['Chief Constables', 'In Progress 50%', 'in_progress', 50, 50],
}

interface ExportedItem {
  ref: string
  requirement: string
  owner: string
  status: string
  statusLabel: string
  percent: number | null
  updates: { date: string; text: string; status: string; statusLabel: string; percent: number | null }[]
  progress: { percent: number }
}

describe('threadline plan import, then export (the done-when test)', () => {
  let dir: string
  let db: string
  let out: string[]
  let err: string[]

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'threadline-plan-cli-'))
    db = join(dir, 'plan.sqlite')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  async function run(...args: string[]): Promise<number> {
    out = []
    err = []
    const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(parts.join(' ')))
    const error = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void err.push(parts.join(' ')))
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
      return true
    })
    try {
      return await runCli(['node', 'threadline', ...args])
    } finally {
      log.mockRestore()
      error.mockRestore()
      write.mockRestore()
    }
  }
  afterEach(() => vi.restoreAllMocks())

  async function exportJson() {
    expect(await run('plan', 'export', '--force', 'Northamptonshire Police', '--format', 'json', '--db', db)).toBe(0)
    return JSON.parse(out.join(''))
  }

  async function tableCounts() {
    const handle = openDatabase<Database>(db)
    try {
      const count = async (table: 'plan_updates' | 'plan_items' | 'plan_imports' | 'plan_recommendations' | 'forces') =>
        Number(
          (
            await handle.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        )
      return {
        forces: await count('forces'),
        recommendations: await count('plan_recommendations'),
        items: await count('plan_items'),
        updates: await count('plan_updates'),
        imports: await count('plan_imports'),
      }
    } finally {
      await handle.close()
    }
  }

  it('imports the seed and prints the format, counts and warnings', async () => {
    expect(await run('plan', 'import', SEED, '--force', 'Northamptonshire Police', '--db', db)).toBe(0)
    const printed = out.join('\n')
    expect(printed).toContain('Recognised format: seed-text')
    expect(printed).toContain('Document: 15 recommendations, 39 evidence items, 39 updates')
    expect(printed).toContain('Warnings: 1')
    expect(printed).toContain("recommendation 28's deadline is 2025-11-22 in the document but 2024-11-22 in the report")
  })

  it('exports all 15 recommendations and 39 evidence items with the right owners, dates, statuses and %', async () => {
    const plan = await exportJson()
    expect(plan.force).toBe('Northamptonshire Police')
    expect(plan.executiveLead).toBe('ACC Emma James')
    expect(plan.operationalLead).toBe('DCS Paul Rymarz')
    expect(plan.lastUpdated).toBe('2024-11-20')
    expect(plan.recommendations.map((r: { number: number }) => r.number)).toEqual([
      7, 10, 11, 12, 13, 14, 16, 17, 18, 20, 22, 23, 25, 27, 28,
    ])
    const items: ExportedItem[] = plan.recommendations.flatMap((r: { items: ExportedItem[] }) => r.items)
    expect(items).toHaveLength(39)
    for (const rec of plan.recommendations as { number: number; items: ExportedItem[] }[]) {
      for (const item of rec.items) expect(item.ref.split('.')[0]).toBe(String(rec.number))
    }
    expect(
      Object.fromEntries(items.map((i) => [i.ref, [i.owner, i.statusLabel, i.status, i.percent, i.progress.percent]])),
    ).toEqual(EXPECTED)
    for (const item of items) {
      expect(item.updates).toHaveLength(1)
      expect(item.updates[0]).toMatchObject({ date: '2024-11-20', status: item.status, statusLabel: item.statusLabel })
    }
    const deadlines = Object.fromEntries(
      plan.recommendations.map((r: { number: number; deadline: string }) => [r.number, r.deadline]),
    )
    expect(deadlines).toMatchObject({ 7: '2025-03-27', 22: '2025-09-27', 27: '2024-11-22', 28: '2025-11-22' })
    const text = JSON.stringify(plan)
    expect(text).not.toMatch(/<\/?(p|b|u|strong|em|br)\b/i)
    expect(text).not.toMatch(/\*\*|__/)
    const rec12 = plan.recommendations.find((r: { number: number }) => r.number === 12)
    expect(rec12.text).toBe(
      'By 27 March 2025, take steps to make sure that risk identification, assessment and management is effective in all stalking and breaches of orders cases.',
    )
    expect(items.find((i) => i.ref === '12.3')!.requirement).toMatch(
      /^Recognising \(in policies, guidance and training\)/,
    )
    expect(items.find((i) => i.ref === '18.1')!.updates[0].text).toBe('')
    expect(plan.method).toContain('average')
  })

  it('changes nothing when the same document is imported again', async () => {
    const before = await tableCounts()
    const exported = await exportJson()
    expect(await run('plan', 'import', SEED, '--force', 'Northamptonshire Police', '--db', db)).toBe(0)
    expect(out.join('\n')).toContain('was already imported')
    expect(await tableCounts()).toEqual(before)
    const again = await exportJson()
    expect({ ...again, generatedAt: null }).toEqual({ ...exported, generatedAt: null })
  })

  it('adds a later version of the plan as new dated updates', async () => {
    const later = readFileSync(SEED, 'utf8').replace(
      /(11\.2\t[^\n]*?)\t20\/11\/2024\tIn Progress 25%/,
      '$1 The Senior Officer Review reported in January 2025.\t31/01/2025\tIn Progress 75%',
    )
    expect(later).not.toBe(readFileSync(SEED, 'utf8'))
    const file = join(dir, 'northamptonshire-jan-2025.txt')
    writeFileSync(file, later)
    const before = await tableCounts()
    expect(await run('plan', 'import', file, '--db', db)).toBe(0)
    expect(out.join('\n')).toContain('1 updates added (38 already held)')
    expect(await tableCounts()).toMatchObject({ ...before, updates: before.updates + 1, imports: before.imports + 1 })
    const plan = await exportJson()
    const item = plan.recommendations
      .flatMap((r: { items: ExportedItem[] }) => r.items)
      .find((i: ExportedItem) => i.ref === '11.2')
    expect(item.updates.map((u: { date: string; percent: number }) => [u.date, u.percent])).toEqual([
      ['2024-11-20', 25],
      ['2025-01-31', 75],
    ])
    expect(item).toMatchObject({ percent: 75, statusLabel: 'In Progress 75%' })
    expect(plan.lastUpdated).toBe('2025-01-31')
  })

  it('refuses a shape it does not recognise on one line, exit 1, nothing written', async () => {
    const before = await tableCounts()
    for (const fixture of ['broken-no-tables.html', 'broken-unrelated-columns.html', 'broken-truncated.xlsx']) {
      const code = await run(
        'plan',
        'import',
        `test/fixtures/plans/${fixture}`,
        '--force',
        'Brokenshire Police',
        '--db',
        db,
      )
      expect(code).toBe(1)
      expect(err).toHaveLength(1)
      expect(err[0]).toMatch(new RegExp(`^threadline: ${fixture.replace('.', '\\.')}`))
      expect(err[0]).toContain('Nothing was imported')
      expect(err[0]).not.toContain('\n')
    }
    expect(await tableCounts()).toEqual(before)
  })

  it('says in words why a file it was given cannot be read: missing, or a folder', async () => {
    expect(await run('plan', 'import', 'test/fixtures/plans/no-such-plan.pdf', '--db', db)).toBe(1)
    expect(err).toEqual(['threadline: cannot read test/fixtures/plans/no-such-plan.pdf: no such file'])
    expect(await run('plan', 'import', 'test/fixtures/plans', '--db', db)).toBe(1)
    expect(err).toEqual(['threadline: cannot read test/fixtures/plans: it is a folder, not a file'])
  })

  it('exports every format, binary ones only to a file', async () => {
    expect(await run('plan', 'export', '--force', 'northamptonshire', '--format', 'csv', '--db', db)).toBe(0)
    expect(out.join('')).toContain('Rec. No.,Recommendation,Deadline')
    expect(await run('plan', 'export', '--force', 'northamptonshire', '--format', 'html', '--db', db)).toBe(0)
    expect(out.join('')).toContain('Northamptonshire Police')
    expect(await run('plan', 'export', '--force', 'northamptonshire', '--format', 'pdf', '--db', db)).toBe(1)
    expect(err[0]).toContain('give --out FILE')
    for (const format of ['xlsx', 'ods', 'pdf']) {
      const file = join(dir, `plan.${format}`)
      expect(
        await run('plan', 'export', '--force', 'northamptonshire', '--format', format, '--out', file, '--db', db),
      ).toBe(0)
      expect(readFileSync(file).length).toBeGreaterThan(500)
    }
    expect(await run('plan', 'export', '--force', 'Nowhere Police', '--format', 'json', '--db', db)).toBe(1)
    expect(err[0]).toContain('no force called "Nowhere Police"')
  })
})
