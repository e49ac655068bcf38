// Issue 17: extracts uploaded through the browser are streamed to disk (up to a configured limit, checked by content and
// by the form's token before they are stored) and imported by a background job whose page survives a reload, ends with
// the CLI's summary, and can be cancelled, leaving nothing. One import per force at a time: a second is told to wait.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { request as httpRequest, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ImportJobRepository } from '../../src/crime/data/importJobRepository.ts'
import type { CrimeDatabase } from '../../src/crime/data/tables.ts'
import { generateRecords } from '../../src/crime/generator/index.ts'
import { CrimeImportJobs } from '../../src/crime/services/importJobs.ts'
import type { ImportItem } from '../../src/crime/services/importService.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE, SECOND_DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { auditRows, createTestApp, csrfTokenFrom, importThroughPage, type TestApp } from '../support/app.ts'
import { asAreaDatabase, DIALECTS } from '../support/databases.ts'

const CSV_HEADER =
  'Crime Ref,Record Type,Force,Date Reported,Committed From,Committed To,HO Code,Included Offences,DA Flag,Online Flag,Repeat Victim,Persons,MO,Team,OIC,Status,Outcome,Linked Refs,Location'
const csvRow = (reference: string) =>
  `${reference},Crime,${DEMO_FORCE},01/06/2024 10:00,01/06/2024,01/06/2024,8Q,,N,N,N,,"Followed her home again.",Response North,PC 1,Open,,,`
const extract = (...references: string[]) => Buffer.from([CSV_HEADER, ...references.map(csvRow)].join('\n'))
const LIMIT = 1024 * 1024

