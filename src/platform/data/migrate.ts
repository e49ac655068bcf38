import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely'
import { platformMigration } from './migrations/0001_platform.ts'
import { auditKeyedMigration } from './migrations/0002_audit_keyed.ts'
import { auditFileMigration } from './migrations/0003_audit_file.ts'

/** The platform's own migrations; each area brings its own (platform/area.ts, migrationsOf). */
export const platformMigrations: Record<string, Migration> = {
  '0001_platform': platformMigration,
  '0002_audit_keyed': auditKeyedMigration,
  '0003_audit_file': auditFileMigration,
}

class StaticProvider implements MigrationProvider {
  constructor(private readonly migrations: Record<string, Migration>) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    return this.migrations
  }
}

export interface MigrationReport {
  applied: string[]
}

/** Brings the schema up to date with the migrations given. Throws with the failing migration's name if one fails. */
export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  migrations: Record<string, Migration>,
): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider: new StaticProvider(migrations), allowUnorderedMigrations: true })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((result) => result.status === 'Error')
  if (error) {
    const cause = error instanceof Error ? error.message : String(error)
    throw new Error(`Database migration ${failed ? `"${failed.migrationName}" ` : ''}failed: ${cause}`)
  }
  return { applied: (results ?? []).map((result) => result.migrationName) }
}
