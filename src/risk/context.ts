// What the risk area builds, and what its pages, commands and demo loader are handed (platform/area.ts).
import type { CrimeServices } from '../crime/index.ts'
import type { PlatformServices } from '../platform/area.ts'
import type { RiskReviewMeasure, RiskService } from './services/riskService.ts'

export interface RiskServices {
  service: RiskService
  /** Assessments made in a period, reviewed and reviewed on time (evidence 12.2). */
  reviewMeasure(forceId: number, period: { from: string; to: string }): Promise<RiskReviewMeasure>
}

/** What this area needs from others: the crime index its records hang on. */
export interface RiskNeeds {
  crime: CrimeServices
}

export type RiskContext = PlatformServices & { risk: RiskServices } & RiskNeeds