describe.each(DIALECTS)('crime imports through the browser as background jobs on %s', (dialect) => {
  let t: TestApp
  let uploadDir: string
  const pending = () => {
    const folder = join(uploadDir, 'crime-imports')
    return existsSync(folder) ? readdirSync(folder) : []
  }
  const demoForceId = async () =>
    (await t.services.db.selectFrom('forces').select('id').where('name', '=', DEMO_FORCE).executeTakeFirstOrThrow()).id
  const crimeIds = async (...references: string[]) => [
    ...(await t.services.crime.repository.crimeIdsByReference(await demoForceId(), references)).keys(),
  ]

  beforeAll(async () => {
    uploadDir = mkdtempSync(join(tmpdir(), 'threadline-uploads-'))
    t = await createTestApp({ dialect, config: { uploadDir, importUploadLimitBytes: LIMIT } })
    await t.services.users.addUser(SYSTEM_ACTOR, {
      username: 'northmoor.analyst',
      displayName: 'Kit Fenwick',
      email: 'northmoor.analyst@example.police.uk',
      force: SECOND_DEMO_FORCE,
      roles: ['analyst'],
    })
    // More than a handful of crimes: an import into a nearly empty database defers its indexes (taking its locks at
    // once), which a held import below must not do.
    const seeded = [...generateRecords({ crimes: 1200, seed: 40, force: DEMO_FORCE })].map(({ record }, index) => ({
      record: { ...record, forceReference: `SEED/${index}` },
      source: { file: 'seed.csv', line: index + 2 },
    }))
    await t.services.crime.importer.importRecords(SYSTEM_ACTOR, seeded, { force: DEMO_FORCE })
  })
  afterAll(async () => {
    await t.close()
    rmSync(uploadDir, { recursive: true, force: true })
  })

  it('imports an upload in the background: its page survives a reload and ends with the summary the CLI prints', async () => {
    const agent = await t.signedInAs('analyst')
    const result = await importThroughPage(t, agent, [
      { content: extract('DS/7001/24', 'DS/7002/24'), name: 'Year extract.csv' },
    ])
    expect(result.jobUrl).toMatch(/^\/crimes\/import\/jobs\/\d+$/)
    expect(result.text).toContain('Import complete')
    expect(result.text).toMatch(
      /Imported 2 records into Demoshire Police in [\d.]+ s: 2 new, 0 updated, 2 classifications, 0 new people\./,
    )
    expect(result.text).toContain('Screened the new and changed crimes and updated the courses of conduct')
    expect(result.text).toContain('Year extract.csv (1 KB)')
    expect(await crimeIds('DS/7001/24', 'DS/7002/24')).toHaveLength(2)
    // A reload (or coming back later) shows the same page, and the import page lists it among recent imports.
    const again = await agent.get(result.jobUrl!).expect(200)
    expect(again.text).toContain('Import complete')
    const form = await agent.get('/crimes/import').expect(200)
    expect(form.text).toContain(`href="${result.jobUrl}"`)
    expect(form.text).toContain('Imported</strong>')
    // Another force's user is answered as for a job that does not exist; the uploaded files are gone.
    const northmoor = await t.signedInAs('northmoor.analyst')
    expect((await northmoor.get(result.jobUrl!)).status).toBe(404)
    expect(pending()).toEqual([])
  })

  it('tells a second upload to wait; a waiting import cancelled leaves nothing', async () => {
    const agent = await t.signedInAs('analyst')
    const form = await agent.get('/crimes/import').expect(200)
    const upload = (reference: string, name: string) =>
      agent.post('/crimes/import').field('_csrf', csrfTokenFrom(form.text)).attach('extracts', extract(reference), name)
    // Another import holds the importer (one runs at a time).
    let release: () => void = () => {}
    async function* held(): AsyncGenerator<ImportItem> {
      await new Promise<void>((resolve) => (release = resolve))
      yield* []
    }
    const other = t.services.crime.importer.importRecords(SYSTEM_ACTOR, held(), { force: SECOND_DEMO_FORCE })
    try {
      if (dialect === 'sqlite') {
        // SQLite: the running import will hold the one write lock, so an upload is told to wait before it is sent.
        const refused = await upload('DS/7101/24', 'waiting.csv')
        expect(refused.status).toBe(409)
        expect(refused.text).toContain('Another import is running, and on this database one import runs at a time')
        expect(pending()).toEqual([])
        return
      }
      // PostgreSQL: the upload waits its turn in the queue.
      const posted = await upload('DS/7101/24', 'waiting.csv').expect(303)
      const jobUrl = posted.headers.location as string
      const waiting = await agent.get(jobUrl).expect(200)
      expect(waiting.text).toContain('Waiting for another import to finish')
      expect(waiting.text).toContain('Cancel import')

      // The force's second upload is told to wait, before its file is stored; the import page says so too.
      const second = await upload('DS/7102/24', 'second.csv')
      expect(second.status).toBe(409)
      expect(second.text).toMatch(/An import for your force is already waiting to run \(uploaded by Priya Natarajan at/)
      const page = await agent.get('/crimes/import').expect(200)
      expect(page.text).toContain('Follow its progress')
      expect(page.text).not.toContain('type="file"')

      // Cancelling asks first, then stops the import.
      expect(waiting.text).toContain(`href="${jobUrl}/cancel"`)
      const confirm = await agent.get(`${jobUrl}/cancel`).expect(200)
      expect(confirm.text).toContain('Are you sure you want to cancel this import?')
      const token = csrfTokenFrom(confirm.text)
      // Without the confirmation, a post only leads to it.
      const unconfirmed = await agent.post(`${jobUrl}/cancel`).type('form').send({ _csrf: token }).expect(303)
      expect(unconfirmed.headers.location).toBe(`${jobUrl}/cancel`)
      await agent.post(`${jobUrl}/cancel`).type('form').send({ _csrf: token, confirmed: 'yes' }).expect(303)
      release()
      await other
      await t.services.crime.imports.idle()
      const cancelled = await agent.get(jobUrl).expect(200)
      expect(cancelled.text).toContain('Import cancelled')
      expect(cancelled.text).toContain('Cancelled by Priya Natarajan')
      expect(await crimeIds('DS/7101/24', 'DS/7102/24')).toEqual([])
      const [event] = await auditRows(t.services, 'crime.import_cancelled')
      expect(JSON.parse(event.details)).toMatchObject({ files: ['waiting.csv'] })
      expect(pending()).toEqual([])
    } finally {
      release()
      // On SQLite the held import's own snapshot may be stale by now (the pages above wrote their sessions): it may be
      // refused as locked, which is not what this test is about.
      await other.catch(() => undefined)
    }
  })

  it('cancelling a running import rolls back what it had written: nothing is imported', async () => {
    const db = asAreaDatabase<CrimeDatabase>(t.services.db)
    let reachedGate: () => void = () => {}
    const atGate = new Promise<void>((resolve) => (reachedGate = resolve))
    let openGate: () => void = () => {}
    const gate = new Promise<void>((resolve) => (openGate = resolve))
    const records = [...generateRecords({ crimes: 2600, seed: 41, force: DEMO_FORCE })]
    // 2,600 records: the first 2,000 are written (one batch) inside the import's transaction before the gate.
    const reader = {
      notices: () => [],
      async *[Symbol.asyncIterator](): AsyncGenerator<ImportItem> {
        let line = 1
        for (const { record } of records) yield { record, source: { file: 'big.csv', line: ++line } }
        reachedGate()
        await gate
      },
    }
    const jobs = new CrimeImportJobs(new ImportJobRepository(db), t.services.crime.importer, t.services.audit, {
      read: () => reader,
    })
    const folder = mkdtempSync(join(uploadDir, 'running-'))
    const before = await db
      .selectFrom('crimes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst()
    const actor = { ...SYSTEM_ACTOR, actorUsername: 'analyst' }
    const forceId = await demoForceId()
    const id = await jobs.submit(
      actor,
      { id: forceId, name: DEMO_FORCE },
      [{ path: join(folder, '0-big.csv'), originalName: 'big.csv', size: 1000 }],
      folder,
      false,
    )
    await atGate
    const running = (await jobs.view(forceId, id))!
    expect(running.status).toBe('running')
    expect(running.progress).toMatchObject({ records: 2600, problems: 0, phase: 'reading', cancelling: false })
    expect(jobs.cancel(actor, forceId, running)).toBe(true)
    expect((await jobs.view(forceId, id))!.progress?.cancelling).toBe(true)
    // The reader is still waiting at its gate: the cancel does not wait for it.
    await jobs.idle()
    const ended = (await jobs.view(forceId, id))!
    openGate()
    expect(ended).toMatchObject({ status: 'cancelled', cancelledBy: 'analyst', progress: null })
    const after = await db
      .selectFrom('crimes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst()
    expect(Number(after!.n)).toBe(Number(before!.n))
    expect(await crimeIds(records[0].record.forceReference, records[1999].record.forceReference)).toEqual([])
    expect(existsSync(folder)).toBe(false)
  })

  it('a cancel after the last record is read still rolls the import back; one once it commits is too late', async () => {
    const records = [...generateRecords({ crimes: 300, seed: 43, force: DEMO_FORCE })]
    const items = (stop: AbortController | null) =>
      (function* (): Generator<ImportItem> {
        let line = 1
        for (const { record } of records) yield { record, source: { file: 'late.csv', line: ++line } }
        // Every record read, none of the last batch written yet.
        stop?.abort()
      })()
    const stop = new AbortController()
    let committing = false
    await expect(
      t.services.crime.importer.importRecords(SYSTEM_ACTOR, items(stop), {
        force: DEMO_FORCE,
        signal: stop.signal,
        onCommitting: () => (committing = true),
      }),
    ).rejects.toThrow('the import was cancelled')
    expect(committing).toBe(false)
    expect(await crimeIds(records[0].record.forceReference, records[299].record.forceReference)).toEqual([])

    // Aborted once committing has begun: not honoured (the jobs refuse such a cancel), and everything is written.
    const late = new AbortController()
    const summary = await t.services.crime.importer.importRecords(SYSTEM_ACTOR, items(null), {
      force: DEMO_FORCE,
      signal: late.signal,
      onCommitting: () => late.abort(),
    })
    expect(summary).toMatchObject({ written: true, records: 300 })
    expect(await crimeIds(records[0].record.forceReference, records[299].record.forceReference)).toHaveLength(2)
  })

  it('refuses an upload too large, not an extract, or without the form token, leaving nothing on disk', async () => {
    const agent = await t.signedInAs('analyst')
    const big = Buffer.concat([extract('DS/7201/24'), Buffer.alloc(LIMIT, 'x')])
    const tooLarge = await importThroughPage(t, agent, [{ content: big, name: 'big.csv' }])
    expect(tooLarge.status).toBe(413)
    expect(tooLarge.text).toContain('A file is larger than 1 MB: nothing was uploaded')
    const picture = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(200_000),
    ])
    const notExtract = await importThroughPage(t, agent, [{ content: picture, name: 'photo.csv' }])
    expect(notExtract.status).toBe(400)
    expect(notExtract.text).toContain('photo.csv is not a CSV extract or Excel workbook')
    const noToken = await agent.post('/crimes/import').attach('extracts', extract('DS/7202/24'), 'x.csv')
    expect(noToken.status).toBe(403)
    const officer = await t.signedInAs('officer')
    expect((await officer.post('/crimes/import').attach('extracts', extract('DS/7203/24'), 'x.csv')).status).toBe(403)
    expect(pending()).toEqual([])
    expect(await crimeIds('DS/7201/24', 'DS/7202/24', 'DS/7203/24')).toEqual([])
  })

  it('an upload the browser gives up on part-way leaves nothing', async () => {
    const server: Server = await new Promise((resolve) => {
      const listening = t.app.listen(0, () => resolve(listening))
    })
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
      // Signed in through the development sign-in with the cookie carried by hand.
      let cookie = ''
      const visit = async (path: string, init: RequestInit = {}) => {
        const response = await fetch(`${base}${path}`, {
          ...init,
          redirect: 'manual',
          headers: { ...(init.headers as Record<string, string>), cookie },
        })
        const set = response.headers.get('set-cookie')
        if (set) cookie = set.split(';')[0]
        return response
      }
      const signIn = await (await visit('/sign-in')).text()
      await visit('/sign-in/dev', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrfTokenFrom(signIn), username: 'analyst' }).toString(),
      })
      const token = csrfTokenFrom(await (await visit('/crimes/import')).text())
      const boundary = 'threadline-boundary'
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="extracts"; filename="half.csv"\r\n` +
          `Content-Type: text/csv\r\n\r\n${CSV_HEADER}\n`,
      )
      const request = httpRequest(`${base}/crimes/import`, {
        method: 'POST',
        headers: {
          cookie,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(head.length + 500_000),
        },
      })
      request.on('error', () => undefined)
      request.write(head)
      request.write(Buffer.alloc(200_000, 'a'))
      // The server has started storing the file: then the browser gives up.
      const stored = () =>
        pending().flatMap((dir) =>
          readdirSync(join(uploadDir, 'crime-imports', dir)).map(
            (file) => statSync(join(uploadDir, 'crime-imports', dir, file)).size,
          ),
        )
      await expect.poll(() => stored()[0] ?? 0).toBeGreaterThan(0)
      request.destroy()
      await expect.poll(() => pending(), { timeout: 5000 }).toEqual([])
      expect(await t.services.crime.imports.waitingFor(await demoForceId())).toBeUndefined()
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
