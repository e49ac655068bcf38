// `threadline crime import`, `threadline crime search` and `threadline demo generate`.
import { setPriority } from 'node:os'
import { resolve } from 'node:path'
import cliProgress from 'cli-progress'
import { Command, InvalidArgumentError, Option } from 'commander'
import type { CrimeContext } from './context.ts'
import type { CliContext, RegisterCommands } from '../platform/area.ts'
import { actorInForce, SYSTEM_ACTOR, type ActorContext } from '../platform/services/auditService.ts'
import { generateRecords, writeImportFiles } from './generator/index.ts'
import { loadColumnMapping, readCrimeExtracts } from './import/index.ts'
import { describeProblem } from './model.ts'
import type { CrimeSummary } from './services/crimeService.ts'
import { ImportStoppedError } from './services/importService.ts'
import { readInWorker } from './services/readerWorker.ts'
import { crimeSearchSchema, MATCH_ROLES } from './services/searchFilters.ts'
import { isRealDay } from '../platform/days.ts'

/** How far a command-line import lowers its CPU priority (nice), so that pages keep answering while it runs. */
const IMPORT_NICENESS = 10

/** A CLI failure whose message is the whole story (printed on one line by runCli). */
export class CrimeCommandError extends Error {
  override name = 'CrimeCommandError'
}

const cliActor = (): ActorContext => ({ ...SYSTEM_ACTOR, actorUsername: `cli:${process.env.USER ?? 'unknown'}` })

const positiveInteger = (what: string) => (value: string) => {
  const number = Number(value.replace(/_/g, ''))
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError(`Give ${what} as a whole number above 0.`)
  return number
}

const isoDate = (value: string) => {
  if (!isRealDay(value)) {
    throw new InvalidArgumentError('Give a date as YYYY-MM-DD.')
  }
  return value
}

/** The force a command works in: the one named, or the only force with crime records (or the only force). */
async function chooseForce(services: CrimeContext, name: string | undefined, forImport: boolean): Promise<string> {
  if (name) {
    if (forImport) return name
    const force = await services.crime.repository.forceByName(name)
    if (!force) throw new CrimeCommandError(`There is no force called "${name}".`)
    return force.name
  }
  const withCrimes = await services.crime.repository.forcesWithCrimes()
  if (withCrimes.length === 1) return withCrimes[0].name
  if (withCrimes.length === 0 && !forImport) throw new CrimeCommandError('There are no crime records yet.')
  throw new CrimeCommandError(
    withCrimes.length > 1
      ? `Say which force with --force: ${withCrimes.map((force) => `"${force.name}"`).join(', ')} have crime records.`
      : 'Say which force the records belong to with --force, e.g. --force "Demoshire Police".',
  )
}

function table(crimes: CrimeSummary[]): string {
  const rows = crimes.map((crime) => [
    crime.reference,
    crime.reportedAt.slice(0, 10),
    crime.kind === 'intelligence' ? 'intelligence' : (crime.principal?.code ?? ''),
    crime.included.map((entry) => entry.code).join(' '),
    crime.team ?? '',
    crime.outcome ? String(crime.outcome.number) : '',
  ])
  const header = ['Reference', 'Reported', 'Principal', 'Included', 'Team', 'Outcome']
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)))
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

