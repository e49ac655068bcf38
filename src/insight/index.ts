import type { PlatformServices, Services } from '../compositionRoot.ts'
import type { CrimeServices } from '../crime/index.ts'
import type { AreaRoutes } from '../platform/area.ts'
import type { SafeguardingServices } from '../safeguarding/index.ts'
import type { ScreeningServices } from '../screening/index.ts'
import type { VictimServices } from '../victims/index.ts'
import { InsightRepository } from './data/insightRepository.ts'
import { InsightService } from './services/insightService.ts'

export interface InsightServices {
  evidence: InsightService
}

const isoDay = (instant: string) => instant.slice(0, 10)
const dayBefore = (instant: string) => new Date(Date.parse(instant) - 86_400_000).toISOString().slice(0, 10)

export function createInsightServices(
  platform: PlatformServices,
  crime: CrimeServices,
  stalkingCodes: () => string[],
  screening: ScreeningServices,
  safeguarding?: SafeguardingServices,
  victims?: VictimServices,
): InsightServices {
  const repository = new InsightRepository(platform.db)
  const evidence = new InsightService(repository, stalkingCodes, {
    async coverage(forceId, period, withinDays) {
      const { total } = await screening.screeningMeasures(forceId, {
        from: isoDay(period.from),
        to: dayBefore(period.to),
        withinDays,
      })
      return {
        eligible: total.eligible,
        screenedWithin: total.screenedWithin,
        screenedIn: total.stalkingIdentified,
        decided: total.screened,
      }
    },
    sdashCompletion: (forceId, period) => repository.sdashCompletion(forceId, stalkingCodes(), period),
    coursesOfConduct: (forceId, period) => repository.coursesOfConduct(forceId, period),
  })
  // Stalking Protection Orders through the safeguarding area's service, never its tables.
  if (safeguarding)
    evidence.useSafeguardingFigures({ spoMeasure: (forceId, period) => safeguarding.spoMeasure(forceId, period) })
  // Victims' Code rights, needs assessments, referrals and the support directory through the victims area's service.
  if (victims)
    evidence.useVictimFigures({
      victimMeasure: (forceId, period) => victims.victimMeasure(forceId, period),
      directoryMeasure: (forceId) => victims.directoryMeasure(forceId),
    })
  void crime
  return { evidence }
}

/** The insight area's pages and API (evidence figures appear on the plan's pages, through the plan area). */
export function insightRoutes(services: Services): AreaRoutes {
  void services
  return { routers: [], navigation: [] }
}
