import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { runCli } from '../../src/cli/main.ts'
import { openDatabase } from '../../src/platform/data/database.ts'

async function cli(...args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const log = vi.spyOn(console, 'log').mockImplementation((...parts) => void out.push(parts.join(' ')))
  const error = vi.spyOn(console, 'error').mockImplementation((...parts) => void err.push(parts.join(' ')))
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true))
  try {
    const code = await runCli(['node', 'threadline', ...args])
    return { code, stdout: out.join('\n'), stderr: err.join('') }
  } finally {
    log.mockRestore()
    error.mockRestore()
    stderr.mockRestore()
  }
}

describe('threadline CLI: platform commands', () => {
  let dir: string
  let db: string

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'threadline-cli-'))
    db = join(dir, 'cli.sqlite')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('migrates a new database, then reports it up to date', async () => {
    const first = await cli('db', 'migrate', '--db', db)
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/Applied \d+ migrations: 0001_platform/)
    const second = await cli('db', 'migrate', '--db', db)
    expect(second.stdout).toBe('The database is up to date')
  })

  it('adds and lists users, and refuses an unknown role on one line', async () => {
    const added = await cli(
      'users',
      'add',
      '--username',
      'jo.bloggs',
      '--name',
      'Jo Bloggs',
      '--force',
      'Wessex Vale Police',
      '--roles',
      'analyst,plan_owner',
      '--db',
      db,
    )
    expect(added.code).toBe(0)
    const listed = await cli('users', 'list', '--db', db)
    expect(listed.stdout).toContain('jo.bloggs\tJo Bloggs\tWessex Vale Police\tanalyst,plan_owner')
    const refused = await cli(
      'users',
      'add',
      '--username',
      'x.y',
      '--name',
      'X',
      '--force',
      'F',
      '--roles',
      'wizard',
      '--db',
      db,
    )
    expect(refused.code).toBe(1)
    expect(refused.stderr.trim()).toBe(
      'threadline: Unknown role "wizard": use one of officer, supervisor, specialist, analyst, plan_owner, executive_lead, force_admin, national_lead, partner',
    )
  })

  it('gives a one-line error and exit 1 for bad arguments', async () => {
    const result = await cli('users', 'add', '--username', 'only')
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/required option/)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  it('verifies the audit chain, and reports the first broken link after tampering', async () => {
    const ok = await cli('audit', 'verify', '--db', db)
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/Audit chain intact: \d+ events checked/)
    const handle = openDatabase(db)
    await sql`drop trigger audit_events_no_update`.execute(handle.db)
    await sql`update audit_events set actor_username = 'someone-else' where id = 2`.execute(handle.db)
    await handle.close()
    const broken = await cli('audit', 'verify', '--db', db)
    expect(broken.code).toBe(1)
    expect(broken.stderr).toMatch(
      /^threadline: Audit chain broken at event 2: its contents do not match its keyed hash/,
    )
  })
})
