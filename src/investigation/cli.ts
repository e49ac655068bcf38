// `threadline training import`: a learning system's CSV export into the force's training register.
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import type { RegisterCommands } from '../platform/area.ts'
import { SYSTEM_ACTOR } from '../platform/services/auditService.ts'
import { unreadableFileReason } from '../platform/files.ts'
import type { InvestigationContext } from './context.ts'

/** A CLI failure whose message is the whole story (printed on one line by runCli). */
export class TrainingCommandError extends Error {
  override name = 'TrainingCommandError'
}

export const registerInvestigationCommands: RegisterCommands<InvestigationContext> = (program, context) => {
  const training = program
    .command('training')
    .description("The force's training register (Recommendations 10, 13, 17, 20, 22)")
  training
    .command('import')
    .description("Import a learning system's CSV export: each officer's completions of the courses Threadline counts")
    .argument('<file>', 'the CSV export')
    .requiredOption('--force <name>', 'the force the officers belong to')
    .option('--db <url>', 'database: a SQLite file path or a postgres:// URL')
    .action(async (file: string, options: { force: string; db?: string }) => {
      let content: Buffer
      try {
        content = readFileSync(file)
      } catch (error) {
        throw new TrainingCommandError(`cannot read ${file}: ${unreadableFileReason(error)}`)
      }
      await context.withServices(options, async (services) => {
        const force = await services.users.forceByName(options.force)
        if (!force) throw new TrainingCommandError(`There is no force called "${options.force}".`)
        const actor = { ...SYSTEM_ACTOR, forceId: force.id, actorUsername: `cli:${process.env.USER ?? 'unknown'}` }
        let summary
        try {
          summary = await services.investigation.training.importExport(
            { actor, forceId: force.id },
            content,
            basename(file),
          )
        } catch (error) {
          if ((error as Error).name === 'LearningExportError') {
            throw new TrainingCommandError(`${(error as Error).message}. Nothing was imported.`)
          }
          throw error
        }
        console.log(`${summary.fileName}: ${summary.rows} rows about counted courses, ${summary.officers} officers`)
        console.log(`Completions added: ${summary.completionsAdded} (${summary.alreadyHeld} already held)`)
        console.log(`Enrolled, not yet completed: ${summary.enrolments}`)
        if (summary.otherCourses.length) {
          console.log(
            `Other courses, not counted: ${summary.otherCourses.map((c) => `${c.title} (${c.rows})`).join('; ')}`,
          )
        }
      })
    })
}
