// Issue 18: a damaged Excel extract is refused in words (never a hang holding the database's write lock), every
// import has a time limit, a second import at the same time is told why, and a later import succeeds.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readCrimeExtracts } from '../../src/crime/import/index.ts'
import { ImportStoppedError, type ImportItem } from '../../src/crime/services/importService.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { createTestApp, importThroughPage, type TestApp } from '../support/app.ts'
import { extractWorkbook } from '../support/extracts.ts'
import { mutate } from '../support/mutate.ts'

const FORCE = 'Demoshire Police'

describe('damaged extracts and import limits', () => {
  let t: TestApp
  let dir: string
  let good: Buffer

  beforeAll(async () => {
    t = await createTestApp()
    dir = mkdtempSync(join(tmpdir(), 'threadline-hardening-'))
    good = await extractWorkbook(30)
  })
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true })
    await t.close()
  })

  const crimeCount = async () =>
    Number(
      (
        await t.services.db
          .selectFrom('crimes')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  it('refuses each of 40 damaged copies of an Excel extract in words, writing nothing, then imports the good one', async () => {
    const outcomes: string[] = []
    for (let seed = 1; seed <= 40; seed++) {
      const { content, how } = mutate(good, seed)
      const path = join(dir, `damaged-${seed}.xlsx`)
      writeFileSync(path, content)
      const before = await crimeCount()
      let message: string
      try {
        const summary = await t.services.crime.importer.importRecords(SYSTEM_ACTOR, readCrimeExtracts([path]), {
          force: FORCE,
          idleLimitMs: 10_000,
        })
        message = summary.written ? 'imported' : summary.problems.map((problem) => problem.message).join(' | ')
        if (!summary.written) expect(await crimeCount(), how).toBe(before)
      } catch (error) {
        expect(error, how).toBeInstanceOf(ImportStoppedError)
        message = (error as Error).message
        expect(await crimeCount(), how).toBe(before)
      }
      // Never a library's own words.
      expect(message, how).not.toMatch(/Cannot read properties|undefined|is not a function|Unexpected token/)
      outcomes.push(message)
      if (message === 'imported')
        await t.services.db
          .deleteFrom('crimes')
          .execute()
          .catch(() => {})
    }
    expect(outcomes.filter((outcome) => outcome !== 'imported').length).toBeGreaterThan(30)
    const path = join(dir, 'good.xlsx')
    writeFileSync(path, good)
    const summary = await t.services.crime.importer.importRecords(SYSTEM_ACTOR, readCrimeExtracts([path]), {
      force: FORCE,
    })
    expect(summary).toMatchObject({ written: true, problems: [] })
    expect(summary.created + summary.updated).toBe(90)
  }, 300_000)

  it('stops a reader that hangs when the idle limit passes, releases the lock, and the next import succeeds', async () => {
    async function* hangs(): AsyncGenerator<ImportItem> {
      await new Promise(() => {}) // a reader that never yields again, as the damaged workbooks did
      yield* []
    }
    const started = performance.now()
    await expect(
      t.services.crime.importer.importRecords(SYSTEM_ACTOR, hangs(), { force: FORCE, idleLimitMs: 500 }),
    ).rejects.toThrow(/reading the extract stopped making progress for 1 seconds/)
    expect(performance.now() - started).toBeLessThan(10_000)
    async function* slow(): AsyncGenerator<ImportItem> {
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        yield { problem: { file: 'x.csv', line: 2, field: null, message: 'bad' } }
      }
    }
    await expect(
      t.services.crime.importer.importRecords(SYSTEM_ACTOR, slow(), { force: FORCE, timeLimitMs: 700 }),
    ).rejects.toThrow(/the import took longer than its time limit/)
    const path = join(dir, 'after-hang.xlsx')
    writeFileSync(path, await extractWorkbook(2, 'AH'))
    const summary = await t.services.crime.importer.importRecords(SYSTEM_ACTOR, readCrimeExtracts([path]), {
      force: FORCE,
    })
    expect(summary.written).toBe(true)
  })

  it('tells a second import at the same time that another is running', async () => {
    let release: () => void = () => {}
    async function* held(): AsyncGenerator<ImportItem> {
      await new Promise<void>((resolve) => (release = resolve))
      yield* []
    }
    const first = t.services.crime.importer.importRecords(SYSTEM_ACTOR, held(), { force: FORCE })
    await new Promise((resolve) => setTimeout(resolve, 50))
    await expect(
      t.services.crime.importer.importRecords(SYSTEM_ACTOR, readCrimeExtracts([join(dir, 'good.xlsx')]), {
        force: FORCE,
      }),
    ).rejects.toThrow(/another import \(Demoshire Police, started \d\d:\d\d:\d\d UTC\) is running; try again/)
    release()
    await first
  })

  it('through the page: a damaged workbook is refused naming the uploaded file, no temporary folder is left', async () => {
    const agent = await t.signedInAs('admin')
    const uploads = join(t.config.uploadDir, 'crime-imports')
    const temporary = () => (existsSync(uploads) ? readdirSync(uploads).length : 0)
    const before = temporary()
    const damaged = Buffer.concat([good.subarray(0, 2000), good.subarray(2100)])
    const response = await importThroughPage(t, agent, [{ content: damaged, name: 'Café extract.xlsx' }])
    expect(response.text).toContain('Nothing was imported')
    expect(response.text).toContain('Café extract.xlsx, line 1: the Excel workbook (.xlsx) is damaged or truncated')
    expect(response.text).not.toMatch(/crime-imports|\d-Caf/)
    expect(temporary()).toBe(before)
    const ok = await importThroughPage(t, agent, [
      { content: await extractWorkbook(1, 'WB'), name: 'Café extract.xlsx' },
    ])
    expect(ok.text).toContain('Import complete')
    const audit = await t.services.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'crime.imported')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(audit.details).files).toEqual(['Café extract.xlsx'])
  }, 120_000)
})
