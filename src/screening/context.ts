// What the screening area builds, and what its pages and commands are handed (platform/area.ts).
import type { CrimeServices } from '../crime/index.ts'
import type { PlatformServices } from '../platform/area.ts'
import type { ActorContext } from '../platform/services/auditService.ts'
import type { ScreeningRepository } from './data/screeningRepository.ts'
import type { MeasureOptions, RunSummary, ScreeningMeasures, ScreeningService } from './services/screeningService.ts'

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

/** What screening needs from others: the crime index it screens. */
export interface ScreeningNeeds {
  crime: CrimeServices
}

export type ScreeningContext = PlatformServices & { screening: ScreeningServices } & ScreeningNeeds
