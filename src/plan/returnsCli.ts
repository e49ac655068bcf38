// `threadline plan return list|create|review|approve|export`: NPCC returns from the command line (ADR 0019).
import { writeFileSync } from 'node:fs'
import { InvalidArgumentError, type Command } from 'commander'
import type { RegisterCommands } from '../platform/area.ts'
import { actorInForce, SYSTEM_ACTOR } from '../platform/services/auditService.ts'
import type { PlanContext } from './context.ts'
import { PlanInputError, PlanNotFoundError } from './services/planService.ts'
import {
  RETURN_EXPORT_FORMATS,
  returnFileName,
  ReturnFrozenError,
  type ReturnExportFormat,
} from './services/returns.ts'

/** A one-line message for the user, printed by runCli as "threadline: <message>" with exit code 1. */
class ReturnCliError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ReturnCliError'
  }
}

type Context = Parameters<RegisterCommands<PlanContext>>[1]
const cliActor = () => ({ ...SYSTEM_ACTOR, actorUsername: `cli:${process.env.USER ?? 'unknown'}` })

function idOption(value: string): number {
  if (!/^\d{1,12}$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('Give the return number, e.g. 3.')
  return Number(value)
}

function formatOption(value: string): ReturnExportFormat {
  if (!(RETURN_EXPORT_FORMATS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`Give one of ${RETURN_EXPORT_FORMATS.join(', ')}.`)
  }
  return value as ReturnExportFormat
}

/** Runs a return command for the force named by --force, turning refusals into one-line messages. */
async function withForce(
  context: Context,
  options: { force: string; db?: string },
  run: (services: PlanContext, force: { id: number; name: string; code: string }) => Promise<void>,
): Promise<void> {
  await context.withServices(options, async (services) => {
    const force = await services.plan.service.findForce(options.force)
    if (!force) throw new ReturnCliError(`no force called "${options.force}"`)
    try {
      await run(services, force)
    } catch (error) {
      if (error instanceof PlanInputError || error instanceof PlanNotFoundError || error instanceof ReturnFrozenError) {
        throw new ReturnCliError(error.message)
      }
      throw error
    }
  })
}

export function registerReturnCommands(plan: Command, context: Context): void {
  const returns = plan
    .command('return')
    .description('NPCC returns: snapshots of a plan as at a date, frozen once approved')
  const common = (command: Command) =>
    command
      .requiredOption('--force <name>', 'the force, by name or code')
      .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')

  common(returns.command('list').description("List the force's returns, newest first")).action(
    async (options: { force: string; db?: string }) => {
      await withForce(context, options, async (services, force) => {
        for (const r of await services.plan.returns.list(force.id)) {
          console.log(`${r.id}\tas at ${r.asAt}\t${r.frozen ? 'approved (frozen)' : r.state}\t${r.percentText}`)
        }
      })
    },
  )

  common(returns.command('create').description('Generate a return of the plan as at a date (a draft)'))
    .requiredOption('--as-at <date>', 'the day the return is as at, YYYY-MM-DD (today or earlier)')
    .action(async (options: { force: string; asAt: string; db?: string }) => {
      await withForce(context, options, async (services, force) => {
        const id = await services.plan.returns.generate(actorInForce(cliActor(), force.id), force.id, options.asAt)
        console.log(`Generated return ${id} of ${force.name}'s plan as at ${options.asAt}: review it, then approve it`)
      })
    })

  for (const [name, verb] of [
    ['review', 'Mark a draft return reviewed'],
    ['approve', 'Approve a reviewed return: it is then frozen'],
  ] as const) {
    common(returns.command(name).description(verb))
      .requiredOption('--id <number>', 'the return', idOption)
      .requiredOption('--comment <text>', 'kept with the review or approval')
      .action(async (options: { force: string; id: number; comment: string; db?: string }) => {
        await withForce(context, options, async (services, force) => {
          const actor = actorInForce(cliActor(), force.id)
          if (name === 'review') await services.plan.returns.review(actor, force.id, options.id, options.comment)
          else await services.plan.returns.approve(actor, force.id, options.id, options.comment)
          console.log(name === 'review' ? `Return ${options.id} reviewed` : `Return ${options.id} approved and frozen`)
        })
      })
  }

  common(returns.command('export').description('Write a return as json, xlsx or pdf'))
    .requiredOption('--id <number>', 'the return', idOption)
    .requiredOption('--format <format>', RETURN_EXPORT_FORMATS.join('|'), formatOption)
    .option('--out <file>', 'write to this file (default: standard output, for json)')
    .action(async (options: { force: string; id: number; format: ReturnExportFormat; out?: string; db?: string }) => {
      if (!options.out && options.format !== 'json') {
        throw new ReturnCliError(`${options.format} is a binary format: give --out FILE`)
      }
      await withForce(context, options, async (services, force) => {
        const view = await services.plan.returns.get(force.id, options.id)
        const file = await services.plan.returns.exportReturn(force.id, options.id, options.format)
        if (options.out) {
          writeFileSync(options.out, file.body)
          console.error(
            `Wrote ${options.out} (${returnFileName(force.name, view.asAt, options.format)}, ${file.body.length} bytes)`,
          )
        } else process.stdout.write(file.body)
      })
    })
}
