// Screening and linkage: every crime screened for hidden stalking, S-DASH risk assessment, and incidents linked into
// courses of conduct (Recommendations 12, 20 and 23).
import { areaDatabase, defineArea, type PlatformServices } from '../platform/area.ts'
import { registerScreeningCommands } from './cli.ts'
import type { ScreeningContext, ScreeningNeeds, ScreeningServices } from './context.ts'
import { screeningMigrations } from './data/migrations.ts'
import { ScreeningRepository } from './data/screeningRepository.ts'
import type { ScreeningDatabase, ScreeningTables } from './data/tables.ts'
import { screeningObligationSource } from './obligations.ts'
import { screeningApiRouter, screeningOpenApiPaths } from './routes/api.ts'
import { recordsChangesRouter } from './routes/changes.ts'
import { screeningRouter } from './routes/pages.ts'
import { ScreeningService } from './services/screeningService.ts'

export type { ScreeningContext, ScreeningNeeds, ScreeningServices } from './context.ts'
export { SDASH_QUESTIONS } from './services/sdash.ts'

export function createScreeningServices(platform: PlatformServices, { crime }: ScreeningNeeds): ScreeningServices {
  const repository = new ScreeningRepository(areaDatabase<ScreeningDatabase>(platform))
  const service = new ScreeningService(repository, platform.audit, crime)
  // Linkage and the screening queue follow every import incrementally (issue 5).
  if (platform.options.screenOnImport !== false) {
    crime.importer.onImported((actor, forceId) => service.screenChangedCrimes(actor, forceId))
  }
  return {
    repository,
    service,
    screeningMeasures: (forceId, options) => service.measures(forceId, options),
    outcomesOf: (crimeIds) => service.outcomesOf(crimeIds),
    screenChangedCrimes: (actor, forceId) => service.screenChangedCrimes(actor, forceId),
    sdashCompletion: (forceId, codes, period) => repository.sdashCompletion(forceId, codes, period),
    coursesOfConduct: (forceId, period) => repository.coursesOfConduct(forceId, period),
  }
}

export const screeningArea = defineArea<ScreeningTables>()({
  name: 'screening',
  needs: ['crime'],
  migrations: screeningMigrations,
  obligations: (platform) => [screeningObligationSource(areaDatabase<ScreeningDatabase>(platform))],
  create: (platform, needs: ScreeningNeeds): ScreeningServices => createScreeningServices(platform, needs),
  web: (services: ScreeningContext) => ({
    routers: [
      { path: '/screening', router: screeningRouter(services) },
      // Mounted at the root for its CSV and JSON siblings; each route asks for case:import itself.
      { path: '/', router: recordsChangesRouter(services) },
      { path: '/api/screening', router: screeningApiRouter(services) },
    ],
    navigation: [
      { text: 'Screening', href: '/screening', capability: 'screening:read' },
      // The crime registrar's page, beside the crime imports it answers.
      { text: 'Changes for the records system', href: '/records-changes', capability: 'case:import', hub: 'Crimes' },
    ],
    openapiPaths: screeningOpenApiPaths,
  }),
  commands: registerScreeningCommands,
})