export const registerCrimeCommands: RegisterCommands<CrimeContext> = (
  program: Command,
  context: CliContext<CrimeContext>,
) => {
  const crime = program.command('crime').description('Crime records: import extracts and search every classification')

  crime
    .command('import')
    .description(
      'Import crime records from records-system extracts (CSV in any common encoding and separator, Excel .xlsx, ' +
        'or police.uk street-level CSV), all or nothing',
    )
    .argument('<files...>', 'extract files: one crimes file, or crimes, classifications and parties files')
    .option('--mapping <file>', 'column mapping file (JSON) for unusual extracts')
    .option('--skip-bad-rows', 'import the good rows and list the bad ones, instead of refusing the whole import')
    .option('--force <name>', 'force the records belong to (default: the only force with crime records)')
    .option(
      '--time-limit <seconds>',
      'stop (writing nothing) after this long (default 3600)',
      positiveInteger('--time-limit'),
    )
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .action(
      async (
        files: string[],
        options: { mapping?: string; skipBadRows?: boolean; force?: string; db?: string; timeLimit?: number },
      ): Promise<void> => {
        // A bulk import gives way to the web service on the same machine (its reader and writer threads inherit this).
        try {
          setPriority(IMPORT_NICENESS)
        } catch {
          // Not permitted here: the import runs at normal priority.
        }
        const paths = files.map((file) => resolve(file))
        const mapping = options.mapping ? loadColumnMapping(resolve(options.mapping)) : undefined
        await context.withServices(options, async (services) => {
          const force = await chooseForce(services, options.force, true)
          const bar = process.stdout.isTTY
            ? new cliProgress.SingleBar(
                {
                  format: 'Importing [{bar}] {percentage}% | {records} records | {problems} bad rows',
                  hideCursor: true,
                },
                cliProgress.Presets.shades_classic,
              )
            : null
          let bytes = { read: 0, total: 1 }
          bar?.start(100, 0, { records: 0, problems: 0 })
          const readOptions = {
            ...(mapping ? { mapping } : {}),
            forceName: force,
            onProgress: (read: number, total: number) => (bytes = { read, total: Math.max(total, 1) }),
          }
          const reader = process.env.VITEST ? readCrimeExtracts(paths, readOptions) : readInWorker(paths, readOptions)
          let summary
          try {
            summary = await services.crime.importer.importRecords(cliActor(), reader, {
              ...(options.timeLimit ? { timeLimitMs: options.timeLimit * 1000 } : {}),
              force,
              skipBadRows: options.skipBadRows,
              files: paths,
              onProgress: ({ records, problems }) => {
                if (records % 1000 === 0)
                  bar?.update(Math.floor((100 * bytes.read) / bytes.total), { records, problems })
              },
            })
          } catch (error) {
            if (error instanceof ImportStoppedError) {
              throw new CrimeCommandError(`Import stopped: ${error.message}; nothing was written.`)
            }
            throw error
          } finally {
            bar?.stop()
          }
          for (const notice of reader.notices()) console.log(`Note (${notice.file}): ${notice.message}`)
          const listed = summary.problems.slice(0, 100)
          for (const problem of listed) console.error(`  ${describeProblem(problem)}`)
          if (summary.problems.length > listed.length) {
            console.error(`  … and ${summary.problems.length - listed.length} more bad rows`)
          }
          if (!summary.written) {
            throw new CrimeCommandError(
              `Import refused: ${summary.problems.length} bad ${summary.problems.length === 1 ? 'row' : 'rows'} (listed above); ` +
                'nothing was written. Correct them, or use --skip-bad-rows to import the rest.',
            )
          }
          const seconds = (summary.durationMs / 1000).toFixed(1)
          console.log(
            `Imported ${summary.created + summary.updated} ${summary.created + summary.updated === 1 ? 'record' : 'records'} into ${summary.force} in ${seconds} s: ` +
              `${summary.created} new, ${summary.updated} updated, ${summary.classifications} classifications, ${summary.people} new people` +
              (summary.problems.length ? `; skipped ${summary.problems.length} bad rows (listed above)` : ''),
          )
          // The records are in, but the screening queue and courses of conduct are not up to date: not a success.
          if (summary.afterImportError) throw new CrimeCommandError(summary.afterImportError)
          console.log('Screened the new and changed crimes and updated the courses of conduct')
        })
      },
    )

  crime
    .command('search')
    .description('Search crime records by classification (principal, included or either), dates, text and person')
    .option('--classification <code>', 'Home Office offence class, e.g. 8Q')
    .addOption(new Option('--as <match>', 'how the classification must match').choices(MATCH_ROLES).default('either'))
    .option('--group <key>', 'offence group key, e.g. subgroup:violence-against-the-person--stalking-and-harassment')
    .option('--from <date>', 'reported on or after (YYYY-MM-DD)', isoDate)
    .option('--to <date>', 'reported on or before (YYYY-MM-DD)', isoDate)
    .option('--text <words>', 'words in the narrative')
    .option('--person <name>', "a party's name or the start of it")
    .option('--dob <date>', "a party's date of birth (YYYY-MM-DD)", isoDate)
    .option('--identifier <value>', "a party's phone, email, handle or vehicle")
    .option('--limit <n>', 'most crimes to list (default 25)', positiveInteger('--limit'), 25)
    .option('--json', 'print JSON')
    .option('--force <name>', 'force to search (default: the only force with crime records)')
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .action(
      async (options: {
        classification?: string
        as: string
        group?: string
        from?: string
        to?: string
        text?: string
        person?: string
        dob?: string
        identifier?: string
        limit: number
        json?: boolean
        force?: string
        db?: string
      }): Promise<void> => {
        const parsed = crimeSearchSchema.safeParse({
          classification: options.classification,
          match: options.as,
          group: options.group,
          from: options.from,
          to: options.to,
          text: options.text,
          name: options.person,
          dob: options.dob,
          identifier: options.identifier,
          pageSize: Math.min(options.limit, 200),
        })
        if (!parsed.success) {
          const issue = parsed.error.issues[0]
          throw new CrimeCommandError(`--${String(issue.path[0] ?? 'search')}: ${issue.message}`)
        }
        await context.withServices(options, async (services) => {
          const forceName = await chooseForce(services, options.force, false)
          const force = (await services.crime.repository.forceByName(forceName))!
          if (parsed.data.classification && !services.crime.catalogue.canonical(parsed.data.classification)) {
            throw new CrimeCommandError(`"${parsed.data.classification}" is not a known offence classification.`)
          }
          const result = await services.crime.records.search(
            { actor: actorInForce(cliActor(), force.id), forceId: force.id },
            parsed.data,
          )
          if (options.json) {
            const { total, totalCapped, crimes } = result
            console.log(JSON.stringify({ force: force.name, total, totalCapped, crimes }, null, 2))
          } else {
            const more = result.totalCapped ? 'more than ' : ''
            console.log(`${more}${result.total} ${result.total === 1 ? 'record' : 'records'} in ${force.name}`)
            if (result.crimes.length) console.log(table(result.crimes))
            if (result.total > result.crimes.length)
              console.log(`(first ${result.crimes.length}; use --limit for more)`)
          }
        })
      },
    )

  const demo = program.commands.find((command) => command.name() === 'demo') ?? program.command('demo')
  demo
    .command('generate')
    .description('Write synthetic crime extracts from the seeded generator (invented people only)')
    .requiredOption('--crimes <n>', 'how many records', positiveInteger('--crimes'))
    .option('--seed <n>', 'seed: the same seed gives the same files', (value) => Number.parseInt(value, 10), 1)
    .option('--out <dir>', 'directory to write to', 'demo-extract')
    .addOption(
      new Option('--layout <layout>', 'one crimes file, or crimes/classifications/parties')
        .choices(['single', 'split'])
        .default('single'),
    )
    .option('--force <name>', 'force name written into the files', 'Demoshire Police')
    .action(
      async (options: { crimes: number; seed: number; out: string; layout: 'single' | 'split'; force: string }) => {
        if (!Number.isInteger(options.seed)) throw new CrimeCommandError('Give --seed as a whole number.')
        const started = performance.now()
        const written = await writeImportFiles(
          generateRecords({ crimes: options.crimes, seed: options.seed, force: options.force }),
          resolve(options.out),
          { layout: options.layout, force: options.force },
        )
        console.log(
          `Wrote ${written.records} records in ${((performance.now() - started) / 1000).toFixed(1)} s: ${written.files.join(', ')} ` +
            `(ground truth in ${written.truth})`,
        )
      },
    )
}
