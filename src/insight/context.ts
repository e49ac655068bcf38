// What the insight area builds (evidence figures, the problem profile), and what it needs (platform/area.ts).
import type { AssuranceServices } from '../assurance/index.ts'
import type { CaseServices } from '../cases/index.ts'
import type { CrimeServices } from '../crime/index.ts'
import type { InvestigationServices } from '../investigation/index.ts'
import type { PartnerServices } from '../partners/index.ts'
import type { RiskServices } from '../risk/index.ts'
import type { SafeguardingServices } from '../safeguarding/index.ts'
import type { ScreeningServices } from '../screening/index.ts'
import type { VictimServices } from '../victims/index.ts'
import type { PlatformServices } from '../platform/area.ts'
import type { InsightService } from './services/insightService.ts'
import type { ProblemProfileService } from './services/problemProfile.ts'

export interface InsightServices {
  evidence: InsightService
  /** The stalking problem profile (Recommendation 11: evidence 11.1 and 11.4). */
  profile: ProblemProfileService
}

/**
 * What insight needs from others: the figures each area gives through its service (never its tables). Screening and
 * the crime index are required; an area left out of the list simply gives no figures.
 */
export interface InsightNeeds {
  crime: CrimeServices
  screening: ScreeningServices
  safeguarding?: SafeguardingServices
  victims?: VictimServices
  investigation?: InvestigationServices
  assurance?: AssuranceServices
  cases?: CaseServices
  risk?: RiskServices
  partners?: PartnerServices
}

export type InsightContext = PlatformServices & { insight: InsightServices } & InsightNeeds
