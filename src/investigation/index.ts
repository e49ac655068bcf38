// Investigation: allocation of stalking crimes to officers with the right skills (Recommendation 17) and the quality
// of stalking investigations, reviewed by supervisors against a checklist kept as data (Recommendation 18).
import { Random } from '../platform/random.ts'
import { areaDatabase, defineArea, type PlatformServices } from '../platform/area.ts'
import type { ActorContext } from '../platform/services/auditService.ts'
import { DEMO_FORCE } from '../platform/services/demoUsers.ts'
import { InvestigationRepository } from './data/investigationRepository.ts'
import { investigationApiRouter, investigationOpenApiPaths } from './routes/api.ts'
import { investigationRouter } from './routes/pages.ts'
import { trainingRouter } from './routes/training.ts'
import { registerInvestigationCommands } from './cli.ts'
import { loadChecklist } from './services/checklist.ts'
import { InvestigationService, STALKING_KEY } from './services/investigationService.ts'
import { loadCourses } from './services/learningExport.ts'
import { TrainingService } from './services/trainingService.ts'
import { TrainingRepository } from './data/trainingRepository.ts'
import { addDays, daysBetween } from '../platform/days.ts'
import type { InvestigationContext, InvestigationNeeds, InvestigationServices } from './context.ts'
import { investigationMigrations } from './data/migrations.ts'
import type { InvestigationDatabase, InvestigationTables } from './data/tables.ts'
import { investigationObligationSource } from './obligations.ts'

export type { InvestigationContext, InvestigationNeeds, InvestigationServices } from './context.ts'

export function createInvestigationServices(
  platform: PlatformServices,
  { crime }: InvestigationNeeds,
): InvestigationServices {
  const db = areaDatabase<InvestigationDatabase>(platform)
  const courses = loadCourses()
  const qualifying = courses.filter((course) => course.qualifiesInvestigator).map((course) => course.id)
  const service = new InvestigationService(
    new InvestigationRepository(db),
    platform.audit,
    crime,
    loadChecklist(),
    qualifying,
  )
  const training = new TrainingService(new TrainingRepository(db), platform.audit, courses, service)
  return {
    service,
    training,
    investigationMeasure: (forceId, period) => service.measure(forceId, period),
    trainingMeasure: (forceId, courseId, period) => training.courseFigures(forceId, courseId, period),
  }
}

const DEMO_SEED = 17
const COURSES = [
  'College of Policing stalking investigation course',
  'Force stalking and harassment investigator course',
  'Specialist stalking unit induction',
]
const COMPLEXITY = [
  'Course of conduct over several months with online and in-person contact; suspect uses several accounts.',
  'Former partner; shared child arrangements complicate contact.',
  'Suspect unknown to the victim; tracking device suspected on the car.',
  '',
]
const NOT_ARRESTED = 'Suspect not yet identified; enquiries with the platform continuing.'
const NOT_SEARCHED = 'No premises linked to the suspect yet; review at identification.'
const NOT_PURSUED = 'Not requested in time; footage overwritten after 30 days.'

const DEMO_COURSE_TITLES = [
  'Stalking or Harassment (College of Policing e-learning)',
  'Stalking Protection Orders for officers and supervisors',
  'Online stalking: investigation and safety advice',
  'Stalking Investigators Course',
  'Data Protection Refresher 2026',
]

