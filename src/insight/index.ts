import type { PlatformServices, Services } from '../compositionRoot.ts'
import type { CrimeServices } from '../crime/index.ts'
import type { AreaRoutes } from '../platform/area.ts'
import type { SafeguardingServices } from '../safeguarding/index.ts'
import type { ScreeningServices } from '../screening/index.ts'
import type { VictimServices } from '../victims/index.ts'
import { insightApiRouter, insightOpenApiPaths } from './routes/api.ts'
import { insightRouter } from './routes/pages.ts'
import { InsightService } from './services/insightService.ts'
import { ProblemProfileService } from './services/problemProfile.ts'

export interface InsightServices {
  evidence: InsightService
  /** The stalking problem profile (Recommendation 11: evidence 11.1 and 11.4). */
  profile: ProblemProfileService
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
  const evidence = new InsightService(crime.aggregates, stalkingCodes, {
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
    sdashCompletion: (forceId, period) => screening.sdashCompletion(forceId, stalkingCodes(), period),
    coursesOfConduct: (forceId, period) => screening.coursesOfConduct(forceId, period),
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
  // The problem profile: the crime area's aggregate queries, screening's figures through its service (the courses of
  // conduct as the evidence figure counts them), SPO figures through the safeguarding area's service.
  const profile = new ProblemProfileService({
    queries: crime.aggregates,
    catalogue: crime.catalogue,
    audit: platform.audit,
    forceName: (forceId) => crime.repository.forceName(forceId),
    screening: {
      async screening(forceId, range) {
        const { total } = await screening.screeningMeasures(forceId, { from: range.from, to: range.to, withinDays: 28 })
        return { screened: total.screened, screenedIn: total.stalkingIdentified }
      },
      coursesOfConduct: (forceId, period) => screening.coursesOfConduct(forceId, period),
    },
    safeguarding: safeguarding && { spoMeasure: (forceId, period) => safeguarding.spoMeasure(forceId, period) },
  })
  return { evidence, profile }
}

/** The insight area's pages and API: the stalking problem profile (evidence figures appear on the plan's pages). */
export function insightRoutes(services: Services): AreaRoutes {
  return {
    routers: [
      { path: '/insight', router: insightRouter(services) },
      { path: '/api/insight', router: insightApiRouter(services) },
    ],
    navigation: [{ text: 'Problem profile', href: '/insight/profile', capability: 'analysis:read', hub: 'Assurance' }],
    openapiPaths: insightOpenApiPaths,
  }
}
