// Victims (Recommendation 14): victims' code rights, needs assessments and referrals to support for each victim of a
// crime, the force's directory of national and local stalking support services (public too), and the monitoring of
// referral numbers.
import { Random } from '../platform/random.ts'
import { areaDatabase, defineArea, type PlatformServices } from '../platform/area.ts'
import type { ActorContext } from '../platform/services/auditService.ts'
import { DEMO_FORCE, SECOND_DEMO_FORCE } from '../platform/services/demoUsers.ts'
import { VictimRepository } from './data/victimRepository.ts'
import { NEEDS, REFERRAL_OUTCOMES, RIGHTS_METHODS, type Need } from './data/tables.ts'
import { victimApiRouter, victimOpenApiPaths } from './routes/api.ts'
import { publicSupportRouter, referralAlertLinks, victimRouter } from './routes/pages.ts'
import { NEED_LABELS, VictimService } from './services/victimService.ts'
import { ReferralAlertService } from './services/referralAlerts.ts'
import { addDays } from '../platform/days.ts'
import type { VictimContext, VictimNeeds, VictimServices } from './context.ts'
import { victimMigrations } from './data/migrations.ts'
import type { VictimDatabase, VictimTables } from './data/tables.ts'
import { victimObligationSource } from './obligations.ts'

export type { VictimContext, VictimNeeds, VictimServices } from './context.ts'
export type { VictimTables } from './data/tables.ts'

export function createVictimServices(platform: PlatformServices, { crime }: VictimNeeds): VictimServices {
  const repository = new VictimRepository(areaDatabase<VictimDatabase>(platform))
  const service = new VictimService(repository, platform.audit, crime)
  return {
    service,
    alerts: new ReferralAlertService(repository, platform.audit),
    needLabels: NEED_LABELS,
    victimMeasure: (forceId, period) => service.measure(forceId, period),
    directoryMeasure: (forceId) => service.directoryMeasure(forceId),
  }
}

/**
 * National services every force's directory can start from. Contact details are given only where they are well
 * known; anything not certain is left blank for the force to fill in, never invented. A force should check each entry
 * before relying on it.
 */
export const NATIONAL_SERVICES = [
  {
    name: 'National Stalking Helpline (Suzy Lamplugh Trust)',
    kind: 'national',
    areaCovered: 'England and Wales',
    phone: '0808 802 0300',
    website: 'https://www.suzylamplugh.org',
    referralRoute: 'Victims can call the helpline themselves; officers can give the number at any contact.',
  },
  {
    name: 'Paladin National Stalking Advocacy Service',
    kind: 'national',
    areaCovered: 'England and Wales',
    phone: '',
    website: 'https://www.paladinservice.co.uk',
    referralRoute: 'Independent stalking advocacy caseworkers (ISACs) for high-risk victims; referral with consent.',
  },
  {
    name: 'Protection Against Stalking',
    kind: 'national',
    areaCovered: 'England and Wales',
    phone: '',
    website: 'https://www.protectionagainststalking.org',
    referralRoute: 'Information and support for victims and their families.',
  },
  {
    name: 'Victim Support',
    kind: 'national',
    areaCovered: 'England and Wales',
    phone: '0808 168 9111',
    website: 'https://www.victimsupport.org.uk',
    referralRoute: 'Free, confidential support for any victim of crime; police refer with the victim’s consent.',
  },
] as const

const DEMO_SEED = 14
/** An invented local service for the invented demo forces. */
const LOCAL_DEMO_SERVICE = (area: string) => ({
  name: `${area} Stalking Advocacy Service`,
  kind: 'local',
  areaCovered: area,
  phone: '',
  website: '',
  referralRoute:
    'Police refer with the victim’s consent, or victims can ask the officer in their case; the service makes contact within two working days.',
})

const NOTES = [
  'Victim prefers contact by phone after 5pm.',
  'Victim has moved in with family for now; safety plan agreed.',
  '',
  '',
]

/**
 * Demo data: each demo force's directory (the national services and an invented local one), and victim care on a
 * seeded share of the demo force's 8Q crimes (the same every time), recorded through the service so it is audited
 * like an officer's. No person's details. Loaded once: a force that already has care records is left alone.
 */
