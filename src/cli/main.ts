import { Command, CommanderError, InvalidArgumentError } from 'commander'
import { ConfigError, loadConfig } from '../config.ts'
import { AREAS, createServices, migrateThreadline, type Services } from '../compositionRoot.ts'
import { loadDemoData } from '../demo.ts'
import type { AnyArea, CliContext } from '../platform/area.ts'
import { openDatabase } from '../platform/data/database.ts'
import { SYSTEM_ACTOR } from '../platform/services/auditService.ts'
import { closeWorkerPools } from '../platform/worker.ts'
import { ROLES } from '../platform/services/permissions.ts'
import { version } from '../platform/version.ts'
import { startServer } from '../server.ts'

/** An error whose message is the whole story for the user: printed on one line, no stack. */
export class CliError extends Error {}

/** What every command gets: the database opened, migrated and wired with the listed areas, and closed afterwards. */
function cliContext(areas: readonly AnyArea[]): CliContext<Services> {
  const context: CliContext<Services> = {
    loadConfig: (options) => loadConfig(process.env, options.db ? { databaseUrl: options.db } : {}),
    async withServices<T>(options: { db?: string }, run: (services: Services) => Promise<T>): Promise<T> {
      const services = await createServices(context.loadConfig(options), undefined, areas)
      try {
        const result = await run(services)
        // What the command wrote to the audit log is anchored outside the database (docs/adr/0016).
        await services.audit.checkpoint()
        return result
      } finally {
        await closeWorkerPools()
        await services.databaseHandle.close()
      }
    },
  }
  return context
}

const cliActor = () => ({ ...SYSTEM_ACTOR, actorUsername: `cli:${process.env.USER ?? 'unknown'}` })

export function parsePort(value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('Give a port from 0 to 65535.')
  return port
}

