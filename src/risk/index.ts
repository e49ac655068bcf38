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
import { MeetingRepository } from './data/meetingRepository.ts'
import { MeetingService } from './services/meetingService.ts'
import { meetingRouter } from './routes/meetings.ts'
import { registerRiskCommands } from './cli.ts'
import { loadTools } from './services/tools.ts'

export type { RiskContext, RiskNeeds, RiskServices } from './context.ts'
export type { RiskDatabase, RiskTables } from './data/tables.ts'
export { RISK_LEVEL_LABELS, RISK_LEVEL_RANK, type RiskLevel } from './services/tools.ts'

const tools = loadTools()

export function createRiskServices(
  platform: PlatformServices,
  { crime, safeguarding, cases }: RiskNeeds,
  now?: () => Date,
): RiskServices {
  const db = areaDatabase<RiskDatabase>(platform)
  const service = new RiskService(new RiskRepository(db), platform.audit, crime, tools, now)
  const meetings = new MeetingService(
    new MeetingRepository(db),
    platform.audit,
    safeguarding,
    cases,
    (id) => service.toolName(id),
    now,
  )
  return {
    service,
    reviewMeasure: (forceId, period) => service.reviewMeasure(forceId, period),
    meetings,
    discussedMeasure: (forceId, period) => meetings.discussedMeasure(forceId, period),
  }
}

export const riskArea = defineArea<RiskTables>()({
  name: 'risk',
  needs: ['crime', 'safeguarding', 'cases'],
  migrations: riskMigrations,
  obligations: (platform) => [riskObligationSource(areaDatabase<RiskDatabase>(platform), tools)],
  create: (platform, needs: RiskNeeds): RiskServices => createRiskServices(platform, needs),
  web: (services: RiskContext) => ({
    routers: [
      { path: '/risk', router: meetingRouter(services) },
      { path: '/risk', router: riskRouter(services) },
    ],
    navigation: [
      {
        text: 'Daily meeting',
        href: '/risk/daily',
        capability: 'case:supervise',
        hub: 'Case work',
        description: "The daily management meeting's list of stalking cases, and the meetings recorded",
      },
    ],
  }),
  commands: registerRiskCommands,
})
