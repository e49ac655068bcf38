// `threadline plan return create|review|approve|export|list` on a SQLite file: a return generated, reviewed and
// approved from the command line, exported, and refused in words once frozen.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { runCli } from '../../src/cli/main.ts'

const SEED = 'test/fixtures/plans/northamptonshire-seed.txt'

describe('threadline plan return', () => {
  let dir: string
  let db: string
  let out: string[]
  let err: string[]

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'threadline-return-cli-'))
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
      return await runCli(['node', 'threadline', ...args, '--db', db])
    } finally {
      log.mockRestore()
      error.mockRestore()
      write.mockRestore()
    }
  }

  it('generates, reviews, approves and exports a return, then refuses to change it', async () => {
    const force = ['--force', 'Northamptonshire Police']
    expect(await run('plan', 'import', SEED, ...force)).toBe(0)
    expect(await run('plan', 'return', 'create', ...force, '--as-at', '2025-02-30')).toBe(1)
    expect(err.join('\n')).toContain('must be a real date')
    expect(await run('plan', 'return', 'create', ...force, '--as-at', '2025-03-31')).toBe(0)
    const id = /Generated return (\d+)/.exec(out.join('\n'))![1]
    expect(await run('plan', 'return', 'approve', ...force, '--id', id, '--comment', 'Too soon')).toBe(1)
    expect(err.join('\n')).toContain('must be reviewed before it is approved')
    expect(await run('plan', 'return', 'review', ...force, '--id', id, '--comment', 'Checked')).toBe(0)
    expect(await run('plan', 'return', 'approve', ...force, '--id', id, '--comment', 'For the NPCC')).toBe(0)
    expect(out.join('\n')).toContain('approved and frozen')
    expect(await run('plan', 'return', 'list', ...force)).toBe(0)
    expect(out.join('\n')).toMatch(new RegExp(`^${id}\\tas at 2025-03-31\\tapproved \\(frozen\\)`, 'm'))

    expect(await run('plan', 'return', 'export', ...force, '--id', id, '--format', 'json')).toBe(0)
    const doc = JSON.parse(out.join(''))
    expect(doc.return).toMatchObject({ asAt: '2025-03-31', state: 'approved', approvalComment: 'For the NPCC' })
    expect(doc.plan.force).toBe('Northamptonshire Police')
    const pdf = join(dir, 'return.pdf')
    expect(await run('plan', 'return', 'export', ...force, '--id', id, '--format', 'pdf', '--out', pdf)).toBe(0)
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-')
    expect(await run('plan', 'return', 'export', ...force, '--id', id, '--format', 'xlsx')).toBe(1)
    expect(err.join('\n')).toContain('give --out FILE')

    expect(await run('plan', 'return', 'review', ...force, '--id', id, '--comment', 'Again')).toBe(1)
    expect(err.join('\n')).toContain('approved and frozen: it cannot be changed')
  })
})
