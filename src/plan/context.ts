// What the action plan area builds, and what its pages and commands are handed (platform/area.ts).
import type { InsightServices } from '../insight/index.ts'
import type { PlatformServices } from '../platform/area.ts'
import type { PlanRepository } from './data/planRepository.ts'
import type { PlanHarvester } from './services/harvest.ts'
import type { PlanService } from './services/planService.ts'

export interface PlanServices {
  service: PlanService
  repository: PlanRepository
  /** Reads a force's published plan from the web (plan harvest). */
  harvester: PlanHarvester
}

/** What plans need from others: each evidence requirement's live figures from Threadline's records (insight's). */
export interface PlanNeeds {
  insight: Pick<InsightServices, 'evidence'>
}

export type PlanContext = PlatformServices & { plan: PlanServices } & PlanNeeds
