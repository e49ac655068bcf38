// What the risk area builds, and what its pages, commands and demo loader are handed (platform/area.ts).
import type { CaseServices } from '../cases/index.ts'
import type { CrimeServices } from '../crime/index.ts'
import type { PlatformServices } from '../platform/area.ts'
import type { SafeguardingServices } from '../safeguarding/index.ts'
import type { MeetingService } from './services/meetingService.ts'
import type { RiskReviewMeasure, RiskService } from './services/riskService.ts'

export interface RiskServices {
  service: RiskService
  /** Assessments made in a period, reviewed and reviewed on time (evidence 12.2). */
  reviewMeasure(forceId: number, period: { from: string; to: string }): Promise<RiskReviewMeasure>
  /** The daily management meeting: its list, the meetings recorded and their actions. */
  meetings: MeetingService
  /** High-risk cases discussed at a daily meeting within one day (evidence 12.4). */
  discussedMeasure(
    forceId: number,
    period: { from: string; to: string },
  ): Promise<{ highRiskCases: number; discussedWithinOneDay: number }>
}

/**
 * What this area needs from others: the crime index its records hang on; the orders' lists and case work's overdue
 * obligations and people, for the daily list.
 */
export interface RiskNeeds {
  crime: CrimeServices
  safeguarding: SafeguardingServices
  cases: CaseServices
}

export type RiskContext = PlatformServices & { risk: RiskServices } & RiskNeeds
