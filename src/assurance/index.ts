// Assurance (Recommendation 11.2 and 11.3): case audits of a reproducible random sample of the force's stalking crimes
// against a checklist kept as data, and victims' feedback from satisfaction surveys, with live figures for the plan.
import { Random } from '../platform/random.ts'
import { areaDatabase, defineArea, type PlatformServices } from '../platform/area.ts'
import { addDays } from '../platform/days.ts'
import type { ActorContext } from '../platform/services/auditService.ts'
import { DEMO_FORCE } from '../platform/services/demoUsers.ts'
import { AssuranceRepository } from './data/assuranceRepository.ts'
import { SATISFACTION, SURVEY_METHODS, type Satisfaction } from './data/tables.ts'
import { assuranceApiRouter, assuranceOpenApiPaths } from './routes/api.ts'
import { assuranceRouter } from './routes/pages.ts'
import { loadAuditChecklist } from './services/checklist.ts'
import { AssuranceService, METRICS, STALKING_KEY } from './services/assuranceService.ts'
import type { AssuranceContext, AssuranceNeeds, AssuranceServices } from './context.ts'
import { assuranceMigrations } from './data/migrations.ts'
import type { AssuranceDatabase, AssuranceTables } from './data/tables.ts'

export type { AssuranceContext, AssuranceNeeds, AssuranceServices } from './context.ts'

export function createAssuranceServices(platform: PlatformServices, { crime }: AssuranceNeeds): AssuranceServices {
  const repository = new AssuranceRepository(areaDatabase<AssuranceDatabase>(platform))
  const service = new AssuranceService(repository, platform.audit, crime, loadAuditChecklist())
  return {
    service,
    auditMeasure: (forceId, period) => service.auditMeasure(forceId, period),
    satisfactionMeasure: (forceId, period) => service.satisfactionMeasure(forceId, period),
  }
}

const DEMO_SEED = 11
const NO_NOTES: Record<string, string[]> = {
  recorded: ['Recorded as harassment at first; stalking added only at review.'],
  riskAssessed: ['No stalking screening tool completed at first contact.'],
  spoConsidered: ['No record that a Stalking Protection Order was considered.'],
  victimNeeds: ['Needs assessed but no referral made although support was wanted.'],
  linesOfEnquiry: ['Phone data not requested; CCTV not sought in time.'],
  supervision: ['No supervisory review for over a month.'],
  outcome: ['Closed without a recorded rationale.'],
  victimInformed: ['No update recorded after the suspect was released.'],
}
const COMMENTS = [
  'The officer called back when they said they would.',
  'I had to chase for updates several times.',
  'I felt believed from the first call.',
  '',
  '',
]

/** A demo answer leaning to satisfied, as forces' surveys usually do; sometimes not answered. */
function demoSatisfaction(random: Random): Satisfaction {
  const roll = random.next()
  if (roll < 0.05) return 'not_answered'
  if (roll < 0.35) return 'very_satisfied'
  if (roll < 0.65) return 'fairly_satisfied'
  if (roll < 0.78) return 'neither'
  if (roll < 0.9) return 'fairly_dissatisfied'
  return SATISFACTION[4]
}

/**
 * Demo data: one case audit of the demo force's stalking crimes over the last year, with findings on most of its
 * sampled cases, and survey responses from a seeded share of the victims of its stalking crimes 6 to 12 weeks after
 * the report (never after today), recorded through the service so they are audited like a person's. Invented text
 * only; no person's details. Loaded once: a force that already has audits or surveys is left alone.
 */
export async function loadAssuranceDemo(services: AssuranceContext, actor: ActorContext): Promise<void> {
  const force = await services.crime.repository.forceByName(DEMO_FORCE)
  if (!force) return
  const repository = new AssuranceRepository(areaDatabase<AssuranceDatabase>(services))
  const service = services.assurance.service
  const viewer = { actor: { ...actor, forceId: force.id }, forceId: force.id }
  const random = new Random(DEMO_SEED)
  const today = new Date().toISOString().slice(0, 10)

  if (!(await repository.hasAudits(force.id))) {
    const all = await repository.crimesInPeriod(force.id, STALKING_KEY, {
      from: '0000-01-01T00:00:00.000Z',
      to: `${addDays(today, 1)}T00:00:00.000Z`,
    })
    if (all.length > 0) {
      const last = all[all.length - 1].reported_at.slice(0, 10)
      const first =
        addDays(last, -365) > all[0].reported_at.slice(0, 10) ? addDays(last, -365) : all[0].reported_at.slice(0, 10)
      const { auditId } = await service.createAudit(viewer, {
        title: 'Stalking case audit: the last year',
        periodFrom: first,
        periodTo: last,
        sampleSize: '20',
      })
      // Read through the repository, not the audited page view: the loader is not a person reading the sample.
      for (const entry of await repository.casesOf(auditId, STALKING_KEY)) {
        if (random.next() >= 0.7) continue
        const form: Record<string, string> = {}
        for (const question of service.checklist.questions) {
          const roll = random.next()
          const answer = roll < 0.72 ? 'yes' : roll < 0.88 ? 'no' : 'not_applicable'
          form[question.id] = answer
          if (answer === 'no') form[`${question.id}-note`] = random.pick(NO_NOTES[question.id] ?? ['Not done.'])
        }
        await service.recordFindings(viewer, auditId, entry.crime_id, form)
      }
    }
  }

  if (!(await repository.hasSurveys(force.id))) {
    for (const victim of await services.crime.repository.victimsOfCrimesWithKey(force.id, STALKING_KEY)) {
      if (random.next() >= 0.35) continue
      const surveyedOn = addDays(victim.reported_at.slice(0, 10), random.between(42, 84))
      if (surveyedOn > today) continue
      const form: Record<string, string> = {
        surveyedOn,
        method: random.next() < 0.7 ? 'telephone' : random.pick(SURVEY_METHODS),
        comment: random.pick(COMMENTS),
      }
      for (const { field } of METRICS) form[field] = demoSatisfaction(random)
      await service.recordSurvey(viewer, victim.crime_id, victim.person_id, form)
    }
  }
}

export const assuranceArea = defineArea<AssuranceTables>()({
  name: 'assurance',
  needs: ['crime'],
  migrations: assuranceMigrations,
  create: (platform, needs: AssuranceNeeds): AssuranceServices => createAssuranceServices(platform, needs),
  web: (services: AssuranceContext) => ({
    routers: [
      { path: '/assurance', router: assuranceRouter(services) },
      { path: '/api/assurance', router: assuranceApiRouter(services) },
    ],
    navigation: [
      { text: 'Case audits', href: '/assurance/audits', capability: 'analysis:read', hub: 'Assurance' },
      { text: 'Victim feedback', href: '/assurance/feedback', capability: 'analysis:read', hub: 'Assurance' },
    ],
    openapiPaths: assuranceOpenApiPaths,
  }),
  loadDemo: loadAssuranceDemo,
})
