// Issue 18: the command line's refusals reach the end of a pipe, problems never repeat a whole huge cell, and an
// import whose screening cannot finish exits non-zero saying what to run.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { runCli } from '../../src/cli/main.ts'
import { ScreeningService } from '../../src/screening/services/screeningService.ts'
import { extractCsv } from '../support/extracts.ts'

describe('the command line under bad input', () => {
  let dir: string

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'threadline-hardening-cli-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('writes its whole refusal to a pipe, each problem cut short, ending with the "Import refused" line', async () => {
    const header = readFileSync('test/fixtures/crime/single-good.csv', 'utf8').split('\n')[0]
    const huge = 'x'.repeat(100_000)
    const rows = Array.from({ length: 120 }, (_, i) => `BAD/${i}/25,Crime,Demoshire Police,${huge},,,8R,,Y,N,N,,,,,,,,`)
    const file = join(dir, 'huge-cells.csv')
    writeFileSync(file, [header, ...rows].join('\n') + '\n')
    const child = spawn(
      process.execPath,
      ['bin/threadline.js', 'crime', 'import', file, '--db', join(dir, 'pipe.sqlite'), '--force', 'Demoshire Police'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VITEST: '' } },
    )
    let err = ''
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')))
    child.stdout.resume()
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(code).toBe(1)
    const lines = err.trimEnd().split('\n')
    expect(lines.at(-1)).toMatch(/^threadline: Import refused: 120 bad rows \(listed above\); nothing was written/)
    const problems = lines.filter((line) => line.startsWith('  huge-cells.csv'))
    expect(problems).toHaveLength(100)
    for (const line of problems) expect(line.length).toBeLessThan(450)
    expect(problems[0]).toMatch(/"x{80}…" \(100000 characters\)/)
  }, 120_000)

  it('ends once a plan is imported, though the document was read on a worker thread kept for the next one', async () => {
    const child = spawn(
      process.execPath,
      [
        'bin/threadline.js',
        'plan',
        'import',
        'test/fixtures/plans/northamptonshire-seed.txt',
        '--db',
        join(dir, 'plan.sqlite'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VITEST: '' } },
    )
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
    child.stderr.resume()
    // Before the fix the process printed its summary and then waited for ever on the idle worker.
    const stillRunning = setTimeout(() => child.kill('SIGKILL'), 90_000)
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
    )
    clearTimeout(stillRunning)
    expect(signal).toBeNull()
    expect(code).toBe(0)
    expect(out).toMatch(/Created the plan: 15 recommendations/)
  }, 120_000)

  it('exits non-zero when screening after an import cannot finish, saying what to run', async () => {
    const file = join(dir, 'extract.csv')
    writeFileSync(file, extractCsv(2))
    const screen = vi
      .spyOn(ScreeningService.prototype, 'screenChangedCrimes')
      .mockRejectedValue(new Error('database is locked'))
    const err: string[] = []
    const out = vi.spyOn(console, 'log').mockImplementation(() => {})
    const error = vi.spyOn(console, 'error').mockImplementation((...parts) => void err.push(parts.join(' ')))
    try {
      const code = await runCli([
        'node',
        'threadline',
        'crime',
        'import',
        file,
        '--db',
        join(dir, 'screen.sqlite'),
        '--force',
        'Demoshire Police',
      ])
      expect(code).toBe(1)
    } finally {
      screen.mockRestore()
      out.mockRestore()
      error.mockRestore()
    }
    expect(err.join('\n')).toMatch(
      /The records were imported, but screening them did not finish: database is locked\. Run "threadline screening run"/,
    )
  }, 60_000)
})
