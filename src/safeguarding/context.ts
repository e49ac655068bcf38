// What the safeguarding area builds, and what its pages and demo loader are handed (platform/area.ts).
import type { CrimeServices } from '../crime/index.ts'
import type { PlatformServices } from '../platform/area.ts'
import type { MeasurePeriod } from './data/safeguardingRepository.ts'
import type { SafeguardingService, SpoMeasure } from './services/safeguardingService.ts'

export interface SafeguardingServices {
  service: SafeguardingService
  /** SPO considerations, applications, orders granted and breaches on the force's stalking crimes in a period. */
  spoMeasure(forceId: number, period: MeasurePeriod): Promise<SpoMeasure>
}

/** What this area needs from others: the crime index its records hang on. */
export interface SafeguardingNeeds {
  crime: CrimeServices
}

export type SafeguardingContext = PlatformServices & { safeguarding: SafeguardingServices } & SafeguardingNeeds
