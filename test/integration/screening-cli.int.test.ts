// `threadline screening run` over a database and `threadline screening explain FILE --json`, in-process.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { runCli } from '../../src/cli/main.ts'
import { loadConfig } from '../../src/config.ts'
import { createServices } from '../../src/compositionRoot.ts'
import type { Database } from '../../src/compositionRoot.ts'
import { openDatabase } from '../../src/platform/data/database.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { hiddenCourse, items, otherCrimes } from './screening-fixtures.ts'

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')))
  const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')))
  try {
    const code = await runCli(['node', 'threadline', ...argv])
    return { code, out: out.join('\n'), err: err.join('\n') }
  } finally {
    log.mockRestore()
    error.mockRestore()
  }
}

describe('threadline screening', () => {
  let dir: string
  let db: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'threadline-screening-cli-'))
    db = join(dir, 'cli.sqlite')
    const services = await createServices(loadConfig({ NODE_ENV: 'test' }, { databaseUrl: db }))
    await services.crime.importer.importRecords(SYSTEM_ACTOR, items([...hiddenCourse(), ...otherCrimes()]), {
      force: 'Screenshire Police',
    })
    await services.databaseHandle.close()
  })
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('run: links and queues over the database and prints counts and time', async () => {
    const { code, out } = await capture(['screening', 'run', '--db', db, '--force', 'Screenshire Police'])
    expect(code).toBe(0)
    expect(out).toMatch(
      // The import already queued them incrementally; a full run finds the same four and adds nothing.
      /Screenshire Police: 6 records linked \(full\), 1 courses of conduct; 6 crimes screened, 0 added to the queue, 0 updated, 0 removed; 4 waiting for a decision/,
    )
    expect(out).toMatch(/Done in \d+\.\d s/)
    const handle = openDatabase<Database>(db)
    try {
      const queue = await handle.db.selectFrom('screening_queue').select('crime_id').execute()
      expect(queue).toHaveLength(4)
      const audit = await handle.db
        .selectFrom('audit_events')
        .select('actor_username')
        .where('action', '=', 'screening.run')
        .orderBy('id', 'desc')
        .execute()
      expect(audit[0].actor_username).toMatch(/^cli:/)
    } finally {
      await handle.close()
    }
    const unknown = await capture(['screening', 'run', '--db', db, '--force', 'Nowhere Police'])
    expect(unknown.code).toBe(1)
    expect(unknown.err).toBe('threadline: There is no force called "Nowhere Police"')
  })

  it('queue --json: every queued crime in the documented shape, filtered by status', async () => {
    const all = await capture([
      'screening',
      'queue',
      '--db',
      db,
      '--force',
      'Screenshire Police',
      '--status',
      'all',
      '--json',
    ])
    expect(all.code).toBe(0)
    const entries = JSON.parse(all.out) as Record<string, unknown>[]
    expect(entries.length).toBe(4)
    for (const entry of entries) {
      expect(Object.keys(entry).sort()).toEqual(
        ['crimeId', 'included', 'principal', 'queuedAt', 'reasons', 'reference', 'status'].sort(),
      )
      expect(typeof entry.crimeId).toBe('number')
      expect(Array.isArray(entry.included)).toBe(true)
      expect((entry.reasons as string[]).length).toBeGreaterThan(0)
      expect(entry.queuedAt).toMatch(/^\d{4}-\d\d-\d\dT/)
      expect(['waiting', 'decided']).toContain(entry.status)
    }
    expect(entries.find((entry) => entry.reference === 'SC/0100/26')).toMatchObject({
      principal: '8L',
      included: [],
      status: 'waiting',
      reasons: ['Principal classification 8L Harassment is watched'],
    })
    const waiting = await capture(['screening', 'queue', '--db', db, '--status', 'waiting', '--json'])
    expect(JSON.parse(waiting.out)).toHaveLength(4)
    const decided = await capture(['screening', 'queue', '--db', db, '--status', 'decided', '--json'])
    expect(JSON.parse(decided.out)).toEqual([])
    const bad = await capture(['screening', 'queue', '--db', db, '--status', 'open'])
    expect(bad).toMatchObject({ code: 1, err: 'threadline: --status must be waiting, decided or all, not "open"' })
  })

  it('changes export: the pending changes for the records system as JSON and CSV, the same rows as the page', async () => {
    const services = await createServices(loadConfig({ NODE_ENV: 'test' }, { databaseUrl: db }))
    let crimeId: number
    try {
      const force = (await services.screening.service.forceByName('Screenshire Police'))!
      crimeId = (await services.screening.service.queueExport(SYSTEM_ACTOR, force.id, 'waiting')).find(
        (entry) => entry.reference === 'SC/0100/26',
      )!.crimeId
      await services.screening.service.decide(
        { actor: { ...SYSTEM_ACTOR, actorUsername: 'sgt.reyes', forceId: force.id }, forceId: force.id },
        crimeId,
        { outcome: 'stalking_identified', action: 'add_included_8q', rationale: 'Fixated, unwanted and repeated.' },
      )
    } finally {
      await services.databaseHandle.close()
    }
    const json = await capture(['changes', 'export', '--db', db, '--format', 'json', '--status', 'pending'])
    expect(json.code).toBe(0)
    const changes = JSON.parse(json.out) as Record<string, unknown>[]
    expect(changes).toHaveLength(1)
    expect(Object.keys(changes[0]).sort()).toEqual(
      [
        'change',
        'code',
        'confirmedAt',
        'crimeId',
        'decidedAt',
        'decidedBy',
        'description',
        'id',
        'kind',
        'overdue',
        'reason',
        'reference',
        'status',
      ].sort(),
    )
    expect(changes[0]).toMatchObject({
      reference: 'SC/0100/26',
      crimeId,
      kind: 'crime',
      change: 'add_included_classification',
      code: '8Q',
      description: 'Add an included classification: 8Q Stalking',
      decidedBy: 'sgt.reyes',
      reason: 'Fixated, unwanted and repeated.',
      status: 'pending',
      confirmedAt: null,
      overdue: false,
    })
    const csv = await capture(['changes', 'export', '--db', db, '--force', 'Screenshire Police'])
    const lines = csv.out.replace(/^\ufeff/, '').split('\r\n')
    expect(lines[0]).toBe('Crime reference,Record,Change,Code,Decided by,Decided at,Why,Status,Confirmed at,Overdue')
    expect(lines[1]).toMatch(/^SC\/0100\/26,crime,Add an included classification: 8Q Stalking,8Q,sgt\.reyes,/)
    const later = await capture(['changes', 'export', '--db', db, '--format', 'json', '--since', '2999-01-01'])
    expect(JSON.parse(later.out)).toEqual([])
    const bad = await capture(['changes', 'export', '--db', db, '--since', 'last week'])
    expect(bad).toMatchObject({ code: 1, err: 'threadline: --since: Enter the date as YYYY-MM-DD' })
  })

  it('explain --json: a JSON array or one narrative per line, output in the same order', async () => {
    const narratives = [
      'He has been waiting outside her work every night and sent over 40 messages.',
      'Two bottles of wine taken from a supermarket shelf.',
      'SUSP denies following her.',
    ]
    const jsonFile = join(dir, 'narratives.json')
    writeFileSync(jsonFile, JSON.stringify(narratives))
    const lineFile = join(dir, 'narratives.txt')
    writeFileSync(lineFile, `${narratives.join('\n')}\n`)
    const fromJson = await capture(['screening', 'explain', jsonFile, '--json'])
    const fromLines = await capture(['screening', 'explain', lineFile, '--json'])
    expect(fromJson.code).toBe(0)
    expect(fromLines.out).toBe(fromJson.out)
    const results = JSON.parse(fromJson.out) as { suggestsStalking: boolean; indicators: Record<string, unknown>[] }[]
    expect(results).toHaveLength(3)
    expect(results[0].indicators.length).toBeGreaterThan(0)
    for (const hit of results[0].indicators) {
      expect(Object.keys(hit).sort()).toEqual(['end', 'id', 'label', 'match', 'start'])
      expect(results[0]).toHaveProperty('carriedBy')
      expect(narratives[0].slice(hit.start as number, hit.end as number)).toBe(hit.match)
    }
    expect(results[1].indicators).toEqual([])
    expect(results[2].indicators.some((hit) => /follow/i.test(String(hit.match)))).toBe(false)
  })

  it('explain: a bad file is a one-line error and exit 1', async () => {
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '["fine", 42]')
    const wrongItem = await capture(['screening', 'explain', bad, '--json'])
    expect(wrongItem).toMatchObject({ code: 1, out: '' })
    expect(wrongItem.err).toBe(`threadline: ${bad}: item 2 of the JSON array is number, not a string`)
    const broken = join(dir, 'broken.json')
    writeFileSync(broken, '["unterminated')
    const notJson = await capture(['screening', 'explain', broken, '--json'])
    expect(notJson.code).toBe(1)
    expect(notJson.err.split('\n')).toHaveLength(1)
    expect(notJson.err).toContain(`${broken}: not valid JSON`)
    const missing = await capture(['screening', 'explain', join(dir, 'nope.txt'), '--json'])
    expect(missing.err).toBe(`threadline: ${join(dir, 'nope.txt')}: cannot read the file (no such file)`)
  })
})
