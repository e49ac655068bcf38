import type { Services } from '../compositionRoot.ts'
import type { AreaRoutes } from '../platform/area.ts'
import type { PlatformServices } from '../compositionRoot.ts'
import type { ActorContext } from '../platform/services/auditService.ts'
import { DEMO_FORCE, SECOND_DEMO_FORCE } from '../platform/services/demoUsers.ts'
import { generateRecords } from './generator/index.ts'
import { CrimeRepository } from './data/crimeRepository.ts'
import { crimeApiRouter, crimeOpenApiPaths } from './routes/api.ts'
import { crimeImportRouter, crimePagesRouter } from './routes/pages.ts'
import { ClassificationCatalogue } from './services/classifications.ts'
import { CrimeService } from './services/crimeService.ts'
import { CrimeImportService } from './services/importService.ts'
import { CrimeProfileQueries } from './data/crimeProfileQueries.ts'

export interface CrimeServices {
  catalogue: ClassificationCatalogue
  repository: CrimeRepository
  /** Counts over the crime tables for the problem profile and the plan's live figures (never a person's details). */
  aggregates: CrimeProfileQueries
  records: CrimeService
  importer: CrimeImportService
}

let catalogue: ClassificationCatalogue | null = null

export function createCrimeServices(platform: PlatformServices): CrimeServices {
  catalogue ??= ClassificationCatalogue.load()
  const repository = new CrimeRepository(platform.db, {
    sqlitePath: platform.dialect === 'sqlite' ? platform.databaseHandle.description : undefined,
    pgPool: platform.databaseHandle.pgPool,
  })
  return {
    catalogue,
    repository,
    aggregates: new CrimeProfileQueries(platform.db),
    records: new CrimeService(repository, platform.audit, catalogue),
    importer: new CrimeImportService(repository, platform.audit, catalogue),
  }
}

export function crimeRoutes(services: Services): AreaRoutes {
  return {
    routers: [
      { path: '/crimes/import', router: crimeImportRouter(services) },
      { path: '/crimes', router: crimePagesRouter(services) },
      { path: '/api/crimes', router: crimeApiRouter(services) },
    ],
    navigation: [
      { text: 'Crimes', href: '/crimes', capability: 'case:read', hub: 'Crimes' },
      { text: 'Import crimes', href: '/crimes/import', capability: 'case:import', hub: 'Crimes' },
    ],
    openapiPaths: crimeOpenApiPaths,
  }
}

export { registerCrimeCommands } from './cli.ts'

/** Demo forces and how many generated records each gets (seeded: the same every time). */
export const CRIME_DEMO = [
  { force: DEMO_FORCE, crimes: 2000, seed: 1 },
  { force: SECOND_DEMO_FORCE, crimes: 200, seed: 2 },
]

/** Loads this area's demo data into a new embedded database (called once by `threadline demo load`). */
export async function loadCrimeDemo(services: Services, actor: ActorContext): Promise<void> {
  for (const { force, crimes, seed } of CRIME_DEMO) {
    const items = (function* () {
      let line = 1
      for (const { record } of generateRecords({ crimes, seed, force })) {
        yield { record, source: { file: `generator (seed ${seed})`, line: ++line } }
      }
    })()
    const summary = await services.crime.importer.importRecords(actor, items, { force, files: [`generator:${seed}`] })
    if (!summary.written) throw new Error(`Crime demo data for ${force} was refused: ${summary.problems[0]?.message}`)
  }
}
