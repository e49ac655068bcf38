import type { Services } from '../compositionRoot.ts'
import type { CrimeServices } from '../crime/index.ts'
import type { AreaRoutes } from '../platform/area.ts'
import type { PlatformServices } from '../compositionRoot.ts'
import type { ActorContext } from '../platform/services/auditService.ts'
import { ScreeningRepository } from './data/screeningRepository.ts'
import { screeningApiRouter, screeningOpenApiPaths } from './routes/api.ts'
import { screeningRouter } from './routes/pages.ts'
import {
  ScreeningService,
  type MeasureOptions,
  type RunSummary,
  type ScreeningMeasures,
} from './services/screeningService.ts'

export { registerScreeningCommands } from './cli.ts'

export interface ScreeningServices {
  repository: ScreeningRepository
  service: ScreeningService
  /** Coverage, yield and time to screen by team and month: for the action plan's evidence items. */
  screeningMeasures(forceId: number, options: MeasureOptions): Promise<ScreeningMeasures>
  /** Screening outcome and latest S-DASH per crime: for the crime area's pages and search results. */
  outcomesOf: ScreeningService['outcomesOf']
  /** The incremental run: call after an import with the force whose crimes changed. */
  screenChangedCrimes(actor: ActorContext, forceId: number): Promise<RunSummary>
  /** Crimes carrying the codes in the period and how many have an S-DASH: for the action plan's evidence items. */
  sdashCompletion: ScreeningRepository['sdashCompletion']
  /** Courses of conduct whose latest incident was reported in the period. */
  coursesOfConduct: ScreeningRepository['coursesOfConduct']
}

export function createScreeningServices(platform: PlatformServices, crime: CrimeServices): ScreeningServices {
  const repository = new ScreeningRepository(platform.db)
  const service = new ScreeningService(repository, platform.audit, crime)
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

export function screeningRoutes(services: Services): AreaRoutes {
  return {
    routers: [
      { path: '/screening', router: screeningRouter(services) },
      { path: '/api/screening', router: screeningApiRouter(services) },
    ],
    navigation: [{ text: 'Screening', href: '/screening', capability: 'screening:read' }],
    openapiPaths: screeningOpenApiPaths,
  }
}
