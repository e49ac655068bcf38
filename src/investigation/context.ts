// What the investigation area builds, and what its pages and demo loader are handed (platform/area.ts).
import type { CrimeServices } from '../crime/index.ts'
import type { PlatformServices } from '../platform/area.ts'
import type { MeasurePeriod } from './data/investigationRepository.ts'
import type { InvestigationMeasure, InvestigationService } from './services/investigationService.ts'

export interface InvestigationServices {
  service: InvestigationService
  /** Allocation and investigation quality counts on the force's stalking crimes in a period. */
  investigationMeasure(forceId: number, period: MeasurePeriod): Promise<InvestigationMeasure>
}

/** What this area needs from others: the crime index its records hang on. */
export interface InvestigationNeeds {
  crime: CrimeServices
}

export type InvestigationContext = PlatformServices & { investigation: InvestigationServices } & InvestigationNeeds
