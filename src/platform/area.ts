// How a domain area plugs into the platform (docs/adr/0012-areas-as-modules.md). An area is a folder whose index.ts
// exports one AreaModule: its migrations, the services it builds, its web part (routers, navigation, OpenAPI paths),
// CLI commands, obligations, jobs and demo data. The composition root lists the areas; the platform takes that list
// and names no area. An area states what it needs from others as its own interface (its Context), never by importing
// the composition root.
import type { Command } from 'commander'
import type { RequestHandler, Router } from 'express'
import type { Kysely, Migration } from 'kysely'
import type { Config } from '../config.ts'
import type { DatabaseHandle, DialectName } from './data/database.ts'
import type { DatabaseSessionStore } from './data/sessionStore.ts'
import type { ObligationSource } from './obligations.ts'
import type { ActorContext, AuditService } from './services/auditService.ts'
import type { UserService } from './services/userService.ts'
import type { NavigationEntry } from './web/navigation.ts'
import type { RecordNames } from './services/recordNames.ts'

export interface WireOptions {
  /** Screen and link each import's crimes as it commits (default). Tests of explicit screening runs turn it off. */
  screenOnImport?: boolean
}

/** What the platform hands every area. */
export interface PlatformServices {
  config: Config
  dialect: DialectName
  databaseHandle: DatabaseHandle
  audit: AuditService
  users: UserService
  sessionStore: DatabaseSessionStore
  options: WireOptions
  /** Every area's obligation sources (collected before any area is created), for the case work area. */
  obligationSources: readonly ObligationSource[]
  /** How each area's records are named in the audit log (registered by the owning area). */
  recordNames: RecordNames
}

/**
 * The one database, typed with an area's tables. Every area's tables live in the database the platform opened (the
 * composition root's migrations created them all), so the platform's handle is the area's handle under its own type.
 */
export function areaDatabase<Tables>(platform: Pick<PlatformServices, 'databaseHandle'>): Kysely<Tables> {
  return platform.databaseHandle.db as unknown as Kysely<Tables>
}

/** How an area plugs into the web app: public routers before sign-in is required, the rest after. */
export interface AreaWeb {
  /** Mounted before sign-in is required (published plans, their exports). */
  publicRouters?: { path: string; router: Router }[]
  /** Run on every signed-in request before any router (e.g. counts shown in the navigation). */
  middleware?: RequestHandler[]
  /** Mounted after sign-in is required. */
  routers?: { path: string; router: Router }[]
  /** Links in the service navigation, shown when the user's permissions allow; grouped into hubs (navigation.ts). */
  navigation?: NavigationEntry[]
  /**
   * Paths whose multipart posts the area's route reads itself with receiveStreamedUploads (large files to disk): the
   * app's in-memory upload limit and CSRF check skip them, and the route checks the form's token before any file.
   */
  streamedUploads?: string[]
  /** OpenAPI 3.1 path items for this area's JSON API under /api/, merged into /api/openapi.json. */
  openapiPaths?: Record<string, unknown>
}

/** What a CLI command gets: a way to run with the database opened, migrated and wired, and closed afterwards. */
export interface CliContext<Services = PlatformServices> {
  withServices<T>(options: { db?: string }, run: (services: Services) => Promise<T>): Promise<T>
  loadConfig(options: { db?: string }): Config
}

export type RegisterCommands<Services = PlatformServices> = (program: Command, context: CliContext<Services>) => void

/**
 * One area. `Context` is everything the area's web part, commands and demo loader use: the platform's services, its
 * own services under its name, and the other areas' services it needs (declared by the area, supplied by the list).
 */
