// `threadline screening run` and `threadline screening explain`.
import { readFileSync, writeFileSync } from 'node:fs'
import type { RegisterCommands } from '../platform/area.ts'
import type { ScreeningContext } from './context.ts'
import { actorInForce, SYSTEM_ACTOR } from '../platform/services/auditService.ts'
import { explainNarrative } from './indicators/index.ts'
import { changesCsv, changesFilterSchema, type PendingChange, type RunSummary } from './services/screeningService.ts'
import { unreadableFileReason } from '../platform/files.ts'

/** A one-line message for the user; printed by runCli as "threadline: <message>" with exit code 1. */
export class ScreeningCliError extends Error {
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, ' '))
    this.name = 'ScreeningCliError'
  }
}

const cliActor = () => ({ ...SYSTEM_ACTOR, actorUsername: `cli:${process.env.USER ?? 'unknown'}` })

/** Narratives from a file: a JSON array of strings, or one narrative per line (blank lines skipped). */
export function readNarratives(file: string): string[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ScreeningCliError(`${file}: cannot read the file (${unreadableFileReason(error)})`)
  }
  const trimmed = text.replace(/^\uFEFF/, '').trim()
  if (trimmed.startsWith('[')) {
    let data: unknown
    try {
      data = JSON.parse(trimmed)
    } catch (error) {
      throw new ScreeningCliError(`${file}: not valid JSON (${(error as Error).message})`)
    }
    if (!Array.isArray(data)) throw new ScreeningCliError(`${file}: expected a JSON array of strings`)
    const bad = data.findIndex((item) => typeof item !== 'string')
    if (bad >= 0) {
      throw new ScreeningCliError(
        `${file}: item ${bad + 1} of the JSON array is ${data[bad] === null ? 'null' : typeof data[bad]}, not a string`,
      )
    }
    return data as string[]
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
}

function describeRun(name: string, run: RunSummary): string {
  const n = (value: number) => value.toLocaleString('en-GB')
  return (
    `${name}: ${n(run.records)} records linked (${run.linkage}), ${n(run.courses)} courses of conduct; ` +
    `${n(run.screened)} crimes screened, ${n(run.queued)} added to the queue, ${n(run.updated)} updated, ` +
    `${n(run.removed)} removed; ${n(run.open)} waiting for a decision; ${(run.ms / 1000).toFixed(1)} s`
  )
}

