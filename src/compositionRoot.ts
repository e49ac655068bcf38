// The one place where Threadline's parts are built and wired together: the list of areas. Adding an area is adding
// its folder and a line here (docs/adr/0012-areas-as-modules.md); the platform takes this list and names no area.
import type { Kysely } from 'kysely'
import { assuranceArea } from './assurance/index.ts'
import { casesArea } from './cases/index.ts'
import type { Config } from './config.ts'
import { crimeArea } from './crime/index.ts'
import { insightArea } from './insight/index.ts'
import { investigationArea } from './investigation/index.ts'
import { partnersArea } from './partners/index.ts'
import { planArea } from './plan/index.ts'
import { riskArea } from './risk/index.ts'
import {
  migrationsOf,
  wireAreas,
  type AnyArea,
  type PlatformServices,
  type ServicesOf,
  type TablesOf,
  type WireOptions,
  type WiredArea,
} from './platform/area.ts'
import { AuditRepository } from './platform/data/auditRepository.ts'
import { openDatabase, type DatabaseHandle } from './platform/data/database.ts'
import { migrateToLatest, platformMigrations, type MigrationReport } from './platform/data/migrate.ts'
import type { PlatformTables } from './platform/data/schema.ts'
import { DatabaseSessionStore } from './platform/data/sessionStore.ts'
import { UserRepository } from './platform/data/userRepository.ts'
import { AuditService } from './platform/services/auditService.ts'
import { UserService } from './platform/services/userService.ts'
import { safeguardingArea } from './safeguarding/index.ts'
import { screeningArea } from './screening/index.ts'
import { victimsArea } from './victims/index.ts'
import { platformRecordNames } from './platform/services/platformRecordNames.ts'

/**
 * Every area, in the order users meet them (navigation, routers, commands). Each is built, and its demo data loaded,
 * after the areas it needs or uses (platform/area.ts, buildOrder).
 */
export const AREAS = [
  casesArea,
  planArea,
  crimeArea,
  screeningArea,
  safeguardingArea,
  riskArea,
  investigationArea,
  victimsArea,
  partnersArea,
  assuranceArea,
  insightArea,
] as const satisfies readonly AnyArea[]

/** Every table: the platform's and each area's. */
export type Database = PlatformTables & TablesOf<typeof AREAS>

export type Services = PlatformServices &
  ServicesOf<typeof AREAS> & {
    /** The database with every table, for the composition root's callers (tests, benchmarks); areas use their own. */
    db: Kysely<Database>
    areas: WiredArea[]
  }

export type { PlatformServices, WireOptions }

/** Every migration: the platform's and each listed area's. */
export function allMigrations(areas: readonly AnyArea[] = AREAS) {
  return migrationsOf(platformMigrations, areas)
}

/** Brings a database's schema up to date with the platform's and every area's migrations. */
export function migrateThreadline<DB>(db: Kysely<DB>, areas: readonly AnyArea[] = AREAS): Promise<MigrationReport> {
  return migrateToLatest(db, allMigrations(areas))
}

export function createPlatformServices<DB>(
  config: Config,
  handle: DatabaseHandle<DB>,
  options: WireOptions = {},
): PlatformServices & { db: Kysely<Database> } {
  const platformHandle = handle as unknown as DatabaseHandle
  const db = platformHandle.db
  const audit = new AuditService(db, new AuditRepository(db), {
    key: () => config.auditKey,
    checkpointFile: config.auditCheckpointFile,
  })
  return {
    config,
    dialect: handle.dialect,
    databaseHandle: platformHandle,
    audit,
    users: new UserService(db, new UserRepository(db), audit),
    sessionStore: new DatabaseSessionStore(db),
    options,
    obligationSources: [],
    recordNames: platformRecordNames(db),
    db: handle.db as unknown as Kysely<Database>,
  }
}

/** Builds the platform's services and every area's on an open, migrated database. */
export function wireServices<DB>(
  config: Config,
  handle: DatabaseHandle<DB>,
  options: WireOptions = {},
  areas: readonly AnyArea[] = AREAS,
): Services {
  return wireAreas<Services>(createPlatformServices(config, handle, options), areas)
}

/** Opens the configured database, brings its schema up to date and wires every service on it. */
export async function createServices(
  config: Config,
  handle?: DatabaseHandle<Database>,
  areas: readonly AnyArea[] = AREAS,
): Promise<Services> {
  const database = handle ?? openDatabase<Database>(config.databaseUrl)
  await migrateThreadline(database.db, areas)
  return wireServices(config, database, {}, areas)
}
