import type { Command } from 'commander'
import type { Router } from 'express'
import type { Config } from '../config.ts'
import type { Services } from '../compositionRoot.ts'

/** How an area plugs its routers into the app: public ones before sign-in is required, the rest after. */
export interface AreaRoutes {
  /** Mounted before sign-in is required (published plans, their exports). */
  publicRouters?: { path: string; router: Router }[]
  /** Mounted after sign-in is required. */
  routers?: { path: string; router: Router }[]
  /** Links in the service navigation, shown when the user's permissions allow; grouped into hubs (navigation.ts). */
  navigation?: import('./web/navigation.ts').NavigationEntry[]
  /** OpenAPI 3.1 path items for this area's JSON API under /api/, merged into /api/openapi.json. */
  openapiPaths?: Record<string, unknown>
}

/** What a CLI command gets: a way to run with the database opened, migrated and wired, and closed afterwards. */
export interface CliContext {
  withServices<T>(options: { db?: string }, run: (services: Services) => Promise<T>): Promise<T>
  loadConfig(options: { db?: string }): Config
}

export type RegisterCommands = (program: Command, context: CliContext) => void
