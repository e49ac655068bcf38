// `threadline cases due`, `threadline cases refresh` and `threadline notify send`.
import type { Command } from 'commander'
import type { CliContext, RegisterCommands } from '../platform/area.ts'
import type { CaseContext } from './context.ts'

/** A CLI failure whose message is the whole story (printed on one line by runCli). */
export class CaseCommandError extends Error {
  override name = 'CaseCommandError'
}

type CliServices = CaseContext

async function forceIdOf(services: CliServices, name: string | undefined): Promise<number> {
  if (name) {
    const force = await services.users.forceByName(name)
    if (!force) throw new CaseCommandError(`There is no force called "${name}".`)
    return force.id
  }
  const withCrimes = await services.crime.repository.forcesWithCrimes()
  if (withCrimes.length === 1) return withCrimes[0].id
  if (withCrimes.length === 0) throw new CaseCommandError('There are no crime records yet.')
  throw new CaseCommandError(
    `Say which force with --force: ${withCrimes.map((force) => `"${force.name}"`).join(', ')} have crime records.`,
  )
}

export const registerCaseCommands: RegisterCommands<CaseContext> = (
  program: Command,
  context: CliContext<CaseContext>,
) => {
  const cases = program.command('cases').description("Case work: stalking cases' obligations and when they are due")

  cases
    .command('due')
    .description("Open obligations, due first: every one, one officer's, or only the overdue")
    .option('--force <name>', 'the force (default: the only force with crime records)')
    .option('--officer <username>', 'only the cases assigned to this user')
    .option('--overdue', 'only the obligations past their due day')
    .option('--json', 'a JSON array of {reference, crimeId, obligation, dueOn, status, assignedTo}')
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .action(async (options: { force?: string; officer?: string; overdue?: boolean; json?: boolean; db?: string }) => {
      await context.withServices(options, async (services) => {
        const forceId = await forceIdOf(services, options.force)
        let officer: number | undefined
        if (options.officer) {
          const user = await services.users.sessionUserByUsername(options.officer)
          if (!user || user.forceId !== forceId) {
            throw new CaseCommandError(`There is no user "${options.officer}" in that force.`)
          }
          officer = user.id
        }
        const due = await services.cases.service.due(forceId, {
          ...(officer !== undefined ? { officer } : {}),
          ...(options.overdue ? { overdue: true } : {}),
        })
        if (options.json) {
          console.log(JSON.stringify(due, null, 2))
          return
        }
        if (due.length === 0) console.log('Nothing open.')
        for (const row of due) {
          console.log(
            [row.dueOn, row.status.padEnd(7), row.reference, row.obligation, row.assignedTo ?? '(unassigned)'].join(
              '  ',
            ),
          )
        }
      })
    })

  cases
    .command('refresh')
    .description("Work out every case's obligations again from the areas' records (normally done as records change)")
    .option('--force <name>', 'the force (default: the only force with crime records)')
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .action(async (options: { force?: string; db?: string }) => {
      await context.withServices(options, async (services) => {
        const started = Date.now()
        const summary = await services.cases.service.refreshAll(await forceIdOf(services, options.force))
        console.log(
          `${summary.cases} cases, ${summary.obligations} obligations; ${summary.written} rows written, ${summary.removed} removed in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        )
      })
    })

  program
    .command('notify')
    .description('Case work notifications')
    .command('send')
    .description("Make today's reminders (due tomorrow, overdue) and, when SMTP_URL is set, email each user's digest")
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .action(async (options: { db?: string }) => {
      await context.withServices(options, async (services) => {
        const summary = await services.cases.sendNotifications()
        console.log(
          `${summary.reminders} reminders made; ${summary.emails} emails sent with ${summary.notifications} notifications` +
            (summary.skippedNoEmail ? `; ${summary.skippedNoEmail} users have no email address` : '') +
            (services.config.smtpUrl ? '' : ' (SMTP_URL is not set: in-app notifications only)'),
        )
      })
    })
}
