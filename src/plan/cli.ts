// `threadline plan import` and `threadline plan export`.
import { readFileSync, writeFileSync } from 'node:fs'
import { basename } from 'node:path'
import { InvalidArgumentError } from 'commander'
import type { PlanContext } from './context.ts'
import type { RegisterCommands } from '../platform/area.ts'
import { actorInForce, SYSTEM_ACTOR } from '../platform/services/auditService.ts'
import { EXPORT_FORMATS, exportPlan, isExportFormat, type ExportFormat } from './export/index.ts'
import { readPlanInWorker } from './import/worker.ts'
import { registerReturnCommands } from './returnsCli.ts'
import { PlanImportError } from './model.ts'
import { PlanInputError, sha256, type ImportResult } from './services/planService.ts'
import { unreadableFileReason } from '../platform/files.ts'
import { PlanHarvestError } from './services/harvest.ts'

const TEXT_FORMATS: ReadonlySet<ExportFormat> = new Set(['json', 'csv', 'html'])

/** A one-line message for the user; printed by runCli as "threadline: <message>" with exit code 1. */
export class PlanCliError extends Error {
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, ' '))
    this.name = 'PlanCliError'
  }
}

const cliActor = () => ({ ...SYSTEM_ACTOR, actorUsername: `cli:${process.env.USER ?? 'unknown'}` })

export function describeImport(result: ImportResult, fileName: string): string[] {
  const lines = [
    `Recognised format: ${result.format}`,
    `Force: ${result.force.name}${result.forceCreated ? ' (new force)' : ''}`,
    `Document: ${result.document.recommendations} recommendations, ${result.document.items} evidence items, ${result.document.updates} updates`,
  ]
  if (result.alreadyImported) {
    lines.push(
      `${fileName} was already imported on ${result.alreadyImported.importedAt} by ${result.alreadyImported.importedBy}: nothing changed`,
    )
  } else if (result.held) {
    lines.push(
      `The plan is published, so the import is held for approval (held import ${result.held.id}): it would change ${result.changes.length} fields, adding ${result.updatesAdded} updates; the executive lead approves it at /plans/${result.force.code}/approvals`,
    )
    for (const reason of result.confirmationReasons) lines.push(`  Check: ${reason}`)
  } else {
    lines.push(
      `${result.planCreated ? 'Created the plan' : 'Added to the plan'}: ${result.recommendationsAdded} recommendations, ${result.itemsAdded} evidence items, ${result.updatesAdded} updates added (${result.updatesAlreadyHeld} already held), ${result.ownerChanges} owner changes, ${result.documentsAdded} documents`,
    )
  }
  lines.push(`Warnings: ${result.warnings.length}`)
  for (const warning of result.warnings) lines.push(`  ${warning.location}: ${warning.message}`)
  return lines
}

function formatOption(value: string): ExportFormat {
  if (!isExportFormat(value)) throw new InvalidArgumentError(`Give one of ${EXPORT_FORMATS.join(', ')}.`)
  return value
}

export const registerPlanCommands: RegisterCommands<PlanContext> = (program, context) => {
  const plan = program.command('plan').description('Stalking action plans')
  registerReturnCommands(plan, context)

  plan
    .command('import')
    .description(
      "Import a force's published action plan (seed text, HTML, CSV, XLSX, ODS, DOCX, PDF or interchange JSON, recognised by content)",
    )
    .argument('<file>', 'the plan document')
    .option('--force <name>', 'the force whose plan it is (default: the force the document names)')
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .action(async (file: string, options: { force?: string; db?: string }) => {
      let content: Buffer
      try {
        content = readFileSync(file)
      } catch (error) {
        throw new PlanCliError(`cannot read ${file}: ${unreadableFileReason(error)}`)
      }
      const fileName = basename(file)
      await context.withServices(options, async (services) => {
        let parsed
        try {
          parsed = await readPlanInWorker(content, fileName, { catalogue: services.plan.service.catalogue() })
        } catch (error) {
          if (error instanceof PlanImportError) throw new PlanCliError(`${error.message}. Nothing was imported.`)
          throw error
        }
        try {
          const result = await services.plan.service.importParsed(cliActor(), parsed, {
            fileName,
            checksum: sha256(content),
            forceName: options.force,
          })
          for (const line of describeImport(result, fileName)) console.log(line)
        } catch (error) {
          if (error instanceof PlanInputError) throw new PlanCliError(`${error.message}. Nothing was imported.`)
          throw error
        }
      })
    })

  plan
    .command('export')
    .description("Export a force's plan as json (the interchange format), csv, xlsx, ods, html or pdf")
    .requiredOption('--force <name>', 'the force, by name or code')
    .requiredOption('--format <format>', EXPORT_FORMATS.join('|'), formatOption)
    .option('--out <file>', 'write to this file (default: standard output, for json, csv and html)')
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .action(async (options: { force: string; format: ExportFormat; out?: string; db?: string }) => {
      if (!options.out && !TEXT_FORMATS.has(options.format)) {
        throw new PlanCliError(`${options.format} is a binary format: give --out FILE`)
      }
      await context.withServices(options, async (services) => {
        const force = await services.plan.service.findForce(options.force)
        if (!force) throw new PlanCliError(`no force called "${options.force}"`)
        const exportable = await services.plan.service.exportable(force.id)
        if (!exportable) throw new PlanCliError(`${force.name} has no plan: import one first`)
        const file = await exportPlan(exportable, options.format)
        if (options.out) {
          writeFileSync(options.out, file.body)
          console.error(`Wrote ${options.out} (${file.body.length} bytes)`)
        } else {
          process.stdout.write(file.body)
        }
      })
    })

  plan
    .command('publish')
    .description("Publish a force's plan on its public page (or withdraw it with --withdraw)")
    .requiredOption('--force <name>', 'the force, by name or code')
    .option('--withdraw', 'take the public page down')
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .action(async (options: { force: string; withdraw?: boolean; db?: string }) => {
      await context.withServices(options, async (services) => {
        const force = await services.plan.service.findForce(options.force)
        if (!force) throw new PlanCliError(`no force called "${options.force}"`)
        await services.plan.service.setPublished(actorInForce(cliActor(), force.id), force.id, !options.withdraw)
        console.log(
          options.withdraw
            ? `Withdrew the public page of ${force.name}`
            : `Published ${force.name}'s plan at /public/plans/${force.code}`,
        )
      })
    })

  plan
    .command('harvest')
    .description(
      "Read a force's published plan from its web page or document link and hold it as a draft for the force to approve",
    )
    .requiredOption('--url <url>', 'the page or document where the force publishes its plan (http or https)')
    .requiredOption('--force <name>', 'the force whose plan it is, by name or code')
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .action(async (options: { url: string; force: string; db?: string }) => {
      await context.withServices(options, async (services) => {
        const force = await services.plan.service.findForce(options.force)
        if (!force) throw new PlanCliError(`no force called "${options.force}"`)
        try {
          const harvested = await services.plan.harvester.harvest(
            actorInForce(cliActor(), force.id),
            options.url,
            force.name,
          )
          console.log(`Read ${harvested.fileName} from ${harvested.sourceUrl}`)
          if (harvested.unchanged) {
            console.log(`${force.name}'s plan already holds everything it says: nothing changed`)
          } else {
            for (const line of describeImport(harvested.import, harvested.fileName)) console.log(line)
          }
        } catch (error) {
          if (error instanceof PlanHarvestError || error instanceof PlanInputError) {
            throw new PlanCliError(`${error.message}. Nothing was imported.`)
          }
          throw error
        }
      })
    })
}
