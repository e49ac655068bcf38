// `threadline orders ending --within 14 [--json]`: granted protective orders ending within N days.
import type { Command } from 'commander'
import type { CliContext, RegisterCommands } from '../platform/area.ts'
import type { SafeguardingContext } from './context.ts'

export class OrderCommandError extends Error {
  override name = 'OrderCommandError'
}

async function forceIdOf(services: SafeguardingContext, name: string | undefined): Promise<number> {
  if (name) {
    const force = await services.users.forceByName(name)
    if (!force) throw new OrderCommandError(`There is no force called "${name}".`)
    return force.id
  }
  const withCrimes = await services.crime.repository.forcesWithCrimes()
  if (withCrimes.length === 1) return withCrimes[0].id
  if (withCrimes.length === 0) throw new OrderCommandError('There are no crime records yet.')
  throw new OrderCommandError(
    `Say which force with --force: ${withCrimes.map((force) => `"${force.name}"`).join(', ')} have crime records.`,
  )
}

export const registerOrderCommands: RegisterCommands<SafeguardingContext> = (
  program: Command,
  context: CliContext<SafeguardingContext>,
) => {
  const orders = program.command('orders').description('Protective orders: application to breach')
  orders
    .command('ending')
    .description('Granted orders, not discharged, ending between today and N days from today, soonest first')
    .option('--within <days>', 'days from today (0 to 366)', '14')
    .option('--force <name>', 'the force (default: the only force with crime records)')
    .option('--team <team>', 'only the crimes of this team')
    .option('--json', 'a JSON array of {orderId, reference, crimeId, kind, endsOn, team}')
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .action(async (options: { within: string; force?: string; team?: string; json?: boolean; db?: string }) => {
      const within = Number(options.within)
      if (!/^\d+$/.test(options.within) || within > 366) {
        throw new OrderCommandError(`--within must be a whole number of days from 0 to 366, not "${options.within}".`)
      }
      await context.withServices(options, async (services) => {
        const forceId = await forceIdOf(services, options.force)
        const rows = await services.safeguarding.orders.endingWithin(forceId, within, options.team)
        const out = rows.map((row) => ({
          orderId: row.id,
          reference: row.force_reference,
          crimeId: row.crime_id,
          kind: row.kind,
          kindName: row.kindName,
          endsOn: row.ends_on,
          team: row.team,
        }))
        if (options.json) {
          console.log(JSON.stringify(out, null, 2))
          return
        }
        if (!out.length) console.log(`No order ends in the next ${within} days.`)
        for (const row of out)
          console.log(`${row.endsOn}  ${row.reference}  ${row.kindName}${row.team ? `  ${row.team}` : ''}`)
      })
    })
}
