// Crime: the crime index with principal and searchable included classifications (Recommendation 7), imports from
// forces' records systems, search, and the stalking crimes every other area starts from.
import { areaDatabase, defineArea, type PlatformServices } from '../platform/area.ts'
import type { ActorContext } from '../platform/services/auditService.ts'
import { DEMO_FORCE, SECOND_DEMO_FORCE } from '../platform/services/demoUsers.ts'
import { registerCrimeCommands } from './cli.ts'
import type { CrimeContext, CrimeServices } from './context.ts'
import { CrimeProfileQueries } from './data/crimeProfileQueries.ts'
import { CrimeRepository } from './data/crimeRepository.ts'
import { crimeMigrations } from './data/migrations.ts'
import { CrimeObligationRepository } from './data/obligationRepository.ts'
import type { CrimeDatabase, CrimeTables } from './data/tables.ts'
import { generateRecords } from './generator/index.ts'
import { crimeObligationSource } from './obligations.ts'
import { crimeApiRouter, crimeOpenApiPaths } from './routes/api.ts'
import { crimeImportRouter, crimePagesRouter } from './routes/pages.ts'
import { ClassificationCatalogue } from './services/classifications.ts'
import { CrimeService } from './services/crimeService.ts'
import { CrimeImportService } from './services/importService.ts'
import { CrimeImportJobs } from './services/importJobs.ts'
import { ImportJobRepository } from './data/importJobRepository.ts'

export type { CrimeContext, CrimeNeeds, CrimeScreeningOutcome, CrimeServices } from './context.ts'
export type { CrimeDatabase, CrimeTables } from './data/tables.ts'
// What other areas build on: the crimes carrying a search key (their lists and measures start from it), a crime's
// heading on their pages, the search filters, the aggregate queries' types and the seeded generator (demo data).
export { crimesWithKey } from './data/crimeRepository.ts'
export type { MeasurePeriod } from '../platform/days.ts'
export type { CrimeProfileQueries, DayRange, RoleCounts } from './data/crimeProfileQueries.ts'
export type { ClassificationCatalogue } from './services/classifications.ts'
export { crimeHeading } from './services/crimeService.ts'
export { crimeSearchSchema } from './services/searchFilters.ts'
export { generateRecords } from './generator/index.ts'
export { reference } from './reference/index.ts'
export type { GeneratedRecord, GenerateOptions } from './generator/index.ts'

/** The search key of stalking crimes: 8Q (stalking) as the principal or an included classification. */
export const STALKING_KEY = '8Q'

let catalogue: ClassificationCatalogue | null = null

export function createCrimeServices(platform: PlatformServices): CrimeServices {
  catalogue ??= ClassificationCatalogue.load()
  const db = areaDatabase<CrimeDatabase>(platform)
  const repository = new CrimeRepository(db, {
    sqlitePath: platform.dialect === 'sqlite' ? platform.databaseHandle.description : undefined,
    pgPool: platform.databaseHandle.pgPool,
    // Loaded when the first import runs: most processes never import.
    bulkWriters: {
      sqlite: async (path, run) => (await import('./data/sqliteBulkWriter.ts')).SqliteBulkWriter.run(path, run),
      postgres: async (pool, run) => (await import('./data/pgCopyWriter.ts')).PgCopyWriter.run(pool, run),
    },
  })
  const caseCrimes = new CrimeObligationRepository(db)
  const importer = new CrimeImportService(repository, platform.audit, catalogue)
  platform.recordNames.register('crime', async (ids, forceId) => {
    const numbers = ids.map(Number).filter(Number.isSafeInteger)
    const references = await repository.referencesOf(forceId, numbers)
    return new Map([...references].map(([id, reference]) => [String(id), `Crime ${reference}`]))
  })
  return {
    catalogue,
    repository,
    aggregates: new CrimeProfileQueries(db),
    records: new CrimeService(repository, platform.audit, catalogue),
    importer,
    imports: new CrimeImportJobs(new ImportJobRepository(db), importer, platform.audit),
    caseSummaries: (forceId, crimeIds) => caseCrimes.summaries(forceId, crimeIds),
  }
}

/** Demo forces and how many generated records each gets (seeded: the same every time). */
export const CRIME_DEMO = [
  { force: DEMO_FORCE, crimes: 2000, seed: 1 },
  { force: SECOND_DEMO_FORCE, crimes: 200, seed: 2 },
]

/** Loads this area's demo data into a new embedded database (called once by `threadline demo load`). */
export async function loadCrimeDemo(services: Pick<CrimeContext, 'crime'>, actor: ActorContext): Promise<void> {
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

export const crimeArea = defineArea<CrimeTables>()({
  name: 'crime',
  needs: [],
  migrations: crimeMigrations,
  obligations: (platform) => [crimeObligationSource(areaDatabase<CrimeDatabase>(platform))],
  create: (platform): CrimeServices => createCrimeServices(platform),
  web: (services: CrimeContext) => ({
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
    // Extracts up to config.importUploadLimitBytes, streamed to disk by the import page itself.
    streamedUploads: ['/crimes/import'],
  }),
  startJobs: (services: CrimeContext, log) => {
    services.crime.imports.logTo(log)
    void services.crime.imports
      .recover()
      .catch((error: unknown) => log('could not end interrupted crime imports', error))
    return () => undefined
  },
  commands: registerCrimeCommands,
  loadDemo: loadCrimeDemo,
})