export const registerScreeningCommands: RegisterCommands<ScreeningContext> = (program, context) => {
  const screening = program
    .command('screening')
    .description('Screening crimes for stalking, and course-of-conduct linkage')

  screening
    .command('run')
    .description('Link every record into courses of conduct and bring the screening queue up to date (full run)')
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .option('--force <name>', 'only this force (default: every force with crimes)')
    .action(async (options: { db?: string; force?: string }) => {
      await context.withServices(options, async (services) => {
        const service = services.screening.service
        const started = performance.now()
        let runs: { name: string; run: RunSummary }[]
        if (options.force) {
          const force = await service.forceByName(options.force)
          if (!force) throw new ScreeningCliError(`There is no force called "${options.force}"`)
          runs = [
            {
              name: force.name,
              run: await service.run(actorInForce(cliActor(), force.id), force.id, { mode: 'full' }),
            },
          ]
        } else {
          const all = await service.runAll(cliActor(), { mode: 'full' })
          const names = new Map((await services.screening.repository.forcesWithCrimes()).map((f) => [f.id, f.name]))
          runs = all.map((run) => ({ name: names.get(run.forceId) ?? `Force ${run.forceId}`, run }))
        }
        if (runs.length === 0) console.log('No crimes to screen')
        for (const { name, run } of runs) console.log(describeRun(name, run))
        console.log(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s`)
      })
    })

  screening
    .command('queue')
    .description('The screening queue: each crime with its classifications, reasons, status and when it was queued')
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .option('--force <name>', 'only this force (default: every force with crimes)')
    .option('--status <status>', 'waiting, decided or all', 'waiting')
    .option('--json', 'print a JSON array of {reference, crimeId, principal, included, reasons, status, queuedAt}')
    .action(async (options: { db?: string; force?: string; status: string; json?: boolean }) => {
      if (!['waiting', 'decided', 'all'].includes(options.status)) {
        throw new ScreeningCliError(`--status must be waiting, decided or all, not "${options.status}"`)
      }
      const status = options.status as 'waiting' | 'decided' | 'all'
      await context.withServices(options, async (services) => {
        const service = services.screening.service
        let forces: { id: number; name: string }[]
        if (options.force) {
          const force = await service.forceByName(options.force)
          if (!force) throw new ScreeningCliError(`There is no force called "${options.force}"`)
          forces = [force]
        } else forces = await services.screening.repository.forcesWithCrimes()
        const entries = []
        for (const force of forces)
          entries.push(...(await service.queueExport(actorInForce(cliActor(), force.id), force.id, status)))
        if (options.json) {
          console.log(JSON.stringify(entries, null, 2))
          return
        }
        if (entries.length === 0) console.log('The queue is empty')
        for (const entry of entries) {
          const codes = [entry.principal, ...entry.included].filter(Boolean).join(', ')
          console.log(`${entry.reference} (${codes || 'intelligence'}) ${entry.status}, queued ${entry.queuedAt}`)
          for (const reason of entry.reasons) console.log(`  ${reason}`)
        }
      })
    })

  program
    .command('changes')
    .description("Changes Threadline made that the force's records system should hold, for the crime registrar")
    .command('export')
    .description('Pending changes (an included classification added, intelligence flagged stalking) as CSV or JSON')
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .option('--force <name>', 'only this force (default: every force with crimes)')
    .option('--since <date>', 'changes decided on or after this day (YYYY-MM-DD)')
    .option('--status <status>', 'pending, confirmed or all', 'all')
    .option('--overdue-days <n>', 'flag changes still pending this many days after the decision', '28')
    .option('--format <format>', 'csv or json', 'csv')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(
      async (options: {
        db?: string
        force?: string
        since?: string
        status: string
        overdueDays: string
        format: string
        out?: string
      }) => {
        if (!['csv', 'json'].includes(options.format)) {
          throw new ScreeningCliError(`--format must be csv or json, not "${options.format}"`)
        }
        const parsed = changesFilterSchema.safeParse({
          since: options.since,
          status: options.status,
          overdueDays: options.overdueDays,
        })
        if (!parsed.success) {
          const issue = parsed.error.issues[0]
          const flag = { since: '--since', status: '--status', overdueDays: '--overdue-days' }[
            String(issue.path[0]) as 'since'
          ]
          throw new ScreeningCliError(`${flag ?? 'option'}: ${issue.message}`)
        }
        await context.withServices(options, async (services) => {
          const service = services.screening.service
          let forces: { id: number; name: string }[]
          if (options.force) {
            const force = await service.forceByName(options.force)
            if (!force) throw new ScreeningCliError(`There is no force called "${options.force}"`)
            forces = [force]
          } else forces = await services.screening.repository.forcesWithCrimes()
          const changes: PendingChange[] = []
          for (const force of forces)
            changes.push(...(await service.changes(actorInForce(cliActor(), force.id), force.id, parsed.data, true)))
          const text = options.format === 'json' ? `${JSON.stringify(changes, null, 2)}\n` : changesCsv(changes)
          if (options.out) {
            writeFileSync(options.out, text, 'utf8')
            console.log(`Wrote ${changes.length} changes to ${options.out}`)
          } else console.log(text.replace(/\r?\n$/, ''))
        })
      },
    )

  screening
    .command('explain')
    .description('Behaviour indicators in narratives: FILE holds a JSON array of strings, or one narrative per line')
    .argument('<file>', 'the narratives')
    .option(
      '--json',
      'print a JSON array, one {suggestsStalking, score, threshold, carriedBy, indicators} per narrative',
    )
    .action((file: string, options: { json?: boolean }) => {
      const narratives = readNarratives(file)
      const results = narratives.map((narrative) => {
        const explanation = explainNarrative(narrative)
        return {
          suggestsStalking: explanation.suggestsStalking,
          score: explanation.score,
          threshold: explanation.threshold,
          carriedBy: explanation.carriedBy,
          indicators: explanation.indicators.map(({ id, label, match, start, end }) => ({
            id,
            label,
            match,
            start,
            end,
          })),
        }
      })
      if (options.json) {
        console.log(JSON.stringify(results, null, 2))
        return
      }
      results.forEach((result, index) => {
        console.log(
          `${index + 1}. ${result.suggestsStalking ? 'suggests stalking' : 'does not suggest stalking'} (score ${result.score.toFixed(2)}, threshold ${result.threshold.toFixed(2)})`,
        )
        for (const c of result.carriedBy) console.log(`   ${c.weight >= 0 ? '+' : ''}${c.weight.toFixed(2)} ${c.label}`)
        for (const hit of result.indicators) console.log(`   ${hit.label}: "${hit.match}" (${hit.start}-${hit.end})`)
      })
    })
}
