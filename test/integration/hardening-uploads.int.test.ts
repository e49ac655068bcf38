// Issue 18: no uploaded file can take Threadline down. Zip bombs (an ODS, a DOCX and an XLSX of about 1.3 MB that
// expand to 400 MB, built here) are refused with a clear message through the plan import page while another user's
// page views go on answering; a document that passes the archive check but needs too much memory or time is ended.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { checkArchive, ArchiveRefusedError } from '../../src/platform/archive.ts'
import { PLAN_ARCHIVE_LIMITS } from '../../src/plan/import/index.ts'
import { closePlanReaders, readPlanInWorker } from '../../src/plan/import/worker.ts'
import { createTestApp, csrfTokenFrom, type TestApp } from '../support/app.ts'
import { bombEntry, docxBomb, entry, odsBomb, xlsxBomb, zip } from '../support/zips.ts'

describe('zip bombs and hostile documents', () => {
  let t: TestApp
  let code: string

  beforeAll(async () => {
    t = await createTestApp()
    const force = await t.services.plan.service.findForce('Demoshire Police')
    code = force!.code
    await t.services.plan.service.startFromCatalogue(SYSTEM_ACTOR, force!.id)
  })
  afterAll(async () => {
    await closePlanReaders()
    await t.close()
  })

  it('refuses ODS, DOCX and XLSX bombs through the import page within seconds while other pages answer', async () => {
    const bombs = [
      { name: 'plan.ods', content: await odsBomb(), kind: 'OpenDocument spreadsheet (ODS)' },
      { name: 'plan.docx', content: await docxBomb(), kind: 'Word document (DOCX)' },
      { name: 'plan.xlsx', content: await xlsxBomb(), kind: 'spreadsheet (XLSX)' },
    ]
    for (const bomb of bombs) expect(bomb.content.length).toBeLessThan(2 * 1024 * 1024)
    const owner = await t.signedInAs('planowner')
    const reader = await t.signedInAs('analyst')
    const planBefore = await t.services.plan.service.planView(
      (await t.services.plan.service.findForce('Demoshire Police'))!.id,
    )

    let uploading = true
    const views: { status: number; ms: number }[] = []
    const browsing = (async () => {
      while (uploading) {
        const started = performance.now()
        const response = await reader.get(`/plans/${code}`)
        views.push({ status: response.status, ms: performance.now() - started })
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    })()

    try {
      for (const bomb of bombs) {
        const page = await owner.get(`/plans/${code}/import`).expect(200)
        const started = performance.now()
        const response = await owner
          .post(`/plans/${code}/import`)
          .field('_csrf', csrfTokenFrom(page.text))
          .field('mode', 'now')
          .attach('file', bomb.content, bomb.name)
        const seconds = (performance.now() - started) / 1000
        expect(response.status).toBe(400)
        expect(response.text).toContain(`${bomb.name}: the ${bomb.kind} expands to more than 100 MB`)
        expect(response.text).toContain('Nothing was imported')
        // Before the archive check, the ODS ran 6.5 minutes and killed the server; now well under the test's limit.
        expect(seconds).toBeLessThan(15)
      }
    } finally {
      uploading = false
      await browsing
    }
    expect(views.length).toBeGreaterThan(0)
    expect(views.every((view) => view.status === 200)).toBe(true)
    expect(await t.services.plan.service.planView(planBefore!.force.id)).toEqual(planBefore)
  }, 120_000)

  it('refuses an archive with more entries than any real document, and one compressed like a bomb', async () => {
    const many = zip(Array.from({ length: 2100 }, (_, i) => entry(`f${i}.xml`, '<a/>')))
    await expect(checkArchive(many, PLAN_ARCHIVE_LIMITS)).rejects.toThrow(
      /holds 2100 files inside, more than the 2000 a real one has/,
    )
    const dense = zip([await bombEntry('content.xml', 20 << 20, '\0')])
    await expect(checkArchive(dense, { ...PLAN_ARCHIVE_LIMITS, maxRatio: 500 })).rejects.toThrow(
      /holds "content.xml", compressed more than \d+ times/,
    )
    // Real documents pass.
    for (const name of ['tarnbrook.xlsx', 'greyhithe.docx', 'hollowdale.ods']) {
      const entries = await checkArchive(readFileSync(`test/fixtures/plans/${name}`), PLAN_ARCHIVE_LIMITS)
      expect(entries.length).toBeGreaterThan(1)
    }
  })

  it('refuses a damaged archive (a byte changed inside an entry) as damaged, not with a library error', async () => {
    const good = zip([
      entry('mimetype', 'application/vnd.oasis.opendocument.spreadsheet', true),
      entry('content.xml', '<x>'.repeat(5000)),
    ])
    const damaged = Buffer.from(good)
    damaged[130] ^= 0xff
    await expect(checkArchive(damaged, PLAN_ARCHIVE_LIMITS)).rejects.toBeInstanceOf(ArchiveRefusedError)
    await expect(readPlanInWorker(damaged, 'plan.ods')).rejects.toThrow(
      /^plan\.ods: the OpenDocument spreadsheet \(ODS\) is damaged or truncated \("(content\.xml|mimetype)" (fails its checksum|cannot be expanded)/,
    )
  })

  it('ends a reading that passes its time limit and says so; the next document reads', async () => {
    // 60 MB of rows passes the archive limits; reading it takes far longer than the 1 s this test allows.
    const slow = await xlsxBomb(60 << 20)
    await expect(readPlanInWorker(slow, 'slow.xlsx', { limits: { timeoutMs: 1000 } })).rejects.toThrow(
      /^slow\.xlsx: reading the document took longer than 1 seconds, far more than any plan needs/,
    )
    const plan = await readPlanInWorker(readFileSync('test/fixtures/plans/fenland-reach.csv'), 'plan.csv')
    expect(plan.format).toBe('csv')
  }, 120_000)
})