export async function loadVictimsDemo(services: VictimContext, actor: ActorContext): Promise<void> {
  const repository = new VictimRepository(areaDatabase<VictimDatabase>(services))
  const service = services.victims.service
  for (const [name, area] of [
    [DEMO_FORCE, 'Demoshire'],
    [SECOND_DEMO_FORCE, 'Northmoor'],
  ]) {
    const force = await services.crime.repository.forceByName(name)
    if (!force) continue
    const viewer = { actor: { ...actor, forceId: force.id }, forceId: force.id }
    if ((await repository.servicesOf(force.id, { all: true })).length === 0) {
      for (const entry of [...NATIONAL_SERVICES, LOCAL_DEMO_SERVICE(area)]) await service.addService(viewer, entry)
    }
  }
  const force = await services.crime.repository.forceByName(DEMO_FORCE)
  if (!force) return
  // `demo load --force` imports the demo crimes again: their care records are already there.
  if (await repository.hasCareRecords(force.id)) return
  const viewer = { actor: { ...actor, forceId: force.id }, forceId: force.id }
  const directory = await repository.servicesOf(force.id)
  const random = new Random(DEMO_SEED)
  const today = new Date().toISOString().slice(0, 10)
  const victims = await services.crime.repository.victimsOfCrimesWithKey(force.id, '8Q')
  for (const { crime_id: crimeId, person_id: personId, reported_at: reportedAt } of victims) {
    const reported = reportedAt.slice(0, 10)
    // Dates a few days after the report, never after today (a crime reported today gets today).
    const notAfterToday = (day: string) => (day > today ? today : day)
    const after = (min: number, max: number) => notAfterToday(addDays(reported, random.between(min, max)))
    if (random.chance(0.85)) {
      await service.recordRights(viewer, crimeId, personId, {
        toldOn: after(0, 3),
        method: random.pick(RIGHTS_METHODS),
        enhanced: random.chance(0.9) ? 'yes' : 'no',
      })
    }
    if (!random.chance(0.75)) continue
    const needs = NEEDS.filter((need: Need) => need !== 'none' && random.chance(0.3))
    const wanted = random.chance(0.7)
    await service.recordAssessment(viewer, crimeId, personId, {
      assessedOn: after(0, 7),
      needs: needs.length ? needs : ['none'],
      supportWanted: wanted ? 'yes' : 'declined',
      notes: random.pick(NOTES),
    })
    if (!wanted || !random.chance(0.8) || directory.length === 0) continue
    const referredOn = after(1, 21)
    const outcome = random.pick(REFERRAL_OUTCOMES)
    const outcomeOn = outcome === 'pending' ? '' : notAfterToday(addDays(referredOn, random.between(1, 14)))
    await service.recordReferral(viewer, crimeId, personId, {
      serviceId: String(random.pick(directory).id),
      referredOn,
      consented: random.chance(0.95) ? 'yes' : 'no',
      outcome,
      outcomeOn,
    })
  }
}

/** The daily check of last month's referral rates (14.5): first a minute and a half after start, then every 24 hours. */
export function startVictimJobs(services: VictimContext, log: (message: string, error?: unknown) => void) {
  const run = () => {
    services.crime.repository
      .forcesWithCrimes()
      .then((forces) => services.victims.alerts.check(forces.map((force) => force.id)))
      .then((summary) => log(`referral rate check: ${JSON.stringify(summary)}`))
      .catch((error: unknown) => log('referral rate check failed', error))
  }
  const first = setTimeout(run, 90_000)
  const daily = setInterval(run, 24 * 60 * 60 * 1000)
  first.unref()
  daily.unref()
  return () => {
    clearTimeout(first)
    clearInterval(daily)
  }
}

export const victimsArea = defineArea<VictimTables>()({
  name: 'victims',
  needs: ['crime'],
  migrations: victimMigrations,
  obligations: (platform) => [victimObligationSource(areaDatabase<VictimDatabase>(platform))],
  create: (platform, needs: VictimNeeds): VictimServices => createVictimServices(platform, needs),
  web: (services: VictimContext) => ({
    publicRouters: [{ path: '/public/support', router: publicSupportRouter(services) }],
    // The force lead's "Referral alerts" link in the header, with the unread count.
    middleware: [referralAlertLinks(services)],
    routers: [
      { path: '/victims', router: victimRouter(services) },
      { path: '/api/victims', router: victimApiRouter(services) },
    ],
    navigation: [
      { text: 'Support services', href: '/victims/services', capability: 'case:read', hub: 'Case work' },
      { text: 'Victim referrals', href: '/victims/monitoring', capability: 'analysis:read', hub: 'Assurance' },
    ],
    openapiPaths: victimOpenApiPaths,
  }),
  startJobs: startVictimJobs,
  loadDemo: loadVictimsDemo,
})
