// Risk (Recommendation 12.2, 12.4): risk assessments with recognised tools kept as data, each reviewed by a
// supervisor or specialist who is not its author within a due period (case work's obligation), and the crime's risk
// history.
import { areaDatabase, defineArea, type PlatformServices } from '../platform/area.ts'
import type { RiskContext, RiskNeeds, RiskServices } from './context.ts'
import { riskMigrations } from './data/migrations.ts'
import { RiskRepository } from './data/riskRepository.ts'
import type { RiskDatabase, RiskTables } from './data/tables.ts'
import { riskObligationSource } from './obligations.ts'
import { riskRouter } from './routes/pages.ts'
import { RiskService } from './services/riskService.ts'
import { loadTools } from './services/tools.ts'

export type { RiskContext, RiskNeeds, RiskServices } from './context.ts'
export type { RiskDatabase, RiskTables } from './data/tables.ts'
export { RISK_LEVEL_LABELS, RISK_LEVEL_RANK, type RiskLevel } from './services/tools.ts'

const tools = loadTools()

export function createRiskServices(platform: PlatformServices, { crime }: RiskNeeds, now?: () => Date): RiskServices {
  const repository = new RiskRepository(areaDatabase<RiskDatabase>(platform))
  const service = new RiskService(repository, platform.audit, crime, tools, now)
  return { service, reviewMeasure: (forceId, period) => service.reviewMeasure(forceId, period) }
}

export const riskArea = defineArea<RiskTables>()({
  name: 'risk',
  needs: ['crime'],
  migrations: riskMigrations,
  obligations: (platform) => [riskObligationSource(areaDatabase<RiskDatabase>(platform), tools)],
  create: (platform, needs: RiskNeeds): RiskServices => createRiskServices(platform, needs),
  web: (services: RiskContext) => ({
    routers: [{ path: '/risk', router: riskRouter(services) }],
  }),
})