export interface AreaModule<Name extends string, Own, Context, Tables> {
  name: Name
  /** Areas whose services `create` uses: each must be in the composition root's list, and is built first. */
  needs: readonly string[]
  /** Areas built (and their demo data loaded) first when they are in the list; the area works without them. */
  uses?: readonly string[]
  /** Phantom: the area's table types, for the composition root's Database type. Never read at run time. */
  tables?: Tables
  migrations: Record<string, Migration>
  /** Obligation sources answer from the area's own tables; collected from every area before any is created. */
  obligations?(platform: PlatformServices): ObligationSource[]
  create(platform: PlatformServices, others: Context): Own
  web?(services: Context): AreaWeb
  commands?: RegisterCommands<Context>
  /** Background jobs inside `npm start`; returns how to stop them. */
  startJobs?(services: Context, log: (message: string, error?: unknown) => void): () => void
  /** Loads the area's demo data into a new embedded database (in list order). */
  loadDemo?(services: Context, actor: ActorContext): Promise<void>
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyArea = AreaModule<string, any, any, any>

/** Declares an area with its table types given, the rest inferred. */
export function defineArea<Tables>() {
  return <Name extends string, Own, Context>(area: AreaModule<Name, Own, Context, Tables>) => area
}

/** The services each area builds, under the area's name. */
export type ServicesOf<Areas extends readonly AnyArea[]> = {
  [A in Areas[number] as A['name']]: ReturnType<A['create']>
}

type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never

/** Every area's tables, for the composition root's Database type. */
export type TablesOf<Areas extends readonly AnyArea[]> = UnionToIntersection<NonNullable<Areas[number]['tables']>>

/** An area once wired: what the web app, the server and the demo loader call. */
export interface WiredArea {
  name: string
  /** When it was built (and its demo data is loaded): after everything it needs and uses. */
  buildOrder: number
  /** Builds the area's routers (called once, by the web app). */
  web?(): AreaWeb
  startJobs?(log: (message: string, error?: unknown) => void): () => void
  loadDemo?(actor: ActorContext): Promise<void>
}

/** Every migration: the platform's, then each area's in list order. */
export function migrationsOf(
  platformMigrations: Record<string, Migration>,
  areas: readonly AnyArea[],
): Record<string, Migration> {
  const all: Record<string, Migration> = { ...platformMigrations }
  for (const area of areas) {
    for (const [name, migration] of Object.entries(area.migrations)) {
      if (name in all) throw new Error(`Migration "${name}" of area ${area.name} has the name of another migration`)
      all[name] = migration
    }
  }
  return all
}

/**
 * The order to build the areas in: each after the areas it needs or uses, otherwise in list order. Says which area
 * needs one that is not in the list, and which areas need each other.
 */
export function buildOrder(areas: readonly AnyArea[]): AnyArea[] {
  const names = new Set<string>()
  for (const area of areas) {
    if (names.has(area.name)) throw new Error(`Area "${area.name}" is listed twice`)
    names.add(area.name)
  }
  for (const area of areas) {
    for (const need of area.needs) {
      if (!names.has(need)) throw new Error(`Area "${area.name}" needs area "${need}", which is not in the list`)
    }
  }
  const before = (area: AnyArea) => [...area.needs, ...(area.uses ?? [])].filter((name) => names.has(name))
  const built: AnyArea[] = []
  const done = new Set<string>()
  while (built.length < areas.length) {
    const next = areas.find((area) => !done.has(area.name) && before(area).every((name) => done.has(name)))
    if (!next) {
      const stuck = areas.filter((area) => !done.has(area.name)).map((area) => area.name)
      throw new Error(`Areas ${stuck.join(', ')} need each other: none can be built first`)
    }
    built.push(next)
    done.add(next.name)
  }
  return built
}

/**
 * Builds each area's services (in build order), hands every area the whole set, and returns the set with each area's
 * wired web part, jobs and demo loader, in list order (the order of the navigation and the routers).
 */
export function wireAreas<Services extends PlatformServices>(
  platform: Omit<PlatformServices, 'obligationSources'>,
  areas: readonly AnyArea[],
): Services & { areas: WiredArea[] } {
  const order = buildOrder(areas)
  const obligationSources: ObligationSource[] = []
  const base: PlatformServices = { ...platform, obligationSources }
  for (const area of areas) obligationSources.push(...(area.obligations?.(base) ?? []))
  const services: Record<string, unknown> = { ...base }
  for (const area of order) services[area.name] = area.create(base, services)
  const wired: WiredArea[] = areas.map((area) => ({
    name: area.name,
    buildOrder: order.indexOf(area),
    web: area.web && (() => area.web!(services)),
    startJobs: area.startJobs && ((log) => area.startJobs!(services, log)),
    loadDemo: area.loadDemo && ((actor) => area.loadDemo!(services, actor)),
  }))
  services.areas = wired
  return services as unknown as Services & { areas: WiredArea[] }
}