export function buildProgram(areas: readonly AnyArea[] = AREAS): Command {
  const context = cliContext(areas)
  const program = new Command()
    .name('threadline')
    .description('Threadline: stalking action plans, crime classifications, screening and linkage for police forces.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')

  program
    .command('serve')
    .description('Run the web application (migrates the database first; loads demo data into a new embedded database)')
    .option(
      '--db <url>',
      'database: a SQLite file path or a postgres:// URL (default: DATABASE_URL or .data/threadline.sqlite)',
    )
    .option('--port <port>', 'port to listen on (default: PORT or 3000)', parsePort)
    .option('--no-demo', 'do not load demo data into a new embedded database')
    .action(async (options: { db?: string; port?: number; demo: boolean }) => {
      const config = loadConfig(process.env, {
        ...(options.db ? { databaseUrl: options.db } : {}),
        ...(options.port !== undefined ? { port: options.port } : {}),
      })
      const embedded = !config.databaseUrl.startsWith('postgres')
      await startServer(config, { demo: options.demo && embedded && config.devSignInEnabled, handleSignals: true })
    })

  const db = program.command('db').description('Database commands')
  db.command('migrate')
    .description('Bring the database schema up to date')
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .action(async (options: { db?: string }) => {
      const config = context.loadConfig(options)
      const handle = openDatabase(config.databaseUrl)
      try {
        const { applied } = await migrateThreadline(handle.db, areas)
        console.log(
          applied.length ? `Applied ${applied.length} migrations: ${applied.join(', ')}` : 'The database is up to date',
        )
      } finally {
        await handle.close()
      }
    })

  const demo = program.command('demo').description('Demo data')
  demo
    .command('load')
    .description('Load demo users and demo data (once; use --force to load again into a database that has users)')
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .option('--force', 'load even if the database already has users')
    .action(async (options: { db?: string; force?: boolean }) => {
      await context.withServices(options, async (services) => {
        const loaded = await loadDemoData(services, { force: options.force })
        console.log(
          loaded ? 'Loaded demo users and demo data' : 'The database already has users: nothing loaded (use --force)',
        )
      })
    })

  const users = program.command('users').description('User accounts')
  users
    .command('add')
    .description('Add a user to a force (the force is created if new)')
    .requiredOption(
      '--username <username>',
      'sign-in name; matched to the OIDC preferred_username or email on first sign-in',
    )
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--force <force>', 'force name, e.g. "Northamptonshire Police"')
    .requiredOption('--roles <roles>', `comma-separated roles: ${ROLES.join(', ')}`)
    .option('--email <email>', 'email address')
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .action(
      async (options: {
        username: string
        name: string
        force: string
        roles: string
        email?: string
        db?: string
      }) => {
        await context.withServices(options, async (services) => {
          const id = await services.users.addUser(cliActor(), {
            username: options.username,
            displayName: options.name,
            email: options.email ?? null,
            force: options.force,
            roles: options.roles
              .split(',')
              .map((role) => role.trim())
              .filter(Boolean),
          })
          console.log(`Added user ${options.username} (id ${id})`)
        })
      },
    )
  users
    .command('list')
    .description('List users')
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .option('--json', 'print JSON')
    .action(async (options: { db?: string; json?: boolean }) => {
      await context.withServices(options, async (services) => {
        const list = await services.users.list()
        if (options.json) console.log(JSON.stringify(list, null, 2))
        else
          for (const user of list)
            console.log(`${user.username}\t${user.displayName}\t${user.forceName}\t${user.roles.join(',')}`)
      })
    })

  const audit = program.command('audit').description('Audit log')
  audit
    .command('checkpoint')
    .description(
      'Append a signed checkpoint of the audit chain head to AUDIT_CHECKPOINT_FILE (for cron; serve does it itself)',
    )
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .action(async (options: { db?: string }) => {
      await context.withServices(options, async (services) => {
        if (!services.config.auditCheckpointFile) throw new CliError('No checkpoint file: set AUDIT_CHECKPOINT_FILE.')
        const written = await services.audit.checkpoint()
        console.log(
          written
            ? `Checkpoint appended to ${services.config.auditCheckpointFile}`
            : 'The chain has not moved since the last checkpoint',
        )
      })
    })
  audit
    .command('verify')
    .description(
      'Check the audit log: every hash (keyed) and link, and the chain against the signed checkpoints kept outside the database',
    )
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .action(async (options: { db?: string }) => {
      await context.withServices(options, async (services) => {
        const result = await services.audit.verify()
        if (result.ok) {
          const against = result.checkpointFile
            ? `${result.checkpoints} ${result.checkpoints === 1 ? 'checkpoint' : 'checkpoints'} in ${result.checkpointFile} matched`
            : 'no checkpoint file to compare with (set AUDIT_CHECKPOINT_FILE)'
          console.log(`Audit chain intact: ${result.checked} events checked, ${against}`)
        } else {
          throw new CliError(
            `Audit chain broken at event ${result.firstBroken?.id}: ${result.firstBroken?.reason} (${result.checked} events checked)`,
          )
        }
      })
    })

  for (const area of areas) area.commands?.(program, context)
  return program
}

export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram().exitOverride()
  try {
    await program.parseAsync(argv)
    return 0
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : error.exitCode || 1
    const message = error instanceof Error ? error.message : String(error)
    const known = error instanceof CliError || error instanceof ConfigError || (error as Error)?.name?.endsWith('Error')
    console.error(`threadline: ${known ? message : `unexpected error: ${message}`}`)
    if (process.env.THREADLINE_DEBUG) console.error(error)
    return 1
  }
}

const invokedDirectly = process.argv[1] && /(main\.ts|threadline(\.js)?)$/.test(process.argv[1])
if (invokedDirectly) {
  const code = await runCli(process.argv)
  // Output to a pipe is written asynchronously: exiting at once would cut it (at 64 KB), losing the last lines.
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((done) => stream.write('', done))))
  if (code !== 0) process.exit(code)
}
