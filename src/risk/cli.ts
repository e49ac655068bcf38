// `threadline daily-list --date YYYY-MM-DD [--team T] [--within N] --json`: the daily management meeting's list.
import type { Command } from 'commander'
import type { CliContext, RegisterCommands } from '../platform/area.ts'
import type { RiskContext } from './context.ts'
import { MeetingInputError } from './services/meetingService.ts'

export class RiskCommandError extends Error {
  override name = 'RiskCommandError'
}

async function forceIdOf(services: RiskContext, name: string | undefined): Promise<number> {
  if (name) {
    const force = await services.users.forceByName(name)
    if (!force) throw new RiskCommandError(`There is no force called "${name}".`)
    return force.id
  }
  const withCrimes = await services.crime.repository.forcesWithCrimes()
  if (withCrimes.length === 1) return withCrimes[0].id
  if (withCrimes.length === 0) throw new RiskCommandError('There are no crime records yet.')
  throw new RiskCommandError(
    `Say which force with --force: ${withCrimes.map((force) => `"${force.name}"`).join(', ')} have crime records.`,
  )
}

export const registerRiskCommands: RegisterCommands<RiskContext> = (
  program: Command,
  context: CliContext<RiskContext>,
) => {
  program
    .command('daily-list')
    .description("The daily management meeting's list of stalking cases for a day (Recommendation 12.4)")
    .option('--date <day>', 'the day of the meeting, YYYY-MM-DD (default: today)')
    .option('--team <team>', 'one team (default: the whole force)')
    .option('--within <days>', 'days ahead for orders ending and notifications due', '14')
    .option('--force <name>', 'the force (default: the only force with crime records)')
    .option('--json', 'the list as JSON')
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .action(
      async (options: {
        date?: string
        team?: string
        within: string
        force?: string
        json?: boolean
        db?: string
      }) => {
        await context.withServices(options, async (services) => {
          const forceId = await forceIdOf(services, options.force)
          let query
          try {
            query = services.risk.meetings.parseQuery({
              date: options.date,
              team: options.team,
              within: options.within,
            })
          } catch (error) {
            if (error instanceof MeetingInputError) {
              // Name the flag and the value given, as the page names the field.
              const given: Record<string, string | undefined> = {
                date: options.date,
                team: options.team,
                within: options.within,
              }
              const messages = Object.entries(error.errors).map(([field, message]) => {
                const flag = field in given ? `--${field} ${JSON.stringify(given[field] ?? '')}` : field
                return `${flag}: ${message.charAt(0).toLowerCase()}${message.slice(1)}`
              })
              throw new RiskCommandError(messages.join('; '))
            }
            throw error
          }
          const list = await services.risk.meetings.buildList(forceId, query)
          if (options.json) {
            console.log(JSON.stringify(list, null, 2))
            return
          }
          console.log(
            `Daily management list for ${list.date} (${list.team || 'whole force'}), since ${list.since}: ${list.cases.length} cases`,
          )
          for (const entry of list.cases) {
            console.log(
              `${entry.reference}  ${entry.riskLabel}  ${entry.reasons.map((reason) => reason.label).join('; ')}`,
            )
          }
        })
      },
    )
}
