import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely'
import { assuranceMigrations } from '../../assurance/data/migrations.ts'
import { caseMigrations } from '../../cases/data/migrations.ts'
import { crimeMigrations } from '../../crime/data/migrations.ts'
import { investigationMigrations } from '../../investigation/data/migrations.ts'
import { planMigrations } from '../../plan/data/migrations.ts'
import { safeguardingMigrations } from '../../safeguarding/data/migrations.ts'
import { screeningMigrations } from '../../screening/data/migrations.ts'
import { victimMigrations } from '../../victims/data/migrations.ts'
import { platformMigration } from './migrations/0001_platform.ts'
import type { Database } from './schema.ts'

export const allMigrations: Record<string, Migration> = {
  '0001_platform': platformMigration,
  ...planMigrations,
  ...crimeMigrations,
  ...screeningMigrations,
  ...safeguardingMigrations,
  ...investigationMigrations,
  ...victimMigrations,
  ...assuranceMigrations,
  ...caseMigrations,
}

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return allMigrations
  }
}

export interface MigrationReport {
  applied: string[]
}

/** Brings the schema up to date. Throws with the failing migration's name if one fails. */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider: new StaticProvider(), allowUnorderedMigrations: true })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((result) => result.status === 'Error')
  if (error) {
    const cause = error instanceof Error ? error.message : String(error)
    throw new Error(`Database migration ${failed ? `"${failed.migrationName}" ` : ''}failed: ${cause}`)
  }
  return { applied: (results ?? []).map((result) => result.migrationName) }
}
