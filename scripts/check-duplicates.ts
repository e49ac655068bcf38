// `npm run lint` part: no run of ten or more lines repeated across two areas (issue 11). jscpd finds the runs; a run
// inside one area is left to review, a run across areas (or an area and the platform) fails with both places named.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'

const MIN_LINES = 10

const reportSchema = z.object({
  duplicates: z.array(
    z.object({
      lines: z.number(),
      firstFile: z.object({ name: z.string(), start: z.number(), end: z.number() }),
      secondFile: z.object({ name: z.string(), start: z.number(), end: z.number() }),
    }),
  ),
})

const output = mkdtempSync(join(tmpdir(), 'threadline-jscpd-'))
try {
  execFileSync(
    'npx',
    [
      'jscpd',
      'src',
      '--min-lines',
      String(MIN_LINES),
      '--format',
      'typescript',
      '--reporters',
      'json',
      '--output',
      output,
      '--silent',
    ],
    { stdio: 'inherit' },
  )
  const report = reportSchema.parse(JSON.parse(readFileSync(join(output, 'jscpd-report.json'), 'utf8')))
  const folderOf = (file: string) => file.split('/')[1]
  const across = report.duplicates.filter((run) => folderOf(run.firstFile.name) !== folderOf(run.secondFile.name))
  for (const run of across) {
    console.error(
      `${run.lines} lines repeated: ${run.firstFile.name}:${run.firstFile.start}-${run.firstFile.end} and ` +
        `${run.secondFile.name}:${run.secondFile.start}-${run.secondFile.end}`,
    )
  }
  if (across.length) {
    console.error(`${across.length} runs of ${MIN_LINES} or more lines repeated across areas: share them instead.`)
    process.exitCode = 1
  } else {
    console.log(`No run of ${MIN_LINES} or more lines is repeated across areas.`)
  }
} finally {
  rmSync(output, { recursive: true, force: true })
}
