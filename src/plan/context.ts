// What the action plan area builds, and what its pages and commands are handed (platform/area.ts).
import type { InsightServices } from '../insight/index.ts'
import type { PlatformServices } from '../platform/area.ts'
import type { PlanRepository } from './data/planRepository.ts'
import type { PlanHarvester } from './services/harvest.ts'
import type { PlanService } from './services/planService.ts'
import type { ReturnService } from './services/returns.ts'

export interface PlanServices {
  service: PlanService
  repository: PlanRepository
  /** Reads a force's published plan from the web (plan harvest). */
  harvester: PlanHarvester
  /** NPCC returns: snapshots of the plan as at a date, frozen once approved. */
  returns: ReturnService
}

/** What plans need from others: each evidence requirement's live figures from Threadline's records (insight's). */
export interface PlanNeeds {
  insight: Pick<InsightServices, 'evidence'>
}

export type PlanContext = PlatformServices & { plan: PlanServices } & PlanNeeds
