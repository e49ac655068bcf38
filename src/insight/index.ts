import { defineArea, type PlatformServices } from '../platform/area.ts'
import type { InsightContext, InsightNeeds, InsightServices } from './context.ts'
import { insightApiRouter, insightOpenApiPaths } from './routes/api.ts'
import { insightRouter } from './routes/pages.ts'
import { InsightService } from './services/insightService.ts'
import { ProblemProfileService } from './services/problemProfile.ts'

export type { InsightContext, InsightNeeds, InsightServices } from './context.ts'

const isoDay = (instant: string) => instant.slice(0, 10)
const dayBefore = (instant: string) => new Date(Date.parse(instant) - 86_400_000).toISOString().slice(0, 10)

export function createInsightServices(
  platform: PlatformServices,
  { crime, screening, safeguarding, victims, investigation, assurance, cases, risk, partners }: InsightNeeds,
): InsightServices {
  const stalkingCodes = () => crime.catalogue.classes.filter((entry) => entry.isStalking).map((entry) => entry.code)
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
    evidence.useSafeguardingFigures({
      spoMeasure: (forceId, period) => safeguarding.spoMeasure(forceId, period),
      ordersMeasure: (forceId, period) => safeguarding.ordersMeasure(forceId, period),
    })
  // Risk assessments reviewed and high-risk cases at the daily meeting (12.2, 12.4) through the risk area's service.
  if (risk)
    evidence.useRiskFigures({
      reviewMeasure: (forceId, period) => risk.reviewMeasure(forceId, period),
      discussedMeasure: (forceId, period) => risk.discussedMeasure(forceId, period),
    })
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
  // Allocation and investigation quality figures through the investigation area's service, never its tables.
  if (investigation)
    evidence.useInvestigationFigures({
      investigationMeasure: (forceId, period) => investigation.investigationMeasure(forceId, period),
      trainingMeasure: (forceId, courseId, period) => investigation.trainingMeasure(forceId, courseId, period),
    })
  // Case audit compliance and victim satisfaction (11.2, 11.3) through the assurance area's service, never its tables.
  if (assurance)
    evidence.useAssuranceFigures({
      auditMeasure: (forceId, period) => assurance.auditMeasure(forceId, period),
      satisfactionMeasure: (forceId, period) => assurance.satisfactionMeasure(forceId, period),
    })
  // Digital safeguarding referrals (20.4) and perpetrator programmes (25.1) through the partners area's service.
  if (partners)
    evidence.usePartnerFigures({
      partnerMeasure: (forceId, period) => partners.service.partnerMeasure(forceId, period),
    })
  // Each obligation met on time (12.1, 12.2, 13.2, 14.1 to 14.4, 17.1, 18.2) through the case work area's service.
  if (cases)
    evidence.useCaseWorkFigures({
      obligationMeasure: (forceId, obligationId, period) => cases.obligationMeasure(forceId, obligationId, period),
      describe: (obligationId) => {
        const found = cases.service.catalogue.byId.get(obligationId)
        return found
          ? {
              wording: found.wording,
              due: `${found.due.days} ${found.due.kind} ${found.due.days === 1 ? 'day' : 'days'} by default`,
            }
          : undefined
      },
    })
  return { evidence, profile }
}

export const insightArea = defineArea<object>()({
  name: 'insight',
  needs: ['crime', 'screening'],
  uses: ['safeguarding', 'victims', 'investigation', 'assurance', 'cases', 'risk', 'partners'],
  migrations: {},
  create: (platform, needs: InsightNeeds): InsightServices => createInsightServices(platform, needs),
  /** The stalking problem profile (the evidence figures appear on the plan's pages). */
  web: (services: InsightContext) => ({
    routers: [
      { path: '/insight', router: insightRouter(services) },
      { path: '/api/insight', router: insightApiRouter(services) },
    ],
    navigation: [{ text: 'Problem profile', href: '/insight/profile', capability: 'analysis:read', hub: 'Assurance' }],
    openapiPaths: insightOpenApiPaths,
  }),
})