/** A learning system's export, as forces' systems write it, for the demo force's officers and some made up. */
function demoLearningExport(officers: string[], random: Random, today: string): Buffer {
  const lines = ['Staff No,Full Name,Rank/Role,Frontline,Course Title,Completion Status,Date Completed']
  const people = [
    ...officers.map((name, index) => ({ number: String(4000 + index), name })),
    ...Array.from({ length: 60 }, (_, index) => ({ number: String(5000 + index), name: `PC ${6000 + index}` })),
  ]
  for (const person of people) {
    const frontline = random.next() < 0.8
    for (const title of DEMO_COURSE_TITLES) {
      if (title.startsWith('Stalking Investigators') && random.next() < 0.6) continue
      const roll = random.next()
      const status = roll < 0.65 ? 'Completed' : roll < 0.85 ? 'In Progress' : 'Not Started'
      const day = addDays(today, -random.between(30, 700))
      const [year, month, date] = day.split('-')
      const completed = status === 'Completed' ? `${date}/${month}/${year}` : ''
      lines.push(
        [
          person.number,
          person.name,
          frontline ? 'Constable' : 'Detective Constable',
          frontline ? 'Y' : 'N',
          title,
          status,
          completed,
        ]
          .map((cell) => (/[",]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell))
          .join(','),
      )
    }
  }
  return Buffer.from(lines.join('\r\n'))
}

/**
 * Demo data: a skills register for some of the officers named on the demo force's 8Q crimes, then allocations and
 * supervisory reviews on a seeded share of those crimes (the same every time), recorded through the service so they
 * are audited like an officer's. Invented text only; no person's details. Loaded once: a force that already has
 * allocations is left alone.
 */
export async function loadInvestigationDemo(services: InvestigationContext, actor: ActorContext): Promise<void> {
  const force = await services.crime.repository.forceByName(DEMO_FORCE)
  if (!force) return
  const repository = new InvestigationRepository(areaDatabase<InvestigationDatabase>(services))
  if (await repository.hasAllocations(force.id)) return
  const crimes = await repository.crimesWithKey(force.id, STALKING_KEY)
  const random = new Random(DEMO_SEED)
  const viewer = { actor: { ...actor, forceId: force.id }, forceId: force.id }
  const service = services.investigation.service
  const today = new Date().toISOString().slice(0, 10)
  const notAfterToday = (day: string) => (day > today ? today : day)

  const officers = [...new Set(crimes.map((crime) => crime.officer_in_case).filter((name): name is string => !!name))]
  for (const officer of officers) {
    if (random.next() >= 0.45) continue
    await service.addSkill(viewer, {
      officer,
      level: random.next() < 0.3 ? 'specialist' : 'trained',
      courseName: COURSES[random.int(COURSES.length)],
      trainedOn: addDays(today, -random.between(400, 1500)),
    })
  }

  await services.investigation.training.importExport(
    viewer,
    demoLearningExport(officers, random, today),
    'lms-export.csv',
  )

  for (const crime of crimes) {
    if (random.next() >= 0.8) continue
    const reported = crime.reported_at.slice(0, 10)
    const riskRoll = random.next()
    await service.allocate(viewer, crime.crime_id, {
      team: crime.team ?? 'Stalking unit',
      officer: crime.officer_in_case ?? 'DC 0000',
      allocatedOn: notAfterToday(addDays(reported, random.between(0, 3))),
      riskLevel: riskRoll < 0.2 ? 'high' : riskRoll < 0.6 ? 'medium' : 'standard',
      complexityNotes: COMPLEXITY[random.int(COMPLEXITY.length)],
    })
    if (random.next() >= 0.75) continue
    const reviews = 1 + random.int(3)
    let reviewedOn = reported
    for (let index = 0; index < reviews; index++) {
      reviewedOn = notAfterToday(addDays(reviewedOn, random.between(2, index === 0 ? 12 : 30)))
      const line = () => {
        const roll = random.next()
        return roll < 0.6
          ? { answer: 'pursued' }
          : roll < 0.85
            ? { answer: 'not_applicable' }
            : { answer: 'not_pursued' }
      }
      const form: Record<string, string> = { reviewedOn, notes: index === 0 ? 'Initial supervisory review.' : '' }
      for (const id of ['devices', 'socialMedia', 'phoneData', 'cctv']) {
        const { answer } = line()
        form[id] = answer
        if (answer === 'not_pursued') form[`${id}-reason`] = NOT_PURSUED
      }
      const arrested = random.next() < 0.55
      form.arrest = arrested ? 'yes' : 'no'
      if (arrested)
        form['arrest-date'] = addDays(
          reported,
          Math.min(random.between(0, 5), Math.max(0, daysBetween(reported, reviewedOn))),
        )
      else form['arrest-reason'] = NOT_ARRESTED
      const searched = random.next() < 0.35
      form.search = searched ? 'yes' : 'no'
      if (searched) form['search-date'] = form['arrest-date'] ?? reviewedOn
      else form['search-reason'] = NOT_SEARCHED
      form.victimImpact = random.next() < 0.6 ? 'yes' : 'no'
      await service.review(viewer, crime.crime_id, form)
    }
  }
}

export const investigationArea = defineArea<InvestigationTables>()({
  name: 'investigation',
  needs: ['crime'],
  migrations: investigationMigrations,
  obligations: (platform) => [investigationObligationSource(areaDatabase<InvestigationDatabase>(platform))],
  create: (platform, needs: InvestigationNeeds): InvestigationServices => createInvestigationServices(platform, needs),
  web: (services: InvestigationContext) => ({
    routers: [
      { path: '/investigation/training', router: trainingRouter(services) },
      { path: '/investigation', router: investigationRouter(services) },
      { path: '/api/investigation', router: investigationApiRouter(services) },
    ],
    navigation: [
      { text: 'Investigations', href: '/investigation', capability: 'case:read', hub: 'Case work' },
      { text: 'Officer skills', href: '/investigation/officers', capability: 'users:manage', hub: 'Settings' },
      { text: 'Training register', href: '/investigation/training', capability: 'users:manage', hub: 'Settings' },
    ],
    openapiPaths: investigationOpenApiPaths,
  }),
  commands: registerInvestigationCommands,
  loadDemo: loadInvestigationDemo,
})
