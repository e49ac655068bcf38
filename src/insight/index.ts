import type { PlatformServices } from '../compositionRoot.ts'
import { InsightRepository } from './data/insightRepository.ts'
import { InsightService } from './services/insightService.ts'

export interface InsightServices {
  evidence: InsightService
}

export function createInsightServices(platform: PlatformServices, stalkingCodes: () => string[]): InsightServices {
  return { evidence: new InsightService(new InsightRepository(platform.db), stalkingCodes) }
}
