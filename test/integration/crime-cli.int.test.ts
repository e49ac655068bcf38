import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { runCli } from '../../src/cli/main.ts'

describe('threadline crime and demo generate commands', () => {
  let dir: string
  let db: string
  let extract: string

  async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = []
    const err: string[] = []
    const log = vi.spyOn(console, 'log').mockImplementation((...parts) => void out.push(parts.join(' ')))
    const error = vi.spyOn(console, 'error').mockImplementation((...parts) => void err.push(parts.join(' ')))
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true))
    try {
      const code = await runCli(['node', 'threadline', ...args])
      return { code, out: out.join('\n'), err: err.join('\n') }
    } finally {
      log.mockRestore()
      error.mockRestore()
      stderr.mockRestore()
    }
  }

  const search = async (...args: string[]) => {
    const result = await run('crime', 'search', '--json', '--limit', '200', '--db', db, ...args)
    expect(result.code, result.err).toBe(0)
    return JSON.parse(result.out) as {
      total: number
      crimes: { reference: string; principal: { code: string } | null; included: { code: string }[] }[]
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'threadline-crime-cli-'))
    db = join(dir, 'cli.sqlite')
    const generated = await run('demo', 'generate', '--crimes', '300', '--seed', '5', '--out', join(dir, 'extract'))
    expect(generated.code, generated.err).toBe(0)
    expect(generated.out).toMatch(/Wrote 300 records/)
    extract = join(dir, 'extract', 'crimes-extract.csv')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('asks which force when none is given and the database has no crimes yet', async () => {
    const result = await run('crime', 'import', extract, '--db', db)
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/^threadline: Say which force the records belong to with --force/m)
  })

  it('imports a generated extract and prints a summary', async () => {
    const result = await run('crime', 'import', extract, '--force', 'Demoshire Police', '--db', db)
    expect(result.code, result.err).toBe(0)
    expect(result.out).toMatch(/Imported 300 records into Demoshire Police in [\d.]+ s: 300 new, 0 updated/)
  })

  it('finds 8Q recorded as principal or included, and only principal with --as principal', async () => {
    const either = await search('--classification', '8Q')
    const principal = await search('--classification', '8Q', '--as', 'principal')
    const included = await search('--classification', '8q', '--as', 'included')
    expect(included.total).toBeGreaterThan(0)
    expect(either.total).toBe(principal.total + included.total)
    for (const crime of principal.crimes) expect(crime.principal?.code).toBe('8Q')
    for (const crime of included.crimes) {
      expect(crime.principal?.code).not.toBe('8Q')
      expect(crime.included.map((entry) => entry.code)).toContain('8Q')
    }
    const table = await run('crime', 'search', '--classification', '8Q', '--db', db, '--limit', '3')
    expect(table.out).toMatch(new RegExp(`^${either.total} records in Demoshire Police`))
    expect(table.out).toMatch(/Reference\s+Reported\s+Principal\s+Included/)
  })

  it('refuses an extract with a bad row, lists it with file, line and field, and writes nothing', async () => {
    const lines = readFileSync(extract, 'utf8').trimEnd().split('\n')
    const bad = lines[1].replace(/^DS\/\d+\/\d+/, 'DS/9999999/24').replace(/,(\d+[A-Z]?),/, ',ZZ9,')
    const badFile = join(dir, 'bad.csv')
    writeFileSync(badFile, [lines[0], bad, lines[1].replace(/^DS\/\d+\/\d+/, 'DS/9999998/24')].join('\n'))
    const before = (await search()).total
    const refused = await run('crime', 'import', badFile, '--force', 'Demoshire Police', '--db', db)
    expect(refused.code).toBe(1)
    expect(refused.err).toMatch(/bad\.csv, line 2, field "[^"]+": .*ZZ9/)
    expect(refused.err).toMatch(/^threadline: Import refused: 1 bad row \(listed above\); nothing was written\./m)
    expect(refused.err).not.toMatch(/\.ts:\d+/)
    expect((await search()).total).toBe(before)

    const skipped = await run('crime', 'import', badFile, '--force', 'Demoshire Police', '--skip-bad-rows', '--db', db)
    expect(skipped.code, skipped.err).toBe(0)
    expect(skipped.err).toMatch(/bad\.csv, line 2/)
    expect(skipped.out).toMatch(/Imported 1 record into Demoshire Police .* 1 new, 0 updated.*skipped 1 bad rows/)
    expect((await search()).total).toBe(before + 1)
  })

  it('answers bad options with one line and exit code 1', async () => {
    const date = await run('crime', 'search', '--from', '2024-02-31', '--db', db)
    expect(date.code).toBe(1)
    expect(date.err).toMatch(/Give a date as YYYY-MM-DD/)
    const code = await run('crime', 'search', '--classification', 'ZZ9', '--db', db)
    expect(code.code).toBe(1)
    expect(code.err.trim()).toBe('threadline: "ZZ9" is not a known offence classification.')
    const missing = await run('crime', 'import', join(dir, 'nowhere.csv'), '--force', 'Demoshire Police', '--db', db)
    expect(missing.code).toBe(1)
    expect(missing.err).toMatch(/nowhere\.csv/)
  })
})
